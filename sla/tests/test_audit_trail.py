"""SLA configuration changes deadlines, so every write names its author: calendars and
definitions through the API and the admin, escalation rules in the admin, and the sweep's
warnings and breaches (one INSERT for a batch)."""

import pytest
from django.contrib.contenttypes.models import ContentType

from core import audit
from core.choices import AuditAction, Channel
from core.models import AuditEntry
from core.tests.audit_helpers import trail
from sla.models import BusinessCalendar, EscalationRule, SLADefinition
from sla.tests.test_admin import calendar_post
from sla.tests.test_api import CALENDAR, definition_body

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_api(api_as, admin_user):
    return api_as(admin_user)


def test_calendar_created_edited_and_deleted_through_the_api_is_audited(admin_api, admin_user):
    created = admin_api.post("/api/v1/sla/calendars/", CALENDAR, format="json").json()
    admin_api.patch(f"/api/v1/sla/calendars/{created['id']}/",
                    {"working_hours": [{"weekday": 0, "start": "08:00", "end": "17:00"}]}, format="json")
    assert admin_api.delete(f"/api/v1/sla/calendars/{created['id']}/").status_code == 204
    rows = trail(None, model=BusinessCalendar, pk=created["id"])
    assert [(e.action, e.field, e.actor, e.channel) for e in rows] == [
        (AuditAction.CREATED, "", admin_user, Channel.API),
        (AuditAction.UPDATED, "working_hours", admin_user, Channel.API),
        (AuditAction.DELETED, "", admin_user, Channel.API),
    ]
    assert rows[1].new_value == [{"weekday": 0, "start": "08:00", "end": "17:00"}]
    assert rows[0].new_value["custom_dates"][0]["reason"] == "임시공휴일"


def test_definition_target_change_through_the_api_is_audited_with_old_and_new(admin_api, admin_user, kr_calendar):
    created = admin_api.post("/api/v1/sla/definitions/", definition_body(kr_calendar), format="json").json()
    admin_api.patch(f"/api/v1/sla/definitions/{created['id']}/",
                    {"targets": [{"priority": 1, "resolution_minutes": 120}], "on_reopen": "restart"}, format="json")
    rows = trail(None, model=SLADefinition, pk=created["id"])
    changed = {e.field: (e.old_value, e.new_value) for e in rows if e.action == AuditAction.UPDATED}
    assert set(changed) == {"targets", "on_reopen"}
    assert changed["targets"][1] == [{"priority": 1, "response_minutes": None, "resolution_minutes": 120}]
    assert {e.actor for e in rows} == {admin_user}


def test_admin_calendar_and_escalation_rule_edits_are_audited(client, admin_user, definition):
    client.force_login(admin_user)
    client.post("/admin/sla/businesscalendar/add/", calendar_post())
    calendar = BusinessCalendar.objects.get(name="Seoul")
    [created] = trail(calendar)
    assert (created.action, created.actor, len(created.new_value["working_hours"])) == (
        AuditAction.CREATED, admin_user, 2)
    response = client.post("/admin/sla/escalationrule/add/", {"definition": definition.pk, "kind": "",
                                                              "threshold": 100, "action": "work_note",
                                                              "message": "Breached", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    rule = EscalationRule.objects.get(definition=definition)
    assert [(e.action, e.actor) for e in trail(rule)] == [(AuditAction.CREATED, admin_user)]
    client.post(f"/admin/sla/escalationrule/{rule.pk}/delete/", {"post": "yes"})
    assert trail(None, model=EscalationRule, pk=rule.pk)[-1].action == AuditAction.DELETED


def test_record_many_appends_a_batch_in_one_insert(django_assert_num_queries, kr_calendar):
    content_type = ContentType.objects.get_for_model(BusinessCalendar)
    rows = [{"content_type_id": content_type.pk, "object_id": kr_calendar.pk, "object_repr": str(kr_calendar),
             "action": AuditAction.SLA, "field": "sla_resolution_warning", "new_value": percent,
             "channel": Channel.SYSTEM, "context": {"threshold": percent}} for percent in (50, 75, 90)]
    with django_assert_num_queries(1):
        assert audit.record_many(rows) == 3
    stored = AuditEntry.objects.filter(content_type=content_type, object_id=kr_calendar.pk)
    assert [(e.new_value, e.old_value, e.actor_id, e.context) for e in stored] == [
        (50, None, None, {"threshold": 50}), (75, None, None, {"threshold": 75}), (90, None, None, {"threshold": 90})]
