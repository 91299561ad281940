"""The change page's dependency picture: its affected CIs and what needs them, up to the
business services (the same downstream walk as the change's impact)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from changes.tests.factories import make_change, make_ci, needs, service

pytestmark = pytest.mark.django_db


def _get(client, url, **headers):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_change_page_loads_the_picture_of_what_its_cis_hold_up(client, agent):
    client.force_login(agent)
    db = make_ci("pay-db", "database")
    app = make_ci("pay-app", "application")
    needs(app, db), needs(service("Payroll"), app)
    change = make_change(agent, cis=[db])
    url = f"/changes/{change.pk}/dependencies/"
    page = client.get(change.get_absolute_url()).content.decode()
    assert f'hx-get="{url}"' in page
    _get(client, url, HTTP_HX_REQUEST="true")
    few, fragment = _get(client, url, HTTP_HX_REQUEST="true")
    assert "<html" not in fragment and 'data-testid="dependency-graph"' in fragment
    for name in ("pay-db", "pay-app", "Payroll"):
        assert f">{name}<" in fragment
    assert "Affected CI" in fragment  # the legend names the roots
    # more CIs needing the database: still the same number of queries
    for i in range(20):
        needs(make_ci(f"app-{i:02d}", "application"), db)
    many, fragment = _get(client, url, HTTP_HX_REQUEST="true")
    assert many == few and "+9 more" in fragment
    # the full-screen page, with the wide level expanded
    _count, full = _get(client, url + "?expand=-1")
    assert "depgraph-page" in full and "app-19" in full and "+9 more" not in full
    assert change.number in full


def test_a_change_without_cis_says_so(client, agent):
    client.force_login(agent)
    change = make_change(agent)
    _count, fragment = _get(client, f"/changes/{change.pk}/dependencies/", HTTP_HX_REQUEST="true")
    assert "This change names no CIs." in fragment
    assert "/dependencies/" not in client.get(change.get_absolute_url()).content.decode()
