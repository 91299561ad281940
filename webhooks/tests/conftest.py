import datetime

import pytest

from core import outbox
from core.choices import Channel
from incidents import services as incident_services
from webhooks import rules, sender, services
from webhooks.models import Subscription
from webhooks.tests.receiver import Receiver


@pytest.fixture(autouse=True)
def fresh_patterns(settings):
    """Loopback receivers allowed (the tests' own); no kept patterns leak between tests (the root
    conftest clears core.memo around each test)."""
    settings.WEBHOOKS_ALLOW_LOOPBACK = True


@pytest.fixture
def receiver():
    server = Receiver()
    yield server
    try:
        server.stop()
    except Exception:  # noqa: BLE001 - a test may have stopped it already
        pass


@pytest.fixture
def subscribe(manager):
    def make(url, events=("incident.*",), **fields):
        return services.save_subscription(None, actor=manager, channel=Channel.WEB,
                                          fields={"url": url, "events": list(events), **fields})
    return make


@pytest.fixture
def open_incident(agent, end_user):
    def make(**fields):
        fields.setdefault("title", "메일 발송이 안 됩니다")
        fields.setdefault("caller", end_user)
        return incident_services.open_incident(actor=agent, channel=Channel.WEB, **fields)
    return make


@pytest.fixture
def pump():
    """Run the outbox (fan-out) and then the sender, as the Celery workers would."""
    def run(**kwargs):
        outbox.deliver_due()
        return sender.deliver_due(**kwargs)
    return run


def make_due(subscription=None):
    """Time passes: every owed delivery is due now (instead of waiting out the backoff)."""
    from webhooks.models import WebhookDelivery
    from django.utils import timezone

    rows = WebhookDelivery.objects.filter(state__in=["pending", "failed"])
    if subscription is not None:
        rows = rows.filter(subscription=subscription)
    rows.update(next_attempt_at=timezone.now() - datetime.timedelta(seconds=1))


__all__ = ["make_due", "rules", "Subscription"]
