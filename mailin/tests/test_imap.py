"""Polling a real IMAP server (Dovecot, started by the session fixture): mail is appended with
imaplib, the poller runs, tickets appear and the server's copy is moved or flagged."""

import imaplib
import time

import pytest

from incidents.models import Incident
from mailin import imap as poller
from mailin.choices import MessageState, ProcessedAction
from mailin.models import InboundMessage
from mailin.tests.conftest import corpus

pytestmark = pytest.mark.django_db


def append(client, raw, folder="INBOX"):
    status, _data = client.append(folder, None, imaplib.Time2Internaldate(time.time()), raw)
    assert status == "OK"


def count(client, folder, criteria="ALL"):
    client.select(folder)
    return len(client.search(None, criteria)[1][0].split())


def test_poll_opens_tickets_and_moves_processed_mail(imap, imap_mailbox):
    # given three messages waiting, one of them a bounce
    for name in ("outlook_euckr.eml", "iphone_inline_image.eml", "dsn_bounce.eml"):
        append(imap, corpus(name))
    # when the poller runs
    counts = poller.poll(imap_mailbox)
    # then two tickets, one ignored bounce, and the inbox is empty
    assert counts == {MessageState.PROCESSED: 2, MessageState.IGNORED: 1}
    assert set(Incident.objects.values_list("title", flat=True)) == {"전자결재 상신 시 서버 오류 발생",
                                                                    "회의실 모니터 화면이 안 나와요"}
    assert (count(imap, "INBOX"), count(imap, "Processed")) == (0, 3)
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_polled_at is not None and imap_mailbox.last_error == ""


def test_fetching_the_same_mail_again_changes_nothing(imap, imap_mailbox):
    append(imap, corpus("webmail_html_only.eml"))
    poller.poll(imap_mailbox)
    append(imap, corpus("webmail_html_only.eml"))  # the server hands it over again
    counts = poller.poll(imap_mailbox)
    assert counts == {MessageState.IGNORED: 1}
    assert (Incident.objects.count(), InboundMessage.objects.count()) == (1, 1)


def test_flag_mode_leaves_mail_in_place_flagged_and_skips_it_next_time(imap, imap_mailbox):
    imap_mailbox.processed_action = ProcessedAction.FLAG
    imap_mailbox.save()
    append(imap, corpus("forward.eml"))
    assert poller.poll(imap_mailbox) == {MessageState.PROCESSED: 1}
    assert count(imap, "INBOX") == 1 and count(imap, "INBOX", "UNSEEN") == 0
    assert count(imap, "INBOX", "FLAGGED") == 1
    assert poller.poll(imap_mailbox) == {}


def test_a_wrong_password_is_remembered_on_the_mailbox(imap_mailbox):
    imap_mailbox.imap_password = "wrong"
    imap_mailbox.save()
    results = poller.poll_all()
    assert "error" in results["helpdesk"]
    imap_mailbox.refresh_from_db()
    assert imap_mailbox.last_error


def test_the_beat_task_polls_active_mailboxes(imap, imap_mailbox, settings):
    from mailin import tasks

    append(imap, corpus("iso2022kr.eml"))
    assert tasks.poll_mailboxes() == {"helpdesk": {MessageState.PROCESSED: 1}}
    assert "mailin-poll" in settings.CELERY_BEAT_SCHEDULE
