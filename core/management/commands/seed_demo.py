import random
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from core import demo, events

SIZES = {
    "small": {"cis": 120, "relationships": 300, "incidents": 400, "problems": 30, "changes": 60, "releases": 8,
              "articles": 0},
    "large": {"cis": 100_000, "relationships": 300_000, "incidents": 1_000_000, "problems": 5_000,
              "changes": 10_000, "releases": 500, "articles": 100_000},
}


@dataclass
class DemoContext:
    """What every module's `demo.seed(ctx)` receives."""

    size: str
    counts: dict
    rng: random.Random
    stdout: object
    now: object = field(default_factory=timezone.now)
    # Modules leave handles for later ones here (e.g. "teams", "agents", "cis").
    shared: dict = field(default_factory=dict)

    def log(self, message):
        self.stdout.write(message)


class Command(BaseCommand):
    help = "Load demo data (idempotent). --size small for the run command, large for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=sorted(SIZES), default="small")
        parser.add_argument("--seed", type=int, default=20261122)
        parser.add_argument("--only", nargs="*", choices=demo.names(), help="seed only these modules")
        parser.add_argument("--language", choices=[code for code, _name in settings.LANGUAGES],
                            default=settings.LANGUAGE_CODE,
                            help="the language the demo's names are in (default: LANGUAGE_CODE)")
        for name in SIZES["small"]:
            parser.add_argument(f"--{name}", type=int, help=f"how many {name} (overrides --size)")

    def handle(self, *args, **opts):
        # Names, categories and the texts services write while seeding come in this language.
        with translation.override(opts["language"]):
            self._seed(opts)

    def _seed(self, opts):
        counts = dict(SIZES[opts["size"]])
        for name in counts:
            if opts.get(name) is not None:
                counts[name] = opts[name]
        ctx = DemoContext(size=opts["size"], counts=counts, rng=random.Random(opts["seed"]), stdout=self.stdout)
        # Registered by each app's AppConfig.ready() in dependency order (core.demo).
        for module_name, seed in demo.seeders():
            if opts["only"] and module_name not in opts["only"]:
                # Later modules still need the handles of the earlier ones.
                if module_name != "accounts":
                    continue
            started = time.perf_counter()
            # The demo's history (opened, assigned, commented, breached) happened to nobody:
            # no notification mail or webhook for it.
            with events.quiet():
                seed(ctx)
            self.stdout.write(f"  {module_name}: {time.perf_counter() - started:.1f}s")
        # The demo's history is back-dated: settle what it already implies (breaches) now, quietly,
        # rather than on the worker's first sweep, which would mail about it.
        for module_name, finish in demo.finishers():
            if not opts["only"] or module_name in opts["only"]:
                with events.quiet():
                    finish(ctx)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
