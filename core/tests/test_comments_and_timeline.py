import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string

from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused
from core.models import AuditEntry, Comment
from core.selectors import timeline
from core.services import add_attachment, add_comment, update_ticket


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def busy_ticket(ticket, agent, end_user):
    add_comment(ticket, actor=end_user, channel=Channel.PORTAL, body="It is still offline")
    add_comment(ticket, actor=agent, channel=Channel.WEB, body="Vendor contract number 12345", internal=True)
    add_attachment(ticket, actor=agent, channel=Channel.WEB, internal=True,
                   upload=SimpleUploadedFile("vendor.txt", b"secret"))
    add_attachment(ticket, actor=end_user, channel=Channel.PORTAL, upload=SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n"))
    update_ticket(ticket, actor=agent, channel=Channel.WEB, changes={"state": "closed", "description": "internal"})
    return ticket


@pytest.mark.django_db
def test_desk_timeline_shows_everything(busy_ticket):
    # when
    items = timeline(busy_ticket, include_internal=True)
    # then
    assert [item.kind for item in items] == ["created", "comment", "work_note", "attachment", "attachment", "change"]
    assert sorted(label for label, _old, _new in items[-1].changes) == ["description", "state"]


@pytest.mark.django_db
def test_end_user_timeline_hides_work_notes_internal_files_and_internal_fields(busy_ticket):
    # when
    items = timeline(busy_ticket, include_internal=False)
    # then
    assert [item.kind for item in items] == ["created", "comment", "attachment", "change"]
    assert [item.body for item in items[1:3]] == ["It is still offline", "photo.png"]
    assert items[-1].changes == [("state", "New", "Closed")]
    html = render_to_string("core/_timeline.html", {"timeline": items})
    assert "Vendor contract" not in html and "vendor.txt" not in html


@pytest.mark.django_db
def test_end_user_cannot_write_a_work_note(ticket, end_user):
    # when
    with pytest.raises(PermissionRefused):
        add_comment(ticket, actor=end_user, channel=Channel.PORTAL, body="let me in", internal=True)
    # then
    assert Comment.objects.for_object(ticket).count() == 0
    assert AuditEntry.objects.for_object(ticket).count() == 1


@pytest.mark.django_db
def test_end_user_cannot_add_an_internal_file(ticket, end_user):
    with pytest.raises(PermissionRefused):
        add_attachment(ticket, actor=end_user, channel=Channel.PORTAL, internal=True,
                       upload=SimpleUploadedFile("a.txt", b"x"))
    assert ticket.attachments.count() == 0


@pytest.mark.django_db
def test_empty_comment_is_refused(ticket, agent):
    with pytest.raises(DomainError) as refusal:
        add_comment(ticket, actor=agent, channel=Channel.WEB, body="   ")
    assert refusal.value.field == "body"
    assert Comment.objects.count() == 0


@pytest.mark.django_db
def test_comment_bumps_the_version(ticket, agent):
    add_comment(ticket, actor=agent, channel=Channel.WEB, body="On it")
    ticket.refresh_from_db()
    assert ticket.version == 2


@pytest.mark.django_db
def test_timeline_query_count_does_not_grow_with_entries(ticket, agent, django_assert_max_num_queries):
    # given
    for index in range(30):
        add_comment(ticket, actor=agent, channel=Channel.WEB, body=f"note {index}", internal=index % 2 == 0)
    # then: comments, files, audit rows, related names, content type cache
    with django_assert_max_num_queries(6):
        items = timeline(ticket, include_internal=True)
        [str(item.actor) for item in items]


@pytest.mark.django_db
def test_timeline_template_names_the_channel(busy_ticket):
    html = render_to_string("core/_timeline.html", {"timeline": timeline(busy_ticket, include_internal=True)})
    assert "· Self-service portal" in html and "· Agent desk" in html
    assert "· web" not in html


def test_instants_in_the_timeline_read_in_local_time(settings):
    # given: audit rows keep instants as raw ISO text in UTC
    from core import history
    from core.models import AuditEntry
    from tests.ticketapp.models import CaseTicket

    settings.TIME_ZONE = "Asia/Seoul"
    # when
    shown = history.display(CaseTicket, AuditEntry(field="created_at"), "2026-11-22T11:58:42.240189+00:00", {})
    # then
    assert shown == "2026-11-22 20:58"
