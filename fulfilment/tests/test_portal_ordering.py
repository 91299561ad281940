"""Ordering in the portal through the real services: request now, the cart (several items, files),
a colleague's request, refusals that keep what was typed, cancelling."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.storage import default_storage
from django.urls import reverse

from core.models import Attachment
from fulfilment.models import Request
from fulfilment.tests.portal_fixtures import (  # noqa: F401  (fixtures)
    fulfilment_team, hardware, laptop, make_item,
)

pytestmark = pytest.mark.django_db
LAPTOP_ANSWERS = {"model": "developer", "needs_software": "true", "software": "PyCharm", "order-quantity": "1"}


@pytest.fixture
def signed_in(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


@pytest.fixture
def manager_of(make_user):
    def give(user):
        boss = make_user("end_user", username=f"boss_of_{user.username}", organisation="Finance")
        user.manager = boss
        user.save(update_fields=["manager"])
        return boss
    return give


@pytest.fixture
def id_card(hardware):
    return make_item(hardware, "Access card", "출입카드", form_schema={
        "type": "object", "properties": {"photo": {"type": "string", "x-field": "attachment"}},
        "required": ["photo"], "additionalProperties": False},
        form_ui={"order": ["photo"], "fields": {"photo": {"label": "Photo", "label_ko": "사진"}}})


def _png(name="me.png"):
    data = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
            b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")
    return SimpleUploadedFile(name, data, content_type="image/png")


def test_request_now_places_a_request_and_shows_its_progress(signed_in, end_user, manager_of, laptop):
    manager_of(end_user)
    client = signed_in(end_user)
    response = client.post(reverse("portal_requests:item", args=[laptop.pk]), {**LAPTOP_ANSWERS, "action": "request"})
    order = Request.objects.get()
    assert response.status_code == 302 and response.url == reverse("portal_requests:request_detail", args=[order.pk])
    assert order.number.startswith("REQ") and order.requested_by == order.requested_for == end_user
    (line,) = order.items.all()
    assert line.answers == {"model": "developer", "needs_software": True, "software": "PyCharm"}
    page = client.get(response.url)
    (view,) = page.context["progresses"]
    assert view.headline.startswith("Waiting for approval by your line manager")
    assert [s.status for s in page.context["steps"]] == ["done", "current", "todo", "todo"]


def test_a_hidden_answer_is_not_kept_and_a_missing_shown_one_is_named(signed_in, end_user, laptop):
    client = signed_in(end_user)
    response = client.post(reverse("portal_requests:item", args=[laptop.pk]), {
        "model": "standard", "needs_software": "true", "reason": "Mine broke", "order-quantity": "1",
        "action": "request"})
    assert response.status_code == 400
    assert "software" in response.context["form"].errors
    assert "Mine broke" in response.content.decode()
    assert not Request.objects.exists()


def test_the_cart_submits_several_items_as_one_request(signed_in, end_user, other_end_user, laptop, hardware):
    monitor = make_item(hardware, "Monitor", "모니터")
    client = signed_in(end_user)
    client.post(reverse("portal_requests:item", args=[laptop.pk]), {**LAPTOP_ANSWERS, "action": "cart"})
    client.post(reverse("portal_requests:item", args=[monitor.pk]), {"order-quantity": "2", "action": "cart"})
    assert len(client.session["portal_cart"]["lines"]) == 2
    response = client.post(reverse("portal_requests:cart"), {
        "action": "submit", "order-requested_for": str(other_end_user.pk), "order-requested_for_text": ""})
    order = Request.objects.get()
    assert response.url == reverse("portal_requests:request_detail", args=[order.pk])
    assert order.requested_for == other_end_user and order.requested_by == end_user
    assert sorted((i.catalog_item.name, i.quantity) for i in order.items.all()) == [("Laptop", 1), ("Monitor", 2)]
    assert client.session["portal_cart"]["lines"] == []
    laptop.refresh_from_db()
    assert laptop.times_ordered == 1
    # the colleague follows it too
    client.force_login(other_end_user)
    assert client.get(response.url).status_code == 200


def test_a_line_that_broke_the_form_since_is_named_and_the_cart_kept(signed_in, end_user, laptop):
    client = signed_in(end_user)
    client.post(reverse("portal_requests:item", args=[laptop.pk]), {**LAPTOP_ANSWERS, "action": "cart"})
    laptop.form_schema = {**laptop.form_schema, "properties": {**laptop.form_schema["properties"],
                          "model": {"type": "string", "enum": ["standard"], "x-field": "choice"}}}
    laptop.save()
    response = client.post(reverse("portal_requests:cart"), {"action": "submit"})
    assert response.status_code == 400
    assert any(e.startswith("Laptop: ") for e in response.context["form"].non_field_errors())
    assert not Request.objects.exists() and len(client.session["portal_cart"]["lines"]) == 1


def test_an_item_withdrawn_after_adding_cannot_be_submitted(signed_in, end_user, laptop):
    client = signed_in(end_user)
    client.post(reverse("portal_requests:item", args=[laptop.pk]), {**LAPTOP_ANSWERS, "action": "cart"})
    laptop.active = False
    laptop.save()
    page = client.get(reverse("portal_requests:cart"))
    assert page.context["unavailable"] is True
    assert client.post(reverse("portal_requests:cart"), {"action": "submit"}).status_code == 400
    assert not Request.objects.exists()


def test_a_file_answer_waits_in_the_cart_and_becomes_an_attachment(signed_in, end_user, id_card, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = signed_in(end_user)
    response = client.post(reverse("portal_requests:item", args=[id_card.pk]),
                           {"photo": _png(), "order-quantity": "1", "action": "cart"})
    assert response.status_code == 302, response.context and response.context["form"].errors
    (line,) = client.session["portal_cart"]["lines"]
    staged = line["files"]["photo"]["path"]
    assert default_storage.exists(staged)
    client.post(reverse("portal_requests:cart"), {"action": "submit"})
    order = Request.objects.get()
    assert [a.filename for a in Attachment.objects.all()] == ["me.png"]
    assert order.items.get().answers == {"photo": "me.png"}
    assert not default_storage.exists(staged)


def test_removing_a_line_deletes_its_staged_file(signed_in, end_user, id_card, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    client = signed_in(end_user)
    client.post(reverse("portal_requests:item", args=[id_card.pk]), {"photo": _png(), "order-quantity": "1",
                                                                    "action": "cart"})
    (line,) = client.session["portal_cart"]["lines"]
    client.post(reverse("portal_requests:cart"), {"action": "remove", "key": line["key"]})
    assert client.session["portal_cart"]["lines"] == []
    assert not default_storage.exists(line["files"]["photo"]["path"])


def test_the_requester_cancels_an_open_request(signed_in, end_user, manager_of, laptop):
    manager_of(end_user)
    client = signed_in(end_user)
    client.post(reverse("portal_requests:item", args=[laptop.pk]), {**LAPTOP_ANSWERS, "action": "request"})
    order = Request.objects.get()
    url = reverse("portal_requests:request_detail", args=[order.pk])
    assert client.post(url, {"action": "cancel", "reason": "Found a spare one"}).status_code == 302
    order.refresh_from_db()
    assert order.state == "cancelled"
    page = client.get(url)
    assert page.context["can_cancel"] is False
    assert client.post(url, {"action": "cancel"}).status_code == 400
