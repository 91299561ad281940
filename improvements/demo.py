"""Demo data for the improvement register; called by `manage.py seed_demo` in dependency order.

Eighteen hand-written items and corrective actions spread over the last twelve months (one to
three raised each month, so trends show), in every state and from every source type, with
owners, scores, measurements and verifications; plus items raised from real demo records (a P1
incident's breach, published known errors, a closed change) through the register's own
`raise_from_source`. In English, or Korean with `seed_demo --language ko`. Idempotent: curated
items are keyed by title, raised ones by their source.
"""

from datetime import timedelta
from decimal import Decimal

from changes.models import Change
from core import demo
from core.choices import Channel
from improvements import services
from improvements.choices import ImprovementState as S
from improvements.choices import Kind, SourceType
from improvements.models import Improvement

SYSTEM = Channel.SYSTEM

# (months ago, title, kind, source type, (benefit, effort, risk), final state,
#  (baseline value, unit), result value or None, corrective fields or None)
CURATED = [
    (11, "Automate VPN certificate renewal", Kind.IMPROVEMENT, SourceType.PROBLEM, (5, 2, 2), S.CLOSED_EFFECTIVE,
     ("42", "incidents/month"), "6", None),
    (11, "Publish a self-service guide for password resets", Kind.IMPROVEMENT, SourceType.LOW_SATISFACTION,
     (4, 1, 1), S.CLOSED_EFFECTIVE, ("310", "calls/month"), "185", None),
    (10, "Add a second ISP link to the branch offices", Kind.IMPROVEMENT, SourceType.SLA_BREACH, (5, 4, 3),
     S.CLOSED_EFFECTIVE, ("99.1", "% availability"), "99.8", None),
    (9, "Change approvals recorded outside the tool", Kind.CORRECTIVE_ACTION, SourceType.AUDIT_FINDING, (4, 2, 2),
     S.CLOSED_EFFECTIVE, ("7", "changes without record"), "0",
     ("Three emergency changes in March had no recorded approval.",
      "The CAB chair approved by phone and nobody entered the decision.",
      "The three approvals were recorded retrospectively with the CAB minutes.",
      "Emergency changes cannot be scheduled without an approval in the tool.",
      "Sampled 20 emergency changes in June: all had a recorded approval.")),
    (8, "Shorten the month-end ERP batch", Kind.IMPROVEMENT, SourceType.PROBLEM, (4, 4, 4), S.CLOSED_INEFFECTIVE,
     ("5.5", "hours"), "5.2", None),
    (8, "Answer complaints about the civil petition portal within two days", Kind.IMPROVEMENT,
     SourceType.COMPLAINT, (4, 2, 1), S.CLOSED_EFFECTIVE, ("6", "days"), "1.5", None),
    (7, "Backups of the reporting cluster not verified", Kind.CORRECTIVE_ACTION, SourceType.AUDIT_FINDING,
     (4, 2, 2), S.IMPLEMENTED, ("0", "% restores tested"), None,
     ("No restore test of the reporting cluster in the last 12 months.",
      "Restore tests were nobody's task after the DBA team reorganisation.",
      "A restore test was run in July; it succeeded in 3 hours.",
      "A quarterly restore test is a standard change assigned to the DBA team.", "")),
    (6, "Review the emergency change that took the mail gateway down", Kind.IMPROVEMENT, SourceType.CHANGE_REVIEW,
     (4, 3, 3), S.CLOSED_EFFECTIVE, ("2", "failed changes/quarter"), "0", None),
    (5, "Post-incident review: groupware outage on the 3rd", Kind.IMPROVEMENT, SourceType.INCIDENT_REVIEW,
     (5, 3, 2), S.IN_PROGRESS, ("190", "minutes to restore"), None, None),
    (5, "Offer chat on the portal at peak hours", Kind.IMPROVEMENT, SourceType.MANUAL, (3, 4, 2), S.REJECTED,
     None, None, None),
    (4, "Monitor the HR portal's connection pool", Kind.IMPROVEMENT, SourceType.SLA_BREACH, (4, 1, 1),
     S.IMPLEMENTED, ("4", "breaches/month"), None, None),
    (3, "Explain resolutions in plain language", Kind.IMPROVEMENT, SourceType.LOW_SATISFACTION, (3, 1, 1),
     S.IN_PROGRESS, ("72", "CSAT %"), None, None),
    (3, "Access rights not removed when staff leave", Kind.CORRECTIVE_ACTION, SourceType.AUDIT_FINDING, (5, 3, 2),
     S.APPROVED, ("11", "accounts"), None,
     ("11 accounts of staff who left in Q2 were still active.", "", "", "", "")),
    (2, "Reduce repeat printer incidents on the 3rd floor", Kind.IMPROVEMENT, SourceType.PROBLEM, (3, 2, 1),
     S.APPROVED, ("25", "incidents/month"), None, None),
    (2, "Migrate the legacy fax service", Kind.IMPROVEMENT, SourceType.MANUAL, (2, 4, 3), S.CANCELLED,
     None, None, None),
    (1, "Callers wait too long on the phone line", Kind.IMPROVEMENT, SourceType.COMPLAINT, (4, 3, 2), S.PROPOSED,
     ("4.5", "minutes"), None, None),
    (1, "Weekend coverage for the tax system", Kind.IMPROVEMENT, SourceType.SLA_BREACH, (4, 4, 3), S.PROPOSED,
     None, None, None),
    (0, "Survey comments mention unclear closing e-mails", Kind.IMPROVEMENT, SourceType.LOW_SATISFACTION,
     (3, 1, 1), S.PROPOSED, None, None, None),
]

demo.korean({
    "Automate VPN certificate renewal": "VPN 인증서 갱신 자동화",
    "Publish a self-service guide for password resets": "비밀번호 재설정 셀프서비스 안내 게시",
    "Add a second ISP link to the branch offices": "지사에 두 번째 인터넷 회선 추가",
    "Change approvals recorded outside the tool": "도구 밖에서 기록된 변경 승인",
    "Shorten the month-end ERP batch": "월말 ERP 배치 시간 단축",
    "Answer complaints about the civil petition portal within two days": "민원 포털 불만에 2일 안에 답변",
    "Backups of the reporting cluster not verified": "보고 클러스터 백업 미검증",
    "Review the emergency change that took the mail gateway down": "메일 게이트웨이 장애를 낸 긴급 변경 검토",
    "Post-incident review: groupware outage on the 3rd": "사후 검토: 3일 그룹웨어 장애",
    "Offer chat on the portal at peak hours": "혼잡 시간대 포털 채팅 상담 제공",
    "Monitor the HR portal's connection pool": "인사 포털 연결 풀 모니터링",
    "Explain resolutions in plain language": "해결 내용을 쉬운 말로 설명",
    "Access rights not removed when staff leave": "퇴직자 접근 권한 미회수",
    "Reduce repeat printer incidents on the 3rd floor": "3층 프린터 반복 장애 줄이기",
    "Migrate the legacy fax service": "구형 팩스 서비스 이전",
    "Callers wait too long on the phone line": "전화 상담 대기 시간이 김",
    "Weekend coverage for the tax system": "세무 시스템 주말 지원 체계",
    "Survey comments mention unclear closing e-mails": "설문 의견: 종료 안내 메일이 불명확함",
    "incidents/month": "건/월", "calls/month": "통화/월", "% availability": "% 가용성",
    "changes without record": "기록 없는 변경", "hours": "시간", "days": "일", "% restores tested": "% 복구 시험",
    "failed changes/quarter": "실패 변경/분기", "minutes to restore": "복구 시간(분)", "breaches/month": "위반/월",
    "CSAT %": "CSAT %", "accounts": "계정", "minutes": "분",
    "Three emergency changes in March had no recorded approval.": "3월 긴급 변경 3건에 승인 기록이 없었습니다.",
    "The CAB chair approved by phone and nobody entered the decision.": "CAB 의장이 전화로 승인했고 아무도 결정을 입력하지 않았습니다.",
    "The three approvals were recorded retrospectively with the CAB minutes.": "세 건의 승인을 CAB 회의록과 함께 사후 기록했습니다.",
    "Emergency changes cannot be scheduled without an approval in the tool.": "도구에 승인이 없으면 긴급 변경을 일정에 올릴 수 없습니다.",
    "Sampled 20 emergency changes in June: all had a recorded approval.": "6월 긴급 변경 20건 표본: 모두 승인 기록이 있었습니다.",
    "No restore test of the reporting cluster in the last 12 months.": "지난 12개월 동안 보고 클러스터 복구 시험이 없었습니다.",
    "Restore tests were nobody's task after the DBA team reorganisation.": "DBA 팀 개편 후 복구 시험 담당자가 없었습니다.",
    "A restore test was run in July; it succeeded in 3 hours.": "7월에 복구 시험을 했고 3시간 만에 성공했습니다.",
    "A quarterly restore test is a standard change assigned to the DBA team.": "분기별 복구 시험을 DBA 팀의 표준 변경으로 지정했습니다.",
    "11 accounts of staff who left in Q2 were still active.": "2분기 퇴직자 계정 11개가 여전히 활성 상태였습니다.",
    "Raised in the monthly service review.": "월간 서비스 검토에서 제기됨.",
    "The measured result did not improve enough; a new item replaces it.": "측정 결과가 충분히 개선되지 않아 새 항목으로 대체합니다.",
    "Not worth the cost this year.": "올해는 비용 대비 효과가 없습니다.",
})

PATHS = {
    S.PROPOSED: [],
    S.APPROVED: [S.APPROVED],
    S.IN_PROGRESS: [S.APPROVED, S.IN_PROGRESS],
    S.IMPLEMENTED: [S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED],
    S.CLOSED_EFFECTIVE: [S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED, S.CLOSED_EFFECTIVE],
    S.CLOSED_INEFFECTIVE: [S.APPROVED, S.IN_PROGRESS, S.IMPLEMENTED, S.CLOSED_INEFFECTIVE],
    S.REJECTED: [S.REJECTED],
    S.CANCELLED: [S.APPROVED, S.CANCELLED],
}


def _in_month(now, months_ago, index):
    """A day in the calendar month `months_ago` before now's (never in the future), spread by
    `index` so items of one month do not share an instant."""
    month_index = now.year * 12 + now.month - 1 - months_ago
    day = 1 + (index * 7) % 25
    when = now.replace(year=month_index // 12, month=month_index % 12 + 1, day=day, hour=9 + index % 8)
    return min(when, now - timedelta(hours=1 + index))


def seed(ctx):
    say = demo.say
    staff = [a for a in ctx.shared.get("agents", []) if a is not None] or [ctx.shared.get("admin")]
    manager = ctx.shared.get("manager") or staff[0]
    organisations = ctx.shared.get("organisations") or [None]
    services_ = ctx.shared.get("services") or [None]
    changes = ctx.shared.get("changes") or []
    made = 0
    for index, (months, title, kind, source_type, scores, final, baseline, result, corrective) \
            in enumerate(CURATED):
        if Improvement.objects.filter(title=say(title)).exists():
            continue
        start = _in_month(ctx.now, months, index)
        owner = staff[index % len(staff)]
        fields = {"title": say(title), "kind": kind, "description": say("Raised in the monthly service review."),
                  "benefit": scores[0], "effort": scores[1], "risk": scores[2], "owner": owner,
                  "due_date": (start + timedelta(days=45)).date(),
                  "organisation": organisations[index % len(organisations)],
                  "service": services_[index % len(services_)]}
        if baseline:
            fields.update(baseline_value=Decimal(baseline[0]), baseline_unit=say(baseline[1]),
                          baseline_date=start.date())
        if corrective:
            for name, text in zip(("nonconformity", "cause", "correction", "corrective_action",
                                   "effectiveness_review"), corrective):
                fields[name] = say(text) if text else ""
        if changes and index % 3 == 0:
            fields["change"] = Change.objects.filter(pk=getattr(changes[index % len(changes)], "pk",
                                                                 changes[index % len(changes)])).first()
        # A curated item tells its source in words (the system records it: its record is not part
        # of the demo).
        manual = source_type in (SourceType.MANUAL, SourceType.AUDIT_FINDING)
        label = "" if manual else say(str(SourceType(source_type).label))
        item = services.create_improvement(actor=None, channel=SYSTEM, now=start, source_label=label,
                                           source_type=source_type, **fields)
        when = start
        for step in PATHS[final]:
            when += timedelta(days=7)
            extra = {}
            if step == S.CLOSED_EFFECTIVE:
                extra = {"result_value": Decimal(result), "result_date": when.date(), "verified_by": manager}
            elif step == S.CLOSED_INEFFECTIVE:
                extra = {"result_value": Decimal(result), "result_date": when.date(),
                         "closure_note": say("The measured result did not improve enough; a new item replaces it.")}
            elif step == S.REJECTED:
                extra = {"closure_note": say("Not worth the cost this year.")}
            item, _diff = services.transition_improvement(item, step, actor=manager, channel=SYSTEM, now=when,
                                                          **extra)
        made += 1
    raised = _raise_from_records(ctx)
    ctx.log(f"  improvements: curated {made}, raised from other records {raised}")


def _raise_from_records(ctx):
    """Items the register's subscribers would have raised from the demo's own records."""
    from improvements import sources
    from incidents.models import Incident
    from problems.models import Problem

    raised = 0
    for incident in Incident.objects.filter(priority=1).select_related("caller", "service").order_by("pk")[:2]:
        created = services.raise_from_source(
            SourceType.SLA_BREACH, incident, title=incident.title, label=incident.number,
            organisation=getattr(incident.caller, "organisation", None), service=incident.service,
            now=incident.created_at)[1]
        raised += created
    for problem in Problem.objects.known_errors().order_by("pk")[:2]:
        raised += services.raise_from_source(SourceType.PROBLEM, problem, title=problem.title, label=problem.number,
                                             owner=sources._owner_of(problem), now=problem.created_at)[1]
    for change in Change.objects.filter(state="closed").order_by("pk")[:1]:
        raised += services.raise_from_source(SourceType.CHANGE_REVIEW, change, title=change.title,
                                             label=change.number, now=change.created_at)[1]
    return raised
