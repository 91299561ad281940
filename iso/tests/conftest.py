import datetime as dt

import pytest
from django.utils import timezone

from accounts.roles import Role
from core.choices import Channel


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def audited(monkeypatch):
    """Clause ids the (stubbed) assurance app reports as audited in the cycle."""
    ids = set()
    monkeypatch.setattr("assurance.selectors.audited_clause_ids", lambda since: set(ids))
    return ids


@pytest.fixture
def auditor(make_user, monkeypatch):
    """A user the `auditor` role predicate says yes to (the role lands in accounts.roles elsewhere)."""
    from accounts import roles

    user = make_user(Role.END_USER, username="auditor")
    previous = getattr(roles, "is_auditor", lambda u: False)
    monkeypatch.setattr(roles, "is_auditor", lambda u: getattr(u, "username", None) == "auditor" or previous(u),
                        raising=False)
    return user


def approved_document(actor, clause_ids, number="DOC0000001", review_at=None):
    from documents.models import Document

    return Document.objects.create(number=number, title="Change management procedure", kind="procedure",
                                   state="approved", clauses=list(clause_ids), owner=actor,
                                   review_at=review_at or timezone.localdate() + dt.timedelta(days=300),
                                   approved_at=timezone.now(), created_by=actor)


def make_changes(actor, n):
    from changes.tests.factories import make_change

    return [make_change(actor, title=f"Patch the web servers {i}") for i in range(n)]


def today_period():
    today = timezone.localdate()
    return today - dt.timedelta(days=30), today


WEB = Channel.WEB
