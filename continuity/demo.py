"""Demo data of continuity (Korean and English, idempotent): a DRP and a BCP for the first two
business services, with contacts, steps and tests; one plan overdue, one invocation."""

from datetime import timedelta

from django.db import transaction

from cmdb.models import ConfigurationItem
from continuity import services
from continuity.models import ContinuityPlan
from core import events
from core import services as core_services
from core.choices import Channel
from core.demo import korean, say
from documents.models import Document

korean({
    "Disaster recovery plan: %(service)s": "재해복구계획: %(service)s",
    "Business continuity plan: %(service)s": "업무연속성계획: %(service)s",
    "The primary data centre is unavailable for more than 30 minutes, or data is corrupted.":
        "주 데이터센터를 30분 넘게 사용할 수 없거나 데이터가 손상된 경우.",
    "The service is down for more than 4 hours during business hours.": "업무시간 중 서비스가 4시간 넘게 중단된 경우.",
    "Declare the disaster and call the recovery team.": "재해를 선언하고 복구팀을 소집한다.",
    "Switch DNS to the DR site.": "DNS를 재해복구 사이트로 전환한다.",
    "Restore the database from the last replica.": "최신 복제본에서 데이터베이스를 복구한다.",
    "Check the service with the business owner.": "업무 담당자와 서비스를 점검한다.",
    "Move staff to the alternate office.": "대체 사무실로 인력을 이동한다.",
    "Process urgent requests on paper forms.": "긴급 요청은 서면 양식으로 처리한다.",
    "Recovery lead": "복구 책임자",
    "Database administrator": "데이터베이스 관리자",
    "Service owner": "서비스 책임자",
    "Replication lag of 12 minutes exceeded the RPO.": "복제 지연 12분으로 RPO를 초과함.",
    "Power failure in the primary data centre.": "주 데이터센터 정전.",
    "Kim Min-jun": "김민준",
    "Lee Seo-yeon": "이서연",
})


def seed(ctx):
    agents = list(ctx.shared.get("agents") or [])
    actor = ctx.shared.get("admin") or (agents[0] if agents else None)
    if ContinuityPlan.objects.exists():
        ctx.log("  continuity: plans exist, skipped")
        return
    service_cis = list(ConfigurationItem.objects.business_services().order_by("criticality", "pk")[:2])
    if not service_cis:
        ctx.log("  continuity: no business services, skipped")
        return
    today = ctx.now.date()
    with transaction.atomic(), events.quiet():
        for index, service in enumerate(service_cis):
            drp = index == 0
            title = say("Disaster recovery plan: %(service)s" if drp else "Business continuity plan: %(service)s")
            document = core_services.create_ticket(
                Document, actor=actor, channel=Channel.SYSTEM, title=title % {"service": service.name},
                kind="drp" if drp else "bcp", owner=actor)
            document.services.add(service)
            plan = services.create_plan(
                actor=actor, channel=Channel.SYSTEM, document=document, services=[service],
                invocation_criteria=say("The primary data centre is unavailable for more than 30 minutes, "
                                        "or data is corrupted." if drp else
                                        "The service is down for more than 4 hours during business hours."),
                rto_minutes=240 if drp else 1440, rpo_minutes=15 if drp else 240,
                test_interval_days=180 if drp else 365,
                contacts=[{"name": say("Kim Min-jun"), "role": say("Recovery lead"), "phone": "010-1234-5678"},
                          {"name": say("Lee Seo-yeon"), "role": say("Database administrator" if drp else "Service owner"),
                           "phone": "010-2345-6789"}],
                steps=[say(s) for s in (("Declare the disaster and call the recovery team.", "Switch DNS to the DR site.",
                                         "Restore the database from the last replica.",
                                         "Check the service with the business owner.") if drp else
                                        ("Move staff to the alternate office.", "Process urgent requests on paper forms."))])
            # Recorded a year and a half ago, so the test history reads naturally.
            ContinuityPlan.objects.filter(pk=plan.pk).update(created_at=ctx.now - timedelta(days=540))
            if drp:
                services.record_test(plan, actor=actor, channel=Channel.SYSTEM, date=today - timedelta(days=400),
                                     kind="tabletop", result="passed", rto_achieved_minutes=None)
                services.record_test(plan, actor=actor, channel=Channel.SYSTEM, date=today - timedelta(days=200),
                                     kind="simulation", result="passed_with_findings", rto_achieved_minutes=210,
                                     findings=say("Replication lag of 12 minutes exceeded the RPO."))
                services.record_invocation(plan, actor=actor, channel=Channel.SYSTEM,
                                           started=ctx.now - timedelta(days=90, hours=3),
                                           ended=ctx.now - timedelta(days=90), reason=say("Power failure in the primary data centre."))
            else:
                services.record_test(plan, actor=actor, channel=Channel.SYSTEM, date=today - timedelta(days=100),
                                     kind="tabletop", result="passed")
    ctx.log(f"  continuity: {ContinuityPlan.objects.count()} plans")
