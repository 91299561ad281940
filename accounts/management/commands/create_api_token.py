from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User
from core.choices import Channel


class Command(BaseCommand):
    help = "Print a new API token for a user on its own line."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="command line")

    def handle(self, *args, **opts):
        try:
            user = User.objects.get(username=opts["username"])
        except User.DoesNotExist as exc:
            raise CommandError(f"No user named {opts['username']!r}.") from exc
        _token, key = services.issue_token(user, actor=None, channel=Channel.SYSTEM, name=opts["name"])
        self.stdout.write(key)
