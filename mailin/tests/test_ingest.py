"""The ingest use case: tickets opened, replies threaded, machine mail ignored, bad input recorded."""

import io
import re
from email.message import EmailMessage

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import override_settings

from accounts.roles import Role
from catalog.tests.factories import make_item
from core.choices import Channel
from core.models import Attachment, Comment
from fulfilment.models import Request
from incidents import services as incident_services
from incidents.choices import IncidentState, OnHoldReason
from incidents.models import Incident
from mailin import services
from mailin.choices import MessageState, OpensKind
from mailin.models import InboundMessage
from mailin.tests.conftest import corpus

pytestmark = pytest.mark.django_db


def message(sender, subject="Printer jammed", body="The printer is jammed.", *, msgid=None, headers=None,
            attachments=()):
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, "helpdesk@desk.example", subject
    msg["Message-ID"] = msgid or f"<{abs(hash((sender, subject, body)))}@client.example>"
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    for name, data, maintype, subtype in attachments:
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


# --- new tickets ------------------------------------------------------------------------------

def test_outlook_euckr_opens_an_incident_for_a_new_end_user_in_the_default_group(mailbox, team):
    # when
    outcome = services.ingest(corpus("outlook_euckr.eml"), mailbox=mailbox)
    # then
    incident = outcome.ticket
    assert outcome.state == MessageState.PROCESSED and outcome.created
    assert isinstance(incident, Incident)
    assert incident.title == "전자결재 상신 시 서버 오류 발생"
    assert "'서버 오류 500'이 표시됩니다" in incident.description
    assert incident.assignment_group == team and incident.channel == "email"
    caller = incident.caller
    assert (caller.email, caller.display_name, caller.roles) == ("sslee@agency.example.kr", "이순신", [Role.END_USER])
    assert [a.filename for a in Attachment.objects.for_object(incident)] == ["오류화면.pdf"]
    record = InboundMessage.objects.get()
    assert (record.ticket, record.ticket_number, record.created_ticket) == (incident, incident.number, True)
    assert record.raw.read() == corpus("outlook_euckr.eml")


def test_html_only_and_iphone_inline_image(mailbox):
    html = services.ingest(corpus("webmail_html_only.eml"), mailbox=mailbox).ticket
    phone = services.ingest(corpus("iphone_inline_image.eml"), mailbox=mailbox).ticket
    assert "asks for my password" in html.description and "<p>" not in html.description
    assert "iPhone에서 보냄" not in phone.description
    assert [a.filename for a in Attachment.objects.for_object(phone)] == ["IMG_0042.PNG"]


def test_forward_keeps_the_forwarded_message_in_the_ticket(mailbox):
    incident = services.ingest(corpus("forward.eml"), mailbox=mailbox).ticket
    assert incident.title == "서버 펌웨어 긴급 패치 안내"
    assert "BMC 펌웨어 2.1.7" in incident.description


def test_a_known_agent_opens_an_incident_routed_to_the_group(mailbox, agent, team):
    incident = services.ingest(message(agent.email), mailbox=mailbox).ticket
    assert (incident.caller, incident.assignment_group) == (agent, team)


def test_request_mailbox_opens_a_request_answering_the_first_text_question(mailbox, end_user):
    item = make_item("Laptop", form=({"type": "object", "properties": {
        "reason": {"type": "string", "maxLength": 200, "x-field": "text"}}, "required": ["reason"]}, {}))
    mailbox.opens, mailbox.catalog_item = OpensKind.REQUEST, item
    mailbox.save()
    outcome = services.ingest(message(end_user.email, "노트북 교체", "배터리가 10분도 안 갑니다."), mailbox=mailbox)
    request = outcome.ticket
    assert isinstance(request, Request) and request.requested_for == end_user
    assert request.items.get().answers == {"reason": "배터리가 10분도 안 갑니다."}
    assert request.title.endswith("노트북 교체")


def test_voc_mailbox_records_a_complaint_from_the_sender_through_the_email_channel(mailbox, end_user, team):
    from voc.models import Voc

    mailbox.opens, mailbox.voc_kind = OpensKind.VOC, "complaint"
    mailbox.save()
    outcome = services.ingest(message(end_user.email, "민원: 답변이 없습니다", "일주일째 답변이 없습니다."), mailbox=mailbox)
    voc = outcome.ticket
    assert isinstance(voc, Voc) and voc.number.startswith("VOC")
    assert (voc.kind, voc.channel, voc.reported_by, voc.assignment_group) == ("complaint", "email", end_user, team)
    assert voc.title == "민원: 답변이 없습니다" and "일주일째" in voc.description
    assert voc.due_at is not None


def test_request_mailbox_refuses_politely_when_the_form_needs_more(mailbox, end_user,
                                                                   django_capture_on_commit_callbacks):
    mailbox.opens, mailbox.catalog_item = OpensKind.REQUEST, make_item("Laptop")  # model and memory required
    mailbox.save()
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest(message(end_user.email, "노트북"), mailbox=mailbox)
    assert outcome.state == MessageState.REFUSED and "portal" in outcome.reason
    assert Request.objects.count() == 0
    (reply,) = mail.outbox
    assert reply.to == [end_user.email] and reply.extra_headers["Auto-Submitted"] == "auto-replied"


# --- threading --------------------------------------------------------------------------------

def _notification_to(person):
    sent = [m for m in mail.outbox if m.to == [person.email] and "comment" in m.subject.lower()]
    return sent[-1].extra_headers


def test_reply_to_our_notification_comments_and_resumes_an_incident_awaiting_the_caller(
        mailbox, agent, end_user, django_capture_on_commit_callbacks):
    # given an incident on hold awaiting its caller, who was mailed the desk's question
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="VPN")
    incident = incident_services.transition(incident, actor=agent, channel=Channel.WEB, target=IncidentState.ON_HOLD,
                                            on_hold_reason=OnHoldReason.AWAITING_CALLER)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        incident_services.comment(incident, actor=agent, channel=Channel.WEB, body="Which VPN client version?")
    headers = _notification_to(end_user)
    assert re.fullmatch(rf"<{incident.number}\.outbox-\d+\.{end_user.pk}@[^>]+>", headers["Message-ID"])
    assert headers["In-Reply-To"] == headers["References"] == f"<{incident.number}@{headers['Message-ID'].split('@')[1]}"
    # when the caller answers from their mail client (no number in the subject)
    raw = corpus("reply_quoted.eml", INC0000000=incident.number).replace(
        b"cskim@agency.example.kr", end_user.email.encode()).replace(
        f"<{incident.number}.outbox-7.3@desk.example>".encode(), headers["Message-ID"].encode()).replace(
        b"Subject: Re: [" + incident.number.encode() + b"] New comment", b"Subject: Re: question")
    outcome = services.ingest(raw, mailbox=mailbox)
    # then it is a comment by the caller, and work resumes
    assert outcome.ticket == incident and not outcome.created
    comment = Comment.objects.for_object(incident).last()
    assert (comment.author, comment.channel) == (end_user, Channel.EMAIL)
    assert comment.body == "확인해 보니 프린터 드라이버를 다시 설치하니까 해결되었습니다.\n감사합니다."
    incident.refresh_from_db()
    assert incident.state == IncidentState.IN_PROGRESS
    assert Incident.objects.count() == 1


def test_number_in_the_subject_threads_a_reply(mailbox, agent, end_user):
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="Mail")
    outcome = services.ingest(message(end_user.email, f"RE: [{incident.number}] 메일", "아직 안 됩니다"),
                              mailbox=mailbox)
    assert outcome.ticket == incident
    assert Comment.objects.for_object(incident).get().body == "아직 안 됩니다"


def test_forged_in_reply_to_opens_a_new_ticket(mailbox, agent, end_user):
    # given someone else's incident
    theirs = incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="Secret")
    # when a stranger forges a reply to it
    outcome = services.ingest(corpus("forged_reply.eml", INC0000000=theirs.number), mailbox=mailbox)
    # then a new ticket is opened for them and theirs is untouched
    assert outcome.created and outcome.ticket != theirs
    assert theirs.number in outcome.reason and "may not see" in outcome.reason
    assert Comment.objects.for_object(theirs).count() == 0


def test_reply_to_a_closed_ticket_opens_a_new_one(mailbox, agent, end_user):
    incident = incident_services.open_incident(actor=agent, channel=Channel.WEB, caller=end_user, title="Old")
    Incident.objects.filter(pk=incident.pk).update(state=IncidentState.CLOSED)
    outcome = services.ingest(message(end_user.email, f"Re: [{incident.number}] Old"), mailbox=mailbox)
    assert outcome.created and f"{incident.number} is closed" in outcome.reason


# --- safety -----------------------------------------------------------------------------------

def test_the_same_message_twice_changes_nothing(mailbox):
    first = services.ingest(corpus("outlook_euckr.eml"), mailbox=mailbox)
    again = services.ingest(corpus("outlook_euckr.eml"), mailbox=mailbox)
    assert again.duplicate and again.state == MessageState.IGNORED and "duplicate" in again.reason
    assert (Incident.objects.count(), InboundMessage.objects.count()) == (1, 1)
    assert again.message == first.message


@pytest.mark.parametrize("name", ["dsn_bounce.eml", "out_of_office.eml"])
def test_machine_mail_is_recorded_as_ignored_and_not_answered(mailbox, name, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest(corpus(name), mailbox=mailbox)
    assert outcome.state == MessageState.IGNORED and outcome.ticket is None
    assert InboundMessage.objects.get().state == MessageState.IGNORED
    assert mail.outbox == [] and Incident.objects.count() == 0


def test_mail_from_the_desk_itself_is_ignored(mailbox):
    outcome = services.ingest(message("helpdesk@desk.example"), mailbox=mailbox)
    assert outcome.state == MessageState.IGNORED and "loop" in outcome.reason


@override_settings(MAILIN_RATE_LIMIT=3)
def test_per_sender_rate_limit(mailbox):
    outcomes = [services.ingest(message("flood@example.com", f"n{i}", msgid=f"<flood{i}@x>"), mailbox=mailbox)
                for i in range(5)]
    assert [o.state for o in outcomes] == ["processed"] * 3 + ["ignored"] * 2
    assert "rate limit" in outcomes[-1].reason
    assert services.ingest(message("other@example.com"), mailbox=mailbox).state == "processed"


def test_unknown_sender_refused_with_a_polite_reply(strict_mailbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcome = services.ingest(message("stranger@example.com", msgid="<s1@x>"), mailbox=strict_mailbox)
    assert outcome.state == MessageState.REFUSED
    assert not get_user_model().objects.filter(email="stranger@example.com").exists()
    (reply,) = mail.outbox
    assert reply.to == ["stranger@example.com"] and reply.from_email == "strict@desk.example"
    assert reply.extra_headers["In-Reply-To"] == "<s1@x>"
    assert reply.extra_headers["Auto-Submitted"] == "auto-replied"
    assert "서비스 데스크" in reply.body or "service desk" in reply.body


def test_malformed_message_is_recorded_as_failed_and_kept(mailbox):
    outcome = services.ingest(corpus("malformed.eml"), mailbox=mailbox)
    record = InboundMessage.objects.get()
    assert (outcome.state, record.state) == (MessageState.FAILED, MessageState.FAILED)
    assert "no headers" in record.reason
    assert record.raw.read() == corpus("malformed.eml")
    assert record.message_id.startswith("<sha256-")


def test_a_failing_ticket_write_is_recorded_as_failed_and_rolled_back(mailbox, monkeypatch):
    from incidents import services as incidents

    def broken(**kwargs):
        Incident.objects.create(number="INC9", title="half", caller=get_user_model().objects.first())
        raise RuntimeError("database said no")

    monkeypatch.setattr(incidents, "open_incident", broken)
    outcome = services.ingest(message("someone@example.com"), mailbox=mailbox)
    assert outcome.state == MessageState.FAILED and "database said no" in outcome.reason
    assert Incident.objects.count() == 0 and InboundMessage.objects.get().state == MessageState.FAILED


@override_settings(ATTACHMENT_MAX_BYTES=10 * 1024 * 1024)
def test_30_mb_attachment_is_refused_and_listed_in_a_work_note(mailbox):
    big = b"%PDF-1.4\n" + b"0" * (30 * 1024 * 1024)
    raw = message("big@example.com", "Scan", "See the scan.",
                  attachments=[("scan.pdf", big, "application", "pdf"), ("ok.txt", b"fine\n", "text", "plain")])
    outcome = services.ingest(raw, mailbox=mailbox)
    incident = outcome.ticket
    assert outcome.state == MessageState.PROCESSED and "scan.pdf" in outcome.reason
    assert [a.filename for a in Attachment.objects.for_object(incident)] == ["ok.txt"]
    note = Comment.objects.for_object(incident).get()
    assert note.internal and "scan.pdf" in note.body and "30.0" in note.body
    assert InboundMessage.objects.get().size > 30 * 1024 * 1024  # the raw message keeps it


def test_zip_bomb_is_refused_without_decompressing(mailbox):
    outcome = services.ingest(corpus("zip_bomb.eml"), mailbox=mailbox)
    assert "logs.zip" in outcome.reason and "zip bomb" in outcome.reason
    assert Attachment.objects.count() == 0


def test_garbage_subject_and_invalid_charsets_open_readable_tickets(mailbox):
    garbage = services.ingest(corpus("garbage_subject.eml"), mailbox=mailbox).ticket
    charsets = services.ingest(corpus("invalid_charset.eml"), mailbox=mailbox).ticket
    assert garbage.title and "\x00" not in garbage.title
    assert "첫 번째 부분은 CP949입니다." in charsets.description


@override_settings(MAILIN_MAX_MESSAGE_BYTES=1000)
def test_a_message_over_the_size_limit_is_kept_but_fails(mailbox):
    outcome = services.ingest(message("big@example.com", body="x" * 5000), mailbox=mailbox)
    assert outcome.state == MessageState.FAILED and "limit" in outcome.reason
    assert Incident.objects.count() == 0 and InboundMessage.objects.get().size > 1000


# --- the command ------------------------------------------------------------------------------

def test_ingest_email_command_prints_the_number_or_the_reason(mailbox, monkeypatch):
    def run(raw, *args):
        out = io.StringIO()
        monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw)))
        call_command("ingest_email", *args, stdout=out)
        return out.getvalue().strip()

    number = run(corpus("outlook_euckr.eml"), "--mailbox", "helpdesk")
    assert re.fullmatch(r"INC\d{7}", number)
    assert run(corpus("dsn_bounce.eml")).startswith("ignored: ")
    assert run(corpus("outlook_euckr.eml")).startswith("ignored: duplicate")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run(corpus("forward.eml"), "--mailbox", "nope")


def test_ingest_email_reads_many_files_in_one_process(mailbox, tmp_path):
    paths = []
    for name in ("outlook_euckr.eml", "dsn_bounce.eml"):
        (tmp_path / name).write_bytes(corpus(name))
        paths.append(str(tmp_path / name))
    out = io.StringIO()
    call_command("ingest_email", "--mailbox", "helpdesk", *paths, stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert re.fullmatch(r".*outlook_euckr\.eml: INC\d{7}", lines[0])
    assert re.fullmatch(r".*dsn_bounce\.eml: ignored: .*", lines[1])
