import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from accounts.roles import Role
from accounts.services import upsert_user


class Command(BaseCommand):
    help = "Create or update a user with a role, team memberships and an organisation (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--email")
        parser.add_argument("--password")
        parser.add_argument("--group", action="append", default=[], dest="groups", metavar="TEAM")
        parser.add_argument("--organisation")
        # A time-boxed account (an auditor's): the last day it may sign in; "none" lifts the limit.
        parser.add_argument("--valid-until", dest="valid_until", metavar="YYYY-MM-DD")

    def handle(self, *args, **opts):
        extra = {}
        if opts["valid_until"]:
            try:
                extra["valid_until"] = None if opts["valid_until"].lower() == "none" else \
                    dt.date.fromisoformat(opts["valid_until"])
            except ValueError as exc:
                raise CommandError(f"--valid-until: {opts['valid_until']!r} is not a date YYYY-MM-DD.") from exc
        try:
            user = upsert_user(
                opts["username"], role=opts["role"], email=opts["email"], password=opts["password"],
                teams=opts["groups"], organisation=opts["organisation"], **extra,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        until = f", valid until {user.valid_until:%Y-%m-%d}" if user.valid_until else ""
        self.stdout.write(f"{user.username} ({opts['role']}{until})")
