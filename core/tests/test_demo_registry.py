"""Every app's demo seeder is registered by its AppConfig, in dependency order."""

import pytest

from core import demo


def test_seeders_run_in_dependency_order():
    assert demo.names() == ["accounts", "cmdb", "sla", "incidents", "problems", "changes", "releases", "catalog",
                            "fulfilment", "knowledge", "monitoring", "surveys", "voc", "documents", "suppliers",
                            "portfolio", "availability", "capacity", "continuity", "improvements", "publicsla",
                            "mailin", "webhooks", "dashboards", "reports", "assurance"]


def test_a_seeder_registered_before_what_it_needs_is_refused():
    with pytest.raises(RuntimeError, match="needs nowhere"):
        demo.register("later", lambda ctx: None, after=("nowhere",))
    assert "later" not in demo.names()
