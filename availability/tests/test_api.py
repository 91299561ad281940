import pytest

from availability.models import Outage
from availability.tests.helpers import kst_nov

URL = "/api/v1/availability/outages/"


def test_an_agent_records_an_outage(agent_api, service):
    answer = agent_api.post(URL, {"service": service.pk, "start": "2026-11-10T03:00:00+09:00",
                                  "end": "2026-11-10T03:40:00+09:00", "planned": False}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["duration_minutes"] == 40.0


def test_an_outage_ending_before_it_starts_is_400(agent_api, service):
    answer = agent_api.post(URL, {"service": service.pk, "start": "2026-11-10T03:00:00+09:00",
                                  "end": "2026-11-10T02:00:00+09:00"}, format="json")
    assert answer.status_code == 400 and "end" in answer.json()
    assert not Outage.objects.exists()


def test_an_overlapping_outage_is_400(agent_api, service, outage):
    outage(service, kst_nov(10, 3), kst_nov(10, 4))
    answer = agent_api.post(URL, {"service": service.pk, "start": "2026-11-10T03:30:00+09:00",
                                  "end": "2026-11-10T05:00:00+09:00"}, format="json")
    assert answer.status_code == 400 and "start" in answer.json()
    assert Outage.objects.count() == 1


def test_moving_an_outage_onto_another_is_400(agent_api, service, outage):
    outage(service, kst_nov(10, 3), kst_nov(10, 4))
    second = outage(service, kst_nov(11, 3), kst_nov(11, 4))
    answer = agent_api.patch(f"{URL}{second.pk}/", {"start": "2026-11-10T03:30:00+09:00"}, format="json")
    assert answer.status_code == 400
    second.refresh_from_db()
    assert second.start == kst_nov(11, 3)


def test_end_users_are_refused(end_user_api):
    assert end_user_api.get(URL).status_code == 403


def test_the_report_answers_the_contract_fields(agent_api, service, outage):
    outage(service, kst_nov(10, 3), kst_nov(10, 3, 40))
    answer = agent_api.get(f"/api/v1/availability/report/?service={service.pk}&month=2026-11")
    assert answer.status_code == 200
    data = answer.json()
    assert (data["service_minutes"], data["outage_minutes"], data["availability_percent"]) == (43200, 40, 99.9074)
    assert data["mtrs_minutes"] == 40 and data["target_percent"] == 99.5


@pytest.mark.parametrize("query", ["month=2026-13", "month=x", "", "month=2026-11&service=999999"])
def test_a_bad_report_query_is_400(agent_api, query):
    assert agent_api.get(f"/api/v1/availability/report/?{query}").status_code == 400


def test_the_outage_list_runs_a_fixed_number_of_queries(agent_api, service, other_service, outage,
                                                        django_assert_num_queries):
    outage(service, kst_nov(10, 3), kst_nov(10, 4))
    outage(other_service, kst_nov(10, 3), kst_nov(10, 4))
    with django_assert_num_queries(4):  # token with roles, count, rows with service and incident
        answer = agent_api.get(URL)
    assert answer.json()["count"] == 2
