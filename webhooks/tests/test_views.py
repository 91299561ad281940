"""Desk pages /webhooks/: managers and administrators only; writes through the services."""

import re

import pytest
from django.urls import reverse

from webhooks.models import Subscription, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client
    return login


def test_agents_and_end_users_are_refused(as_user, agent, end_user):
    assert as_user(agent).get(reverse("webhooks:list")).status_code == 403
    assert as_user(end_user).get(reverse("webhooks:create")).status_code == 403


def test_create_from_the_desk(as_user, manager, receiver):
    response = as_user(manager).post(reverse("webhooks:create"), {
        "name": "SIEM", "url": receiver.url, "events": ["incident.*", "*.resolved"], "priorities": ["1", "2"],
        "active": "on"})
    subscription = Subscription.objects.get()
    assert response.status_code == 302 and response.url == subscription.get_absolute_url()
    assert (subscription.name, subscription.events, subscription.filters) == (
        "SIEM", ["incident.*", "*.resolved"], {"priority": [1, 2]})
    assert subscription.secret.startswith("whsec_")


def test_a_metadata_url_is_shown_on_the_form_not_saved(as_user, manager):
    response = as_user(manager).post(reverse("webhooks:create"), {
        "url": "http://169.254.169.254/latest/", "events": ["incident.*"], "active": "on"})
    assert response.status_code == 400
    assert "169.254.169.254 is a cloud metadata address." in response.content.decode()
    assert Subscription.objects.count() == 0


def test_edit_keeps_the_secret_when_left_empty(as_user, manager, subscribe, receiver):
    subscription = subscribe(receiver.url)
    secret = subscription.secret
    response = as_user(manager).post(reverse("webhooks:edit", args=[subscription.pk]), {
        "url": receiver.url, "events": ["change.*"], "version": subscription.version})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert (subscription.secret, subscription.events, subscription.active) == (secret, ["change.*"], False)


@pytest.mark.parametrize("count", [1, 20])
def test_list_and_log_pages_run_pinned_queries(as_user, manager, subscribe, receiver, count,
                                               django_assert_num_queries):
    from webhooks.tests.test_api import _deliveries

    subscriptions = [subscribe(receiver.url) for _ in range(count)]
    _deliveries(subscriptions[0], count)
    client = as_user(manager)
    client.get(reverse("webhooks:list"))  # warm-up: content types, session
    # session, user, the rows (with their owed and dead counts), then the desk navigation's
    # approvals count (changes, request items: one statement); the role names are kept per process
    with django_assert_num_queries(4):
        assert client.get(reverse("webhooks:list")).status_code == 200
    # session, user, the subscription, the log's count and page, the navigation's one
    with django_assert_num_queries(6):
        response = client.get(reverse("webhooks:detail", args=[subscriptions[0].pk]) + "?state=delivered")
    assert response.status_code == 200
    assert len(re.findall(r'data-testid="replay-\d+"', response.content.decode())) == count


def test_replay_buttons(as_user, manager, subscribe, receiver):
    from webhooks.tests.test_api import _deliveries

    subscription = subscribe(receiver.url)
    delivery = _deliveries(subscription, 1)[0]
    response = as_user(manager).post(reverse("webhooks:replay", args=[subscription.pk, delivery.pk]))
    assert response.status_code == 302
    assert WebhookDelivery.objects.get().state == "pending"
    response = as_user(manager).post(reverse("webhooks:replay_range", args=[subscription.pk]),
                                     {"start": "2000-01-01T00:00", "end": "2100-01-01T00:00"})
    assert response.status_code == 302
