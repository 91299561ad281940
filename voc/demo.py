"""Demo VOC records: about 72 complaints, suggestions, compliments and inquiries spread over the
last 12 months, from the portal, e-mail, phone and the desk, in Korean or English (seed_demo's
language), linked to services and to the people's incidents; most answered and closed, some
complaints escalated, a few open and overdue. Idempotent: nothing is added once VOC records exist."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from core import demo
from core.choices import Channel
from core.demo import say
from voc import services
from voc.choices import VocKind, VocState
from voc.models import Voc

demo.korean({
    "The VPN drops every afternoon": "오후마다 VPN 연결이 끊깁니다",
    "It has happened for two weeks and nobody has fixed it.": "2주째 같은 문제가 반복되는데 해결되지 않고 있습니다.",
    "My request waited five days for approval": "신청 건이 승인 대기로 5일이나 걸렸습니다",
    "Nobody told me who had to approve it.": "누가 승인해야 하는지 아무도 알려주지 않았습니다.",
    "The phone line was busy all morning": "오전 내내 상담 전화가 통화 중이었습니다",
    "Please add more people at peak hours.": "업무 시작 시간대에 상담 인력을 늘려 주세요.",
    "Offer a mobile app for requests": "서비스 신청용 모바일 앱을 제공해 주세요",
    "Ordering from a phone would save time.": "휴대전화로 신청할 수 있으면 시간이 절약됩니다.",
    "Show the expected delivery date": "예상 처리일을 보여 주세요",
    "The catalog could say when things arrive.": "서비스 카탈로그에 처리 예정일이 표시되면 좋겠습니다.",
    "Thanks to the desk for the quick laptop swap": "노트북을 신속히 교체해 주셔서 감사합니다",
    "Everything was ready before my meeting.": "회의 전에 모든 준비가 끝나 있었습니다.",
    "Excellent help with the e-approval system": "전자결재 시스템 문의에 친절히 답해 주셨습니다",
    "Clear and patient explanation.": "자세하고 친절한 설명이었습니다.",
    "How do I get access to the ERP reports?": "ERP 보고서 권한은 어떻게 받나요?",
    "Which form do I use?": "어떤 신청서를 사용해야 하나요?",
    "When is the next maintenance window?": "다음 정기 점검은 언제인가요?",
    "We need to plan our work around it.": "업무 일정을 맞추려고 합니다.",
    "We apologise. The VPN gateway was replaced and the drops have stopped.":
        "불편을 드려 죄송합니다. VPN 장비를 교체하여 끊김 현상이 해결되었습니다.",
    "Thank you. Approvers are now reminded after one day.": "감사합니다. 이제 하루가 지나면 승인자에게 알림이 갑니다.",
    "Thank you for the suggestion; it is on our improvement list.": "좋은 제안 감사합니다. 개선 과제로 등록했습니다.",
    "Thank you, we passed it on to the team.": "감사합니다. 담당 팀에 전달했습니다.",
    "Request the 'ERP report access' item in the catalog.": "서비스 카탈로그의 'ERP 보고서 권한' 항목으로 신청하시면 됩니다.",
    "The next window is the first Saturday of the month.": "다음 정기 점검은 매월 첫째 토요일입니다.",
})

STORIES = [
    (VocKind.COMPLAINT, "The VPN drops every afternoon", "It has happened for two weeks and nobody has fixed it.",
     "We apologise. The VPN gateway was replaced and the drops have stopped."),
    (VocKind.COMPLAINT, "My request waited five days for approval", "Nobody told me who had to approve it.",
     "Thank you. Approvers are now reminded after one day."),
    (VocKind.COMPLAINT, "The phone line was busy all morning", "Please add more people at peak hours.",
     "We apologise. The VPN gateway was replaced and the drops have stopped."),
    (VocKind.SUGGESTION, "Offer a mobile app for requests", "Ordering from a phone would save time.",
     "Thank you for the suggestion; it is on our improvement list."),
    (VocKind.SUGGESTION, "Show the expected delivery date", "The catalog could say when things arrive.",
     "Thank you for the suggestion; it is on our improvement list."),
    (VocKind.COMPLIMENT, "Thanks to the desk for the quick laptop swap", "Everything was ready before my meeting.",
     "Thank you, we passed it on to the team."),
    (VocKind.COMPLIMENT, "Excellent help with the e-approval system", "Clear and patient explanation.",
     "Thank you, we passed it on to the team."),
    (VocKind.INQUIRY, "How do I get access to the ERP reports?", "Which form do I use?",
     "Request the 'ERP report access' item in the catalog."),
    (VocKind.INQUIRY, "When is the next maintenance window?", "We need to plan our work around it.",
     "The next window is the first Saturday of the month."),
]
SOURCES = ("portal", "portal", "email", "phone", "desk")


def seed(ctx):
    if Voc.objects.exists():
        ctx.log(f"  voc: {Voc.objects.count()} already present")
        return
    people = list(User.objects.filter(groups__name="end_user", is_active=True).select_related("organisation")
                  .order_by("pk")[:40])
    desk = list(User.objects.filter(groups__name__in=["agent", "manager"], is_active=True).order_by("pk")[:10])
    if not people or not desk:
        ctx.log("  voc: no people to raise VOC; run accounts first")
        return
    from incidents.models import Incident

    services_pool = ctx.shared.get("services") or []
    rng = ctx.rng
    now = timezone.now()
    made = 0
    for index in range(72):
        kind, title, description, answer = STORIES[index % len(STORIES)]
        person = people[index % len(people)]
        agent = desk[index % len(desk)]
        months_ago = index % 12
        received = now - dt.timedelta(days=30 * months_ago + rng.randint(0, 25), hours=rng.randint(0, 8))
        service = services_pool[index % len(services_pool)] if services_pool and index % 4 else None
        incident = (Incident.objects.filter(caller=person).order_by("-pk").values_list("number", flat=True).first()
                    if kind == VocKind.COMPLAINT else None)
        source = SOURCES[index % len(SOURCES)]
        actor = person if source == "portal" else agent
        voc = services.create_voc(actor=actor, channel=Channel.PORTAL if source == "portal" else Channel.WEB,
                                  kind=kind, title=say(title), description=say(description), reported_by=person,
                                  organisation=person.organisation, service=service,
                                  tickets=[incident] if incident and actor == agent else (), source=source,
                                  now=received)
        made += 1
        # The newest month keeps some open (two complaints overdue); older ones were answered.
        if months_ago == 0 and index % 3 == 0:
            continue
        if kind == VocKind.COMPLAINT and index % 2 == 0:
            voc = services.escalate(voc, actor=agent, channel=Channel.WEB,
                                    now=min(now, received + dt.timedelta(days=3, hours=1)))
        if months_ago == 0 and index % 3 == 1:
            services.transition_voc(voc, VocState.IN_PROGRESS, actor=agent, channel=Channel.WEB,
                                    now=min(now, received + dt.timedelta(hours=2)))
            continue
        days = rng.choice((1, 2, 3, 5, 9)) if kind == VocKind.COMPLAINT else rng.choice((1, 2, 4))
        voc = services.respond(voc, actor=agent, channel=Channel.WEB, response=say(answer),
                               now=min(now, received + dt.timedelta(days=days, hours=rng.randint(0, 6))))
        if months_ago >= 1:
            services.transition_voc(voc, VocState.CLOSED, actor=agent, channel=Channel.WEB,
                                    now=min(now, received + dt.timedelta(days=days + 2)))
    ctx.log(f"  voc: {made} made")
