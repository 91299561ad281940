"""The auditor role (issue 18, item 7): reads the desk and the API, writes nothing, every request
logged; time-boxed accounts shut out at sign-in, in an open session and with a token."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import AccessLog, Team, User
from accounts.roles import Role, is_agent, is_auditor, primary_role
from conftest import PASSWORD
from core.choices import Channel
from incidents import security_services
from incidents.services import open_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor(make_user):
    return make_user(Role.AUDITOR, username="auditor", valid_until=timezone.localdate() + dt.timedelta(days=30))


@pytest.fixture
def incident(agent, end_user):
    return open_incident(actor=agent, channel=Channel.WEB, title="Printer jams", caller=end_user)


def test_create_user_makes_a_time_boxed_auditor():
    out = io.StringIO()
    call_command("create_user", "iso_auditor", "--role", "auditor", "--valid-until", "2027-01-31", stdout=out)
    user = User.objects.get(username="iso_auditor")
    assert user.roles == ["auditor"] and user.valid_until == dt.date(2027, 1, 31)
    assert "valid until 2027-01-31" in out.getvalue()
    assert is_agent(user) and is_auditor(user) and primary_role(user) == "auditor"
    with pytest.raises(CommandError, match="not a date"):
        call_command("create_user", "iso_auditor", "--role", "auditor", "--valid-until", "31/01/2027")


def test_auditor_reads_desk_pages_and_every_form_post_is_refused(client, auditor, incident):
    client.force_login(auditor)
    assert client.get("/incidents/").status_code == 200
    assert client.get(f"/incidents/{incident.pk}/").status_code == 200
    refused = client.post(f"/incidents/{incident.pk}/edit/", {"title": "changed", "version": incident.version})
    assert refused.status_code == 403
    assert "Auditors have read-only access" in refused.content.decode()
    incident.refresh_from_db()
    assert incident.title == "Printer jams"
    assert client.post("/incidents/new/", {"title": "new"}).status_code == 403
    # their own session is theirs: signing out works
    assert client.post("/accounts/logout/").status_code == 302


def test_auditor_reads_the_api_and_every_write_is_refused(api_as, auditor, incident):
    api = api_as(auditor)
    assert api.get(f"/api/v1/incidents/{incident.number}/").status_code == 200
    assert api.get("/api/v1/problems/").status_code == 200
    for method, url in (("post", "/api/v1/incidents/"), ("patch", f"/api/v1/incidents/{incident.pk}/"),
                        ("post", f"/api/v1/incidents/{incident.pk}/comments/"),
                        ("delete", "/api/v1/cmdb/relationships/1/")):
        response = getattr(api, method)(url, {"title": "x"}, format="json")
        assert response.status_code == 403, url
        assert response.json()["detail"] == "Auditors have read-only access: nothing was changed."


def test_every_request_of_an_auditor_is_logged_and_nobody_elses(client, api_as, auditor, agent, incident):
    client.force_login(auditor)
    client.get(f"/incidents/{incident.pk}/")
    client.post(f"/incidents/{incident.pk}/comment/", {"body": "hi"})
    api_as(auditor).get(f"/api/v1/incidents/{incident.pk}/")
    client.force_login(agent)
    client.get(f"/incidents/{incident.pk}/")
    rows = list(AccessLog.objects.order_by("id").values_list("user__username", "method", "path", "object_type",
                                                              "object_id", "status"))
    assert rows == [
        ("auditor", "GET", f"/incidents/{incident.pk}/", "incidents.incident", str(incident.pk), 200),
        ("auditor", "POST", f"/incidents/{incident.pk}/comment/", "", "", 403),
        ("auditor", "GET", f"/api/v1/incidents/{incident.pk}/", "incidents.incident", str(incident.pk), 200),
    ]


def test_managers_read_the_access_log_others_do_not(client, api_as, auditor, manager, agent, incident):
    AccessLog.objects.create(user=auditor, method="GET", path="/incidents/", status=200)
    client.force_login(manager)
    page = client.get("/accounts/access-log/")
    assert page.status_code == 200 and 'data-testid="access-log-row"' in page.content.decode()
    listed = api_as(manager).get("/api/v1/audit-access-log/", {"user": auditor.pk}).json()
    assert [row["path"] for row in listed["results"]] == ["/incidents/"]
    client.force_login(agent)
    assert client.get("/accounts/access-log/").status_code == 403
    assert api_as(agent).get("/api/v1/audit-access-log/").status_code == 404
    assert api_as(auditor).get("/api/v1/audit-access-log/").status_code == 404


def test_an_expired_account_cannot_sign_in_use_its_session_or_its_token(client, api_as, auditor):
    api = api_as(auditor)
    client.force_login(auditor)
    User.objects.filter(pk=auditor.pk).update(valid_until=timezone.localdate() - dt.timedelta(days=1))
    # the open session ends at the next request
    response = client.get("/incidents/")
    assert response.status_code == 302 and response.url == "/accounts/login/"
    assert client.get("/incidents/").status_code == 302  # signed out
    # the token
    refused = api.get("/api/v1/incidents/")
    assert refused.status_code == 401 and "This account expired on" in refused.json()["detail"]
    # the sign-in form
    form = client.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    assert form.status_code == 200 and "This account expired on" in form.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_last_valid_day_still_works(client, auditor):
    User.objects.filter(pk=auditor.pk).update(valid_until=timezone.localdate())
    client.post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    assert client.get("/incidents/").status_code == 200


def test_an_auditor_sees_security_incidents_only_as_a_member_of_the_group(api_as, auditor, agent, end_user):
    cert = Team.objects.create(name="CERT", is_security=True)
    incident = open_incident(actor=agent, channel=Channel.WEB, title="Leaked password list", caller=end_user)
    security_services.flag(incident, actor=agent, channel=Channel.WEB)
    api = api_as(auditor)
    assert api.get(f"/api/v1/incidents/{incident.pk}/").status_code == 404
    cert.members.add(auditor)
    body = api_as(auditor).get(f"/api/v1/incidents/{incident.pk}/").json()
    assert body["is_security"] is True and body["security"] is not None
    assert api_as(auditor).get(f"/api/v1/incidents/{incident.pk}/security-notifications/").status_code == 200
    refused = api_as(auditor).post(f"/api/v1/incidents/{incident.pk}/security-notifications/",
                                   {"recipient": "kisa"}, format="json")
    assert refused.status_code == 403
