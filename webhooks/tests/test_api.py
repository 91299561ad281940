"""API v1 `webhooks/`: the contract's fields, refusals as 4xx naming the field, pinned queries."""

import pytest

from webhooks import rules
from webhooks.models import Subscription, WebhookDelivery

pytestmark = pytest.mark.django_db

SECRET = rules.new_secret()


def create(client, **body):
    body.setdefault("url", "http://127.0.0.1:9/hook")
    body.setdefault("events", ["incident.*"])
    return client.post("/api/v1/webhooks/", body, format="json")


def test_create_answers_the_contract_fields_and_never_the_secret(manager_api, manager):
    response = create(manager_api, secret=SECRET, filters={"priority": [1, 2]})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {"id", "url", "events", "filters", "active"} <= set(body)
    assert "secret" not in body
    assert body["filters"] == {"priority": [1, 2]}
    subscription = Subscription.objects.get()
    assert (subscription.secret, subscription.owner) == (SECRET, manager)
    assert manager_api.get(f"/api/v1/webhooks/{body['id']}/").json().get("secret") is None


def test_a_secret_is_generated_when_none_is_sent(manager_api):
    create(manager_api)
    assert len(rules.secret_key(Subscription.objects.get().secret)) == 32


@pytest.mark.parametrize(("body", "field", "message"), [
    ({"url": "http://169.254.169.254/latest/meta-data/"}, "url",
     "This URL is refused: 169.254.169.254 is a cloud metadata address."),
    ({"url": "gopher://example.com/"}, "url", "This URL is refused: Only http and https URLs can receive webhooks."),
    ({"events": ["accounts.*"]}, "events", "accounts.*: accounts events are never sent to webhooks."),
    ({"events": []}, "events", "Choose at least one event."),
    ({"events": "incident.*"}, "events", None),
    ({"filters": {"colour": [1]}}, "filters", "Unknown filter 'colour': use service, priority or group."),
    ({"filters": {"service": [999999]}}, "filters", "No service with id 999999."),
    ({"filters": "x"}, "filters", None),
    ({"secret": "hunter2"}, "secret", "A secret has the form whsec_<base64 of 24 to 64 random bytes>."),
])
def test_bad_input_is_a_400_naming_the_field(manager_api, body, field, message):
    response = create(manager_api, **body)
    assert response.status_code == 400, response.content
    assert field in response.json()
    if message:
        assert response.json()[field] == [message]
    assert Subscription.objects.count() == 0


def test_a_hostname_resolving_to_loopback_is_refused_when_loopback_is_not_allowed(manager_api, settings):
    settings.WEBHOOKS_ALLOW_LOOPBACK = False
    response = create(manager_api, url="http://localhost:8080/hook")
    assert response.status_code == 400
    assert "localhost resolves to a refused address" in response.json()["url"][0]
    assert "loopback" in response.json()["url"][0]


@pytest.mark.parametrize("garbage", [[1, 2], "text", None, {"url": ["a"]}, {"events": [None]},
                                     {"url": "http://127.0.0.1/\x00", "events": ["*"]}])
def test_malformed_bodies_never_500(manager_api, garbage):
    response = manager_api.post("/api/v1/webhooks/", garbage, format="json")
    assert response.status_code == 400


def test_a_stale_version_is_409_and_changes_nothing(manager_api):
    subscription_id = create(manager_api).json()["id"]
    assert manager_api.patch(f"/api/v1/webhooks/{subscription_id}/", {"active": False, "version": 1},
                             format="json").status_code == 200
    response = manager_api.patch(f"/api/v1/webhooks/{subscription_id}/", {"active": True, "version": 1},
                                 format="json")
    assert response.status_code == 409
    assert Subscription.objects.get().active is False


def test_who_may_call(api_as, agent, end_user, manager_api):
    subscription_id = create(manager_api).json()["id"]
    from rest_framework.test import APIClient

    assert APIClient().get("/api/v1/webhooks/").status_code == 401
    assert api_as(agent).get("/api/v1/webhooks/").status_code == 200  # the desk reads
    assert create(api_as(agent)).status_code == 403  # managers write
    assert api_as(end_user).get("/api/v1/webhooks/").status_code == 403
    assert api_as(end_user).get(f"/api/v1/webhooks/{subscription_id}/deliveries/").status_code == 403
    assert manager_api.get("/api/v1/webhooks/999999/deliveries/").status_code == 404
    assert manager_api.get("/api/v1/webhooks/x/deliveries/").status_code == 404


def _deliveries(subscription, count, state="delivered"):
    from django.contrib.contenttypes.models import ContentType

    from core.models import OutboxEvent

    events = OutboxEvent.objects.bulk_create([OutboxEvent(name="incident.created") for _ in range(count)])
    ct = ContentType.objects.get_for_model(Subscription)
    return WebhookDelivery.objects.bulk_create([WebhookDelivery(
        subscription=subscription, event=e, event_name=e.name, content_type=ct, object_id=1, record_key="x",
        body="{}", state=state, attempts=1, response_status=200) for e in events])


def test_deliveries_list_has_the_contract_fields(manager_api):
    subscription = Subscription.objects.get(pk=create(manager_api).json()["id"])
    delivery = _deliveries(subscription, 1)[0]
    body = manager_api.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert {"id", "event", "webhook_id", "state", "attempts", "response_status", "delivered_at"} <= set(row)
    assert (row["id"], row["event"], row["webhook_id"], row["state"]) == (delivery.pk, "incident.created",
                                                                         delivery.webhook_id, "delivered")
    filtered = manager_api.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/?state=dead").json()
    assert filtered["count"] == 0


@pytest.mark.parametrize("count", [1, 30])
def test_lists_run_a_pinned_number_of_queries(manager_api, count, django_assert_num_queries):
    subscription = Subscription.objects.get(pk=create(manager_api).json()["id"])
    for _ in range(count - 1):
        create(manager_api)
    _deliveries(subscription, count)
    # token with role names, count, page
    with django_assert_num_queries(3):
        assert manager_api.get("/api/v1/webhooks/").status_code == 200
    # token with role names, the subscription, count, page
    with django_assert_num_queries(4):
        assert manager_api.get(f"/api/v1/webhooks/{subscription.pk}/deliveries/").status_code == 200


def test_replay_endpoint(manager_api, manager):
    subscription = Subscription.objects.get(pk=create(manager_api).json()["id"])
    delivery = _deliveries(subscription, 1)[0]
    response = manager_api.post(f"/api/v1/webhooks/{subscription.pk}/deliveries/{delivery.pk}/replay/")
    assert response.status_code == 202
    assert (response.json()["state"], response.json()["webhook_id"]) == ("pending", delivery.webhook_id)
    again = manager_api.post(f"/api/v1/webhooks/{subscription.pk}/deliveries/{delivery.pk}/replay/")
    assert again.status_code == 400
    assert again.json() == {"state": ["This delivery is still being sent."]}


def test_replay_range_endpoint(manager_api):
    subscription = Subscription.objects.get(pk=create(manager_api).json()["id"])
    _deliveries(subscription, 3)
    response = manager_api.post(f"/api/v1/webhooks/{subscription.pk}/replay/",
                                {"start": "2000-01-01T00:00:00Z", "end": "2100-01-01T00:00:00Z"}, format="json")
    assert response.status_code == 200
    assert response.json() == {"replayed": 3}
    bad = manager_api.post(f"/api/v1/webhooks/{subscription.pk}/replay/",
                           {"start": "2100-01-01T00:00:00Z", "end": "2000-01-01T00:00:00Z"}, format="json")
    assert bad.status_code == 400 and "end" in bad.json()


def test_the_schema_documents_the_webhook_endpoints(manager_api):
    schema = manager_api.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    assert "/api/v1/webhooks/" in paths
    assert "/api/v1/webhooks/{subscription_pk}/deliveries/" in paths
    assert "/api/v1/webhooks/{subscription_pk}/deliveries/{id}/replay/" in paths
    schemas = schema["components"]["schemas"]
    assert "secret" in schemas["SubscriptionRequest"]["properties"]
    assert "secret" not in schemas["Subscription"]["properties"]
