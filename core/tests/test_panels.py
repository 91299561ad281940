"""Panel slots (core.panels): an upper app fills a lower app's page without being imported by it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.template import Context, Template
from django.test import RequestFactory

from core import panels


@pytest.fixture
def clean_slot():
    saved = {slot: list(registered) for slot, registered in panels._panels.items()}
    saved_filed = list(panels._filed)
    for slot in panels._panels:
        panels._panels[slot] = []
    panels._filed.clear()
    yield
    panels._panels.update(saved)
    panels._filed[:] = saved_filed


def test_a_registered_panel_renders_with_its_own_context_and_none_hides_it(clean_slot):
    panels.register("ticket_side", "includes/invalid_filter.html", lambda request, obj: None, order=1)
    panels.register("ticket_side", "includes/pager.html",
                    lambda request, obj: {"page": None, "query": obj}, order=2)
    shown = panels.panels_for("ticket_side", RequestFactory().get("/"), "q=1")
    assert [template for template, _context in shown] == ["includes/pager.html"]
    assert shown[0][1]["query"] == "q=1"
    # registering the same template again replaces it (ready() may run twice)
    panels.register("ticket_side", "includes/pager.html", lambda request, obj: None, order=2)
    assert [p.template for p in panels.registered("ticket_side")].count("includes/pager.html") == 1


def test_the_template_tag_and_an_unknown_slot(clean_slot):
    panels.register("portal_new_ticket", "knowledge/panels/_used.html", lambda request, obj: {"message": obj})
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    html = Template('{% load core_tags %}{% panels "portal_new_ticket" thing %}').render(
        Context({"thing": "Recorded <b>", "request": request}))
    assert "Recorded &lt;b&gt;" in html
    with pytest.raises(ValueError):
        panels.register("nowhere", "x.html", lambda request, obj: {})


def test_ticket_filed_calls_every_callback(clean_slot):
    seen = []
    panels.on_ticket_filed(lambda request, ticket: seen.append(ticket))
    panels.ticket_filed(None, "INC1")
    assert "INC1" in seen
