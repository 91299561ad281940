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

    def handle(self, *args, **opts):
        try:
            user = upsert_user(
                opts["username"], role=opts["role"], email=opts["email"], password=opts["password"],
                teams=opts["groups"], organisation=opts["organisation"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"{user.username} ({opts['role']})")
