"""The portal ticket page tells the caller what they need to know: that the desk waits for their
reply (and what it asked), how it was resolved, what happened in order, and when to expect an
answer and a fix, never a work note."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Organisation
from core.choices import Channel
from core.selectors import timeline
from incidents import portal_status, services
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = pytest.mark.django_db


def on_hold(incident, agent, question="Which printer do you use?", reason="awaiting_caller"):
    if question:
        services.comment(incident, actor=agent, channel=Channel.WEB, body=question)
    return services.transition(incident, actor=agent, channel=Channel.WEB, target="on_hold", on_hold_reason=reason)


def test_awaiting_reply_banner_shows_the_question_and_the_reply_box(client, end_user, agent, open_incident):
    incident = on_hold(open_incident(), agent)
    services.comment(incident, actor=agent, channel=Channel.WEB, body="internal: printer is broken", internal=True)
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    banner = page[page.index('data-testid="awaiting-reply"'):page.index("</section>", page.index('data-testid="awaiting-reply"'))]
    assert "Awaiting your reply" in banner
    assert "Which printer do you use?" in banner
    assert 'name="body"' in banner and "Send reply" in banner and "Your reply" in banner
    assert "internal: printer is broken" not in page
    assert page.count('data-testid="comment-form"') == 1  # the reply box is in the banner, not twice


def test_replying_resumes_the_ticket(client, end_user, agent, open_incident):
    incident = on_hold(open_incident(), agent)
    client.force_login(end_user)
    response = client.post(incident.get_portal_url(), {"action": "comment", "body": "The one on the 3rd floor"},
                           follow=True)
    incident.refresh_from_db()
    assert (incident.state, incident.on_hold_reason) == ("in_progress", "")
    page = response.content.decode()
    assert "The service desk is working on your ticket again." in page
    assert 'data-testid="awaiting-reply"' not in page


def test_waiting_for_a_supplier_says_so_without_asking_the_caller(client, end_user, agent, open_incident):
    incident = on_hold(open_incident(), agent, question="", reason="awaiting_vendor")
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    assert "we are waiting for a supplier" in page and 'data-testid="awaiting-reply"' not in page


@pytest.mark.parametrize("confirm", [False, True])
def test_resolution_shown_on_resolved_and_closed(client, end_user, agent, open_incident, confirm):
    incident = services.resolve(open_incident(), actor=agent, channel=Channel.WEB, code="solved_workaround",
                                notes="Restarted the print spooler.")
    if confirm:
        incident = services.close(incident, actor=end_user, channel=Channel.PORTAL)
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    assert "Solved (workaround)" in page and "Restarted the print spooler." in page
    assert timezone.localtime(incident.resolved_at).strftime("%Y-%m-%d %H:%M") in page
    assert ('data-testid="confirm"' in page) is not confirm
    assert ("Closed at" in page) is confirm


def test_activity_starts_with_the_creation_even_when_a_file_came_with_the_report(end_user, client):
    upload = SimpleUploadedFile("log.txt", b"error 42\n", content_type="text/plain")
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="Printer", files=[upload])
    services.comment(incident, actor=end_user, channel=Channel.PORTAL, body="More")
    kinds = [item.kind for item in timeline(incident, include_internal=False)]
    assert kinds == ["created", "attachment", "comment"]
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    assert page.index("created the record") < page.index("attached a file") < page.index("commented")


def test_urgency_service_and_expected_times_in_the_callers_time_zone(client, end_user, agent, open_incident,
                                                                       estate):
    make_definition(calendar=make_calendar(always_open=True))
    end_user.organisation = Organisation.objects.create(name="London office", code="ldn", time_zone="Europe/London")
    end_user.save()
    groupware, _mail = estate
    incident = open_incident(urgency=1, impact=2, service=groupware)
    response_clock = SLAClock.objects.for_object(incident).get(kind="response")
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    due = response_clock.due_at.astimezone(ZoneInfo("Europe/London"))
    assert f"Response expected by {due:%a} {due.day} {due:%b %H:%M}" in page
    assert "Resolution expected by" in page and "On track" in page
    assert "1 - High" in page and "Groupware" in page and incident.get_priority_display() in page
    assert "Times are shown in Europe/London." in page


def test_expectations_in_plain_words():
    now = timezone.now()

    def clock(kind="response", state="running", due=10, breached=False, paused=False, stopped=False, pk=1):
        return SimpleNamespace(kind=kind, state=state, pk=pk, due_at=now + dt.timedelta(minutes=due),
                               breached_at=now if breached else None, paused_at=now if paused else None,
                               stopped_at=now if stopped else None)

    def status(*clocks):
        return {k: e.status for k, e in portal_status.expectations(clocks, now=now).items()}

    assert status(clock()) == {"response": "due"}
    assert status(clock(due=-1)) == {"response": "late"}
    assert status(clock(state="breached", breached=True)) == {"response": "late"}
    assert status(clock(state="met", stopped=True)) == {"response": "met"}
    assert status(clock(state="breached", breached=True, stopped=True)) == {"response": "missed"}
    assert status(clock(state="paused", paused=True, due=-5)) == {"response": "paused"}
    assert status(clock(state="cancelled")) == {}
    # two agreements: the caller is told the earlier promise
    early = portal_status.expectations([clock(due=60, pk=1), clock(due=30, pk=2)], now=now)["response"]
    assert early.due_at == now + dt.timedelta(minutes=30)
    assert status(clock(kind="resolution")) == {"resolution": "due"}


def test_breached_and_met_targets_in_plain_words(client, end_user, agent, open_incident):
    make_definition(calendar=make_calendar(always_open=True))
    incident = open_incident()
    SLAClock.objects.for_object(incident).filter(kind="response").update(
        state="met", stopped_at=timezone.now())
    SLAClock.objects.for_object(incident).filter(kind="resolution").update(
        state="breached", breached_at=timezone.now())
    client.force_login(end_user)
    page = client.get(incident.get_portal_url()).content.decode()
    assert "We answered in time" in page
    assert "Resolution was due by" in page and "Later than we promised" in page


def test_the_page_in_korean(client, end_user, agent, open_incident):
    incident = on_hold(open_incident(), agent)
    client.force_login(end_user)
    client.cookies["django_language"] = "ko"
    page = client.get(incident.get_portal_url()).content.decode()
    assert "회신을 기다리고 있습니다" in page and "답변 보내기" in page


def test_my_tickets_marks_the_ones_awaiting_a_reply(client, end_user, agent, open_incident):
    waiting = on_hold(open_incident(title="Waiting one"), agent)
    open_incident(title="Other one")
    client.force_login(end_user)
    page = client.get("/portal/").content.decode()
    assert page.count('data-testid="awaiting-reply"') == 1
    assert page.index(waiting.number) < page.index('data-testid="awaiting-reply"')
