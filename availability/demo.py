"""Demo outages: for the demo business services, a few unplanned outages and a planned
maintenance per month over the last six months (one service misses its target last month).
The month of the public-sector SLA example (publicsla.demo) is left to that module: its service
gets no outages here. Idempotent: demo outages carry a marker in their description."""

import datetime as dt

from accounts.models import User
from availability import rules, services
from availability.models import Outage
from cmdb.models import ConfigurationItem
from core import demo
from core.choices import Channel

MARK = "[demo]"

demo.korean({
    "Database failover after a disk fault": "디스크 장애로 데이터베이스 절체",
    "Monthly patching window": "월간 패치 작업",
    "Network switch reboot": "네트워크 스위치 재기동",
})

# (day, hour, minutes, planned, text)
PATTERN = [
    (4, 2, 90, True, "Monthly patching window"),
    (11, 14, 35, False, "Database failover after a disk fault"),
    (23, 9, 12, False, "Network switch reboot"),
]


def example_service():
    """The business service the public-sector SLA example is about (the last demo service)."""
    return ConfigurationItem.objects.business_services().order_by("-pk").first()


def seed(ctx):
    say = demo.say
    if Outage.objects.filter(description__startswith=MARK).exists():
        return
    agent = User.objects.filter(username="agent").first()
    example = example_service()
    services_ = [s for s in ConfigurationItem.objects.business_services().order_by("pk")[:8] if s != example]
    now = ctx.now
    first = now.date().replace(day=1)
    made = 0
    for months_ago in range(1, 7):
        month = first
        for _ in range(months_ago):
            month = (month - dt.timedelta(days=1)).replace(day=1)
        start_of_month, _end = rules.month_bounds(month)
        for index, service in enumerate(services_):
            for day, hour, minutes, planned, text in PATTERN:
                if (index + day + months_ago) % 3 == 0 and not planned:
                    continue
                length = minutes * (4 if index == 0 and months_ago == 1 and not planned else 1)
                start = start_of_month + dt.timedelta(days=day - 1, hours=hour + index)
                services.record_outage(actor=agent, channel=Channel.SYSTEM, service=service, start=start,
                                       end=start + dt.timedelta(minutes=length), planned=planned,
                                       description=f"{MARK} {say(text)}")
                made += 1
    ctx.log(f"  availability: {made} outages")
