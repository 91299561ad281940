"""Change freezes are set, moved and lifted only through changes.freezes, which audits who did it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from changes.models import FreezeWindow
from changes.tests.factories import make_ci
from core.choices import AuditAction, Channel
from core.tests.audit_helpers import trail

pytestmark = pytest.mark.django_db
URL = "/api/v1/changes/freeze-windows/"
START = timezone.now().replace(microsecond=0) + timedelta(days=3)


def test_freeze_created_moved_and_lifted_through_the_api_is_audited(api_as, admin_user):
    api = api_as(admin_user)
    service = make_ci("Payroll")
    # when: created, then moved a day later, then lifted
    created = api.post(URL, {"name": "Year end", "start": START.isoformat(), "services": [service.pk],
                             "end": (START + timedelta(days=2)).isoformat()}, format="json").json()
    api.patch(f"{URL}{created['id']}/", {"end": (START + timedelta(days=3)).isoformat()}, format="json")
    assert api.delete(f"{URL}{created['id']}/").status_code == 204
    # then
    rows = trail(None, model=FreezeWindow, pk=created["id"])
    assert [(e.action, e.field, e.actor, e.channel) for e in rows] == [
        (AuditAction.CREATED, "", admin_user, Channel.API),
        (AuditAction.UPDATED, "end", admin_user, Channel.API),
        (AuditAction.DELETED, "", admin_user, Channel.API),
    ]
    assert rows[0].new_value["services"] == [service.pk]
    assert rows[2].old_value["name"] == "Year end"


def test_a_patch_that_changes_nothing_writes_no_audit_row(api_as, admin_user):
    api = api_as(admin_user)
    created = api.post(URL, {"name": "Launch", "start": START.isoformat(),
                             "end": (START + timedelta(days=1)).isoformat()}, format="json").json()
    api.patch(f"{URL}{created['id']}/", {"name": "Launch"}, format="json")
    assert [e.action for e in trail(None, model=FreezeWindow, pk=created["id"])] == [AuditAction.CREATED]


def test_admin_edit_of_a_freeze_is_audited(client, admin_user):
    freeze = FreezeWindow.objects.create(name="Launch", start=START, end=START + timedelta(days=1))
    client.force_login(admin_user)
    local = timezone.localtime(START)
    response = client.post(f"/admin/changes/freezewindow/{freeze.pk}/change/", {
        "name": "Portal launch", "reason": "", "start_0": local.strftime("%Y-%m-%d"),
        "start_1": local.strftime("%H:%M:%S"), "end_0": (local + timedelta(days=1)).strftime("%Y-%m-%d"),
        "end_1": local.strftime("%H:%M:%S"), "services": "", "active": "on"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert [(e.field, e.old_value, e.new_value, e.actor) for e in trail(freeze)] == [
        ("name", "Launch", "Portal launch", admin_user)]
    client.post(f"/admin/changes/freezewindow/{freeze.pk}/delete/", {"post": "yes"})
    assert trail(None, model=FreezeWindow, pk=freeze.pk)[-1].action == AuditAction.DELETED
