import datetime as dt

import pytest

from assurance import services
from core.choices import Channel

WEB = Channel.WEB


@pytest.fixture
def programme(manager):
    return services.create_programme(actor=manager, channel=WEB, name="Cycle 2025", start_year=2025)


@pytest.fixture
def make_audit(manager, programme):
    def make(scope=("8.6",), planned=dt.date(2026, 3, 10), audited_teams=(), lead=None, **fields):
        fields.setdefault("title", "Incident management")
        return services.create_audit(actor=manager, channel=WEB, scope=list(scope), planned_date=planned,
                                     lead_auditor=lead or manager, audited_teams=list(audited_teams), **fields)

    return make


@pytest.fixture
def audit_in_progress(make_audit, manager):
    audit = make_audit()
    audit, _diff = services.update_audit(audit, actor=manager, channel=WEB, changes={"state": "in_progress"})
    return audit
