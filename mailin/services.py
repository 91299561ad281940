"""Mail in: one received message becomes a ticket, a comment on one, or a recorded refusal.

`ingest(raw, mailbox=...)` is the one use case; the IMAP poller (mailin.imap) and the
`ingest_email` command call it. Whatever happens, the raw message is stored and an InboundMessage
row says what became of it and why: the same Message-ID a second time changes nothing (a
duplicate is answered from the first row); machine mail (auto-replies, bounces, bulk) is recorded
as ignored and never answered, so two robots cannot mail each other forever; a message that could
not be turned into a ticket is recorded as failed with the reason, the ticket work rolled back.
"""

from __future__ import annotations

import email.utils
import hashlib
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts import roles
from accounts import services as accounts_services
from core import events
from core import services as core_services
from core.attachments import ZIP_FAMILY, validate_upload
from core.choices import Channel
from core.exceptions import DomainError, PermissionRefused
from core.tickets import lifecycle_of, ticket_models
from mailin import parsing
from mailin.choices import MessageState, OpensKind, UnknownSenders
from mailin.models import InboundMessage, Mailbox

log = logging.getLogger(__name__)
EMAIL = Channel.EMAIL
ROBOT_USERNAME = "mail-in"
REFUSED_EVENT = "mailin.refused"


@dataclass
class Outcome:
    """What ingest did: the state recorded, why, and the ticket opened or commented on."""

    state: str
    reason: str = ""
    ticket: object = None
    created: bool = False
    message: InboundMessage | None = None
    duplicate: bool = False
    reply: bool = False  # the sender is told politely (a refusal), after commit

    def line(self) -> str:
        """The `ingest_email` answer: the ticket number, or "<state>: <reason>"."""
        if self.state == MessageState.PROCESSED and self.ticket is not None:
            return self.ticket.number
        return f"{self.state}: {self.reason}"


class _Stop(Exception):
    """Ends processing with a recorded state (not an error)."""

    def __init__(self, state, reason, *, reply=False):
        super().__init__(reason)
        self.state, self.reason, self.reply = state, reason, reply


# --- entry point ------------------------------------------------------------------------------

def ingest(raw: bytes, *, mailbox: Mailbox | None = None, now=None) -> Outcome:
    # Reasons and work notes are stored text: written in the desk's language, whoever runs this.
    with translation.override(settings.LANGUAGE_CODE):
        return _ingest(raw, mailbox=mailbox, now=now)


def _ingest(raw, *, mailbox, now):
    now = now or timezone.now()
    try:
        parsed, problem = parsing.parse(raw), ""
    except parsing.MalformedMail as exc:
        parsed, problem = None, exc.reason
    except Exception as exc:  # noqa: BLE001 - a parser bug must not lose the mail
        log.exception("mailin.parse_failed")
        parsed, problem = None, f"{type(exc).__name__}: {exc}"
    message_id = (parsed.message_id if parsed and parsed.message_id else
                  f"<sha256-{hashlib.sha256(raw or b'').hexdigest()}@mailin.invalid>")[:255]
    first = InboundMessage.objects.filter(message_id=message_id).only("pk", "state", "received_at").first()
    if first is not None:
        return _duplicate(first)
    record = InboundMessage(
        message_id=message_id, mailbox=mailbox, size=len(raw or b""), received_at=now,
        sender=parsed.sender if parsed else "", subject=parsed.subject[:255] if parsed else "",
    )
    try:
        with transaction.atomic():
            try:
                with transaction.atomic():
                    outcome = _process(parsed, problem, record, mailbox, now)
            except _Stop as stop:
                outcome = Outcome(stop.state, stop.reason, reply=stop.reply)
            except Exception as exc:  # noqa: BLE001 - recorded as failed with the reason, never lost
                log.exception("mailin.ingest_failed", extra={"message_id": message_id})
                outcome = Outcome(MessageState.FAILED, _("Could not open or update a ticket: %(error)s")
                                  % {"error": _error_text(exc)})
            record.raw.save("message.eml", ContentFile(raw or b""), save=False)
            record.state, record.reason = outcome.state, outcome.reason[:4000]
            if outcome.ticket is not None:
                record.content_type = ContentType.objects.get_for_model(outcome.ticket)
                record.object_id = outcome.ticket.pk
                record.ticket_number = outcome.ticket.number
                record.created_ticket = outcome.created
            record.save()
            if outcome.reply:
                events.publish(REFUSED_EVENT, record, channel=EMAIL,
                               data={"reason": outcome.reason, "to": record.sender})
    except IntegrityError:
        # Another worker recorded the same Message-ID first: everything above rolled back.
        first = InboundMessage.objects.filter(message_id=message_id).first()
        if first is None:
            raise
        return _duplicate(first)
    outcome.message = record
    return outcome


def _duplicate(first):
    return Outcome(MessageState.IGNORED, _("duplicate of message #%(id)s received %(when)s (%(state)s)") % {
        "id": first.pk, "when": timezone.localtime(first.received_at).strftime("%Y-%m-%d %H:%M"),
        "state": first.get_state_display()}, message=first, duplicate=True)


def _error_text(exc):
    if isinstance(exc, DomainError):
        return str(exc.message)
    messages = getattr(exc, "messages", None)
    return "; ".join(str(m) for m in messages) if messages else f"{type(exc).__name__}: {exc}"


# --- the rules --------------------------------------------------------------------------------

def _process(parsed, problem, record, mailbox, now) -> Outcome:
    if problem:
        raise _Stop(MessageState.FAILED, _("Malformed message: %(problem)s") % {"problem": problem})
    if record.size > settings.MAILIN_MAX_MESSAGE_BYTES:
        raise _Stop(MessageState.FAILED, _("The message is %(size)s; the limit is %(limit)s. It is kept here.") % {
            "size": filesizeformat(record.size), "limit": filesizeformat(settings.MAILIN_MAX_MESSAGE_BYTES)})
    if parsed.auto_reason:
        raise _Stop(MessageState.IGNORED, _("automatic message, not answered: %(why)s") % {"why": parsed.auto_reason})
    if not parsed.sender or "@" not in parsed.sender:
        raise _Stop(MessageState.FAILED, _("The message has no sender address (From)."))
    if _is_own_address(parsed.sender):
        raise _Stop(MessageState.IGNORED, _("sent by the service desk itself (a mail loop)"))
    _check_rate(parsed.sender, now)
    person = _sender(parsed, mailbox)
    files, refused = _attachments(parsed)
    ticket, why_new = _thread(parsed, person)
    if ticket is not None:
        _comment(ticket, person, parsed, files)
        outcome = Outcome(MessageState.PROCESSED, _("reply added to %(number)s") % {"number": ticket.number},
                          ticket=ticket)
    else:
        ticket = _open(parsed, person, mailbox, files)
        reason = _("opened %(number)s") % {"number": ticket.number}
        outcome = Outcome(MessageState.PROCESSED, f"{reason}; {why_new}" if why_new else reason,
                          ticket=ticket, created=True)
    if refused:
        _note_refused(ticket, refused)
        outcome.reason += "; " + _("attachments refused: %(list)s") % {
            "list": "; ".join(f"{name} ({why})" for name, why in refused)}
    return outcome


_own = {"at": 0.0, "addresses": frozenset()}
OWN_ADDRESSES_SECONDS = 30


def _is_own_address(address):
    """Whether the desk itself sent this (its from address or one of its mailboxes): a loop.
    The mailbox addresses are read at most every 30 s, not once per message."""
    if time.monotonic() - _own["at"] > OWN_ADDRESSES_SECONDS:
        _own["addresses"] = frozenset(a.lower() for a in Mailbox.objects.values_list("address", flat=True))
        _own["at"] = time.monotonic()
    own = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL or "")[1].lower()
    return address == own or address in _own["addresses"]


def forget_own_addresses(**_kwargs):
    """A mailbox was saved or deleted: read the addresses again on the next message."""
    _own["at"] = 0.0


def _check_rate(address, now):
    window = timedelta(seconds=settings.MAILIN_RATE_WINDOW_SECONDS)
    recent = InboundMessage.objects.filter(sender=address, received_at__gt=now - window).exclude(
        state=MessageState.IGNORED).count()
    if recent >= settings.MAILIN_RATE_LIMIT:
        raise _Stop(MessageState.IGNORED, ngettext("rate limit: %(count)s messages from this sender in %(minutes)s minute",
                             "rate limit: %(count)s messages from this sender in %(minutes)s minutes",
                             settings.MAILIN_RATE_WINDOW_SECONDS // 60)
                    % {"count": recent, "minutes": settings.MAILIN_RATE_WINDOW_SECONDS // 60})


def _sender(parsed, mailbox):
    User = get_user_model()
    person = User.objects.filter(email__iexact=parsed.sender).order_by("-is_active", "id").first()
    if person is not None:
        if not person.is_active:
            raise _Stop(MessageState.REFUSED, _("the sender's account is inactive"), reply=True)
        return person
    policy = mailbox.unknown_senders if mailbox is not None else UnknownSenders.CREATE
    if policy == UnknownSenders.REFUSE:
        raise _Stop(MessageState.REFUSED, _("unknown sender: this mailbox only accepts mail from known users"),
                    reply=True)
    username = parsed.sender[:150]
    if User.objects.filter(username=username).exists():
        username = f"{parsed.sender[:140]}-{hashlib.sha256(parsed.sender.encode()).hexdigest()[:8]}"
    return accounts_services.upsert_user(username, role=roles.Role.END_USER, email=parsed.sender,
                                         display_name=parsed.sender_name or parsed.sender)


def _attachments(parsed):
    """Uploads within the attachment limits, and (name, reason) of those refused."""
    files, refused = [], []
    for part in parsed.attachments:
        if len(part.data) > settings.ATTACHMENT_MAX_BYTES:
            refused.append((part.filename, _("%(size)s; the limit is %(limit)s") % {
                "size": filesizeformat(len(part.data)), "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)}))
            continue
        extension = PurePath(part.filename).suffix.lower().lstrip(".")
        if extension in ZIP_FAMILY:
            problem = parsing.zip_problem(part.data, max_total=settings.MAILIN_ZIP_MAX_BYTES,
                                          max_ratio=settings.MAILIN_ZIP_MAX_RATIO)
            if problem:
                refused.append((part.filename, problem))
                continue
        upload = SimpleUploadedFile(part.filename, part.data, content_type=part.content_type)
        try:
            validate_upload(upload)
        except DomainError as exc:
            refused.append((part.filename, str(exc.message)))
            continue
        files.append(upload)
    return files, refused


def _models_by_prefix():
    return {m.NUMBER_PREFIX: m for m in ticket_models() if getattr(m, "NUMBER_PREFIX", "")}


def _thread(parsed, person):
    """The ticket this mail answers, if the sender may see it and it is still active; else None and
    why a new ticket is opened instead (to record), "" when the mail referred to no ticket."""
    models = _models_by_prefix()
    numbers = parsing.ticket_numbers(parsed, models)
    for number in numbers:
        model = next((m for p, m in sorted(models.items(), key=lambda i: -len(i[0])) if number.startswith(p)), None)
        if model is None:
            continue
        ticket = model.objects.visible_to(person).filter(number=number).first()
        if ticket is None:
            continue
        if lifecycle_of(ticket).is_terminal(ticket.state):
            return None, _("%(number)s is closed: opened a new ticket") % {"number": number}
        return ticket, ""
    if numbers:
        return None, _("the mail refers to %(numbers)s, which the sender may not see: opened a new ticket") % {
            "numbers": ", ".join(numbers)}
    return None, ""


def _body(parsed):
    return parsed.reply or parsed.text or _("(The e-mail had no text.)")


def _comment(ticket, person, parsed, files):
    from incidents import services as incident_services
    from incidents.models import Incident

    if isinstance(ticket, Incident):
        # The same use case as a portal reply: an incident awaiting its caller resumes (and its SLA clock).
        return incident_services.comment(ticket, actor=person, channel=EMAIL, body=_body(parsed), files=files)
    return core_services.add_comment(ticket, actor=person, channel=EMAIL, body=_body(parsed), files=files)


def _title(parsed):
    return parsing.strip_reply_prefix(parsed.subject).strip() or _("(no subject)")


def _open(parsed, person, mailbox, files):
    if mailbox is not None and mailbox.opens == OpensKind.REQUEST and mailbox.catalog_item_id:
        return _open_request(parsed, person, mailbox, files)
    if mailbox is not None and mailbox.opens == OpensKind.VOC:
        return _open_voc(parsed, person, mailbox, files)
    from incidents import services as incident_services

    group = mailbox.default_group if mailbox is not None else None
    is_agent = roles.is_agent(person)
    incident = incident_services.open_incident(
        actor=person, channel=EMAIL, caller=person, title=_title(parsed), description=_body(parsed),
        assignment_group=group if is_agent else None, files=files)
    if group is not None and incident.assignment_group_id is None:
        # An end user may not route their own report; the mailbox's default group is the desk's rule.
        incident = incident_services.update_incident(incident, actor=person, channel=EMAIL,
                                                     changes={"assignment_group": group}, system=True)
    return incident


def _open_voc(parsed, person, mailbox, files):
    """A VOC record of the mailbox's kind, reported by the sender through the e-mail channel; the
    mailbox's default group takes it (a complaint's escalation and due date follow as in the desk)."""
    from voc import services as voc_services
    from voc.choices import VocChannel, VocKind

    voc = voc_services.create_voc(actor=person, channel=EMAIL, kind=mailbox.voc_kind or VocKind.COMPLAINT, title=_title(parsed),
                                  description=_body(parsed), reported_by=person, source=VocChannel.EMAIL,
                                  assignment_group=mailbox.default_group)
    for upload in files:
        core_services.add_attachment(voc, actor=person, channel=EMAIL, upload=upload)
    return voc


def _open_request(parsed, person, mailbox, files):
    """A request for the mailbox's catalog item. Its form gets no answers when it requires none;
    when it requires some, the mail's text answers its first text question, and a form that still
    is not satisfied refuses the mail (the sender is told to use the portal)."""
    from catalog import formschema
    from fulfilment import services as fulfilment_services

    item = mailbox.catalog_item
    attempts = [{}]
    text_fields = [f for f in formschema.item_fields(item) if f.kind == "text"]
    if text_fields:
        limit = int(text_fields[0].schema.get("maxLength") or 2000)
        attempts.append({text_fields[0].name: _body(parsed)[:limit]})
    last_error = None
    for answers in attempts:
        line = fulfilment_services.OrderLine(catalog_item=item, answers=answers)
        try:
            with transaction.atomic():
                request = fulfilment_services.submit_request(person, lines=[line], description=_body(parsed),
                                                             channel=EMAIL)
        except formschema.AnswersInvalid as exc:
            last_error = exc
            continue
        except Http404:
            raise _Stop(MessageState.REFUSED, _("the sender may not order %(item)s") % {"item": item}, reply=True)
        break
    else:
        errors = "; ".join(f"{k}: {v}" for k, v in getattr(last_error, "errors", {}).items())
        raise _Stop(MessageState.REFUSED, _("%(item)s needs answers an e-mail cannot give (%(errors)s); "
                                            "please order it on the portal") % {"item": item, "errors": errors},
                    reply=True)
    if title := _title(parsed):
        request, _diff = core_services.update_ticket(request, actor=person, channel=EMAIL,
                                                     changes={"title": f"{request.title}: {title}"[:200]})
    group = mailbox.default_group
    if group is not None and request.assignment_group_id is None:
        request, _diff = core_services.update_ticket(request, actor=person, channel=EMAIL,
                                                     changes={"assignment_group": group})
    for upload in files:
        core_services.add_attachment(request, actor=person, channel=EMAIL, upload=upload)
    return request


def robot():
    """The desk's own account that writes mail in's work notes (cannot sign in)."""
    User = get_user_model()
    user = User.objects.filter(username=ROBOT_USERNAME).first()
    if user is None:
        user = accounts_services.upsert_user(ROBOT_USERNAME, role=roles.Role.AGENT, display_name=_("E-mail in"),
                                             is_active=False)
    return user


def _note_refused(ticket, refused):
    lines = [_("Attachments of the e-mail that were not accepted (the raw message keeps them):")]
    lines += [f"- {name}: {why}" for name, why in refused]
    try:
        core_services.add_comment(ticket, actor=robot(), channel=EMAIL, body="\n".join(lines), internal=True,
                                  notify=False)
    except (DomainError, PermissionRefused):
        log.warning("mailin.refused_note_failed", extra={"ticket": ticket.number})
