"""Administration: calendars refuse overlapping hours and empty weeks; definitions need targets."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from sla.models import BusinessCalendar, CalendarException, SLADefinition, SLATarget, WorkingInterval

pytestmark = pytest.mark.django_db


def calendar_post(**extra):
    data = {
        "name": "Seoul", "time_zone": "Asia/Seoul", "holiday_country": "KR", "holiday_language": "ko",
        "intervals-TOTAL_FORMS": "2", "intervals-INITIAL_FORMS": "0",
        "intervals-0-weekday": "0", "intervals-0-start": "09:00", "intervals-0-end": "12:00",
        "intervals-1-weekday": "0", "intervals-1-start": "13:00", "intervals-1-end": "18:00",
        "exceptions-TOTAL_FORMS": "0", "exceptions-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


def test_admin_creates_calendar(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/sla/businesscalendar/add/", calendar_post())
    assert response.status_code == 302
    assert BusinessCalendar.objects.get(name="Seoul").intervals.count() == 2


def test_admin_refuses_overlapping_intervals(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/sla/businesscalendar/add/", calendar_post(**{"intervals-1-start": "11:00"}))
    assert response.status_code == 200
    assert "overlap" in response.content.decode()
    assert not BusinessCalendar.objects.exists()


def test_admin_refuses_calendar_without_hours_unless_24x7(client, admin_user):
    client.force_login(admin_user)
    empty = calendar_post(**{"intervals-TOTAL_FORMS": "0"})
    response = client.post("/admin/sla/businesscalendar/add/", empty)
    assert response.status_code == 200
    assert not BusinessCalendar.objects.exists()
    response = client.post("/admin/sla/businesscalendar/add/", {**empty, "always_open": "on"})
    assert response.status_code == 302


def test_admin_refuses_unknown_time_zone(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/sla/businesscalendar/add/", calendar_post(time_zone="Seoul/Gangnam"))
    assert response.status_code == 200
    assert not BusinessCalendar.objects.exists()


def test_interval_model_refuses_overlap_with_saved_rows(kr_calendar):
    interval = WorkingInterval(calendar=kr_calendar, weekday=0, start="17:00", end="19:00")
    with pytest.raises(ValidationError):
        interval.full_clean()


def test_custom_date_needs_a_reason_and_sane_hours(kr_calendar):
    with pytest.raises(ValidationError):
        CalendarException(calendar=kr_calendar, date="2026-11-24", kind="closed", reason=" ").full_clean()
    with pytest.raises(ValidationError):
        CalendarException(calendar=kr_calendar, date="2026-11-24", kind="open", start="13:00", end="09:00",
                          reason="x").full_clean()
    with pytest.raises(ValidationError):
        CalendarException(calendar=kr_calendar, date="2026-11-24", kind="closed", start="09:00", end="12:00",
                          reason="x").full_clean()


def test_editing_hours_moves_the_calendar_version(kr_calendar):
    before = kr_calendar.updated_at
    WorkingInterval.objects.create(calendar=kr_calendar, weekday=5, start="09:00", end="12:00")
    kr_calendar.refresh_from_db()
    assert kr_calendar.updated_at > before


def test_target_must_be_positive(definition):
    with pytest.raises(ValidationError):
        SLATarget(definition=definition, priority=1, response_minutes=0, resolution_minutes=10).full_clean(
            validate_unique=False)
    with pytest.raises(ValidationError):
        SLATarget(definition=definition, priority=1).full_clean(validate_unique=False)


def test_escalation_rule_threshold_must_be_a_warning_threshold(definition):
    from sla.models import EscalationRule

    with pytest.raises(ValidationError):
        EscalationRule(definition=definition, threshold=60, action="work_note").full_clean()
    EscalationRule(definition=definition, threshold=75, action="work_note").full_clean()
    with pytest.raises(ValidationError):
        EscalationRule(definition=definition, threshold=100, action="webhook").full_clean()


def test_definition_refuses_conditions_that_match_nothing(kr_calendar):
    from incidents.models import Incident

    definition = SLADefinition(name="x", ticket_type=ContentType.objects.get_for_model(Incident),
                               applies_to={"priorities": [0], "services": [123456]})
    with pytest.raises(ValidationError) as caught:
        definition.full_clean()
    messages = " ".join(caught.value.message_dict["applies_to"])
    assert "priorities" in messages and "services" in messages


def test_admin_definition_needs_a_target(client, admin_user, kr_calendar):
    from incidents.models import Incident

    client.force_login(admin_user)
    data = {
        "name": "No targets", "agreement": "sla", "active": "on",
        "ticket_type": ContentType.objects.get_for_model(Incident).pk, "applies_to": "{}",
        "calendar": kr_calendar.pk, "pause_states": '["on_hold:awaiting_caller"]', "warning_thresholds": "[50]",
        "on_reopen": "resume", "on_priority_change": "retarget", "stop_at": "resolved",
        "targets-TOTAL_FORMS": "0", "targets-INITIAL_FORMS": "0",
        "escalation_rules-TOTAL_FORMS": "0", "escalation_rules-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/sla/sladefinition/add/", data)
    assert response.status_code == 200
    assert not SLADefinition.objects.exists()
    data.update({"targets-TOTAL_FORMS": "1", "targets-0-priority": "3", "targets-0-response_minutes": "60",
                 "targets-0-resolution_minutes": "240"})
    response = client.post("/admin/sla/sladefinition/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
