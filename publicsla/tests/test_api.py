import pytest

from publicsla import rules
from publicsla.models import Contract

URL = "/api/v1/public-sla/contracts/"


def body(service, **changes):
    table = [dict(row, weight=str(row["weight"]), target=str(row["target"]), minimum=str(row["minimum"]))
             for row in rules.default_indicators(1)]
    data = {"name": "행정 포털", "system_grade": 1, "monthly_amount": "30000000", "services": [service.pk],
            "indicators": table}
    data.update(changes)
    return data


def test_a_manager_creates_a_contract_with_the_default_table(manager_api, system_service):
    answer = manager_api.post(URL, {"name": "행정 포털", "system_grade": 2, "monthly_amount": "1000",
                                    "services": [system_service.pk]}, format="json")
    assert answer.status_code == 201, answer.json()
    codes = [(i["code"], i["weight"]) for i in answer.json()["indicators"]]
    assert codes[0] == ("AVL-01", "40.00")
    assert answer.json()["indicators"][0]["minimum"] == "99.900"


@pytest.mark.parametrize("change, field", [
    ({"system_grade": 5}, "system_grade"),
    ({"system_grade": 0}, "system_grade"),
])
def test_a_grade_outside_1_to_4_is_400(manager_api, system_service, change, field):
    answer = manager_api.post(URL, body(system_service, **change), format="json")
    assert answer.status_code == 400 and field in answer.json()
    assert not Contract.objects.exists()


def test_weights_not_adding_up_to_100_is_400_naming_the_table(manager_api, system_service):
    data = body(system_service)
    data["indicators"][-1]["weight"] = "5"
    answer = manager_api.post(URL, data, format="json")
    assert answer.status_code == 400
    assert "85" in answer.json()["indicators"][0]
    assert not Contract.objects.exists()


def test_an_availability_weight_under_30_is_400(manager_api, system_service, contract):
    data = body(system_service)
    data["indicators"][0]["weight"] = "20"
    data["indicators"][-1]["weight"] = "40"
    answer = manager_api.patch(f"{URL}{contract.pk}/", {"indicators": data["indicators"]}, format="json")
    assert answer.status_code == 400 and "30" in answer.json()["indicators"][0]
    assert contract.indicators.get(code="AVL-01").weight == 40


def test_agents_read_but_do_not_write(agent_api, contract):
    assert agent_api.get(URL).status_code == 200
    assert agent_api.post(URL, {"name": "x"}, format="json").status_code == 403


def test_the_evaluation_endpoint_answers_the_contract_fields(agent_api, contract):
    answer = agent_api.get(f"{URL}{contract.pk}/evaluation/?month=2026-11")
    assert answer.status_code == 200
    data = answer.json()
    assert {"availability_percent", "restore_delays", "sanction", "score", "penalty_percent",
            "penalty_amount"} <= set(data)
    assert data["availability_percent"] == "100.0000" and data["penalty_amount"] == "0"


@pytest.mark.parametrize("month", ["2026-13", "november", ""])
def test_a_bad_month_is_400(agent_api, contract, month):
    answer = agent_api.get(f"{URL}{contract.pk}/evaluation/?month={month}")
    assert answer.status_code == 400 and "month" in answer.json()


def test_the_list_runs_a_fixed_number_of_queries(agent_api, contract, manager, system_service,
                                                 django_assert_num_queries):
    from core.choices import Channel
    from publicsla import services

    services.create_contract(actor=manager, channel=Channel.WEB, name="두번째", services=[system_service])
    with django_assert_num_queries(6):  # token user with roles, count, contracts, indicators, services
        answer = agent_api.get(URL)
    assert answer.json()["count"] == 2
