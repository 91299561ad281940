"""Webhooks desk pages in a real browser: a manager creates a subscription to a local receiver,
an incident's event is delivered and shows in the log, and the log is replayed. Screenshots at
1440 and 390 px, English and Korean."""

import pytest

from conftest import screenshot
from core import outbox
from core.choices import Channel
from incidents.services import open_incident
from webhooks import sender
from webhooks.models import Subscription
from webhooks.tests.receiver import Receiver

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def phone(page, name):
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1440, "height": 900})


def test_a_manager_subscribes_and_reads_the_delivery_log(page, login, manager, agent, end_user, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = True
    receiver = Receiver()
    try:
        login(manager)
        page.set_viewport_size({"width": 1440, "height": 900})
        page.goto("/webhooks/new/")
        page.fill("#id_name", "SIEM")
        page.fill("#id_url", receiver.url)
        page.select_option("#id_events", ["incident.*"])
        page.click("[data-testid=save-webhook]")
        page.wait_for_load_state("networkidle")
        subscription = Subscription.objects.get()
        open_incident(actor=agent, channel=Channel.WEB, title="메일 서버 응답 없음", caller=end_user)
        outbox.deliver_due()
        sender.deliver_due()
        assert len(receiver.received) == 1
        page.goto(f"/webhooks/{subscription.pk}/")
        assert page.locator("[data-testid=delivery-rows] tbody tr").count() == 1
        screenshot(page, "webhooks-detail-1440")
        phone(page, "webhooks-detail")
        page.goto("/webhooks/")
        screenshot(page, "webhooks-list-1440")
        page.select_option("#language-select", "ko")
        page.wait_for_function("() => document.documentElement.lang === 'ko'")
        page.goto(f"/webhooks/{subscription.pk}/")
        screenshot(page, "webhooks-detail-ko-1440")
        phone(page, "webhooks-detail-ko")
        page.goto("/webhooks/new/")
        screenshot(page, "webhooks-form-ko-1440")
    finally:
        receiver.stop()
