"""Demo public-sector SLA contract: a grade-1 system with the default indicator table, and the
issue's example month (the last 30-day month): one outage of 40 minutes whose incident was
restored 150 minutes after it was reported, i.e. 99.907 % availability (under the 99.92 %
minimum) and a 30-minute restore delay. Idempotent (keyed by the contract's name)."""

import datetime as dt

from accounts.models import User
from availability import rules as availability_rules
from availability import services as availability_services
from availability.demo import MARK, example_service
from core import demo
from core.choices import Channel
from incidents import services as incident_services
from publicsla import services
from publicsla.models import Contract

demo.korean({
    "e-Government civil petition system": "전자정부 민원 시스템",
    "Civil petition portal unreachable": "민원 포털 접속 불가",
    "Web server restarted after the session store filled up.": "세션 저장소 포화로 웹 서버 재기동",
})


def example_month(today):
    """The last month before this one that has 30 days (43,200 minutes)."""
    month = today.replace(day=1)
    while True:
        month = (month - dt.timedelta(days=1)).replace(day=1)
        if (availability_rules.next_month(month) - month).days == 30:
            return month


def seed(ctx):
    say = demo.say
    name = say("e-Government civil petition system")
    if Contract.objects.filter(name=name).exists():
        return
    manager = User.objects.filter(username="manager").first()
    agent = User.objects.filter(username="agent").first()
    service = example_service()
    if manager is None or agent is None or service is None:
        return
    contract = services.create_contract(actor=manager, channel=Channel.SYSTEM, name=name, system_grade=1,
                                        monthly_amount=50_000_000, services=[service])
    month = example_month(ctx.now.date())
    start, _end = availability_rules.month_bounds(month)
    reported = start + dt.timedelta(days=11, hours=1)  # the 12th, 10:00 KST
    incident = incident_services.open_incident(
        actor=agent, channel=Channel.SYSTEM, title=say("Civil petition portal unreachable"), service=service,
        impact=1, urgency=1, now=reported)
    incident_services.resolve(incident, actor=agent, channel=Channel.SYSTEM, code="solved_permanently",
                              notes=say("Web server restarted after the session store filled up."),
                              now=reported + dt.timedelta(minutes=150))
    availability_services.record_outage(actor=agent, channel=Channel.SYSTEM, service=service, start=reported,
                                        end=reported + dt.timedelta(minutes=40), incident=incident,
                                        description=f"{MARK} {say('Civil petition portal unreachable')}")
    ctx.log(f"  publicsla: contract {contract.name}, example month {month:%Y-%m}")
