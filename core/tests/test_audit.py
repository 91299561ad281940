"""The audit trail: who, when, old, new and channel for every write; append-only."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction

from core.choices import AuditAction, Channel
from core.models import AuditEntry
from core.services import add_attachment, add_comment, update_ticket

NOW = datetime.datetime(2026, 3, 3, 1, 2, 3, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _trail(ticket):
    return list(AuditEntry.objects.for_object(ticket).order_by("id"))


@pytest.mark.django_db
def test_creation_is_audited_with_actor_channel_and_values(make_ticket, agent, end_user):
    # when
    ticket = make_ticket(requester=end_user, channel=Channel.PORTAL, description="Paper jam")
    # then
    [entry] = _trail(ticket)
    assert entry.action == AuditAction.CREATED
    assert entry.actor == agent
    assert entry.channel == Channel.PORTAL
    assert entry.old_value is None
    assert entry.new_value["title"] == "Printer on floor 3 is offline"
    assert entry.new_value["description"] == "Paper jam"
    assert entry.new_value["requester"] == end_user.pk
    assert entry.new_value["number"] == ticket.number
    assert entry.created_at == ticket.created_at


@pytest.mark.django_db
def test_update_writes_one_row_per_changed_field(ticket, other_agent):
    # when
    updated, diff = update_ticket(
        ticket, actor=other_agent, channel=Channel.API, now=NOW,
        changes={"title": "Printer fixed?", "description": "", "state": "closed"},
    )
    # then: description was already empty, so it is not a change
    assert diff == {"title": ("Printer on floor 3 is offline", "Printer fixed?"), "state": ("new", "closed")}
    rows = [(e.action, e.field, e.old_value, e.new_value, e.actor, e.channel, e.created_at)
            for e in _trail(ticket)[1:]]
    assert rows == [
        (AuditAction.UPDATED, "title", "Printer on floor 3 is offline", "Printer fixed?", other_agent, Channel.API, NOW),
        (AuditAction.UPDATED, "state", "new", "closed", other_agent, Channel.API, NOW),
    ]
    assert updated.version == 2


@pytest.mark.django_db
def test_update_that_changes_nothing_writes_nothing(ticket, agent):
    # when
    updated, diff = update_ticket(ticket, actor=agent, channel=Channel.WEB, changes={"title": ticket.title})
    # then
    assert diff == {}
    assert updated.version == 1
    assert len(_trail(ticket)) == 1


@pytest.mark.django_db
def test_relations_are_audited_as_raw_ids(ticket, agent, team):
    # when
    update_ticket(ticket, actor=agent, channel=Channel.WEB, changes={"assignment_group": team, "assigned_to": agent})
    # then
    assert [(e.field, e.old_value, e.new_value) for e in _trail(ticket)[1:]] == [
        ("assignment_group", None, team.pk), ("assigned_to", None, agent.pk),
    ]


@pytest.mark.django_db
def test_comment_and_attachment_are_audited(ticket, end_user):
    # when
    comment = add_comment(ticket, actor=end_user, channel=Channel.PORTAL, body="Still broken", now=NOW)
    attachment = add_attachment(ticket, actor=end_user, channel=Channel.PORTAL,
                                upload=SimpleUploadedFile("error.txt", b"E42", content_type="text/plain"))
    # then
    commented, attached = _trail(ticket)[1:]
    assert (commented.action, commented.field, commented.new_value, commented.actor, commented.channel,
            commented.created_at) == (AuditAction.COMMENTED, "comment", comment.pk, end_user, Channel.PORTAL, NOW)
    assert (attached.action, attached.field, attached.new_value, attached.actor, attached.channel) == (
        AuditAction.ATTACHED, "attachment", "error.txt", end_user, Channel.PORTAL)
    assert attached.context == {"attachment_id": attachment.pk, "internal": False}


@pytest.mark.django_db
def test_work_note_is_audited_as_work_note(ticket, agent):
    # when
    add_comment(ticket, actor=agent, channel=Channel.WEB, body="Called the vendor", internal=True)
    # then
    assert _trail(ticket)[-1].field == "work_note"


@pytest.mark.django_db
def test_model_refuses_to_change_or_delete_audit_rows(ticket):
    # given
    [entry] = _trail(ticket)
    # when / then
    entry.field = "forged"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).update(field="forged")
    with pytest.raises(TypeError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    assert AuditEntry.objects.get(pk=entry.pk).field == ""


@pytest.mark.django_db
@pytest.mark.parametrize("statement", [
    "UPDATE core_auditentry SET field = 'forged' WHERE id = %s",
    "DELETE FROM core_auditentry WHERE id = %s",
])
def test_database_trigger_refuses_raw_update_and_delete(ticket, statement):
    # given
    [entry] = _trail(ticket)
    # when
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [entry.pk])
    # then
    assert AuditEntry.objects.filter(pk=entry.pk, field="").exists()


@pytest.mark.django_db
def test_audit_rows_point_at_their_record(ticket):
    [entry] = _trail(ticket)
    assert entry.content_type == ContentType.objects.get_for_model(ticket)
    assert entry.record == ticket
    assert entry.object_repr == str(ticket)
