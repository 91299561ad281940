"""What every desk record page shares (issue 11, items 4 and 5): one comment form whose default is
the internal work note, both choices named plainly; notes in the timeline marked internal or
public; a success message after every action; actions named by the workflow; the incident's
description shown once."""

import re
from datetime import date, datetime, timedelta

import pytest
from django.contrib.messages import get_messages
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from changes.tests.factories import make_change
from core.choices import Channel
from core.models import Comment
from core.templatetags.core_tags import when
from incidents import services as incident_services
from incidents.choices import IncidentState, OnHoldReason
from problems.tests.factories import make_problem
from releases import services as release_services

pytestmark = pytest.mark.django_db
WEB = Channel.WEB


def _incident(agent, end_user):
    return incident_services.open_incident(actor=agent, channel=WEB, title="Mail is down", caller=end_user,
                                           description="Outlook says the server is unreachable.")


def _release(agent):
    return release_services.create_release(actor=agent, channel=WEB, changes=[], title="Payroll 2026.12",
                                           version_label="2026.12.0")


RECORDS = {
    "incident": (lambda agent, end_user: _incident(agent, end_user), "incidents:incident_comment"),
    "problem": (lambda agent, end_user: make_problem(agent), "problems:problem_comment"),
    "change": (lambda agent, end_user: make_change(agent), "changes:change_comment"),
    "release": (lambda agent, end_user: _release(agent), "releases:release_comment"),
}


@pytest.fixture(params=sorted(RECORDS))
def record(request, agent, end_user):
    make, route = RECORDS[request.param]
    ticket = make(agent, end_user)
    return ticket, reverse(route, args=[ticket.pk])


def _radio(html, value):
    match = re.search(r'<input type="radio"[^>]*name="visibility" value="%s"[^>]*>' % value, html)
    assert match, f"no {value} choice on the page"
    return match.group(0)


def _messages(response):
    """What the page after this response shows (the messages of earlier posts were never shown)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    return shown[-1:]


def test_the_comment_form_defaults_to_the_work_note_and_names_both_choices(client, agent, record):
    ticket, url = record
    client.force_login(agent)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert html.count('data-testid="comment-form"') == 1
    assert f'action="{url}"' in html
    assert " checked" in _radio(html, "internal") and " checked" not in _radio(html, "public")
    assert "Work note (internal)" in html and "Only agents see this." in html
    public_label = "Reply to caller (public)" if ticket._meta.model_name == "incident" else "Public comment"
    assert public_label in html
    assert "Add work note" in html


def test_a_post_that_names_no_choice_is_a_work_note_and_says_so(client, agent, record):
    ticket, url = record
    client.force_login(agent)
    response = client.post(url, {"body": "Called the vendor"})
    assert response.status_code == 302
    note = Comment.objects.for_object(ticket).get()
    assert (note.body, note.internal) == ("Called the vendor", True)
    assert _messages(response) == [f"Work note added to {ticket.number}."]


def test_a_public_reply_is_public_and_the_timeline_marks_each_kind(client, agent, record):
    ticket, url = record
    client.force_login(agent)
    client.post(url, {"body": "Internal: vendor case 4711", "visibility": "internal"})
    response = client.post(url, {"body": "We are on it.", "visibility": "public"})
    assert _messages(response) == [f"Reply posted on {ticket.number}."]
    assert list(Comment.objects.for_object(ticket).values_list("body", "internal")) == [
        ("Internal: vendor case 4711", True), ("We are on it.", False)]
    html = client.get(ticket.get_absolute_url()).content.decode()
    internal_at = html.index('data-testid="visibility-internal"')
    public_at = html.index('data-testid="visibility-public"')
    assert html.index("vendor case 4711") > internal_at and html.index("We are on it.") > public_at


def test_an_empty_post_keeps_the_choice_and_says_what_is_missing(client, agent, record):
    ticket, url = record
    client.force_login(agent)
    response = client.post(url, {"body": "  ", "visibility": "public"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Write a comment or attach a file." in html
    assert " checked" in _radio(html, "public") and " checked" not in _radio(html, "internal")


def test_the_incident_reply_says_the_caller_sees_it_and_is_e_mailed(client, agent, end_user):
    incident = _incident(agent, end_user)
    client.force_login(agent)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert f"{end_user} will see this on the portal and be e-mailed." in html
    end_user.muted_notifications = ["commented"]
    end_user.save()
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "be e-mailed" not in html and f"{end_user} will see this on the portal (without an e-mail" in html


def test_korean_page_names_the_choices_in_korean(client, agent, end_user):
    incident = _incident(agent, end_user)
    client.force_login(agent)
    client.cookies["django_language"] = "ko"
    html = client.get(incident.get_absolute_url()).content.decode()
    assert "작업 노트(내부)" in html and "요청자에게 답변(공개)" in html and "작업 노트 추가" in html


def test_the_on_hold_incident_offers_resume_not_start_work(client, agent, end_user):
    incident = _incident(agent, end_user)
    client.force_login(agent)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="start-work">Start work<', html)
    incident_services.transition(incident, actor=agent, channel=WEB, target=IncidentState.ON_HOLD,
                                 on_hold_reason=OnHoldReason.AWAITING_CALLER)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert re.search(r'data-testid="start-work">Resume<', html) and "Start work" not in html
    # the state menu names the moves the same way
    assert '<option value="in_progress">Resume</option>' in html


def test_the_action_names_come_from_the_workflow():
    from incidents.models import Incident

    lifecycle = Incident.lifecycle
    assert lifecycle.action_label("on_hold", "in_progress") == "Resume"
    assert lifecycle.action_label("new", "in_progress") == "Start work"
    assert lifecycle.action_label("resolved", "in_progress") == "Reopen"
    assert lifecycle.action_label("in_progress", "resolved") == "Resolve"
    with translation.override("ko"):
        assert lifecycle.action_label("on_hold", "in_progress") == "작업 재개"
    from problems.models import Problem
    from releases.models import Release

    assert Problem.lifecycle.action_label("resolved", "investigation") == "Reopen investigation"
    assert Problem.lifecycle.action_label("new", "investigation") == "Under investigation"  # named by its state
    assert Release.lifecycle.action_label("deploy", "rolled_back") == "Roll back"
    from changes.models import Change

    assert Change.lifecycle.action_label("new", "assess") == "Start assessment"
    assert Change.lifecycle.action_label("assess", "authorize") == "Request approval"
    assert Change.lifecycle.action_label("scheduled", "implement") == "Start implementation"
    with translation.override("ko"):
        assert Change.lifecycle.action_label("implement", "review") == "구현 완료: 검토"


def test_the_state_menus_name_the_moves(client, agent):
    release = _release(agent)
    client.force_login(agent)
    release_services.transition_release(release, actor=agent, channel=WEB, target="build")
    html = client.get(release.get_absolute_url()).content.decode()
    assert '<option value="planned">Back to planning</option>' in html


def test_every_transition_says_it_succeeded(client, agent, end_user):
    client.force_login(agent)
    incident = _incident(agent, end_user)
    response = client.post(reverse("incidents:incident_transition", args=[incident.pk]),
                           {"state": "in_progress", "version": incident.version})
    assert _messages(response) == [f"{incident.number} is now In progress."]

    release = _release(agent)
    response = client.post(reverse("releases:release_transition", args=[release.pk]),
                           {"target": "build", "version": release.version, "reason": ""})
    assert _messages(response) == [f"{release.number} is now Build."]

    problem = make_problem(agent)
    response = client.post(reverse("problems:problem_transition", args=[problem.pk]),
                           {"state": "investigation", "version": problem.version})
    assert _messages(response) == [f"{problem.number} is now Under investigation."]


def test_assign_to_me_says_so(client, agent, end_user):
    incident = _incident(agent, end_user)
    client.force_login(agent)
    response = client.post(reverse("incidents:incident_take", args=[incident.pk]), {"version": incident.version})
    assert _messages(response) == [f"{incident.number} is assigned to you."]


def test_the_incident_description_is_shown_once(client, agent, end_user):
    incident = _incident(agent, end_user)
    client.force_login(agent)
    html = client.get(incident.get_absolute_url()).content.decode()
    assert html.count("Outlook says the server is unreachable.") == 1


# --- the date rule (core_tags.when) ---------------------------------------------------------

def test_when_shows_absolute_local_time_with_relative_on_hover(settings):
    settings.TIME_ZONE = "Asia/Seoul"
    with timezone.override("Asia/Seoul"):
        moment = timezone.now() - timedelta(hours=3, minutes=5)
        html = when(moment).replace("\xa0", " ")
        local = timezone.localtime(moment)
        assert html == (f'<time datetime="{local.isoformat()}" title="3 hours ago">'
                        f'{local:%Y-%m-%d %H:%M}</time>')
        assert 'title="in 2\xa0days"' in when(timezone.now() + timedelta(days=2, minutes=5))


def test_when_forms_and_empty_values():
    with timezone.override("UTC"):
        moment = datetime(2020, 3, 4, 5, 6, 7, tzinfo=timezone.get_current_timezone())
        assert ">2020-03-04<" in when(moment, "short")  # another year: the date
        assert ">2020-03-04 05:06:07<" in when(moment, "seconds")
        assert ">2020-03-04<" in when(moment, "date")
        this_year = timezone.now().replace(month=1, day=2, hour=9, minute=30)
        assert ">01-02 09:30<" in when(this_year, "short")
    assert when(None) == "" and when("") == ""
    assert 'title="today"' in when(timezone.localdate())
    assert '<time datetime="2020-03-04"' in when(date(2020, 3, 4))


def test_when_speaks_the_users_language_and_chains_with_default():
    rendered = Template('{% load core_tags %}{{ none|when|default:"—" }} {{ at|when }}').render(
        Context({"none": None, "at": timezone.now() - timedelta(days=1, hours=1)}))
    assert rendered.startswith("— <time") and "1\xa0day ago" in rendered
    with translation.override("ko"):
        assert "1일 전" in when(timezone.now() - timedelta(days=1, hours=1))


def test_the_portal_timeline_does_not_label_what_is_all_public(client, agent, end_user):
    incident = _incident(agent, end_user)
    incident_services.comment(incident, actor=agent, channel=WEB, body="We are on it.")
    client.force_login(end_user)
    html = client.get(incident.get_portal_url()).content.decode()
    assert "We are on it." in html and 'data-testid="visibility-public"' not in html


@pytest.mark.parametrize("language", ["en", "ko"])
def test_when_s_kept_words_are_timesince_s(language):
    """`when` keeps the words per unit and count (issue 12, sixth round): they are what timesince
    and timeuntil say, at every unit's edges, both ways, across month ends and a leap day, in
    Korean too."""
    from core.templatetags import core_tags

    with translation.override(language), timezone.override("Asia/Seoul"):
        zone = timezone.get_current_timezone()
        moments = [timezone.localtime(), datetime(2024, 2, 29, 23, 30, tzinfo=zone),
                   datetime(2026, 1, 31, 0, 0, tzinfo=zone), datetime(2026, 3, 1, 12, 0, 5, tzinfo=zone),
                   datetime(2025, 12, 31, 23, 59, tzinfo=zone)]
        edges = [0, 1, 59, 60, 61, 3599, 3600, 7199, 7200, 86399, 86400, 86401, 6 * 86400 + 86399, 7 * 86400,
                 14 * 86400 - 1, 27 * 86400, 28 * 86400, 29 * 86400, 30 * 86400, 31 * 86400, 32 * 86400,
                 59 * 86400, 61 * 86400, 364 * 86400, 365 * 86400, 366 * 86400, 400 * 86400, 3 * 366 * 86400]
        for now in moments:
            for seconds in edges:
                for span in (timedelta(seconds=seconds), timedelta(seconds=seconds, microseconds=500_000)):
                    for value in (now - span, now + span):
                        for _twice in range(2):  # worked out, then kept
                            assert core_tags._relative(value, now) == core_tags.conditional_escape(
                                core_tags._relative_words(value, now)), (now, seconds, value)
