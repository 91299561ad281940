"""Demo data of a mid-cycle organisation: the audit programme started last year (cycle of three
years), audits done last year and this year with findings (one major nonconformity still open with
its corrective action in progress), one audit planned for the coming days, a management review
with its pack and actions, and the certification so far (stage 1, stage 2 and the decision last
year; the first surveillance audit due in a few weeks). English, or Korean with
`seed_demo --language ko`. Idempotent: nothing is added once the programme exists."""

from datetime import timedelta
from decimal import Decimal

from assurance import rules, services
from assurance.choices import AuditState, CertificationKind, FindingKind, FindingState
from assurance.models import AuditProgramme
from core import demo
from core.choices import Channel

SYSTEM = Channel.SYSTEM
K = CertificationKind
# The cycle starts in the year of the first audit, so that the audit planned four months ahead
# still falls in its three years whatever the day the demo is loaded.
FIRST_AUDIT_DAYS_AGO = 560

demo.korean({
    "Internal audit programme": "내부 심사 프로그램",
    "Three-year programme covering every clause of ISO/IEC 20000-1 before recertification.":
        "재인증 전에 ISO/IEC 20000-1의 모든 조항을 다루는 3개년 프로그램.",
    "Incident and service request management": "인시던트 및 서비스 요청 관리",
    "Change and release management": "변경 및 릴리스 관리",
    "Service levels and suppliers": "서비스 수준 및 공급자 관리",
    "Leadership, planning and support": "리더십, 기획 및 지원",
    "Portfolio, capacity and service assurance": "포트폴리오, 용량 및 서비스 보증",
    "Service desk; request fulfilment": "서비스 데스크, 요청 이행",
    "Change advisory board; release management": "변경 자문 위원회, 릴리스 관리",
    "Service level management; supplier management": "서비스 수준 관리, 공급자 관리",
    "Management system": "경영 체계",
    "Capacity and availability management": "용량 및 가용성 관리",
    "Reviewed by the quality manager: the only trained auditor for this area; a second auditor sampled "
    "the records.": "품질 관리자가 검토함: 이 영역의 유일한 교육받은 심사원이며 두 번째 심사원이 기록을 표본 조사함.",
    "Nine of forty sampled P2 incidents had no resolution notes.": "표본 P2 인시던트 40건 중 9건에 해결 내용이 없었습니다.",
    "Knowledge articles are not linked from resolved incidents.": "해결된 인시던트에서 지식 문서로의 연결이 없습니다.",
    "Post-implementation reviews could record the lessons in the knowledge base.":
        "구현 후 검토 결과를 지식 기반에 기록할 수 있습니다.",
    "Two underpinning contracts expired without a review of their service targets.":
        "두 건의 지원 계약이 서비스 목표 검토 없이 만료되었습니다.",
    "The SLA report for the HR portal was not sent to the customer for two months.":
        "HR 포털의 SLA 보고서가 두 달 동안 고객에게 발송되지 않았습니다.",
    "Sampled: INC register, resolution notes.": "표본: 인시던트 대장, 해결 내용.",
    "Supplier register and contract files reviewed.": "공급자 대장과 계약 파일을 검토함.",
    "Report sent with a delay; correction accepted by the customer.": "보고서를 지연 발송함. 고객이 시정을 수락함.",
    "Annual management review": "연간 경영 검토",
    "Service manager, quality manager, head of IT operations, supplier manager":
        "서비스 관리자, 품질 관리자, IT 운영 책임자, 공급자 관리자",
    "The review looked at the SLA trend, the open major nonconformity on supplier contracts and the "
    "surveillance audit coming up.": "SLA 추세, 공급자 계약 관련 중대한 부적합, 다가오는 사후 심사를 검토했습니다.",
    "Renew the two expired underpinning contracts with reviewed targets": "만료된 지원 계약 두 건을 검토된 목표로 갱신",
    "Add a second trained internal auditor": "교육받은 내부 심사원 추가 확보",
    "Prepare the surveillance audit evidence packs": "사후 심사 증적 패키지 준비",
    "Key supplier fails to meet the availability target": "주요 공급자의 가용성 목표 미달",
    "Single trained internal auditor": "교육받은 내부 심사원이 한 명뿐임",
    "Contract review every quarter": "분기별 계약 검토",
    "Train a second auditor": "두 번째 심사원 교육",
    "Korea Certification Institute": "한국인증원",
    "Documentation ready for stage 2": "2단계 심사 준비 완료",
    "Recommended for certification": "인증 권고",
    "Certified": "인증됨",
    "Two minor findings on document control.": "문서 관리에 관한 경미한 발견 사항 두 건.",
    "One minor nonconformity on the review of supplier contracts.": "공급자 계약 검토에 관한 경미한 부적합 한 건.",
    "Certificate issued for three years.": "3년 유효 인증서 발급.",
})


def seed(ctx):
    if AuditProgramme.objects.exists():
        ctx.log("  assurance: programme already present")
        return
    say = demo.say
    today = ctx.now.date()
    manager = ctx.shared.get("manager")
    admin = ctx.shared.get("admin")
    staff = [a for a in ctx.shared.get("agents", []) if a is not None]
    lead = manager or admin
    teams = list(ctx.shared.get("teams") or [])
    services.create_programme(actor=None, channel=SYSTEM, name=say("Internal audit programme"),
                              start_year=(today - timedelta(days=FIRST_AUDIT_DAYS_AGO)).year,
                              now=ctx.now - timedelta(days=600),
                              description=say("Three-year programme covering every clause of ISO/IEC 20000-1 "
                                              "before recertification."))

    # Audited teams the lead auditor is not in (independent), except where the demo shows the flag.
    own_ids = set(lead.teams.values_list("pk", flat=True)) if lead is not None else set()
    others = [t for t in teams if t.pk not in own_ids]

    def team(index):
        return [others[index % len(others)]] if others else []

    def run(days_ago, title, scope, processes, audited, findings, final, note=""):
        planned = today - timedelta(days=days_ago)
        audit = services.create_audit(actor=None, channel=SYSTEM, title=say(title), scope=scope,
                                      planned_date=planned, lead_auditor=lead, audited_teams=audited,
                                      processes=say(processes), independence_note=say(note) if note else "",
                                      now=ctx.now - timedelta(days=days_ago + 30))
        if final == AuditState.PLANNED:
            return audit
        at = ctx.now - timedelta(days=days_ago)
        audit, _diff = services.update_audit(audit, actor=None, channel=SYSTEM, changes={"state": "in_progress"},
                                             now=at)
        for kind, clauses, text, evidence, records, closed in findings:
            finding = services.add_finding(audit, actor=None, channel=SYSTEM, kind=kind, clauses=clauses,
                                           description=say(text), evidence=say(evidence) if evidence else "",
                                           evidence_records=records, owner=staff[0] if staff else None,
                                           due_date=planned + timedelta(days=60), now=at)
            if closed:
                _close(finding, manager, at + timedelta(days=50))
        audit, _diff = services.update_audit(audit, actor=None, channel=SYSTEM, now=at + timedelta(days=3),
                                             changes={"state": "reported", "performed_date": planned})
        if final == AuditState.CLOSED:
            services.update_audit(audit, actor=None, channel=SYSTEM, changes={"state": "closed"},
                                  now=at + timedelta(days=60))
        return audit

    run(FIRST_AUDIT_DAYS_AGO, "Incident and service request management", ["8.6"],
        "Service desk; request fulfilment", team(0), [
        (FindingKind.MINOR_NC, ["8.6.1"], "Nine of forty sampled P2 incidents had no resolution notes.",
         "Sampled: INC register, resolution notes.", [], True),
        (FindingKind.OFI, ["7.6"], "Knowledge articles are not linked from resolved incidents.", "", [], True),
    ], AuditState.CLOSED)
    run(420, "Change and release management", ["8.5"], "Change advisory board; release management", team(1), [
        (FindingKind.OFI, ["8.5.1", "7.6"], "Post-implementation reviews could record the lessons in the "
         "knowledge base.", "", [], True),
    ], AuditState.CLOSED)
    # The lead auditor's own team among the audited ones: flagged, with the note saying how.
    own = list(lead.teams.all()[:1]) if lead is not None else []
    run(240, "Service levels and suppliers", ["8.3"], "Service level management; supplier management",
        team(2) + own, [
            (FindingKind.MAJOR_NC, ["8.3.4"], "Two underpinning contracts expired without a review of their "
             "service targets.", "Supplier register and contract files reviewed.", [], False),
            (FindingKind.MINOR_NC, ["8.3.3", "9.4"], "The SLA report for the HR portal was not sent to the "
             "customer for two months.", "", [], False),
        ], AuditState.REPORTED,
        note="Reviewed by the quality manager: the only trained auditor for this area; a second auditor "
             "sampled the records.")
    run(-10, "Leadership, planning and support", ["5", "6", "7"], "Management system", team(3), [],
        AuditState.PLANNED)
    run(-120, "Portfolio, capacity and service assurance", ["8.1", "8.2", "8.4", "8.7"],
        "Capacity and availability management", team(4), [], AuditState.PLANNED)

    _certification(ctx, today, say)
    _review(ctx, today, say, manager, staff)
    ctx.log("  assurance: programme, 5 audits, a management review, certification events")


def _close(finding, manager, when):
    """Close a nonconformity's corrective action as effective (measured, verified), then the finding."""
    from improvements import services as improvements

    action = finding.corrective_action
    if action is not None:
        action, _diff = improvements.update_improvement(
            action, actor=None, channel=SYSTEM, now=when - timedelta(days=30),
            changes={"owner": manager, "cause": demo.say("Raised in the monthly service review."),
                     "corrective_action": finding.description, "baseline_value": Decimal("9"),
                     "baseline_unit": "records", "baseline_date": (when - timedelta(days=30)).date()})
        for step in ("approved", "in_progress", "implemented"):
            action, _diff = improvements.transition_improvement(action, step, actor=None, channel=SYSTEM,
                                                                now=when - timedelta(days=20))
        action, _diff = improvements.transition_improvement(
            action, "closed_effective", actor=None, channel=SYSTEM, now=when - timedelta(days=5),
            result_value=Decimal("0"), result_date=(when - timedelta(days=5)).date(), verified_by=manager,
            effectiveness_review=finding.description)
    services.update_finding(finding, actor=None, channel=SYSTEM, now=when, changes={"state": FindingState.CLOSED})


def _certification(ctx, today, say):
    # The decision a year ago less three weeks: the first surveillance audit is due in three weeks.
    decision = rules.add_months(today, -12) + timedelta(days=21)
    body = say("Korea Certification Institute")
    steps = [
        (K.ENQUIRY, decision - timedelta(days=200), "", "", None),
        (K.APPLICATION, decision - timedelta(days=170), "", "", None),
        (K.STAGE1, decision - timedelta(days=110), say("Documentation ready for stage 2"),
         say("Two minor findings on document control."), decision - timedelta(days=80)),
        (K.STAGE2, decision - timedelta(days=45), say("Recommended for certification"),
         say("One minor nonconformity on the review of supplier contracts."), decision - timedelta(days=10)),
        (K.DECISION, decision, say("Certified"), "", None),
    ]
    for kind, date, result, findings, closed in steps:
        services.create_certification_event(actor=None, channel=SYSTEM, kind=kind, date=date, body=body,
                                            result=result, findings=findings, findings_closed_on=closed,
                                            notes=say("Certificate issued for three years.") if kind == K.DECISION
                                            else "")


def _review(ctx, today, say, manager, staff):
    held = today - timedelta(days=30)
    review = services.create_review(
        actor=None, channel=SYSTEM, title=say("Annual management review"), held_on=held,
        period_start=rules.add_months(held, -12), period_end=held - timedelta(days=1), chair=manager,
        attendees=say("Service manager, quality manager, head of IT operations, supplier manager"),
        minutes=say("The review looked at the SLA trend, the open major nonconformity on supplier contracts and "
                    "the surveillance audit coming up."),
        risks=[{"risk": say("Key supplier fails to meet the availability target"), "rating": "high",
                "treatment": say("Contract review every quarter")},
               {"risk": say("Single trained internal auditor"), "rating": "medium",
                "treatment": say("Train a second auditor")}],
        now=ctx.now - timedelta(days=30))
    owner = staff[0] if staff else manager
    done = services.add_action(review, actor=None, channel=SYSTEM, owner=manager, due_date=held + timedelta(days=14),
                               title=say("Prepare the surveillance audit evidence packs"))
    services.update_action(done, actor=None, channel=SYSTEM, changes={"state": "done"})
    services.add_action(review, actor=None, channel=SYSTEM, owner=owner, due_date=held + timedelta(days=21),
                        title=say("Renew the two expired underpinning contracts with reviewed targets"))
    services.add_action(review, actor=None, channel=SYSTEM, owner=manager, due_date=held + timedelta(days=90),
                        title=say("Add a second trained internal auditor"))
    services.generate_pack(review, actor=None, channel=SYSTEM, now=ctx.now - timedelta(days=30))
