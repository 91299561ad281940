"""Samples in through the metrics endpoint and the events API, thresholds that raise alerts,
forecasts, the CI page's panel and the capacity report."""

from datetime import timedelta

import pytest
from django.utils import timezone

from capacity import services
from capacity.models import Metric, MetricSample
from core.choices import Channel
from monitoring.models import Alert

pytestmark = pytest.mark.django_db
URL = "/api/v1/capacity/metrics/"


def year_of_disk(ci, actor, *, days=365, start=100.0, growth=1.0):
    now = timezone.now()
    services.record_samples([{"ci": ci.pk, "metric": "disk_used_gb", "unit": "GB", "value": start + growth * i,
                              "at": now - timedelta(days=days - i)} for i in range(days)],
                            actor=actor, channel=Channel.API, now=now)
    return Metric.objects.get(ci=ci, key="disk_used_gb")


def test_one_sample_by_ci_name_creates_the_metric(agent_api, db_server):
    response = agent_api.post(URL, {"ci": "db-01", "metric": "cpu_percent", "value": 42.5, "unit": "%"}, format="json")
    assert response.status_code == 201, response.json()
    metric = Metric.objects.get(ci=db_server, key="cpu_percent")
    assert response.json() == {"accepted": 1, "metrics": [metric.pk]}
    # a percentage is full at 100
    assert (metric.last_value, metric.maximum, metric.unit) == (42.5, 100.0, "%")


def test_many_samples_by_ci_id(agent_api, db_server):
    now = timezone.now()
    body = [{"ci": db_server.pk, "metric": "licences_used", "value": v, "at": (now - timedelta(hours=3 - i)).isoformat()}
            for i, v in enumerate((10, 12, 15))]
    response = agent_api.post(URL, body, format="json")
    assert response.status_code == 201
    assert MetricSample.objects.filter(metric__key="licences_used").count() == 3
    assert Metric.objects.get(key="licences_used").last_value == 15


def test_a_non_numeric_value_refuses_the_whole_batch(agent_api, db_server):
    body = [{"ci": "db-01", "metric": "cpu_percent", "value": 50},
            {"ci": "db-01", "metric": "cpu_percent", "value": "lots"}]
    response = agent_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json() == {"[1].value": ["“lots” is not a number."]}
    # nothing saved half: not the first sample, not the metric
    assert not Metric.objects.exists() and not MetricSample.objects.exists()


def test_an_unknown_ci_is_named(agent_api, db):
    response = agent_api.post(URL, {"ci": "nowhere", "metric": "cpu_percent", "value": 1}, format="json")
    assert response.status_code == 400
    assert response.json() == {"ci": ["No configuration item “nowhere”."]}


def test_an_end_user_may_not_send_samples(end_user_api, db_server):
    response = end_user_api.post(URL, {"ci": "db-01", "metric": "cpu_percent", "value": 1}, format="json")
    assert response.status_code == 403
    assert not MetricSample.objects.exists()


def test_a_sample_through_the_events_api_is_recorded(agent_api, db_server):
    response = agent_api.post("/api/v1/events/", {
        "source": "zabbix", "ci": "db-01", "check": "disk", "severity": "info",
        "labels": {"metric": "disk_used_gb", "value": "312.5", "unit": "GB"}}, format="json")
    assert response.status_code == 202, response.json()
    metric = Metric.objects.get(ci=db_server, key="disk_used_gb")
    assert (metric.last_value, metric.unit) == (312.5, "GB")


def test_a_non_numeric_reading_through_the_events_api_is_refused_whole(agent_api, db_server):
    from monitoring.models import Event

    response = agent_api.post("/api/v1/events/", {
        "source": "zabbix", "ci": "db-01", "check": "disk", "severity": "info",
        "labels": {"metric": "disk_used_gb", "value": "full"}}, format="json")
    assert response.status_code == 400
    assert response.json() == {"labels.value": ["“full” is not a number."]}
    assert not Event.objects.exists() and not MetricSample.objects.exists()


def test_crossing_a_threshold_raises_one_alert_and_recovering_closes_it(agent_api, agent, db_server):
    services.record_samples([{"ci": "db-01", "metric": "cpu_percent", "value": 10, "unit": "%"}], actor=agent)
    metric = Metric.objects.get(key="cpu_percent")
    response = agent_api.patch(f"{URL}{metric.pk}/", {"warning_threshold": 80, "critical_threshold": 90}, format="json")
    assert response.status_code == 200
    # when the value hovers around the warning threshold
    for value in (81, 79, 80.5, 78):
        assert agent_api.post(URL, {"ci": "db-01", "metric": "cpu_percent", "value": value}, format="json").status_code == 201
    # then one alert, firing once, about this metric's CI
    alert = Alert.objects.get(fingerprint=f"capacity:{metric.pk}")
    assert (alert.state, alert.count, alert.severity, alert.ci_id) == ("open", 1, "warning", db_server.pk)
    # critical updates the same alert; back to normal closes it
    agent_api.post(URL, {"ci": "db-01", "metric": "cpu_percent", "value": 95}, format="json")
    agent_api.post(URL, {"ci": "db-01", "metric": "cpu_percent", "value": 20}, format="json")
    alert.refresh_from_db()
    assert (alert.state, alert.count, Alert.objects.count()) == ("closed", 3, 1)
    assert Metric.objects.get(pk=metric.pk).level == "ok"


def test_thresholds_out_of_order_are_refused(agent_api, agent, db_server):
    services.record_samples([{"ci": "db-01", "metric": "cpu_percent", "value": 10}], actor=agent)
    metric = Metric.objects.get()
    response = agent_api.patch(f"{URL}{metric.pk}/", {"warning_threshold": 95, "critical_threshold": 90}, format="json")
    assert response.status_code == 400
    assert "warning_threshold" in response.json()


def test_forecast_with_too_few_points_says_not_enough_data(agent_api, agent, db_server):
    metric = year_of_disk(db_server, agent, days=5)
    body = agent_api.get(f"{URL}{metric.pk}/").json()
    assert body["forecast"] == {"enough_data": False, "points": 5, "slope_per_day": None, "days_to_full": None,
                                "full_on": None}


def test_forecast_of_a_filling_volume(agent_api, agent, db_server):
    metric = year_of_disk(db_server, agent)  # 100 GB a year ago, +1 GB a day, 464 yesterday
    agent_api.patch(f"{URL}{metric.pk}/", {"maximum": 500}, format="json")
    body = agent_api.get(f"{URL}{metric.pk}/daily/").json()
    assert len(body["days"]) >= 364
    assert body["forecast"]["enough_data"] is True
    assert 34 <= body["forecast"]["days_to_full"] <= 37


def test_metric_list_runs_a_constant_number_of_queries(agent_api, agent, django_assert_num_queries):
    from cmdb.tests.factories import make_ci

    for n in range(5):
        ci = make_ci(f"host-{n}")
        services.record_samples([{"ci": ci.pk, "metric": key, "value": 1} for key in ("cpu_percent", "memory_percent")],
                                actor=agent)
    agent_api.get(URL)
    with django_assert_num_queries(3):  # token user with roles, count, page, (no per-row query)
        response = agent_api.get(URL)
    assert response.json()["count"] == 10


def test_ci_page_shows_the_forecast_and_the_report_lists_it(client, agent, db_server):
    metric = year_of_disk(db_server, agent)
    services.update_metric(metric, actor=agent, channel=Channel.WEB, changes={"maximum": 500})
    client.force_login(agent)
    page = client.get(db_server.get_absolute_url()).content.decode()
    assert 'data-testid="capacity-panel"' in page
    assert "Full in 3" in page and "days" in page
    report = client.get("/capacity/").content.decode()
    assert "disk_used_gb" in report and "db-01" in report


def test_ci_page_query_count_does_not_grow_with_metrics(client, agent, db_server):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(agent)

    def queries():
        client.get(db_server.get_absolute_url())
        with CaptureQueriesContext(connection) as context:
            assert client.get(db_server.get_absolute_url()).status_code == 200
        return len(context)

    services.record_samples([{"ci": db_server.pk, "metric": "cpu_percent", "value": 1}], actor=agent)
    one = queries()
    for key in ("memory_percent", "disk_used_gb", "licences_used"):
        services.record_samples([{"ci": db_server.pk, "metric": key, "value": 1}], actor=agent)
    assert queries() == one


def test_new_thresholds_judge_the_last_reading(agent_api, agent, db_server):
    services.record_samples([{"ci": "db-01", "metric": "disk_used_gb", "value": 447}], actor=agent)
    metric = Metric.objects.get()
    response = agent_api.patch(f"{URL}{metric.pk}/", {"warning_threshold": 400, "critical_threshold": 450},
                               format="json")
    assert response.json()["level"] == "warning"
    assert Alert.objects.get(fingerprint=f"capacity:{metric.pk}").severity == "warning"
