"""Integration: a real Prometheus Alertmanager (Debian's prometheus-alertmanager) sends its
webhook to the live test server; alerts posted to Alertmanager open an incident once, repeat
into the same alert, and resolve it when posted again with endsAt in the past."""

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from datetime import datetime, timedelta, timezone

import pytest

from accounts.models import ApiToken
from cmdb.tests.factories import make_ci, relate
from incidents.models import Incident
from monitoring.models import Alert, IncidentRule

BINARY = shutil.which("prometheus-alertmanager") or "/usr/bin/prometheus-alertmanager"
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not shutil.which(BINARY), reason="prometheus-alertmanager is not installed"),
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(check, timeout=30.0, step=0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out waiting for {check.__doc__ or check}")


@pytest.fixture
def alertmanager(tmp_path, live_server, agent):
    """Alertmanager on a free port whose webhook posts to the live server with a Bearer token."""
    _token, key = ApiToken.issue(agent, name="alertmanager")
    port = free_port()
    config = tmp_path / "alertmanager.yml"
    config.write_text(f"""
route:
  receiver: itsm
  group_by: [alertname, instance]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: itsm
    webhook_configs:
      - url: {live_server.url}/api/v1/events/alertmanager/
        send_resolved: true
        http_config:
          authorization:
            type: Bearer
            credentials: {key}
""")
    process = subprocess.Popen(
        [BINARY, f"--config.file={config}", f"--storage.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}", "--cluster.listen-address=", "--log.level=warn"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"

    def ready():
        try:
            return urllib.request.urlopen(f"{url}/-/ready", timeout=1).status == 200
        except OSError:
            return False

    try:
        wait_for(ready, timeout=20)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def post_alerts(url, alerts):
    request = urllib.request.Request(f"{url}/api/v2/alerts", data=json.dumps(alerts).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    assert urllib.request.urlopen(request, timeout=5).status == 200


def iso(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def test_alertmanager_opens_deduplicates_and_resolves_an_incident(alertmanager, settings):
    # given: the Payroll service and a rule opening incidents for critical alerts
    settings.MONITORING_HOLD_DOWN_MINUTES = 0
    service = make_ci("Payroll", "business_service")
    web = make_ci("payroll-web", "application")
    relate(service, web, "depends_on")
    IncidentRule.objects.create(name="critical", min_severity="critical", impact=1, urgency=1)
    now = datetime.now(timezone.utc)
    alert = {"labels": {"alertname": "HTTPDown", "instance": "payroll-web", "severity": "critical"},
             "annotations": {"summary": "payroll-web answers 503"}, "startsAt": iso(now - timedelta(minutes=1)),
             "generatorURL": "http://prometheus/graph"}
    # when: Alertmanager receives it (twice, as Prometheus re-sends) and notifies us, repeating
    post_alerts(alertmanager, [alert])
    post_alerts(alertmanager, [alert])

    def repeated():
        """the alert repeated into one open alert"""
        return Alert.objects.filter(state="open", count__gte=2).first()

    # then: one open alert, counted, on the CI, and one incident
    found = wait_for(repeated, timeout=40)
    assert found.ci_id == web.pk and found.fingerprint.startswith("am:")
    assert Incident.objects.count() == 1
    incident = Incident.objects.get()
    assert (incident.channel, incident.priority, incident.service_id) == ("monitoring", 1, service.pk)

    # when: the alert is posted with endsAt in the past
    post_alerts(alertmanager, [{**alert, "endsAt": iso(now - timedelta(seconds=5))}])

    def resolved():
        """the incident resolved"""
        return Incident.objects.filter(pk=incident.pk, state="resolved").exists()

    # then
    wait_for(resolved, timeout=40)
    assert Alert.objects.get().state == "closed"
    assert Incident.objects.count() == 1
