"""The embedded default database (SQLite, used by `bin/run` without DATABASE_URL) migrates
from scratch, its migrations are complete, and the change app's PostgreSQL-only pieces have
working stand-ins there (id arrays stored as JSON, conflict detection's portable path).

Runs `manage.py` in subprocesses against a temporary SQLite file, whatever database the
rest of the suite uses.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SMOKE = """
from datetime import timedelta
from django.db import connection
from django.utils import timezone
from accounts.models import User
from changes import conflicts
from changes.models import Change
from cmdb.choices import BUSINESS_SERVICE_SLUG
from cmdb.models import CIClass, ConfigurationItem, Relationship

assert connection.vendor == "sqlite", connection.vendor
user = User.objects.create(username="smoke")
server = ConfigurationItem.objects.create(name="web1", ci_class=CIClass.objects.get_or_create(
    slug="server", defaults={"name": "Server"})[0])
svc = ConfigurationItem.objects.create(name="Payroll", ci_class=CIClass.objects.get_or_create(
    slug=BUSINESS_SERVICE_SLUG, defaults={"name": "Business service"})[0])
Relationship.objects.create(source=svc, target=server, type="depends_on")
start = timezone.now().replace(microsecond=0) + timedelta(days=1)
impact = conflicts.downstream_impact([server.pk])
assert impact.services == [svc.pk], impact
made = []
for i in range(2):
    change = Change.objects.create(number=f"CHG-SMOKE-{i}", title="smoke", requested_by=user, state="scheduled",
                                   planned_start=start, planned_end=start + timedelta(hours=2),
                                   impacted_services=impact.services)
    change.affected_cis.set([server])
    made.append(change)
assert Change.objects.get(pk=made[0].pk).impacted_services == [svc.pk]
ids = Change.objects.filter(pk__in=[c.pk for c in made])
Change.objects.filter(pk=made[1].pk).update(impacted_services=[])
for lookup, value, expected in [("contains", [svc.pk], 1), ("contains", [], 2), ("overlap", [svc.pk, 0], 1),
                                ("contained_by", [], 1), ("contained_by", [svc.pk], 2), ("exact", [], 1),
                                ("exact", [svc.pk], 1), ("len", 1, 1), ("len__gt", 5, 0)]:
    assert ids.filter(**{f"impacted_services__{lookup}": value}).count() == expected, (lookup, value)
Change.objects.filter(pk=made[1].pk).update(impacted_services=[svc.pk])
found = conflicts.detect(change_id=made[1].pk, ci_ids=[server.pk], services=impact.services,
                         start=start, end=start + timedelta(hours=1))
assert [(c["kind"], c["change"]) for c in found] == [("same_ci", made[0].pk)], found
assert conflicts.mirror(made[1], found) == 1
assert Change.objects.get(pk=made[0].pk).conflicts[0]["change"] == made[1].pk
print("sqlite smoke ok")
"""


@pytest.fixture(scope="module")
def sqlite_env(tmp_path_factory):
    var_dir = tmp_path_factory.mktemp("sqlite-var")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL")}
    env.update(ITSM_VAR_DIR=str(var_dir), DJANGO_SETTINGS_MODULE="itsm.settings", PYTHONPATH=str(ROOT))
    return env


def manage(env, *args, timeout=120):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_migrate_on_sqlite_then_changes_work(sqlite_env):
    result = manage(sqlite_env, "migrate", "--noinput", "-v0")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert (Path(sqlite_env["ITSM_VAR_DIR"]) / "itsm.sqlite3").exists()

    result = manage(sqlite_env, "makemigrations", "--check", "--dry-run")
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]

    result = manage(sqlite_env, "shell", "-c", SMOKE)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert "sqlite smoke ok" in result.stdout
