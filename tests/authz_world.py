"""The records the authorisation matrix (tests/test_authorisation_matrix.py) probes, built once.

Two end users (A and B) with one incident each, desk-only records of every kind, an SLA clock, an
attachment, a token of A's; `samples` maps each URL parameter of each route to the record(s)
the matrix requests it with.
"""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, Team
from accounts.roles import Role
from accounts.services import upsert_user
from changes.models import ChangeTemplate, FreezeWindow
from changes.services import create_change
from cmdb.models import ImportJob, Relationship
from cmdb.tests.factories import make_ci
from core.choices import Channel
from core.services import add_attachment
from incidents.services import open_incident
from improvements.services import create_improvement
from problems.services import create_problem
from releases.services import create_release
from sla.models import EscalationRule, SLAClock
from sla.tests.factories import make_calendar, make_definition

PLANS = {"implementation_plan": "Run the playbook", "backout_plan": "Restore the snapshot",
         "test_plan": "Smoke tests"}


def build():
    users = {
        role: upsert_user(f"matrix_{role}", role=kind, email=f"{role}@example.com", password="x-pass-1234")
        for role, kind in (("end_user_a", Role.END_USER), ("end_user_b", Role.END_USER),
                           ("agent", Role.AGENT), ("manager", Role.MANAGER), ("admin", Role.ADMIN),
                           ("auditor", Role.AUDITOR))
    }
    agent, a = users["agent"], users["end_user_a"]
    team = Team.objects.create(name="Matrix desk", manager=users["manager"])
    team.members.add(agent, users["manager"])
    calendar = make_calendar(always_open=True)
    definition = make_definition(calendar=calendar)
    rule = EscalationRule.objects.create(definition=definition, threshold=100, action="notify_assignee")
    service = make_ci("Matrix payroll", "business_service")
    server = make_ci("matrix-db-01", "server", owner_group=team)
    relationship = Relationship.objects.create(source=service, target=server, type="depends_on")
    web = Channel.WEB
    incident_a = open_incident(actor=agent, channel=web, title="A's printer", caller=a, service=service)
    incident_b = open_incident(actor=agent, channel=web, title="B's laptop", caller=users["end_user_b"])
    attachment = add_attachment(incident_a, actor=agent, channel=web,
                                upload=SimpleUploadedFile("note.txt", b"hello", content_type="text/plain"))
    problem = create_problem(actor=agent, channel=web, title="Printers drop jobs",
                             workaround="Restart the spooler", state="known_error", known_error=True)
    start = timezone.now() + dt.timedelta(days=30)
    change = create_change(actor=agent, channel=web, title="Patch db", type="normal", planned_start=start,
                           planned_end=start + dt.timedelta(hours=2), affected_cis=[server], **PLANS)
    release = create_release(actor=agent, channel=web, title="Payroll 2026.12", version_label="2026.12.0")
    template = ChangeTemplate.objects.create(name="Matrix restart", **PLANS)
    freeze = FreezeWindow.objects.create(name="Year end", start=start, end=start + dt.timedelta(days=1))
    job = ImportJob.objects.create(kind="cis", format="csv", payload="ci_class,name\n", created_by=agent)
    token, _key = ApiToken.issue(a, name="matrix")
    fulfilment = _fulfilment_records(a, team, users["manager"])
    clock = SLAClock.objects.filter(object_id=incident_a.pk).first()
    assert clock is not None, "the SLA definition should have started clocks on A's incident"
    records = dict(
        team=team, calendar=calendar, definition=definition, service=service, server=server,
        relationship=relationship, incident_a=incident_a, incident_b=incident_b, attachment=attachment,
        problem=problem, change=change, release=release, template=template, freeze=freeze, job=job,
        token=token, clock=clock, ci_class=server.ci_class, rule=rule, **fulfilment,
        # the public article the known error published (knowledge.known_errors)
        article=problem.kb_article, incident_type=ContentType.objects.get_for_model(incident_a),
    )
    records.update(_portal_records(users))
    records["improvement"] = create_improvement(actor=agent, channel=web, title="Fewer printer calls")
    records.update(_report_records())
    records.update(_mailin_records())
    records.update(_monitoring_records(agent))
    records.update(_capacity_continuity_records(agent))
    records.update(_webhook_records(users, incident_a))
    records.update(_voice_records(users, records))
    records.update(_supplier_records(users, records))
    records.update(_iso_records(users))
    records.update(_register_records(agent, service))
    records.update(_availability_records(users, service))
    records.update(_security_records(users, agent, service))
    records.update(_assurance_records(users))
    return users, records


def _supplier_records(users, records):
    """Issue 17: a supplier, a UC of it and a dispute over the UC."""
    from suppliers import services as supplier_services

    manager, web = users["manager"], Channel.WEB
    supplier = supplier_services.save_supplier(None, actor=manager, channel=web, fields={
        "name": "Matrix Systems", "team": Team.objects.create(name="Matrix Systems team")})
    contract = supplier_services.save_contract(None, actor=manager, channel=web, fields={
        "title": "Matrix UC", "kind": "uc", "supplier": supplier, "start": dt.date(2026, 1, 1),
        "end": dt.date(2027, 12, 31)}, services=[records["service"]],
        targets=[{"priority": 1, "response_minutes": 15, "resolution_minutes": 480}])
    dispute = supplier_services.save_dispute(None, actor=manager, channel=web, fields={
        "contract": contract, "subject": "Matrix credit"})
    return dict(supplier=supplier, contract=contract, dispute=dispute)


def _register_records(agent, service):
    """Issues 17 and 18: a draft document with one version, the service in the portfolio (live)."""
    from documents.services import create_document
    from portfolio.services import create_service

    document = create_document(actor=agent, channel=Channel.WEB, title="Matrix policy", kind="policy", owner=agent,
                               body="The matrix policy.")
    entry = create_service(actor=agent, channel=Channel.WEB, service=service, lifecycle="live")
    return dict(document=document, portfolio_service=entry)


def _availability_records(users, service):
    """An outage of the matrix service and a public-sector SLA contract over it (issue 17)."""
    from availability.services import record_outage
    from publicsla.services import create_contract

    start = timezone.now() - dt.timedelta(days=3)
    outage = record_outage(actor=users["agent"], channel=Channel.WEB, service=service, start=start,
                           end=start + dt.timedelta(minutes=30))
    contract = create_contract(actor=users["manager"], channel=Channel.WEB, name="Matrix public SLA",
                               services=[service])
    return {"outage": outage, "public_sla_contract": contract}


def _security_records(users, agent, service):
    """Issue 17, item 7: A's incident flagged as an information security incident by a CERT team no
    role of the matrix belongs to: only A (its caller) sees it; the desk, managers, administrators
    and the auditor get 404."""
    from incidents import security_services

    cert = Team.objects.create(name="Matrix CERT", is_security=True)
    responder = upsert_user("matrix_cert", role=Role.AGENT, email="cert@example.com")
    cert.members.add(responder)
    incident = open_incident(actor=agent, channel=Channel.WEB, title="A's account was phished",
                             caller=users["end_user_a"], service=service)
    from accounts.models import AccessLog

    access = AccessLog.objects.create(user=users["auditor"], method="GET", path="/incidents/", status=200)
    return {"security_incident": security_services.flag(incident, actor=responder, channel=Channel.WEB),
            "access_log": access}


def _assurance_records(users):
    """Issue 18: an audit under way with a nonconformity, a management review with an action, a
    certification event."""
    from assurance import services

    manager, web = users["manager"], Channel.WEB
    services.create_programme(actor=manager, channel=web, name="Matrix cycle", start_year=2025)
    audit = services.create_audit(actor=manager, channel=web, title="Matrix audit", scope=["8.6"],
                                  planned_date=dt.date(2026, 3, 1), lead_auditor=manager)
    audit, _diff = services.update_audit(audit, actor=manager, channel=web, changes={"state": "in_progress"})
    finding = services.add_finding(audit, actor=manager, channel=web, kind="minor_nc", clauses=["8.6.1"],
                                   description="Notes missing")
    review = services.create_review(actor=manager, channel=web, title="Matrix review", held_on=dt.date(2026, 1, 5),
                                    period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31))
    action = services.add_action(review, actor=manager, channel=web, title="Matrix action")
    event = services.create_certification_event(actor=manager, channel=web, kind="stage1", date=dt.date(2025, 4, 1))
    return {"audit": audit, "finding": finding, "review": review, "review_action": action,
            "certification_event": event, "audit_programme": audit.programme}


def _report_records():
    """A draft monthly service report (issue 16), its snapshot made by the real generator."""
    from accounts.models import Organisation
    from reports import rules, services

    organisation = Organisation.objects.create(name="Matrix ministry", code="matrix-ministry")
    month = rules.previous_month(timezone.now(), organisation.time_zone)
    return dict(report=services.generate(organisation=organisation, month=month, channel=Channel.SYSTEM))


def _iso_records(users):
    """A ready evidence pack (issue 18) with its file, built by the real builder over one clause."""
    from iso import services as iso_services

    today = timezone.localdate()
    pack = iso_services.request_pack(actor=users["manager"], channel=Channel.WEB, clauses=["8.5.1"],
                                     period_start=today, period_end=today, sample_size=1, seed="matrix")
    return dict(evidence_pack=iso_services.build(pack.pk))


def _mailin_records():
    """A mailbox and one message it received (mail in's administrator pages)."""
    from mailin import services as mailin_services
    from mailin.models import Mailbox

    mailbox = Mailbox.objects.create(name="matrix", address="matrix-desk@example.com")
    raw = (b"From: matrix-sender@example.com\r\nSubject: Matrix\r\nMessage-ID: <matrix-1@example.com>\r\n\r\n"
           b"Hello\r\n")
    return dict(mailbox=mailbox, inbound_message=mailin_services.ingest(raw, mailbox=mailbox).message)


def _monitoring_records(agent):
    """Issue 15: an alert (with its event) and one rule of each kind."""
    from monitoring.ingest import IncomingEvent, ingest
    from monitoring.models import Alert, CIMappingRule, IncidentRule

    outcome = ingest(IncomingEvent(severity="warning", status="firing", fingerprint="matrix", node="matrix-host",
                                   check="ping"), actor=agent)
    return {"alert": Alert.objects.get(pk=outcome.alert_id),
            "mapping_rule": CIMappingRule.objects.create(name="Matrix instance", label="instance"),
            "incident_rule": IncidentRule.objects.create(name="Matrix critical", min_severity="critical")}


def _capacity_continuity_records(agent):
    """Issue 17 (hcap): a capacity metric with a sample; a DRP with a test and an invocation."""
    from capacity import services as capacity_services
    from capacity.models import Metric
    from cmdb.models import CIClass, ConfigurationItem
    from continuity import services as continuity_services
    from core import services as core_services
    from documents.models import Document

    ci_class = CIClass.objects.get_or_create(slug="server", defaults={"name": "Server"})[0]
    ci = ConfigurationItem.objects.create(name="matrix-capacity", ci_class=ci_class)
    capacity_services.record_samples([{"ci": ci.pk, "metric": "cpu_percent", "value": 5}], actor=agent)
    document = core_services.create_ticket(Document, actor=agent, channel=Channel.WEB, title="Matrix DRP", kind="drp")
    plan = continuity_services.create_plan(actor=agent, channel=Channel.WEB, document=document, rto_minutes=60,
                                           rpo_minutes=5)
    test = continuity_services.record_test(plan, actor=agent, channel=Channel.WEB, date=timezone.localdate(),
                                           kind="tabletop", result="passed")
    invocation = continuity_services.record_invocation(plan, actor=agent, channel=Channel.WEB,
                                                       started=timezone.now() - dt.timedelta(hours=1), reason="Matrix")
    return {"capacity_metric": Metric.objects.get(ci=ci), "continuity_plan": plan, "continuity_test": test,
            "continuity_invocation": invocation}


def _webhook_records(users, incident):
    """A switched-off webhook subscription and one given-up delivery of A's incident (issue 15)."""
    from core.models import OutboxEvent
    from webhooks.models import Subscription, WebhookDelivery
    from webhooks.rules import new_secret

    subscription = Subscription.objects.create(url="https://hooks.example/matrix", events=["incident.*"],
                                               secret=new_secret(), active=False, owner=users["manager"])
    event = OutboxEvent.objects.filter(name="incident.created", object_id=incident.pk).first()
    delivery = WebhookDelivery.objects.create(subscription=subscription, event=event, event_name=event.name,
                                              object_id=incident.pk, record_key=f"matrix:{incident.pk}", body="{}",
                                              state="dead", attempts=3)
    return {"webhook": subscription, "webhook_delivery": delivery}


def _voice_records(users, records):
    """Issue 16: end user A's answered survey (with the manager's follow-up), a periodic survey,
    the survey settings and a question, and a complaint A raised."""
    from types import SimpleNamespace

    from surveys import links
    from surveys import services as survey_services
    from surveys.models import Campaign, FollowUp, SurveyQuestion, SurveySetting
    from voc import services as voc_services

    a = users["end_user_a"]
    survey = survey_services.send_survey(records["incident_a"], respondent=a, organisation_id=a.organisation_id)
    survey = survey_services.answer(survey, score=2, comment="Slow", actor=a)
    follow_up = FollowUp.objects.get(survey=survey)
    follow_up.owner, follow_up.team = users["manager"], records["team"]
    follow_up.save()
    today = timezone.localdate()
    campaign = Campaign.objects.create(name="Matrix quarter", period_start=today - dt.timedelta(days=90),
                                       period_end=today, sample_size=5, seed="1")
    setting = SurveySetting.objects.create(name="Matrix", ticket_types=["incident"], sampling_percent=0)
    question = SurveyQuestion.objects.create(text="Matrix question?")
    voc = voc_services.create_voc(actor=a, channel=Channel.PORTAL, kind="complaint", title="A's complaint")
    return dict(survey=survey, survey_link=SimpleNamespace(token=links.token_for(survey)), follow_up=follow_up,
                campaign=campaign, survey_setting=setting, survey_question=question, voc=voc)


def _portal_records(users):
    """A catalog item with a required answer, and a request end user A placed (made with the ORM:
    the portal's pages are what is probed, not the ordering service)."""
    from catalog.models import CatalogItem, Category
    from fulfilment.models import Request, RequestItem

    category = Category.objects.create(name="Matrix hardware", name_ko="매트릭스 하드웨어")
    item = CatalogItem.objects.create(
        category=category, name="Matrix laptop", name_ko="매트릭스 노트북",
        form_schema={"type": "object", "properties": {"model": {"type": "string", "enum": ["standard"],
                                                                "x-field": "choice"}},
                     "required": ["model"], "additionalProperties": False},
        form_ui={"order": ["model"], "fields": {"model": {"label": "Model", "label_ko": "모델", "choices": {
            "standard": {"label": "Standard", "label_ko": "표준"}}}}})
    order = Request.objects.create(number="REQ9900001", title="Matrix laptop", requested_by=users["end_user_a"],
                                   requested_for=users["end_user_a"], state="awaiting_approval")
    RequestItem.objects.create(request=order, catalog_item=item, answers={"model": "standard"},
                               state="awaiting_approval")
    return {"portal_category": category, "portal_item": item, "portal_request_a": order}


def _fulfilment_records(a, team, manager):
    """A's request awaiting approval (no line manager on record: the managers decide it), with the
    e-mail decision link sent to the manager; and A's request whose task the team works."""
    from types import SimpleNamespace

    from catalog.models import CatalogItem, Category, ItemApprovalStage, TaskTemplate
    from fulfilment.models import Task
    from fulfilment.notifications import decision_token
    from fulfilment.services import OrderLine, submit_request

    category = Category.objects.create(name="Matrix hardware")
    laptop = CatalogItem.objects.create(category=category, name="Matrix laptop")
    ItemApprovalStage.objects.create(item=laptop, order=1, name="Line manager", approver="line_manager")
    mouse = CatalogItem.objects.create(category=category, name="Matrix mouse")
    TaskTemplate.objects.create(item=mouse, stage=1, name="Hand over", assignment_group=team)
    request_a = submit_request(a, lines=[OrderLine(laptop)], channel="portal")
    worked = submit_request(a, lines=[OrderLine(mouse)], channel="portal")
    return dict(request_a=request_a, task=Task.objects.get(request=worked), category=category, catalog_item=laptop,
                approval_link=SimpleNamespace(token=decision_token(request_a.pk, manager.pk)))


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """(users by role, records by name), built once per module in a transaction rolled back at its
    end; each test (marked django_db) runs in a savepoint inside it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
