"""Demo data for the document register; called by `manage.py seed_demo` in dependency order.

The service management policy and plan, the process procedures, an enterprise/IT architecture
document, an information strategy plan, a proof of concept and requirements traced to demo
changes and releases: approved (one overdue for review), in review and in draft, each written by
one member of staff and approved by another. English, or Korean with `--language ko`.
Idempotent: documents are keyed by title.
"""

from datetime import timedelta

from changes.models import Change
from core import demo
from core.choices import Channel
from documents import services
from documents.choices import DocumentKind as K
from documents.choices import DocumentState as S
from documents.models import Document
from releases.models import Release

SYSTEM = Channel.SYSTEM

# (title, kind, clauses, final state, overdue, body, service-linked, trace)
REGISTER = [
    ("Service management policy", K.POLICY, ["5.2", "7.5"], S.APPROVED, False,
     "The IT service management system covers every service in the service catalogue.\n"
     "Top management commits to meeting service requirements and to continual improvement.", True, False),
    ("Service management plan 2027", K.PLAN, ["6.3", "8.1"], S.APPROVED, False,
     "Objectives for 2027: 99.9% availability of live services, P1 incidents restored within four hours.\n"
     "Resources: the service desk, two resolver teams and the change advisory board.", False, False),
    ("Incident management procedure", K.PROCEDURE, ["8.6.1"], S.APPROVED, True,
     "Record every incident, classify it by impact and urgency, restore service within the SLA.\n"
     "Escalate P1 incidents to the duty manager at once.", True, False),
    ("Change management procedure", K.PROCEDURE, ["8.5.1"], S.APPROVED, False,
     "Every change is recorded, assessed for risk and impact, authorised and reviewed.\n"
     "A requester never approves their own change.", False, False),
    ("Problem management procedure", K.PROCEDURE, ["8.6.3"], S.REVIEW, False,
     "Analyse the causes of recurring incidents, record known errors and their workarounds.", False, False),
    ("Service request fulfilment procedure", K.PROCEDURE, ["8.6.2"], S.DRAFT, False,
     "Requests are ordered from the catalog and approved stage by stage.", False, False),
    ("Enterprise and IT architecture (EA/ITA) 2027", K.ARCHITECTURE, ["8.2.1"], S.APPROVED, False,
     "Target architecture: three tiers, shared identity, the ERP on the private cloud.", True, False),
    ("Information strategy plan (ISP) 2027-2029", K.ISP, ["6.3"], S.REVIEW, False,
     "Consolidate the data centres, move collaboration to the cloud, replace the legacy HR system.", True, False),
    ("Proof of concept: single sign-on for the portal", K.POC, [], S.APPROVED, False,
     "Scope: OIDC sign-in for 50 pilot users. Result: sign-in time down from 40 s to 8 s.", True, False),
    ("Requirement: self-service password reset", K.REQUIREMENT, ["8.3.3"], S.APPROVED, False,
     "Users reset their own password with multi-factor authentication, around the clock.", True, True),
    ("Requirement: monthly availability report per service", K.REQUIREMENT, ["8.7.1"], S.DRAFT, False,
     "The service owner receives the availability of each live service every month.", True, True),
]

demo.korean({
    "Service management policy": "서비스 관리 방침",
    "Service management plan 2027": "2027 서비스 관리 계획",
    "Incident management procedure": "인시던트 관리 절차",
    "Change management procedure": "변경 관리 절차",
    "Problem management procedure": "문제 관리 절차",
    "Service request fulfilment procedure": "서비스 요청 이행 절차",
    "Enterprise and IT architecture (EA/ITA) 2027": "2027 전사 아키텍처 및 정보기술 아키텍처(EA/ITA)",
    "Information strategy plan (ISP) 2027-2029": "2027-2029 정보화 전략 계획(ISP)",
    "Proof of concept: single sign-on for the portal": "개념 검증: 포털 통합 인증(SSO)",
    "Requirement: self-service password reset": "요구사항: 셀프서비스 비밀번호 재설정",
    "Requirement: monthly availability report per service": "요구사항: 서비스별 월간 가용성 보고서",
    "The IT service management system covers every service in the service catalogue.\n"
    "Top management commits to meeting service requirements and to continual improvement.":
        "IT 서비스 관리 체계는 서비스 카탈로그의 모든 서비스를 대상으로 한다.\n"
        "최고 경영진은 서비스 요구사항 충족과 지속적 개선을 약속한다.",
    "Objectives for 2027: 99.9% availability of live services, P1 incidents restored within four hours.\n"
    "Resources: the service desk, two resolver teams and the change advisory board.":
        "2027년 목표: 운영 서비스 가용성 99.9%, P1 인시던트 4시간 이내 복구.\n"
        "자원: 서비스 데스크, 해결 팀 2개, 변경 자문 위원회(CAB).",
    "Record every incident, classify it by impact and urgency, restore service within the SLA.\n"
    "Escalate P1 incidents to the duty manager at once.":
        "모든 인시던트를 기록하고 영향도와 긴급도로 분류하며 SLA 내에 서비스를 복구한다.\n"
        "P1 인시던트는 즉시 당직 관리자에게 에스컬레이션한다.",
    "Every change is recorded, assessed for risk and impact, authorised and reviewed.\n"
    "A requester never approves their own change.":
        "모든 변경은 기록되고 위험과 영향을 평가받으며 승인 및 검토된다.\n"
        "요청자는 자신의 변경을 승인하지 않는다.",
    "Analyse the causes of recurring incidents, record known errors and their workarounds.":
        "반복되는 인시던트의 원인을 분석하고 알려진 오류와 임시 해결책을 기록한다.",
    "Requests are ordered from the catalog and approved stage by stage.":
        "요청은 카탈로그에서 주문하고 단계별로 승인한다.",
    "Target architecture: three tiers, shared identity, the ERP on the private cloud.":
        "목표 아키텍처: 3계층 구조, 통합 인증, 프라이빗 클라우드의 ERP.",
    "Consolidate the data centres, move collaboration to the cloud, replace the legacy HR system.":
        "데이터센터 통합, 협업 도구의 클라우드 전환, 노후 인사 시스템 교체.",
    "Scope: OIDC sign-in for 50 pilot users. Result: sign-in time down from 40 s to 8 s.":
        "범위: 시범 사용자 50명 OIDC 로그인. 결과: 로그인 시간 40초에서 8초로 단축.",
    "Users reset their own password with multi-factor authentication, around the clock.":
        "사용자는 다중 인증으로 언제든지 직접 비밀번호를 재설정한다.",
    "The service owner receives the availability of each live service every month.":
        "서비스 책임자는 매월 운영 서비스별 가용성을 받는다.",
    "First issue.": "최초 제정.",
    "Procedures of the service management system.": "서비스 관리 체계의 문서.",
})


def seed(ctx):
    say = demo.say
    staff = [a for a in ctx.shared.get("agents", []) if a is not None] or [ctx.shared.get("admin")]
    manager = ctx.shared.get("manager") or staff[0]
    services_ = ctx.shared.get("services") or []
    teams = ctx.shared.get("teams") or []
    change_ids = ctx.shared.get("changes") or list(Change.objects.order_by("-pk").values_list("pk", flat=True)[:20])
    releases = list(Release.objects.order_by("-pk")[:4])
    made = 0
    for index, (title, kind, clauses, final, overdue, body, on_service, traced) in enumerate(REGISTER):
        if Document.objects.filter(title=say(title)).exists():
            continue
        author = staff[index % len(staff)]
        approver = manager if manager.pk != author.pk else staff[(index + 1) % len(staff)]
        fields = {"title": say(title), "kind": kind, "clauses": clauses, "owner": author,
                  "description": say("Procedures of the service management system.")}
        if on_service and services_:
            fields["services"] = [services_[index % len(services_)]]
        if traced:
            fields["changes"] = change_ids[index % max(len(change_ids), 1):][:1]
            fields["releases"] = releases[:1]
        document = services.create_document(actor=author, channel=SYSTEM, body=say(body),
                                            change_summary=say("First issue."), now=ctx.now, **fields)
        if final in (S.REVIEW, S.APPROVED):
            document = services.transition_document(document, S.REVIEW, actor=author, channel=SYSTEM)
        if final == S.APPROVED:
            document = services.transition_document(document, S.APPROVED, actor=approver, channel=SYSTEM)
            if overdue:
                document = services.update_document(
                    document, actor=approver, channel=SYSTEM,
                    changes={"review_at": (ctx.now - timedelta(days=20)).date()})
            if teams:
                services.distribute(document, actor=approver, channel=SYSTEM, team=teams[index % len(teams)],
                                    acknowledgement_required=kind == K.POLICY)
        made += 1
    ctx.log(f"  documents: added: {made}")
