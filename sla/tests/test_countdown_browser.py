"""The live SLA countdown words its units in the page's language (issue 11, item 11)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from core.choices import Channel
from incidents import services
from sla.models import SLAClock
from sla.tests.factories import make_calendar, make_definition

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(("language", "pattern"), [("ko", r"^\d+일 \d+시간$"), ("en", r"^\d+d \d+h$")])
def test_countdown_units_follow_the_language(page, login, agent, end_user, language, pattern):
    make_definition(calendar=make_calendar(always_open=True), targets={p: (6000, 9000) for p in range(1, 6)})
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="메일 발송 실패")
    login(agent)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto(incident.get_absolute_url())
    countdown = page.locator("[data-due]").first
    page.wait_for_function("() => /\\d/.test(document.querySelector('[data-due]').textContent)")
    assert re.match(pattern, countdown.inner_text().strip()), countdown.inner_text()


@pytest.mark.parametrize(("language", "pattern"), [("ko", r"^(9|10|11)분 초과$"), ("en", r"^(9|10|11)m overdue$")])
def test_a_due_instant_passed_before_the_sweep_counts_up_as_overdue(page, login, agent, end_user, language,
                                                                   pattern):
    make_definition(calendar=make_calendar(always_open=True), targets={p: (6000, 9000) for p in range(1, 6)})
    incident = services.open_incident(actor=end_user, channel=Channel.PORTAL, title="메일 발송 실패")
    SLAClock.objects.filter(object_id=incident.pk, kind="response").update(
        due_at=timezone.now() - timedelta(minutes=10))
    login(agent)
    page.context.add_cookies([{"name": "django_language", "value": language, "url": page.url}])
    page.goto(incident.get_absolute_url())
    overdue = page.locator(".badge-sla-breached [data-due]").first  # the script's words, written at load
    assert re.match(pattern, overdue.inner_text().strip()), overdue.inner_text()
