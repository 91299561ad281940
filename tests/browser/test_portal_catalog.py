"""An end user orders a laptop in the portal, in Korean: catalog, search, the item's form with a
question that appears on a yes, the cart, and the request's progress. Screenshots at desk and
phone widths, in Korean and English, land in test-artifacts/."""

import re

import pytest

from conftest import screenshot
from fulfilment import services
from fulfilment.models import Request, Task
from fulfilment.tests.portal_fixtures import make_category, make_item, make_laptop

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
DESK = {"width": 1440, "height": 900}


@pytest.fixture
def catalog(make_user, team):
    hardware = make_category("Hardware", "하드웨어", order=1)
    accounts = make_category("Accounts and access", "계정 및 접근 권한", order=2)
    laptop = make_laptop(hardware, team)
    make_item(hardware, "Monitor", "모니터", summary="A second screen", summary_ko="보조 모니터", times_ordered=5)
    make_item(accounts, "VPN access", "VPN 접근 권한", summary="Work from home", summary_ko="재택 근무용 VPN",
              times_ordered=9)
    make_item(accounts, "Shared mailbox", "공용 메일함", summary="A mailbox for a team", summary_ko="팀 공용 메일함",
              times_ordered=3)
    return laptop


def _no_horizontal_scroll(page):
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def _both_widths(page, name):
    page.set_viewport_size(DESK)
    screenshot(page, f"{name}-1440")
    page.set_viewport_size(PHONE)
    screenshot(page, f"{name}-390")
    assert _no_horizontal_scroll(page), f"{name}: the phone layout scrolls sideways"
    page.set_viewport_size(DESK)


def test_end_user_orders_a_laptop_in_korean(page, login, end_user, make_user, agent, catalog):
    boss = make_user("end_user", username="boss", organisation="Finance")
    end_user.manager = boss
    end_user.save(update_fields=["manager"])
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    login(end_user)
    page.set_viewport_size(DESK)
    page.goto("/portal/catalog/")
    page.select_option("#language-select", "ko")
    page.wait_for_function("() => document.documentElement.lang === 'ko'")
    assert page.is_visible("h1:has-text('무엇을 도와드릴까요?')")
    assert page.get_by_test_id("categories").inner_text().count("하드웨어") == 1
    _both_widths(page, "portal-catalog-home-ko")

    # search in Korean
    page.fill("#catalog-q", "노트북")
    page.get_by_test_id("catalog-search-submit").click()
    page.wait_for_url(re.compile(r"/portal/catalog/search/"))
    results = page.get_by_test_id("search-results")
    assert "노트북" in results.inner_text()
    _both_widths(page, "portal-catalog-search-ko")
    results.get_by_test_id("catalog-item").first.click()
    page.wait_for_url(re.compile(r"/portal/catalog/items/\d+/"))
    assert page.get_by_test_id("item-name").inner_text() == "노트북"
    assert "직속 상사" in page.get_by_test_id("approvers").inner_text()

    # the question about software appears only once "yes" is ticked
    software = page.locator("[data-catalog-field=software]")
    assert software.is_hidden()
    page.select_option("select[name=model]", "developer")
    page.check("input[name=needs_software][value=true]")
    software.wait_for(state="visible")
    page.fill("[name=software]", "PyCharm, Docker")
    page.fill("[name=reason]", "개발 업무용 노트북이 필요합니다.")
    _both_widths(page, "portal-item-ko")
    page.get_by_test_id("add-to-cart").click()
    page.wait_for_url(re.compile(r"/portal/cart/"))
    assert page.get_by_test_id("cart-count").inner_text().strip() == "1"
    assert "개발자용 노트북" in page.get_by_test_id("cart-lines").inner_text()
    _both_widths(page, "portal-cart-ko")

    # submit: one request, with its progress
    page.get_by_test_id("cart-submit").click()
    page.wait_for_url(re.compile(r"/portal/requests/\d+/"))
    order = Request.objects.get()
    assert page.get_by_test_id("request-number").inner_text() == order.number
    assert order.number.startswith("REQ")
    assert page.get_by_test_id("cart-count").inner_text().strip() == "0"
    steps = page.get_by_test_id("request-steps")
    assert steps.locator("[data-status=current]").get_attribute("data-state") == "awaiting_approval"
    assert "승인을 기다리는 중" in page.get_by_test_id("item-headline").inner_text()
    _both_widths(page, "portal-request-ko")
    page.goto("/portal/requests/")
    assert order.number in page.get_by_test_id("my-requests").inner_text()
    _both_widths(page, "portal-my-requests-ko")

    # the manager approves, the group works both stages: the requester sees each step, then the end
    order_url = f"/portal/requests/{order.pk}/"
    services.decide(boss, order, decision="approve", comment="승인합니다")
    page.goto(order_url)
    assert "1단계" in page.get_by_test_id("item-headline").inner_text()
    assert page.get_by_test_id("approval-stages").locator("[data-status=approved]").count() == 1
    first, second = (list(Task.objects.filter(request=order, stage=s).order_by("pk")) for s in (1, 2))
    agent = first[0].assignment_group.members.first()
    services.update_task(agent, first[0], state="done", notes="준비 완료")
    page.goto(order_url)
    assert page.get_by_test_id("item-headline").inner_text() == "2단계 중 1단계: 작업 2개 중 1개 완료"
    _both_widths(page, "portal-request-in-fulfilment-ko")
    for task in [*first[1:], *second]:
        task.refresh_from_db()  # stage 2 opens when stage 1 is done
        services.update_task(agent, task, state="done")
    page.goto(order_url)
    assert page.get_by_test_id("state").inner_text().strip() == "이행 완료"
    assert [s.get_attribute("data-status") for s in page.get_by_test_id("request-steps").locator("li").all()] == [
        "done", "done", "done", "done"]
    _both_widths(page, "portal-request-fulfilled-ko")

    # the same pages in English
    page.select_option("#language-select", "en")
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    _both_widths(page, "portal-my-requests-en")
    for url, name in (("/portal/catalog/", "portal-catalog-home-en"),
                      ("/portal/catalog/search/?q=laptop", "portal-catalog-search-en"),
                      (f"/portal/catalog/items/{catalog.pk}/", "portal-item-en"),
                      (f"/portal/requests/{order.pk}/", "portal-request-en"),
                      ("/portal/cart/", "portal-cart-en")):
        page.goto(url)
        _both_widths(page, name)
    assert errors == []
