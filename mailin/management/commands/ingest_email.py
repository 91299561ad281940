"""`manage.py ingest_email [--mailbox NAME] < message.eml`: one RFC 5322 message from standard input,
as an MTA pipes it (an /etc/aliases `|` entry, a Postfix pipe transport). Prints the ticket number
opened or commented on, or `<state>: <reason>` (ignored, refused, failed: all recorded); exits 0
whenever the message was recorded and 75 (EX_TEMPFAIL, so the MTA retries) when it could not be.

`ingest_email FILE...` reads each file as one message instead (a spool, a Maildir's files) and
prints "FILE: answer" per file: one process for many messages, where starting Django per
message would cost more than the messages themselves."""

import sys

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from mailin import services
from mailin.models import Mailbox

EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Read one e-mail message from standard input and open or update a ticket from it."

    def add_arguments(self, parser):
        parser.add_argument("--mailbox", help="name of the mailbox the message was sent to")
        parser.add_argument("files", nargs="*", help="message files to read instead of standard input")

    def handle(self, *args, **options):
        mailbox = None
        if options.get("mailbox"):
            mailbox = Mailbox.objects.filter(name=options["mailbox"]).first()
            if mailbox is None:
                raise CommandError(f"No mailbox named {options['mailbox']!r}.", returncode=EX_TEMPFAIL)
        if not options.get("files"):
            self.stdout.write(self._ingest(sys.stdin.buffer.read(), mailbox))
            return
        for name in options["files"]:
            with open(name, "rb") as handle:
                self.stdout.write(f"{name}: {self._ingest(handle.read(), mailbox)}")

    def _ingest(self, raw, mailbox):
        try:
            return services.ingest(raw, mailbox=mailbox).line()
        except DatabaseError as exc:
            raise CommandError(f"could not record the message: {exc}", returncode=EX_TEMPFAIL) from exc
