"""/api/v1/portfolio/services/ and the published catalogue."""

import pytest

from changes.tests.factories import make_change, make_ci, needs, service
from core.choices import Channel
from portfolio import services
from portfolio.models import PortfolioService
from sla.tests.factories import make_definition

pytestmark = pytest.mark.django_db
URL = "/api/v1/portfolio/services/"


@pytest.fixture
def payroll():
    svc = service("Payroll")
    db = make_ci("payroll-db")
    portal = service("HR portal")
    needs(svc, db)
    needs(portal, svc)
    return svc


def test_create_and_read_a_service_with_its_graph_and_agreements(agent_api, agent, payroll):
    definition = make_definition()
    definition.applies_to = {"services": [payroll.pk]}
    definition.save()
    response = agent_api.post(URL, {"service": payroll.pk, "owner": agent.pk, "lifecycle": "live",
                                    "summary": "Monthly pay"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["lifecycle"] == "live" and body["live_since"] and body["name"] == "Payroll"
    assert [s["id"] for s in body["slas"]] == [definition.pk]
    detail = agent_api.get(f"{URL}{body['id']}/").json()
    assert [ci["name"] for ci in detail["supporting_cis"]["upstream"]] == ["payroll-db"]
    assert [ci["name"] for ci in detail["supporting_cis"]["downstream"]] == ["HR portal"]


def test_retiring_without_a_change_is_a_400_naming_change(agent_api, agent, payroll):
    entry = services.create_service(actor=agent, channel=Channel.WEB, service=payroll, lifecycle="live")
    response = agent_api.patch(f"{URL}{entry.pk}/", {"lifecycle": "retired", "version": entry.version},
                               format="json")
    assert response.status_code == 400 and "change" in response.json()
    change = make_change(agent)
    response = agent_api.patch(f"{URL}{entry.pk}/", {"lifecycle": "retired", "change": change.pk,
                                                     "version": entry.version}, format="json")
    assert response.status_code == 200 and response.json()["retired_at"]
    assert agent_api.patch(f"{URL}{entry.pk}/", {"summary": "x", "version": entry.version},
                           format="json").status_code == 409


def test_a_ci_that_is_not_a_business_service_is_refused(agent_api):
    server = make_ci("web-01")
    response = agent_api.post(URL, {"service": server.pk}, format="json")
    assert response.status_code == 400 and "service" in response.json()


def test_end_users_do_not_see_the_portfolio_but_read_the_catalogue(end_user_api, end_user, client, agent, payroll):
    services.create_service(actor=agent, channel=Channel.WEB, service=payroll, lifecycle="live", summary="Pay")
    services.create_service(actor=agent, channel=Channel.WEB, service=service("Chatbot"), summary="Soon")
    assert end_user_api.get(URL).status_code == 404
    client.force_login(end_user)
    assert client.get("/portfolio/").status_code == 404
    page = client.get("/portfolio/catalogue/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Payroll" in text and "Chatbot" not in text


def test_list_runs_a_constant_number_of_queries(agent_api, agent, django_assert_num_queries):
    for n in range(2):
        services.create_service(actor=agent, channel=Channel.WEB, service=service(f"Service {n}"))
    agent_api.get(URL)
    with django_assert_num_queries(6):
        assert len(agent_api.get(URL).json()["results"]) == 2
    for n in range(2, 6):
        services.create_service(actor=agent, channel=Channel.WEB, service=service(f"Service {n}"))
    with django_assert_num_queries(6):
        assert len(agent_api.get(URL).json()["results"]) == 6
    assert PortfolioService.objects.count() == 6
