"""Every ticket type's timeline reads in words after the usual actions: field names, choice
labels, related records by name, Yes/No; never a Python dict, a field key, "→ approve" or
"development:planned"."""

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from changes import services as changes
from changes.models import Change
from changes.tests.factories import make_change, make_ci, to_authorize
from cmdb import services as cmdb
from cmdb.models import ConfigurationItem
from core.choices import Channel
from incidents import services as incidents
from problems import services as problems
from problems.choices import ProblemState
from releases import services as releases
from releases.choices import DeploymentState, Environment
from sla import sweep as sla_sweep
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db
WEB = Channel.WEB
SEOUL = ZoneInfo("Asia/Seoul")

RAW = [
    (re.compile(r"[{}\[\]]"), "a dict or list"),
    (re.compile(r"\b[a-z]+_[a-z_]+\b"), "a field key or enum value"),
    (re.compile(r"→ (approve|reject)\b"), "a raw decision"),
    (re.compile(r"\b(development|test|staging|production):"), "a raw deployment"),
    (re.compile(r"\b(True|False|None)\b"), "a Python value"),
    (re.compile(r"(?<!Under )\b(planned|investigation)\b"), "a raw state"),
]


def timeline_text(client, url):
    page = client.get(url).content.decode()
    block = re.search(r'data-testid="timeline".*?</ol>', page, re.S).group(0)
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", block)))


def assert_reads_in_words(text):
    for pattern, what in RAW:
        found = pattern.search(text)
        assert found is None, f"{what} on the timeline: …{text[max(0, found.start() - 80):found.end() + 80]}…"


@pytest.fixture
def desk(client, manager):
    client.force_login(manager)
    return client


def test_incident_timeline(desk, agent, manager, team, end_user):
    calendar = make_calendar()
    make_definition(calendar=calendar, targets={2: (30, 120), 3: (60, 240)})
    ci = make_ci("mail-01")
    opened = dt.datetime(2026, 11, 23, 10, 0, tzinfo=SEOUL)
    incident = incidents.open_incident(actor=agent, channel=WEB, title="Mail down", caller=end_user, impact=2,
                                       urgency=2, configuration_item=ci, now=opened)
    incident = incidents.assign(incident, actor=agent, channel=WEB, group=team, person=agent)
    incident = incidents.update_incident(incident, actor=agent, channel=WEB,
                                         changes={"impact": 1, "is_major": True})
    incidents.comment(incident, actor=agent, channel=WEB, body="Looking", internal=True, notify=False)
    sla_sweep.sweep(now=opened + dt.timedelta(hours=6))
    incident = incidents.transition(incident, actor=agent, channel=WEB, target="on_hold",
                                    on_hold_reason="awaiting_caller")
    incident = incidents.transition(incident, actor=agent, channel=WEB, target="in_progress")
    incidents.resolve(incident, actor=agent, channel=WEB, code="solved_workaround", notes="Restarted")
    text = timeline_text(desk, incident.get_absolute_url())
    assert "Solved (workaround)" in text and "Major incident" in text and "Yes" in text
    assert "SLA breached · Resolution" in text and "Awaiting caller" in text
    assert_reads_in_words(text)
    # and the clock's "why" page words the engine's reasons too
    clock = SLAClock.objects.for_object(incident).filter(kind="resolution").latest("pk")
    page = desk.get(reverse("sla:clock_detail", args=[clock.pk])).content.decode()
    why = html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", re.search(
        r'data-testid="clock-timeline".*?</ol>', page, re.S).group(0))))
    assert "On hold: Awaiting caller" in why, why
    assert_reads_in_words(why)


def test_problem_timeline(desk, agent, end_user):
    incident = incidents.open_incident(actor=agent, channel=WEB, title="VPN drops", caller=end_user)
    problem = problems.create_problem(actor=agent, channel=WEB, title="VPN idle timeout", incidents=[incident],
                                      configuration_items=[make_ci("vpn-01")])
    problem, _diff = problems.transition_problem(problem, ProblemState.INVESTIGATION, actor=agent, channel=WEB)
    problems.transition_problem(problem, ProblemState.KNOWN_ERROR, actor=agent, channel=WEB,
                                workaround="Reconnect", known_error=True)
    text = timeline_text(desk, problem.get_absolute_url())
    assert "Known error" in text and incident.number in text and "vpn-01" in text
    assert_reads_in_words(text)


def test_change_timeline(desk, agent, manager):
    change = make_change(agent, cis=[make_ci("web-01")])
    change, _result = changes.assess_risk(change, actor=agent, channel=WEB,
                                          answers={"outage_required": True, "tested": False})
    change = to_authorize(Change.objects.get(pk=change.pk), agent, risk="moderate")
    changes.decide_approval(change, actor=manager, channel=WEB, decision="approve", comment="Fine")
    text = timeline_text(desk, change.get_absolute_url())
    assert f"Approved by {manager}" in text
    assert "Does the change need a service outage? Yes" in text
    assert_reads_in_words(text)


def test_release_timeline(desk, agent):
    release = releases.create_release(actor=agent, channel=WEB, title="Payroll", version_label="1.0")
    releases.set_deployment_state(release, actor=agent, channel=WEB, environment=Environment.DEVELOPMENT,
                                  target=DeploymentState.PLANNED)
    releases.set_deployment_state(release, actor=agent, channel=WEB, environment=Environment.DEVELOPMENT,
                                  target=DeploymentState.IN_PROGRESS)
    text = timeline_text(desk, release.get_absolute_url())
    assert "Development: Planned → Development: In progress" in text
    assert_reads_in_words(text)


def test_ci_timeline(desk, agent):
    ci = make_ci("db-01", "database")
    app = make_ci("app-01", "application")
    cmdb.update_ci(ci, actor=agent, channel=WEB, changes={"criticality": 1, "tags": ["pci", "eu"],
                                                         "attributes": {"engine": "postgresql", "engine_version": "16"}})
    cmdb.add_relationship(source=app, target=ci, type="depends_on", actor=agent, channel=WEB)
    text = timeline_text(desk, ConfigurationItem.objects.get(pk=ci.pk).get_absolute_url())
    assert "pci, eu" in text and "app-01" in text
    assert_reads_in_words(text)


def test_change_timeline_reads_in_korean(desk, agent, manager):
    change = to_authorize(make_change(agent), agent, risk="low")
    changes.decide_approval(change, actor=manager, channel=WEB, decision="approve")
    desk.cookies["django_language"] = "ko"
    text = timeline_text(desk, change.get_absolute_url())
    assert f"{manager} 님이 승인" in text, text
