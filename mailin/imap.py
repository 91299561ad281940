"""Polling one mailbox over IMAP (imaplib): every unflagged message in its folder is fetched,
handed to services.ingest, then moved to the processed folder or flagged as seen.

A message is marked only after ingest recorded it (or found it a duplicate), so a crash between
the two fetches it again next time and the Message-ID makes that harmless. A message ingest could
not record (a database outage) stays untouched for the next poll.
"""

from __future__ import annotations

import imaplib
import logging
import re
import socket
import ssl

from django.conf import settings
from django.utils import timezone

from mailin import services
from mailin.choices import ProcessedAction
from mailin.models import Mailbox

log = logging.getLogger(__name__)


class PollError(Exception):
    pass


def _quote(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def connect(mailbox: Mailbox) -> imaplib.IMAP4:
    timeout = settings.MAILIN_IMAP_TIMEOUT_SECONDS
    if mailbox.imap_ssl:
        client = imaplib.IMAP4_SSL(mailbox.imap_host, mailbox.imap_port, ssl_context=ssl.create_default_context(),
                                   timeout=timeout)
    else:
        client = imaplib.IMAP4(mailbox.imap_host, mailbox.imap_port, timeout=timeout)
    client.login(mailbox.imap_user, mailbox.imap_password)
    return client


def _check(response, what):
    status, data = response
    if status != "OK":
        raise PollError(f"{what}: {status} {data!r}")
    return data


def poll(mailbox: Mailbox, *, limit: int | None = None) -> dict:
    """Fetch and ingest what waits in the mailbox's folder. Returns counts by recorded state."""
    limit = limit or settings.MAILIN_IMAP_BATCH
    counts: dict[str, int] = {}
    try:
        client = connect(mailbox)
    except (OSError, socket.timeout, imaplib.IMAP4.error) as exc:
        _remember(mailbox, f"connect: {exc}")
        raise PollError(f"connect: {exc}") from exc
    try:
        _check(client.select(_quote(mailbox.imap_folder)), "select")
        move = mailbox.processed_action == ProcessedAction.MOVE and mailbox.processed_folder
        if move:
            client.create(_quote(mailbox.processed_folder))  # "already exists" is fine
        uids = _check(client.uid("SEARCH", None, "UNDELETED" if move else "UNSEEN"), "search")[0].split()
        for uid in uids[:limit]:
            data = _check(client.uid("FETCH", uid, "(BODY.PEEK[])"), "fetch")
            raw = next((item[1] for item in data if isinstance(item, tuple) and len(item) > 1), None)
            if raw is None:
                continue
            outcome = services.ingest(bytes(raw), mailbox=mailbox)
            counts[outcome.state] = counts.get(outcome.state, 0) + 1
            _mark(client, uid, mailbox, move)
        if move:
            client.expunge()
        _remember(mailbox, "")
    except (OSError, imaplib.IMAP4.error, PollError) as exc:
        _remember(mailbox, str(exc))
        raise PollError(str(exc)) from exc
    finally:
        try:
            client.logout()
        except (OSError, imaplib.IMAP4.error):
            pass
    return counts


def _mark(client, uid, mailbox, move):
    if move:
        capabilities = {c.decode() if isinstance(c, bytes) else c for c in client.capabilities}
        if "MOVE" in capabilities:
            _check(client.uid("MOVE", uid, _quote(mailbox.processed_folder)), "move")
            return
        _check(client.uid("COPY", uid, _quote(mailbox.processed_folder)), "copy")
        _check(client.uid("STORE", uid, "+FLAGS", r"(\Deleted \Seen)"), "store")
    else:
        _check(client.uid("STORE", uid, "+FLAGS", r"(\Seen \Flagged)"), "store")


def _remember(mailbox, error):
    error = re.sub(r"\s+", " ", error)[:2000]
    Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=timezone.now(), last_error=error)


def poll_all() -> dict:
    """Poll every active mailbox; one failing server does not stop the others."""
    results = {}
    for mailbox in Mailbox.objects.filter(active=True).exclude(imap_host=""):
        try:
            results[mailbox.name] = poll(mailbox)
        except PollError as exc:
            log.warning("mailin.poll_failed", extra={"mailbox": mailbox.name, "error": str(exc)})
            results[mailbox.name] = {"error": str(exc)}
    return results
