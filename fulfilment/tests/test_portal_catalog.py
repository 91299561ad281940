"""The portal's catalog pages: home, search, category and item page, and ordering from it."""

import pytest
from django.urls import reverse

from accounts.models import Team
from fulfilment.tests.portal_fixtures import (  # noqa: F401  (fixtures)
    fulfilment_team, hardware, laptop, make_category, make_item,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client
    return sign_in


def _catalog(hardware, n):
    software = make_category("Software", "소프트웨어", order=2)
    licences = make_category("Licences", "라이선스", parent=software)
    for i in range(n):
        make_item(hardware, f"Monitor {i}", f"모니터 {i}", times_ordered=i)
        make_item(licences, f"Licence {i}", f"라이선스 {i}", times_ordered=100 + i)
    return software, licences


def test_home_shows_categories_with_counts_and_popular_items(client_of, end_user, hardware, laptop):
    # given
    software, _licences = _catalog(hardware, 2)
    make_category("Empty shelf")
    # when
    response = client_of(end_user).get(reverse("portal_requests:catalog"))
    # then
    assert response.status_code == 200
    shelves = {c.name: c.count for c in response.context["shelves"]}
    assert shelves == {"Hardware": 3, "Software": 2}  # a sub-category's items count for its parent
    popular = [i.name for i in response.context["popular"]]
    assert popular[:2] == ["Licence 1", "Licence 0"]


def test_home_in_korean_names_things_in_korean(client_of, end_user, laptop):
    client = client_of(end_user)
    client.cookies["django_language"] = "ko"
    body = client.get(reverse("portal_requests:catalog")).content.decode()
    assert "하드웨어" in body and "노트북" in body


@pytest.mark.parametrize("n", [2, 6])
def test_home_and_category_pages_use_a_constant_number_of_queries(client_of, end_user, hardware, laptop,
                                                                  django_assert_num_queries, n):
    software, licences = _catalog(hardware, n)
    client = client_of(end_user)
    client.get(reverse("portal_requests:catalog"))  # the session and user are loaded once
    # session, user, categories, counts, popular items (the user's roles are kept per process)
    with django_assert_num_queries(5):
        assert client.get(reverse("portal_requests:catalog")).status_code == 200
    # session, user, category, sub-categories, counts, items (roles: kept)
    with django_assert_num_queries(6):
        assert client.get(reverse("portal_requests:category", args=[software.pk])).status_code == 200
    with django_assert_num_queries(6):
        assert client.get(reverse("portal_requests:category", args=[licences.pk])).status_code == 200


def test_search_finds_items_in_korean_and_english(client_of, end_user, laptop, hardware):
    make_item(hardware, "Monitor", "모니터")
    client = client_of(end_user)
    korean = client.get(reverse("portal_requests:search"), {"q": "노트북"})
    english = client.get(reverse("portal_requests:search"), {"q": "laptop"})
    assert [i.pk for i in korean.context["results"]] == [laptop.pk]
    assert [i.pk for i in english.context["results"]] == [laptop.pk]


def test_search_never_shows_what_the_user_may_not_order(client_of, end_user, hardware):
    secret = make_item(hardware, "Laptop for executives", available_to_everyone=False)
    secret.groups.add(Team.objects.create(name="Executives"))
    response = client_of(end_user).get(reverse("portal_requests:search"), {"q": "laptop"})
    assert response.context["results"] == []


def test_odd_search_input_is_no_error(client_of, end_user, laptop):
    client = client_of(end_user)
    for q in ("", " ", "a" * 5000, "\x00", "%_'\"", "노트북 OR 1=1"):
        assert client.get(reverse("portal_requests:search"), {"q": q}).status_code == 200


def test_item_page_tells_what_the_item_is_and_who_approves(client_of, end_user, laptop):
    response = client_of(end_user).get(reverse("portal_requests:item", args=[laptop.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "A laptop for work" in body
    assert "About 3 working days" in body
    assert "Approved by your line manager." in body
    assert 'name="model"' in body and 'name="order-quantity"' in body and 'name="order-requested_for"' in body
    assert 'data-testid="request-now"' in body and 'data-testid="add-to-cart"' in body


def test_item_the_user_may_not_order_is_a_404(client_of, end_user, other_end_user, hardware):
    team = Team.objects.create(name="Executives")
    secret = make_item(hardware, "Executive phone", available_to_everyone=False)
    secret.groups.add(team)
    inactive = make_item(hardware, "Old phone", active=False)
    client = client_of(end_user)
    assert client.get(reverse("portal_requests:item", args=[secret.pk])).status_code == 404
    assert client.post(reverse("portal_requests:item", args=[secret.pk]), {"action": "cart"}).status_code == 404
    assert client.get(reverse("portal_requests:item", args=[inactive.pk])).status_code == 404
    assert client.get(reverse("portal_requests:item", args=[999999])).status_code == 404
    team.members.add(end_user)
    assert client.get(reverse("portal_requests:item", args=[secret.pk])).status_code == 200


def test_a_category_with_nothing_for_the_user_is_a_404(client_of, end_user, hardware):
    shelf = make_category("Executives only")
    secret = make_item(shelf, "Executive phone", available_to_everyone=False)
    secret.groups.add(Team.objects.create(name="Executives"))
    assert client_of(end_user).get(reverse("portal_requests:category", args=[shelf.pk])).status_code == 404


def test_invalid_answers_stay_on_the_page_with_the_field_named(client_of, end_user, laptop):
    client = client_of(end_user)
    response = client.post(reverse("portal_requests:item", args=[laptop.pk]), {
        "model": "no-such-model", "reason": "My old one broke", "order-quantity": "2", "action": "cart"})
    assert response.status_code == 400
    assert "model" in response.context["form"].errors
    body = response.content.decode()
    assert "My old one broke" in body and 'value="2"' in body
    assert client.session.get("portal_cart") is None


@pytest.mark.parametrize("quantity", ["0", "4", "1000000", "many", "-1"])
def test_quantity_out_of_range_is_refused_on_the_field(client_of, end_user, laptop, quantity):
    response = client_of(end_user).post(reverse("portal_requests:item", args=[laptop.pk]), {
        "model": "standard", "order-quantity": quantity, "action": "cart"})
    assert response.status_code == 400
    assert "quantity" in response.context["order_form"].errors


def test_add_to_cart_keeps_the_answers_and_counts_in_the_navigation(client_of, end_user, laptop):
    client = client_of(end_user)
    response = client.post(reverse("portal_requests:item", args=[laptop.pk]), {
        "model": "developer", "needs_software": "true", "software": "PyCharm", "order-quantity": "2",
        "action": "cart"})
    assert response.status_code == 302 and response.url == reverse("portal_requests:cart")
    (line,) = client.session["portal_cart"]["lines"]
    assert line["item"] == laptop.pk and line["quantity"] == 2
    assert line["answers"]["model"] == "developer" and line["answers"]["software"] == "PyCharm"
    page = client.get(reverse("portal_requests:cart")).content.decode()
    assert 'data-testid="cart-count">1<' in page
    assert "Developer laptop" in page and "PyCharm" in page


def test_request_for_a_colleague_outside_the_organisation_is_refused(client_of, end_user, make_user, laptop):
    stranger = make_user("end_user", username="stranger", organisation="Sales")
    response = client_of(end_user).post(reverse("portal_requests:item", args=[laptop.pk]), {
        "model": "standard", "order-quantity": "1", "order-requested_for": str(stranger.pk),
        "order-requested_for_text": "", "action": "cart"})
    assert response.status_code == 400
    assert "requested_for" in response.context["order_form"].errors


def test_colleague_suggestions_are_people_of_ones_organisation(client_of, end_user, other_end_user, make_user):
    make_user("end_user", username="enduser3", organisation="Sales")
    data = client_of(end_user).get(reverse("portal_requests:people"), {"q": "enduser"}).json()
    assert {r["detail"] for r in data["results"]} == {"enduser", "enduser2"}


def test_a_person_question_suggests_through_the_portal(client_of, end_user, hardware):
    item = make_item(hardware, "Shared mailbox", form_schema={
        "type": "object", "properties": {"owner": {"type": "integer", "x-field": "user"}},
        "required": ["owner"], "additionalProperties": False},
        form_ui={"order": ["owner"], "fields": {"owner": {"label": "Owner", "label_ko": "소유자"}}})
    body = client_of(end_user).get(reverse("portal_requests:item", args=[item.pk])).content.decode()
    assert f'data-picker-url="{reverse("portal_requests:people")}"' in body
    assert "/core/pick/" not in body
