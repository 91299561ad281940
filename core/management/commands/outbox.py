"""Inspect and operate the outbox: `outbox status`, `outbox replay --dead`, `outbox deliver`,
`outbox prune --days 30`."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count

from core import outbox
from core.choices import Channel, DeliveryState
from core.models import Delivery


class Command(BaseCommand):
    help = "Show outbox deliveries by state, replay dead ones, or deliver what is due now."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Deliveries per handler and state.")
        replay = sub.add_parser("replay", help="Send deliveries again from the first attempt (audited).")
        replay.add_argument("--dead", action="store_true", help="Every dead delivery.")
        replay.add_argument("--handler", help="Only deliveries to this handler key.")
        replay.add_argument("--id", type=int, action="append", dest="ids", help="This delivery (repeatable).")
        sub.add_parser("deliver", help="Run the dispatcher once in this process.")
        prune = sub.add_parser("prune", help="Delete old events whose deliveries are all delivered.")
        prune.add_argument("--days", type=int, default=30)

    def handle(self, *args, action, **options):
        if action == "status":
            rows = (Delivery.objects.values("handler", "state").annotate(n=Count("id")).order_by("handler", "state"))
            for row in rows:
                self.stdout.write(f"{row['handler']:50} {row['state']:10} {row['n']}")
            if not rows:
                self.stdout.write("The outbox has no deliveries.")
        elif action == "replay":
            deliveries = Delivery.objects.all()
            if options["ids"]:
                deliveries = deliveries.filter(pk__in=options["ids"])
            elif options["dead"]:
                deliveries = deliveries.filter(state=DeliveryState.DEAD)
            else:
                raise CommandError("Say which deliveries: --dead or --id N.")
            if options["handler"]:
                deliveries = deliveries.filter(handler=options["handler"])
            count = outbox.replay(deliveries.values_list("pk", flat=True), actor=None, channel=Channel.SYSTEM)
            self.stdout.write(f"Deliveries queued again: {count}.")
        elif action == "deliver":
            self.stdout.write(f"Deliveries attempted: {outbox.deliver_due()}.")
        elif action == "prune":
            deleted = outbox.prune(older_than=timedelta(days=options["days"]))
            self.stdout.write(f"Rows deleted (events and their deliveries): {deleted}.")
