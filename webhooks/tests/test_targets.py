"""The SSRF guard: at save time (400 naming the url) and at delivery time (nothing is sent)."""

import socket

import pytest

from core.choices import Channel
from core.exceptions import DomainError
from webhooks import sender, services, targets
from webhooks.models import WebhookDelivery


def resolving_to(*addresses):
    def resolver(host, port, proto=0):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]
    return resolver


@pytest.mark.parametrize(("url", "reason"), [
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address."),
    ("http://127.0.0.1:8000/", "127.0.0.1 is a loopback address."),
    ("http://[::1]/", "::1 is a loopback address."),
    ("http://10.1.2.3/", "10.1.2.3 is a private address."),
    ("http://192.168.0.10/", "192.168.0.10 is a private address."),
    ("http://169.254.1.1/", "169.254.1.1 is a link-local address."),
    ("http://224.0.0.1/", "224.0.0.1 is a multicast address."),
    ("http://0.0.0.0/", "0.0.0.0 is an unspecified address."),
    ("http://[::ffff:127.0.0.1]/", "127.0.0.1 is a loopback address."),
    ("http://100.64.0.1/", "100.64.0.1 is not a public address."),
    ("ftp://example.com/", "Only http and https URLs can receive webhooks."),
    ("http://user:pw@example.com/", "Put credentials in the secret, not in the URL."),
    ("http://:80/", "The URL has no host."),
    ("http://example.com:99999/", "This is not a valid URL."),
])
def test_refused_literal_targets(url, reason, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(targets.TargetRefused) as refused:
        targets.check(url, resolver=resolving_to("93.184.215.14"))
    assert str(refused.value) == reason


def test_a_hostname_resolving_to_loopback_is_refused(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(targets.TargetRefused) as refused:
        targets.check("http://innocent.example/hook", resolver=resolving_to("93.184.215.14", "127.0.0.1"))
    assert str(refused.value) == "innocent.example resolves to a refused address: 127.0.0.1 is a loopback address."


def test_a_public_hostname_is_checked_and_pinned(settings):
    target = targets.check("https://hooks.example/x", resolver=resolving_to("93.184.215.14"))
    assert (target.scheme, target.host, target.port, target.address) == ("https", "hooks.example", 443,
                                                                        "93.184.215.14")


def test_allowed_networks_let_internal_systems_in_but_never_metadata(settings):
    settings.WEBHOOKS_ALLOWED_NETWORKS = ["10.0.0.0/8", "169.254.0.0/16"]
    assert targets.check("http://10.1.2.3/").address == "10.1.2.3"
    with pytest.raises(targets.TargetRefused):
        targets.check("http://169.254.169.254/")


def test_localhost_by_name_is_refused_when_loopback_is_not_allowed(settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    with pytest.raises(targets.TargetRefused) as refused:
        targets.check("http://localhost:8000/hook")
    assert "loopback" in str(refused.value)


@pytest.mark.django_db
def test_saving_a_metadata_url_is_refused_naming_the_field(manager):
    with pytest.raises(DomainError) as refused:
        services.save_subscription(None, actor=manager, channel=Channel.WEB,
                                   fields={"url": "http://169.254.169.254/", "events": ["incident.*"]})
    assert refused.value.field == "url"
    assert str(refused.value.message) == "This URL is refused: 169.254.169.254 is a cloud metadata address."


@pytest.mark.django_db
def test_dns_rebinding_after_save_is_caught_at_delivery(receiver, subscribe, open_incident, pump, settings):
    # given a subscription saved while loopback was allowed (say, the name pointed elsewhere then)
    subscribe(receiver.url)
    open_incident()
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    # when the sender resolves it now
    pump()
    # then nothing was sent and the log says why
    delivery = WebhookDelivery.objects.get()
    assert receiver.received == []
    assert delivery.state == "failed"
    assert delivery.error == "refused: 127.0.0.1 is a loopback address."


@pytest.mark.django_db
def test_the_sender_connects_to_the_address_it_checked(receiver, subscribe, open_incident, settings):
    # given a name that resolves to the receiver's address (127.0.0.1, allowed here)
    subscription = subscribe(receiver.url)
    subscription.url = f"http://hooks.internal.test:{receiver.port}/hook"
    subscription.save()
    open_incident()
    from core import outbox

    outbox.deliver_due()
    # when it is sent with that resolution
    sender.deliver_due(resolver=resolving_to("127.0.0.1"))
    # then it reached the checked address, with the name in the Host header
    assert receiver.received[0][0]["host"] == f"hooks.internal.test:{receiver.port}"
