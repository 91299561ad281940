"""Desk pages of the SLA configuration: the desk reads, managers and administrators write."""

import datetime as dt

import pytest
from django.urls import reverse

from core.models import AuditEntry
from sla.models import BusinessCalendar, EscalationRule, SLADefinition
from sla.tests.factories import make_calendar

pytestmark = pytest.mark.django_db


def calendar_post(**overrides):
    data = {
        "name": "Seoul office", "time_zone": "Asia/Seoul", "holiday_country": "KR", "holiday_language": "ko",
        "hours-TOTAL_FORMS": "2", "hours-INITIAL_FORMS": "0",
        "hours-0-weekdays": ["0", "1", "2", "3", "4"], "hours-0-start": "09:00", "hours-0-end": "18:00",
        "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": "0",
        "dates-0-kind": "closed",
    }
    data.update(overrides)
    return data


def definition_post(definition=None, **overrides):
    from django.contrib.contenttypes.models import ContentType
    from incidents.models import Incident

    data = {
        "name": "Desk SLA", "agreement": "sla", "active": "on",
        "ticket_type": ContentType.objects.get_for_model(Incident).pk,
        "on_reopen": "resume", "on_priority_change": "retarget", "stop_at": "resolved",
        "pause_states": "on_hold:awaiting_caller", "warning_thresholds": "50, 75, 90",
        "response_1": "15", "response_unit_1": "minutes", "resolution_1": "4", "resolution_unit_1": "hours",
    }
    if definition is not None:
        data["version"] = definition.version
        data["calendar"] = definition.calendar_id or ""
    data.update(overrides)
    return data


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_agent_reads_the_pages_without_edit_buttons(as_user, agent, definition):
    client = as_user(agent)
    calendar = definition.calendar
    for url in (reverse("sla:calendar_list"), reverse("sla:calendar_detail", args=[calendar.pk]),
                reverse("sla:definition_list"), reverse("sla:definition_detail", args=[definition.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'data-testid="edit-' not in body and 'data-testid="new-' not in body
    detail = client.get(reverse("sla:calendar_detail", args=[calendar.pk])).content.decode()
    assert "설날" in detail and "추석" in detail


def test_agent_is_refused_every_write(as_user, agent, definition):
    client = as_user(agent)
    rule = EscalationRule.objects.create(definition=definition, threshold=100, action="notify_assignee")
    for url in (reverse("sla:calendar_create"), reverse("sla:calendar_edit", args=[definition.calendar_id]),
                reverse("sla:definition_create"), reverse("sla:definition_edit", args=[definition.pk]),
                reverse("sla:rule_create", args=[definition.pk]), reverse("sla:rule_edit", args=[rule.pk])):
        assert client.get(url).status_code == 403, url
        assert client.post(url, calendar_post()).status_code == 403, url
    assert not BusinessCalendar.objects.filter(name="Seoul office").exists()


def test_the_sla_tabs_link_to_the_desk_pages_not_the_admin(as_user, agent, admin_user):
    body = as_user(agent).get(reverse("sla:dashboard")).content.decode()
    assert reverse("sla:definition_list") in body
    assert "/admin/" not in body
    assert "/admin/sla/" in as_user(admin_user).get(reverse("sla:dashboard")).content.decode()


def test_manager_creates_a_calendar_ticking_weekdays_once(as_user, manager):
    response = as_user(manager).post(reverse("sla:calendar_create"), calendar_post())
    calendar = BusinessCalendar.objects.get(name="Seoul office")
    assert response.status_code == 302 and response.url == calendar.get_absolute_url()
    assert sorted((i.weekday, i.start, i.end) for i in calendar.intervals.all()) == [
        (day, dt.time(9), dt.time(18)) for day in range(5)]
    assert AuditEntry.objects.filter(object_id=calendar.pk, actor=manager).exists()


def test_manager_edits_a_calendar_and_its_own_dates(as_user, manager, kr_calendar):
    client = as_user(manager)
    form = client.get(reverse("sla:calendar_edit", args=[kr_calendar.pk])).content.decode()
    assert 'value="09:00"' in form  # the five stored weekdays come back as one row
    response = client.post(reverse("sla:calendar_edit", args=[kr_calendar.pk]), calendar_post(**{
        "name": kr_calendar.name, "version": kr_calendar.version,
        "hours-1-weekdays": ["5"], "hours-1-start": "09:00", "hours-1-end": "13:00",
        "dates-0-date": "2026-10-02", "dates-0-kind": "closed", "dates-0-reason": "임시공휴일"}))
    assert response.status_code == 302
    kr_calendar.refresh_from_db()
    assert kr_calendar.intervals.count() == 6
    assert kr_calendar.exceptions.get().reason == "임시공휴일"
    assert "임시공휴일" in client.get(kr_calendar.get_absolute_url()).content.decode()


@pytest.mark.parametrize("overrides, field, message", [
    ({"hours-0-end": "08:00"}, "hours-0-end", "The end must be after the start."),
    ({"hours-0-weekdays": []}, "hours-0-weekdays", "Tick the weekdays these hours apply to."),
    ({"hours-1-weekdays": ["4"], "hours-1-start": "17:00", "hours-1-end": "20:00"}, None,
     "Friday: 09:00–18:00 overlaps 17:00–20:00."),
    ({"dates-0-date": "2026-10-02", "dates-0-reason": ""}, "dates-0-reason", "Give a reason for the exception."),
    ({"time_zone": "Asia/Nowhere"}, "time_zone", "Asia/Nowhere is not a known time zone"),
])
def test_calendar_refusals_name_the_field_and_keep_the_input(as_user, manager, overrides, field, message):
    response = as_user(manager).post(reverse("sla:calendar_create"), calendar_post(name="Kept name", **overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert 'value="Kept name"' in body
    if field == "hours-0-end":
        assert 'name="hours-0-end" value="08:00"' in body
    assert not BusinessCalendar.objects.filter(name="Kept name").exists()


def test_manager_creates_a_definition_with_targets_in_their_unit(as_user, manager, kr_calendar):
    response = as_user(manager).post(reverse("sla:definition_create"), definition_post(calendar=kr_calendar.pk,
                                                                                       priorities=["1", "2"]))
    definition = SLADefinition.objects.get(name="Desk SLA")
    assert response.status_code == 302
    assert [(t.priority, t.response_minutes, t.resolution_minutes) for t in definition.targets.all()] == [
        (1, 15, 240)]
    assert definition.applies_to == {"priorities": [1, 2]}
    assert definition.calendar == kr_calendar


def test_manager_edits_a_target(as_user, manager, definition):
    client = as_user(manager)
    form = client.get(reverse("sla:definition_edit", args=[definition.pk])).content.decode()
    assert 'name="resolution_3" id="id_resolution_3" value="4"' in form  # 240 minutes read as 4 hours
    response = client.post(reverse("sla:definition_edit", args=[definition.pk]), definition_post(
        definition, name=definition.name, response_3="2", response_unit_3="hours"))
    assert response.status_code == 302
    assert definition.targets.get(priority=3).response_minutes == 120
    definition.refresh_from_db()
    assert definition.version == 2


def test_a_target_without_a_unit_is_refused_on_its_field(as_user, manager):
    response = as_user(manager).post(reverse("sla:definition_create"), definition_post(resolution_unit_1=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Choose the unit of this target." in body
    assert 'name="resolution_1" id="id_resolution_1" value="4"' in body
    assert not SLADefinition.objects.filter(name="Desk SLA").exists()


def test_an_edit_read_before_anothers_save_is_refused_with_409(as_user, manager, definition):
    client = as_user(manager)
    stale = definition_post(definition, name="Mine")
    assert client.post(reverse("sla:definition_edit", args=[definition.pk]),
                       definition_post(definition, name="Theirs")).status_code == 302
    response = client.post(reverse("sla:definition_edit", args=[definition.pk]), stale)
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    assert 'value="Mine"' in response.content.decode()
    definition.refresh_from_db()
    assert definition.name == "Theirs"


def test_manager_adds_and_edits_an_escalation_rule(as_user, manager, definition, team):
    client = as_user(manager)
    response = client.post(reverse("sla:rule_create", args=[definition.pk]),
                           {"threshold": "100", "action": "reassign", "active": "on"})
    assert response.status_code == 400
    assert "Choose the group to reassign to." in response.content.decode()
    response = client.post(reverse("sla:rule_create", args=[definition.pk]),
                           {"threshold": "75", "action": "reassign", "target_group": team.pk, "active": "on"})
    assert response.status_code == 302
    rule = definition.escalation_rules.get()
    response = client.post(reverse("sla:rule_edit", args=[rule.pk]), {
        "threshold": "60", "action": "notify_assignee", "version": rule.version})
    assert response.status_code == 400
    assert "The definition warns at 50, 75, 90 % only" in response.content.decode()
    response = client.post(reverse("sla:rule_edit", args=[rule.pk]), {
        "threshold": "100", "action": "notify_assignee", "version": rule.version, "active": "on"})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.threshold, rule.action, rule.version) == (100, "notify_assignee", 2)


def test_lists_run_a_constant_number_of_queries(as_user, agent, django_assert_max_num_queries):
    from sla.tests.factories import make_definition

    client = as_user(agent)
    calendars = [make_calendar(f"Calendar {n}") for n in range(3)]
    for n, calendar in enumerate(calendars):
        make_definition(f"Agreement {n}", calendar=calendar)
    client.get(reverse("sla:calendar_list"))  # warm the session and content types
    # Two pages; each one's navigation asks the approvals sources (changes, service requests).
    with django_assert_max_num_queries(14) as few:
        client.get(reverse("sla:calendar_list"))
        client.get(reverse("sla:definition_list"))
    for n in range(3, 8):
        make_definition(f"Agreement {n}", calendar=make_calendar(f"Calendar {n}"))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("sla:calendar_list"))
        client.get(reverse("sla:definition_list"))


def test_an_unknown_holiday_region_is_refused_on_its_field(as_user, manager):
    response = as_user(manager).post(reverse("sla:calendar_create"), calendar_post(holiday_subdivision="ZZ"))
    assert response.status_code == 400
    assert "KR has no region ZZ." in response.content.decode()
    assert not BusinessCalendar.objects.filter(name="Seoul office").exists()
