"""Issue 10: who may call what. Every route of the URLconf (API and pages) × every role, with the
answer expected; another user's record is asked for by id and by number.

The routes are found by walking `get_resolver().url_patterns`, so a new route fails
`test_every_route_is_in_the_matrix` until a row says who may call it. A row maps an HTTP method
to the answer of each role, in the order of ROLES; GET always, and an unsafe method with an
empty body for every route that writes: the permission answer (401/403/404, or a redirect to
the login page) must come before validation. `SAMPLES` names the records a route's URL
parameters are filled with (tests/authz_world.py builds them once per module).

Set MATRIX_OBSERVE=/path/prefix to also write what each role gets, with timings, to
/path/prefix.<role> (to review a new row, never to copy blindly).
"""

import copy
import fnmatch
import os
import re
import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests.authz_world import world  # noqa: F401  (the module-scoped records)

# The mark makes pytest-django create the test database; the records themselves are built once
# per module (the `world` fixture) and each test runs in a savepoint inside that transaction.
pytestmark = pytest.mark.django_db
ROLES = ("anonymous", "end_user_a", "end_user_b", "agent", "manager", "admin", "auditor")
# A row names the first six; the auditor's answer follows the rule of `auditor_answer` unless the
# row says it (`row(..., auditor=...)`).
ROW_ROLES = ROLES[:6]


def _template(route):
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", route)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", route)


def _routes(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield "/" + _template(route), pattern


def discovered():
    return sorted({template for template, _pattern in _routes()})


# --- who gets what ----------------------------------------------------------------------------
def row(*answers, auditor=None):
    """The answers of anonymous, end user A, end user B, agent, manager, admin (in that order), and
    the auditor's when it is not the rule's."""
    assert len(answers) == len(ROW_ROLES)
    answers = dict(zip(ROW_ROLES, answers))
    if auditor is not None:
        answers["auditor"] = auditor
    return answers


# Issue 18: the auditor reads what the desk reads (an agent's answer to GET) and writes nothing:
# every other method answers 403 before anything else, except what concerns their own session.
AUDITOR_OWN_SESSION = ("/accounts/login/", "/accounts/logout/", "/accounts/password/", "/i18n/setlang/")


def auditor_answer(template, method, answers):
    if "auditor" in answers:
        return answers["auditor"]
    if method in ("GET", "HEAD") or template.startswith(AUDITOR_OWN_SESSION):
        return answers["agent"]
    return 403


def expected_answer(template, method, answers, role):
    return auditor_answer(template, method, answers) if role == "auditor" else answers[role]


LOGIN = 302     # a page sends an anonymous caller to the login page (the API answers 401)
BACK = 302      # a desk action answers an empty form by going back to the record with a message
MISSING = 302   # the admin answers a missing object by going back to its list with a message

EVERYONE = row(200, 200, 200, 200, 200, 200)
ALL_REDIRECTED = row(302, 302, 302, 302, 302, 302)
SIGNED_IN_AWAY = row(200, 302, 302, 302, 302, 302)
SIGNED_IN_PAGE = row(LOGIN, 200, 200, 200, 200, 200)
DESK_PAGE = row(LOGIN, 403, 403, 200, 200, 200)
DESK_FORM_EMPTY = row(LOGIN, 403, 403, 400, 400, 400)
DESK_ACTION_EMPTY = row(LOGIN, 403, 403, BACK, BACK, BACK)
DESK_POST_ONLY = row(LOGIN, 403, 403, 405, 405, 405)
MANAGER_FORM = row(LOGIN, 403, 403, 403, 200, 200)        # desk configuration only managers write
MANAGER_FORM_EMPTY = row(LOGIN, 403, 403, 403, 400, 400)
ADMIN_PAGE = row(LOGIN, 403, 403, 403, 403, 200)          # desk pages for administrators only (mail in)
ADMIN_FORM_EMPTY = row(LOGIN, 403, 403, 403, 403, 400)
REGISTER_PAGE = row(LOGIN, 404, 404, 200, 200, 200)      # desk pages that do not exist for end users
REGISTER_FORM_EMPTY = row(LOGIN, 404, 404, 400, 400, 400)

API_SIGNED_IN = row(401, 200, 200, 200, 200, 200)         # each sees what visible_to gives them
API_EMPTY_BODY = row(401, 400, 400, 400, 400, 400)
API_A_RECORD = row(401, 200, 404, 200, 200, 200)          # end user A's incident, by id and number
API_A_RECORD_EMPTY = row(401, 400, 404, 400, 400, 400)
API_DESK_RECORD = row(401, 404, 404, 200, 200, 200)       # exists, but not for end users
API_DESK_RECORD_EMPTY = row(401, 404, 404, 400, 400, 400)
API_DESK_WRITE_EMPTY = row(401, 403, 403, 400, 400, 400)
API_DESK_ONLY = row(401, 403, 403, 200, 200, 200)
API_UNSEEN = row(401, 404, 404, 200, 200, 200)            # the staff directory: not there for end users
API_NOT_ALLOWED = row(401, 405, 405, 405, 405, 405)

ADMIN_SITE = row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200)
ADMIN_REFUSED = row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 403)
ADMIN_MISSING = row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, MISSING)
ADMIN_NOT_FOUND = row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 404)
ALL_MISSING = row(MISSING, MISSING, MISSING, MISSING, MISSING, MISSING)

# Models the admin shows but never adds or deletes in (their records come from services).
ADMIN_NO_ADD = ("accounts/apitoken", "axes/accessattempt", "axes/accessfailurelog", "axes/accesslog",
                "changes/change", "cmdb/importjob", "core/auditentry", "core/delivery", "core/outboxevent",
                "incidents/incident", "knowledge/article", "monitoring/alert", "monitoring/event", "problems/problem",
                "releases/release", "sla/escalationrun", "sla/slaclock", "mailin/inboundmessage")
ADMIN_NO_DELETE = tuple(m for m in ADMIN_NO_ADD if not m.startswith("axes/"))

# route pattern (fnmatch; the first that matches wins) → {method: answers}
MATRIX = [
    ("/", {"GET": ALL_REDIRECTED}),  # to the login page, the portal or the desk
    ("/healthz", {"GET": EVERYONE}),
    ("/readyz", {"GET": EVERYONE}),
    ("/favicon.ico", {"GET": ALL_REDIRECTED}),  # to the static file
    ("/i18n/setlang/", {"GET": ALL_REDIRECTED}),
    ("/accounts/login/", {"GET": SIGNED_IN_AWAY, "POST": SIGNED_IN_AWAY}),  # the form again, or onwards
    ("/accounts/logout/", {"GET": row(405, 405, 405, 405, 405, 405), "POST": ALL_REDIRECTED}),
    ("/accounts/password/", {"GET": SIGNED_IN_PAGE, "POST": SIGNED_IN_PAGE}),  # the form again, with errors
    # forgot password: open to anyone (a signed-in user may ask too); an empty form is refused
    ("/accounts/password/forgot/", {"GET": EVERYONE, "POST": row(400, 400, 400, 400, 400, 400)}),
    ("/accounts/password/forgot/sent/", {"GET": EVERYONE}),
    ("/accounts/password/reset/done/", {"GET": EVERYONE}),
    # a made-up token: the page says the link no longer works
    ("/accounts/password/reset/<uidb64>/<token>/", {"GET": EVERYONE, "POST": EVERYONE}),
    ("/accounts/profile/", {"GET": SIGNED_IN_PAGE}),
    ("/accounts/tokens/", {"GET": SIGNED_IN_PAGE}),
    ("/accounts/tokens/<pk>/revoke/", {"GET": row(LOGIN, 405, 405, 405, 405, 405),
                                       "POST": row(LOGIN, 302, 404, 404, 404, 404)}),  # A's own token
    ("/core/attachments/<pk>/", {"GET": row(LOGIN, 200, 404, 200, 200, 200)}),  # on A's incident
    ("/core/pick/<kind>/", {"GET": DESK_PAGE}),  # picker suggestions: desk forms only
    # the portal: end users' own incidents only; the desk works on the desk pages
    ("/portal/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/new/", {"GET": SIGNED_IN_PAGE, "POST": row(LOGIN, 400, 400, 400, 400, 400)}),
    ("/portal/incidents/<pk>/", {"GET": row(LOGIN, 200, 404, 404, 404, 404),
                                 "POST": row(LOGIN, 400, 404, 404, 404, 404)}),
    # the portal's service catalog, cart and requests (issue 13): everyone orders for themselves; a
    # request is seen by the person who placed it and the one it is for, nobody else (404)
    ("/portal/catalog/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/catalog/search/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/catalog/categories/<pk>/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/catalog/items/<pk>/", {"GET": SIGNED_IN_PAGE, "POST": row(LOGIN, 400, 400, 400, 400, 400)}),
    ("/portal/cart/", {"GET": SIGNED_IN_PAGE, "POST": row(LOGIN, 400, 400, 400, 400, 400)}),
    ("/portal/people/", {"GET": SIGNED_IN_PAGE}),  # colleagues of one's own organisation
    ("/portal/requests/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/requests/<pk>/", {"GET": row(LOGIN, 200, 404, 404, 404, 404),
                                "POST": row(LOGIN, 400, 404, 404, 404, 404)}),
    # a decision link e-mailed to the manager: for them alone (an empty decision is a 400)
    ("/request-approvals/<token>/", {"GET": row(LOGIN, 403, 403, 403, 200, 403),
                                     "POST": row(LOGIN, 403, 403, 403, 400, 403)}),
    # the knowledge base in the portal: published articles of one's audience (a public one here)
    ("/portal/kb/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/kb/search/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/kb/suggest/", {"GET": SIGNED_IN_PAGE}),  # deflection suggestions beside the new-ticket form
    ("/portal/kb/thanks/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/kb/<pk>/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/kb/<pk>/feedback/", {"GET": row(LOGIN, 405, 405, 405, 405, 405),
                                   "POST": row(LOGIN, 400, 400, 400, 400, 400)}),
    ("/portal/kb/<pk>/solved/", {"GET": row(LOGIN, 405, 405, 405, 405, 405), "POST": ALL_REDIRECTED}),
    # the desk
    ("/approvals/", {"GET": DESK_PAGE}),  # my approvals: what each desk person may decide now
    ("/incidents/", {"GET": DESK_PAGE}),
    ("/incidents/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/incidents/suggest-service/", {"GET": DESK_PAGE}),
    ("/incidents/bulk/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/incidents/<pk>/", {"GET": DESK_PAGE}),
    ("/incidents/<pk>/edit/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/incidents/<pk>/transition/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/incidents/<pk>/take/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/incidents/<pk>/comment/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    # information security incidents (issue 17): anyone on the desk may flag (A's incident here);
    # rating, unflagging and the notification log are the security group's (no role here is in it)
    ("/incidents/security/report/", {"GET": row(LOGIN, 404, 404, 404, 404, 404)}),
    ("/incidents/<pk>/security/flag/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/incidents/<pk>/security/*/", {"GET": DESK_POST_ONLY, "POST": row(LOGIN, 403, 403, 403, 403, 403)}),
    # the auditors' access log (issue 18): managers and administrators
    ("/accounts/access-log/", {"GET": row(LOGIN, 403, 403, 403, 200, 200)}),
    ("/kb/", {"GET": DESK_PAGE}),
    ("/kb/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/kb/preview/", {"GET": DESK_POST_ONLY, "POST": row(LOGIN, 403, 403, 200, 200, 200)}),  # an empty preview
    ("/kb/report/", {"GET": DESK_PAGE}),
    ("/kb/related/<ct>/<pk>/", {"GET": DESK_PAGE}),  # a ticket page's related-articles panel
    ("/kb/<pk>/", {"GET": DESK_PAGE}),
    ("/kb/<pk>/edit/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/kb/<pk>/review/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/kb/<pk>/versions/", {"GET": DESK_PAGE}),
    ("/mail/", {"GET": ADMIN_PAGE}),
    ("/mail/mailboxes/new/", {"GET": ADMIN_PAGE, "POST": ADMIN_FORM_EMPTY}),
    ("/mail/mailboxes/<pk>/", {"GET": ADMIN_PAGE, "POST": ADMIN_FORM_EMPTY}),
    ("/mail/messages/<pk>/raw/", {"GET": ADMIN_PAGE}),
    ("/kb/<pk>/used/", {"GET": DESK_POST_ONLY, "POST": row(LOGIN, 403, 403, 404, 404, 404)}),  # no ticket named
    ("/problems/", {"GET": DESK_PAGE}),
    ("/problems/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/problems/known-errors/", {"GET": DESK_PAGE}),
    # an HTMX fragment: empty for anyone but the desk (401 without a session: HTMX shows no login page)
    ("/problems/known-errors/suggest/<incident_id>/", {"GET": row(401, 200, 200, 200, 200, 200)}),
    ("/problems/<pk>/", {"GET": DESK_PAGE}),
    ("/problems/<pk>/edit/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/problems/<pk>/transition/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/problems/<pk>/apply/<incident_id>/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/problems/<pk>/links/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/problems/<pk>/resolve-incidents/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/problems/<pk>/raise-change/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/problems/<pk>/comment/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # as on every ticket type
    # the improvement register: desk records
    ("/improvements/", {"GET": DESK_PAGE}),
    ("/improvements/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/improvements/<pk>/", {"GET": DESK_PAGE}),
    ("/improvements/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # edit, transition, measure, comment
    # suppliers and contracts (issue 17): the desk reads, managers write
    ("/suppliers/", {"GET": DESK_PAGE}),
    ("/suppliers/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/suppliers/contracts/", {"GET": DESK_PAGE}),
    ("/suppliers/contracts/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/suppliers/contracts/<pk>/", {"GET": DESK_PAGE}),
    ("/suppliers/contracts/<pk>/edit/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/suppliers/disputes/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/suppliers/disputes/<pk>/edit/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/suppliers/<pk>/", {"GET": DESK_PAGE}),
    ("/suppliers/<pk>/edit/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    # availability (issue 17): desk pages; public-sector SLA: desk reads, managers write
    ("/availability/", {"GET": DESK_PAGE}),
    ("/availability/outages/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/availability/outages/<pk>/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/availability/settings/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),  # managers set targets
    ("/public-sla/", {"GET": DESK_PAGE, "POST": MANAGER_FORM_EMPTY}),
    ("/public-sla/<pk>/", {"GET": DESK_PAGE, "POST": MANAGER_FORM_EMPTY}),
    ("/public-sla/<pk>/evaluation/", {"GET": DESK_PAGE, "POST": MANAGER_FORM_EMPTY}),
    ("/public-sla/<pk>/evaluation.xlsx", {"GET": DESK_PAGE}),
    # issue 18: the audit programme, management reviews, certification; the desk reads, managers write
    ("/iso/audits/", {"GET": DESK_PAGE}),
    ("/iso/audits/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/iso/audits/<pk>/", {"GET": DESK_PAGE}),
    ("/iso/audits/<pk>/findings/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    # POST-only actions: an empty form goes back to the record with a message (a nonconformity
    # whose corrective action is open does not close without a reason)
    ("/iso/audits/<pk>/transition/", {"GET": row(LOGIN, 403, 403, 403, 405, 405),
                                      "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/iso/audits/findings/<pk>/close/", {"GET": row(LOGIN, 403, 403, 403, 405, 405),
                                          "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/iso/audits/reviews/", {"GET": DESK_PAGE}),
    ("/iso/audits/reviews/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/iso/audits/reviews/<pk>/", {"GET": DESK_PAGE}),
    ("/iso/audits/reviews/<pk>/pack/", {"GET": DESK_PAGE}),
    ("/iso/audits/reviews/<pk>/pack/pdf/", {"GET": DESK_PAGE}),
    ("/iso/audits/reviews/<pk>/*/", {"GET": row(LOGIN, 403, 403, 403, 405, 405),  # generate, actions/new
                                     "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/iso/audits/reviews/actions/<pk>/state/", {"GET": row(LOGIN, 403, 403, 403, 405, 405),
                                                 "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/iso/audits/certification/", {"GET": DESK_PAGE}),
    ("/iso/audits/certification/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/changes/", {"GET": DESK_PAGE}),
    ("/changes/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/changes/calendar/", {"GET": DESK_PAGE}),
    ("/changes/<pk>/", {"GET": DESK_PAGE}),
    ("/changes/<pk>/conflicts/", {"GET": DESK_PAGE, "POST": DESK_ACTION_EMPTY}),
    ("/changes/<pk>/dependencies/", {"GET": DESK_PAGE}),  # the picture of what its CIs hold up
    # edit, transition, approve, risk, pir, comment
    ("/changes/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    # service requests and fulfilment tasks in the desk (the portal shows end users their own)
    ("/requests/", {"GET": DESK_PAGE}),
    ("/requests/<pk>/", {"GET": DESK_PAGE}),
    ("/requests/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # decide, cancel, close, comment
    ("/requests/tasks/", {"GET": DESK_PAGE}),
    ("/requests/tasks/<pk>/", {"GET": DESK_PAGE}),
    # take: the agent and the manager are members of the task's group; the administrator is not
    ("/requests/tasks/<pk>/take/", {"GET": DESK_PAGE, "POST": row(LOGIN, 403, 403, BACK, BACK, 400)}),
    ("/requests/tasks/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # work, assign, comment
    ("/releases/", {"GET": DESK_PAGE}),
    ("/releases/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/releases/<pk>/", {"GET": DESK_PAGE}),
    ("/releases/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # edit, transition, deploy, comment
    ("/cmdb/", {"GET": DESK_PAGE}),
    ("/cmdb/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/cmdb/export/", {"GET": DESK_PAGE}),
    ("/cmdb/import/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    # an import job is its author's (the agent's here) and the administrators'
    ("/cmdb/import/<pk>/", {"GET": row(LOGIN, 403, 403, 200, 404, 200, auditor=404),
                            "POST": row(LOGIN, 403, 403, 404, 404, 404)}),
    ("/cmdb/relationships/<pk>/delete/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/cmdb/<pk>/", {"GET": DESK_PAGE}),
    ("/cmdb/<pk>/dependencies/", {"GET": DESK_PAGE}),  # the dependency picture, full screen
    ("/cmdb/<pk>/edit/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/cmdb/<pk>/relationships/", {"GET": DESK_POST_ONLY, "POST": DESK_FORM_EMPTY}),
    ("/sla/", {"GET": DESK_PAGE}),
    # dashboards (issue 16): /dashboards/ sends each to theirs (end users to the portal); a dashboard
    # someone may not see is a 404: the lead's for group managers and managers, the manager's for managers
    ("/dashboards/", {"GET": row(LOGIN, 302, 302, 302, 302, 302)}),
    ("/dashboards/agent/", {"GET": row(LOGIN, 404, 404, 200, 200, 200)}),
    ("/dashboards/lead/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/dashboards/manager/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/sla/reports/", {"GET": DESK_PAGE}),
    ("/sla/reports/service/", {"GET": DESK_PAGE}),
    ("/sla/breaches/", {"GET": DESK_PAGE}),
    ("/sla/clocks/<pk>/", {"GET": row(LOGIN, 404, 404, 200, 200, 200)}),  # a ticket's record: 404 (issue 10)
    # SLA configuration (issue 11, item 6): the desk reads, managers and administrators write
    ("/sla/calendars/", {"GET": DESK_PAGE}),
    ("/sla/definitions/", {"GET": DESK_PAGE}),
    ("/sla/calendars/<pk>/", {"GET": DESK_PAGE}),
    ("/sla/definitions/<pk>/", {"GET": DESK_PAGE}),
    ("/sla/*/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/sla/*/edit/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    # the service catalog (issue 13): the desk reads, catalog managers (managers, admins) write
    ("/catalog/", {"GET": DESK_PAGE}),
    ("/catalog/categories/", {"GET": DESK_PAGE}),
    ("/catalog/items/<pk>/", {"GET": DESK_PAGE}),
    ("/catalog/items/<pk>/form/preview/", {"GET": row(LOGIN, 403, 403, 403, 405, 405),  # the live preview
                                           "POST": row(LOGIN, 403, 403, 403, 200, 200)}),
    ("/catalog/*/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/catalog/*/<pk>/*/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),  # edit, form, plan
    # the API (401 to anonymous callers; the schema and its viewers are public)
    ("/api/schema/", {"GET": EVERYONE}),
    ("/api/docs/", {"GET": EVERYONE}),
    ("/api/redoc/", {"GET": EVERYONE}),
    ("/api/v1/users/me/", {"GET": API_SIGNED_IN, "PATCH": API_SIGNED_IN, "PUT": API_NOT_ALLOWED}),
    ("/api/v1/groups/", {"GET": API_UNSEEN}),
    ("/api/v1/groups/<pk>/", {"GET": API_UNSEEN}),
    ("/api/v1/cmdb/classes/", {"GET": API_SIGNED_IN}),
    ("/api/v1/cmdb/classes/<pk>/", {"GET": API_SIGNED_IN}),
    ("/api/v1/cmdb/cis/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/cmdb/cis/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_WRITE_EMPTY,  # a server: desk-only
                                "DELETE": row(401, 403, 403, 403, 403, 204)}),
    ("/api/v1/cmdb/cis/<pk>/impact/", {"GET": API_DESK_RECORD}),
    ("/api/v1/cmdb/relationships/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/cmdb/relationships/<pk>/", {"GET": API_DESK_RECORD,
                                          "DELETE": row(401, 403, 403, 204, 204, 204)}),
    ("/api/v1/incidents/", {"GET": API_SIGNED_IN, "POST": API_EMPTY_BODY}),
    ("/api/v1/incidents/<pk>/", {"GET": API_A_RECORD, "PATCH": API_A_RECORD_EMPTY, "PUT": API_NOT_ALLOWED}),
    ("/api/v1/incidents/<incident_pk>/comments/", {"GET": API_A_RECORD, "POST": API_A_RECORD_EMPTY}),
    # the notification log of A's security incident: the CERT's alone (A, its caller, included: 404)
    ("/api/v1/incidents/<incident_pk>/security-notifications/", {"GET": row(401, 404, 404, 404, 404, 404),
                                                                 "POST": row(401, 404, 404, 404, 404, 404)}),
    ("/api/v1/audit-access-log/", {"GET": row(401, 404, 404, 404, 200, 200)}),
    ("/api/v1/audit-access-log/<pk>/", {"GET": row(401, 404, 404, 404, 200, 200)}),
    ("/api/v1/problems/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/problems/known-errors/", {"GET": API_SIGNED_IN}),
    ("/api/v1/problems/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_WRITE_EMPTY}),
    ("/api/v1/problems/<pk>/*/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_WRITE_EMPTY}),  # apply, resolve
    ("/api/v1/availability/outages/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/availability/outages/<pk>/", {"GET": API_DESK_ONLY, "PATCH": API_DESK_ONLY,
                                            "DELETE": row(401, 403, 403, 204, 204, 204)}),
    ("/api/v1/availability/report/", {"GET": row(401, 403, 403, 400, 400, 400)}),  # no month: 400
    # a service's availability settings: the desk reads, managers write (an empty PATCH changes nothing)
    ("/api/v1/availability/settings/<service>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/public-sla/contracts/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/public-sla/contracts/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/public-sla/contracts/<pk>/evaluation/", {"GET": row(401, 403, 403, 400, 400, 400)}),  # no month
    ("/api/v1/improvements/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/improvements/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_WRITE_EMPTY}),
    # suppliers, contracts, disputes (issue 17): not there for end users; the desk reads, managers write
    ("/api/v1/suppliers/", {"GET": API_UNSEEN, "POST": row(401, 404, 404, 403, 400, 400)}),
    ("/api/v1/suppliers/<pk>/", {"GET": API_UNSEEN, "PATCH": row(401, 404, 404, 403, 200, 200)}),
    ("/api/v1/suppliers/<pk>/*/", {"GET": API_UNSEEN}),  # scorecard, disputes
    ("/api/v1/contracts/", {"GET": API_UNSEEN, "POST": row(401, 404, 404, 403, 400, 400)}),
    ("/api/v1/contracts/<pk>/", {"GET": API_UNSEEN, "PATCH": row(401, 404, 404, 403, 200, 200)}),
    ("/api/v1/disputes/", {"GET": API_UNSEEN, "POST": row(401, 404, 404, 403, 400, 400)}),
    ("/api/v1/disputes/<pk>/", {"GET": API_UNSEEN, "PATCH": row(401, 404, 404, 403, 200, 200)}),
    # issue 18: the desk reads, managers and administrators write (an empty body is a 400, an empty
    # PATCH changes nothing)
    ("/api/v1/iso/certification-events/next-due/", {"GET": API_DESK_ONLY}),
    ("/api/v1/iso/certification-events/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200),
                                                "DELETE": row(401, 403, 403, 403, 204, 204)}),
    ("/api/v1/iso/reviews/<pk>/generate-pack/", {"GET": row(401, 403, 403, 405, 405, 405),
                                                 "POST": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/audit-programmes/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/audits/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/findings/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/reviews/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/review-actions/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200)}),
    ("/api/v1/iso/audit-programmes/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/audits/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/findings/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/reviews/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/review-actions/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/certification-events/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    # knowledge: everyone signed in reads what the audience allows; the desk writes drafts
    ("/api/v1/kb/articles/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/kb/articles/<pk>/", {"GET": API_SIGNED_IN, "PATCH": row(401, 403, 403, 400, 400, 400)}),
    # the published known-error article: end users may give feedback (an empty body is a 400)
    ("/api/v1/kb/articles/<pk>/feedback/", {"GET": API_NOT_ALLOWED, "POST": API_EMPTY_BODY}),
    ("/api/v1/kb/articles/<pk>/versions/*", {"GET": API_DESK_ONLY}),
    ("/api/v1/kb/articles/<pk>/diff/", {"GET": row(401, 403, 403, 400, 400, 400)}),
    # publish (nothing to publish: 400), submit (no draft: 400), approve, send-back, retire
    ("/api/v1/kb/articles/<pk>/retire/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_ONLY}),
    ("/api/v1/kb/articles/<pk>/*/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/changes/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/changes/templates/", {"GET": API_DESK_ONLY}),
    ("/api/v1/changes/templates/<pk>/", {"GET": API_DESK_ONLY}),
    ("/api/v1/changes/freeze-windows/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 403, 400)}),
    ("/api/v1/changes/freeze-windows/<pk>/", {"GET": API_DESK_ONLY, "PUT": row(401, 403, 403, 403, 403, 400),
                                              "DELETE": row(401, 403, 403, 403, 403, 204)}),
    ("/api/v1/changes/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_RECORD_EMPTY,
                               "PUT": API_NOT_ALLOWED}),
    ("/api/v1/changes/<pk>/check-conflicts/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_RECORD}),
    # approve, risk-assessment, pir
    ("/api/v1/changes/<pk>/*/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_RECORD_EMPTY}),
    # service requests: anyone signed in orders; each sees their own (placed by or for them)
    ("/api/v1/requests/", {"GET": API_SIGNED_IN, "POST": API_EMPTY_BODY}),
    ("/api/v1/requests/<pk>/", {"GET": API_A_RECORD, "PATCH": API_A_RECORD_EMPTY, "PUT": API_NOT_ALLOWED}),
    # the requester reaches the refusal only with a decision (an empty body is a 400 first)
    ("/api/v1/requests/<pk>/approve/", {"GET": API_NOT_ALLOWED, "POST": API_A_RECORD_EMPTY}),
    ("/api/v1/requests/<request_pk>/comments/", {"GET": API_A_RECORD, "POST": API_A_RECORD_EMPTY}),
    # fulfilment tasks: the desk's work, not created through the API
    ("/api/v1/tasks/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 405, 405, 405)}),
    ("/api/v1/tasks/<pk>/", {"GET": API_DESK_ONLY, "PATCH": API_DESK_WRITE_EMPTY,
                             "PUT": row(401, 403, 403, 405, 405, 405)}),
    ("/api/v1/releases/", {"GET": API_SIGNED_IN, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/releases/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_RECORD_EMPTY,
                                "PUT": API_NOT_ALLOWED}),
    ("/api/v1/releases/<pk>/deploy/", {"GET": API_NOT_ALLOWED, "POST": API_DESK_RECORD_EMPTY}),
    # managers keep the agreements (as in the desk); administrators too
    ("/api/v1/sla/calendars/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/sla/calendars/<pk>/", {"GET": API_DESK_ONLY, "PUT": row(401, 403, 403, 403, 400, 400),
                                     "DELETE": row(401, 403, 403, 403, 400, 400)}),  # in use by a definition
    ("/api/v1/sla/definitions/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/sla/definitions/<pk>/", {"GET": API_DESK_ONLY, "PUT": row(401, 403, 403, 403, 400, 400),
                                       # definitions are deactivated, never deleted
                                       "DELETE": row(401, 403, 403, 403, 405, 405)}),
    ("/api/v1/sla/clocks/", {"GET": API_DESK_ONLY}),
    ("/api/v1/sla/clocks/<pk>/*", {"GET": API_DESK_ONLY}),
    # what people may order: everyone reads (an item they may not order is a 404); catalog managers write
    ("/api/v1/catalog/categories/", {"GET": API_SIGNED_IN, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/catalog/categories/<pk>/", {"GET": API_SIGNED_IN, "PATCH": row(401, 403, 403, 403, 200, 200),
                                          "PUT": row(401, 403, 403, 403, 405, 405)}),
    ("/api/v1/catalog/items/", {"GET": API_SIGNED_IN, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/catalog/items/<pk>/", {"GET": API_SIGNED_IN, "PATCH": row(401, 403, 403, 403, 200, 200),
                                     "PUT": row(401, 403, 403, 403, 405, 405)}),
    # issue 15, event management: the desk's alert console and rules (managers keep the rules)
    ("/alerts/", {"GET": DESK_PAGE}),
    ("/alerts/<pk>/", {"GET": DESK_PAGE}),
    ("/alerts/incidents/<pk>/cause/", {"GET": DESK_POST_ONLY, "POST": DESK_ACTION_EMPTY}),
    ("/alerts/rules/", {"GET": DESK_PAGE}),
    ("/alerts/rules/*", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    # monitoring tools send events with an agent's token; alerts and suspects are the desk's
    ("/api/v1/events/*", {"GET": row(401, 403, 403, 405, 405, 405), "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/alerts/*", {"GET": API_DESK_ONLY}),
    # hcap (issue 17, items 5 and 6): capacity and continuity are the desk's; an empty PATCH changes nothing (200)
    ("/capacity/", {"GET": DESK_PAGE}),
    ("/capacity/metrics/<pk>/thresholds/", {"GET": DESK_PAGE, "POST": DESK_ACTION_EMPTY}),
    ("/continuity/", {"GET": DESK_PAGE}),
    ("/continuity/<pk>/", {"GET": DESK_PAGE}),
    ("/continuity/<pk>/*/", {"GET": row(LOGIN, 403, 403, 302, 302, 302), "POST": DESK_FORM_EMPTY}),
    ("/api/v1/capacity/metrics/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/capacity/metrics/<pk>/", {"GET": API_DESK_ONLY, "PATCH": API_DESK_ONLY}),
    ("/api/v1/capacity/metrics/<pk>/daily/", {"GET": API_DESK_ONLY}),
    ("/api/v1/continuity/plans/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/continuity/plans/<pk>/", {"GET": API_DESK_ONLY, "PATCH": API_DESK_ONLY}),
    ("/api/v1/continuity/tests/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/continuity/tests/<pk>/", {"GET": API_DESK_ONLY}),
    ("/api/v1/continuity/invocations/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    ("/api/v1/continuity/invocations/<pk>/", {"GET": API_DESK_ONLY, "PATCH": API_DESK_ONLY}),
    ("/api/v1/incidents/<ref>/suspected-changes/", {"GET": API_DESK_ONLY, "POST": API_DESK_WRITE_EMPTY}),
    # webhooks out (issue 15): desk pages for managers and administrators; the API: the desk reads,
    # managers and administrators write and replay (the sample delivery is dead, so it may be replayed)
    ("/webhooks/", {"GET": MANAGER_FORM}),
    ("/webhooks/<pk>/", {"GET": MANAGER_FORM}),
    ("/webhooks/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/webhooks/<pk>/edit/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/webhooks/*/replay/", {"GET": row(LOGIN, 403, 403, 403, 405, 405), "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/api/v1/webhooks/", {"GET": API_DESK_ONLY, "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/webhooks/<pk>/", {"GET": API_DESK_ONLY, "PATCH": row(401, 403, 403, 403, 200, 200),
                                "PUT": row(401, 403, 403, 403, 405, 405)}),
    ("/api/v1/webhooks/<pk>/replay/", {"GET": row(401, 403, 403, 405, 405, 405),
                                       "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/webhooks/<subscription_pk>/deliveries/*/replay/", {"GET": row(401, 403, 403, 405, 405, 405),
                                                                 "POST": row(401, 403, 403, 403, 202, 202)}),
    ("/api/v1/webhooks/<subscription_pk>/deliveries/*", {"GET": API_DESK_ONLY}),
    # uploaded files, served by Django only when DEBUG is on (downloads go through core/attachments/)
    ("/media/<path>", {"GET": row(404, 404, 404, 404, 404, 404)}),
    # Django's admin: administrators only; everyone else goes to its login page
    ("/admin/login/", {"GET": row(200, 200, 200, 200, 200, 302)}),
    ("/admin/logout/", {"GET": row(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 405)}),
    ("/admin/<url>", {"GET": ADMIN_NOT_FOUND}),
    ("/admin/r/<content_type_id>/<object_id>/", {"GET": ADMIN_NOT_FOUND}),
    ("/admin/accounts/user/<id>/password/", {"GET": ADMIN_NOT_FOUND}),
    ("/admin/autocomplete/", {"GET": ADMIN_REFUSED}),
    *[(f"/admin/{model}/add/", {"GET": ADMIN_REFUSED}) for model in ADMIN_NO_ADD],
    *[(f"/admin/{model}/<object_id>/delete/", {"GET": ADMIN_REFUSED}) for model in ADMIN_NO_DELETE],
    ("/admin/*/<object_id>/", {"GET": ALL_MISSING, "POST": ALL_MISSING}),  # redirects to .../change/
    ("/admin/*/<object_id>/*/", {"GET": ADMIN_MISSING}),
    ("/admin/*", {"GET": ADMIN_SITE}),
    # monthly service reports (issue 16): managers and administrators only; to anyone else they do not exist
    ("/reports/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/reports/generate/", {"GET": row(LOGIN, 404, 404, 404, 405, 405), "POST": row(LOGIN, 404, 404, 404, 400, 400)}),
    ("/reports/<pk>/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/reports/<pk>/print/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/reports/<pk>/download/<fmt>/", {"GET": row(LOGIN, 404, 404, 404, 200, 200)}),
    ("/reports/<pk>/approve/", {"GET": row(LOGIN, 404, 404, 404, 405, 405), "POST": row(LOGIN, 404, 404, 404, 302, 302)}),
    ("/reports/<pk>/distribute/", {"GET": row(LOGIN, 404, 404, 404, 405, 405),
                                   "POST": row(LOGIN, 404, 404, 404, 400, 400)}),
    ("/api/v1/reports/", {"GET": row(401, 404, 404, 404, 200, 200), "POST": row(401, 404, 404, 404, 400, 400)}),
    ("/api/v1/reports/<pk>/", {"GET": row(401, 404, 404, 404, 200, 200)}),
    ("/api/v1/reports/<pk>/download/*", {"GET": row(401, 404, 404, 404, 200, 200)}),
    ("/api/v1/reports/<pk>/approve/", {"GET": row(401, 404, 404, 404, 405, 405), "POST": row(401, 404, 404, 404, 200, 200)}),
    ("/api/v1/reports/<pk>/distribute/", {"GET": row(401, 404, 404, 404, 405, 405),
                                          "POST": row(401, 404, 404, 404, 400, 400)}),
    # surveys and VOC (issue 16): A's answered survey and A's complaint
    ("/portal/surveys/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/surveys/<pk>/", {"GET": row(LOGIN, 200, 404, 404, 404, 404),
                               "POST": row(LOGIN, 400, 404, 404, 404, 404)}),
    # the e-mail's signed link needs no sign-in; an empty answer is refused
    ("/portal/surveys/link/<token>/", {"GET": EVERYONE, "POST": row(400, 400, 400, 400, 400, 400)}),
    ("/portal/voc/", {"GET": SIGNED_IN_PAGE}),
    ("/portal/voc/new/", {"GET": SIGNED_IN_PAGE, "POST": row(LOGIN, 400, 400, 400, 400, 400)}),
    ("/portal/voc/<pk>/", {"GET": row(LOGIN, 200, 404, 404, 404, 404)}),
    ("/surveys/", {"GET": DESK_PAGE}),
    ("/surveys/responses/", {"GET": DESK_PAGE}),
    ("/surveys/campaigns/new/", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/surveys/campaigns/<pk>/", {"GET": DESK_PAGE}),
    ("/surveys/follow-ups/", {"GET": DESK_PAGE}),
    # the manager's follow-up: its owner (or another manager) closes it; an empty note goes back
    ("/surveys/follow-ups/<pk>/done/", {"GET": DESK_POST_ONLY, "POST": row(LOGIN, 403, 403, 403, BACK, BACK)}),
    ("/surveys/settings/*", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/surveys/questions/*", {"GET": MANAGER_FORM, "POST": MANAGER_FORM_EMPTY}),
    ("/voc/", {"GET": DESK_PAGE}),
    ("/voc/new/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),
    ("/voc/<pk>/", {"GET": DESK_PAGE}),
    ("/voc/<pk>/*/", {"GET": DESK_PAGE, "POST": DESK_FORM_EMPTY}),  # edit, respond, transition, escalate, comment
    ("/api/v1/surveys/responses/", {"GET": API_SIGNED_IN, "POST": API_EMPTY_BODY}),
    ("/api/v1/surveys/responses/<pk>/", {"GET": API_A_RECORD}),
    ("/api/v1/voc/", {"GET": API_SIGNED_IN, "POST": API_EMPTY_BODY}),
    ("/api/v1/voc/<pk>/", {"GET": API_A_RECORD, "PATCH": API_A_RECORD_EMPTY, "PUT": API_NOT_ALLOWED}),
    ("/api/v1/voc/<pk>/escalate/", {"GET": API_NOT_ALLOWED,
                                    "POST": row(401, 403, 404, 200, 200, 200)}),
    # hdocs (issues 17, 18): the document register and the service portfolio are the desk's (404 to
    # end users); the published service catalogue is for everyone signed in
    ("/documents/", {"GET": REGISTER_PAGE}),
    ("/documents/new/", {"GET": REGISTER_PAGE, "POST": REGISTER_FORM_EMPTY}),
    ("/documents/<pk>/", {"GET": REGISTER_PAGE}),
    ("/documents/<pk>/diff/", {"GET": REGISTER_PAGE}),
    # edit, transition, versions, distribute, acknowledge (nothing in force yet), comment
    ("/documents/<pk>/*/", {"GET": REGISTER_PAGE, "POST": REGISTER_FORM_EMPTY}),
    ("/portfolio/catalogue/", {"GET": SIGNED_IN_PAGE}),
    ("/portfolio/", {"GET": REGISTER_PAGE}),
    ("/portfolio/new/", {"GET": REGISTER_PAGE, "POST": REGISTER_FORM_EMPTY}),
    ("/portfolio/<pk>/", {"GET": REGISTER_PAGE}),
    ("/portfolio/<pk>/edit/", {"GET": REGISTER_PAGE, "POST": REGISTER_FORM_EMPTY}),
    ("/api/v1/documents/", {"GET": API_DESK_RECORD, "POST": API_DESK_RECORD_EMPTY}),
    ("/api/v1/documents/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_RECORD_EMPTY}),
    ("/api/v1/documents/<pk>/versions/", {"GET": API_DESK_RECORD, "POST": API_DESK_RECORD_EMPTY}),
    ("/api/v1/documents/<pk>/diff/", {"GET": API_DESK_RECORD_EMPTY}),  # without ?old=&new=
    ("/api/v1/documents/<pk>/*/", {"GET": row(401, 404, 404, 405, 405, 405), "POST": API_DESK_RECORD_EMPTY}),
    ("/api/v1/portfolio/services/", {"GET": API_DESK_RECORD, "POST": API_DESK_RECORD_EMPTY}),
    ("/api/v1/portfolio/services/<pk>/", {"GET": API_DESK_RECORD, "PATCH": API_DESK_RECORD_EMPTY}),
    # ISO/IEC 20000-1 readiness (issue 18): desk staff (and auditors) see the readiness; evidence
    # packs are for managers and auditors (an agent gets 403); only managers request one
    ("/iso/", {"GET": DESK_PAGE}),
    ("/iso/clauses/<clause_id>/", {"GET": DESK_PAGE}),
    # Auditors read and download evidence packs (issue 18); requesting one is a write.
    ("/iso/evidence-packs/", {"GET": {**MANAGER_FORM, "auditor": 200}, "POST": MANAGER_FORM_EMPTY}),
    ("/iso/evidence-packs/<pk>/download/", {"GET": {**MANAGER_FORM, "auditor": 200}}),
    ("/api/v1/iso/clauses/", {"GET": API_DESK_ONLY}),
    ("/api/v1/iso/clauses/<id>/", {"GET": API_DESK_ONLY}),
    ("/api/v1/iso/evidence-packs/", {"GET": row(401, 403, 403, 403, 200, 200, auditor=200), "POST": row(401, 403, 403, 403, 400, 400)}),
    ("/api/v1/iso/evidence-packs/<pk>/", {"GET": row(401, 403, 403, 403, 200, 200, auditor=200)}),
    ("/api/v1/iso/evidence-packs/<pk>/download/", {"GET": row(401, 403, 403, 403, 200, 200, auditor=200)}),
]


# Rows for routes that exist only in some settings (DEBUG), not stale when absent.
CONDITIONAL = {"/media/<path>"}


def expectation(template):
    return next((answers for pattern, answers in MATRIX if fnmatch.fnmatchcase(template, pattern)), None)


# --- the records a route's parameters stand for -------------------------------------------------
# route → {parameter: [attribute paths in the world's records, or "=literal"]}; several values:
# each is asked.
SAMPLES = {
    "/portal/surveys/<pk>/": {"pk": ["survey.pk"]},
    "/portal/surveys/link/<token>/": {"token": ["survey_link.token"]},
    "/portal/voc/<pk>/": {"pk": ["voc.pk"]},
    "/surveys/campaigns/<pk>/": {"pk": ["campaign.pk"]},
    "/surveys/follow-ups/<pk>/done/": {"pk": ["follow_up.pk"]},
    "/surveys/settings/<pk>/": {"pk": ["survey_setting.pk"]},
    "/surveys/questions/<pk>/": {"pk": ["survey_question.pk"]},
    "/voc/<pk>/*": {"pk": ["voc.pk"]},
    "/api/v1/surveys/responses/<pk>/": {"pk": ["survey.pk"]},
    "/api/v1/voc/<pk>/*": {"pk": ["voc.pk", "voc.number"]},
    "/accounts/tokens/<pk>/revoke/": {"pk": ["token.pk"]},
    "/accounts/password/reset/<uidb64>/<token>/": {"uidb64": ["=MQ"], "token": ["=made-up-token"]},
    "/core/attachments/<pk>/": {"pk": ["attachment.pk"]},
    "/core/pick/<kind>/": {"kind": ["=person", "=agent", "=ci"]},
    "/portal/incidents/<pk>/": {"pk": ["incident_a.pk"]},
    "/portal/catalog/categories/<pk>/": {"pk": ["portal_category.pk"]},
    "/portal/catalog/items/<pk>/": {"pk": ["portal_item.pk"]},
    "/portal/requests/<pk>/": {"pk": ["portal_request_a.pk"]},
    "/incidents/<pk>/*": {"pk": ["incident_a.pk"]},
    "/portal/kb/<pk>/*": {"pk": ["article.pk"]},
    "/kb/related/<ct>/<pk>/": {"ct": ["incident_type.pk"], "pk": ["incident_a.pk"]},
    "/kb/<pk>/*": {"pk": ["article.pk"]},
    "/mail/mailboxes/<pk>/": {"pk": ["mailbox.pk"]},
    "/mail/messages/<pk>/raw/": {"pk": ["inbound_message.pk"]},
    "/problems/known-errors/suggest/<incident_id>/": {"incident_id": ["incident_a.pk"]},
    "/problems/<pk>/apply/<incident_id>/": {"pk": ["problem.pk"], "incident_id": ["incident_a.pk"]},
    "/problems/<pk>/*": {"pk": ["problem.pk"]},
    "/changes/<pk>/*": {"pk": ["change.pk"]},
    "/releases/<pk>/*": {"pk": ["release.pk"]},
    "/requests/tasks/<pk>/*": {"pk": ["task.pk"]},
    "/requests/<pk>/*": {"pk": ["request_a.pk"]},
    "/cmdb/relationships/<pk>/delete/": {"pk": ["relationship.pk"]},
    "/cmdb/import/<pk>/": {"pk": ["job.pk"]},
    "/cmdb/<pk>/*": {"pk": ["server.pk"]},
    "/sla/clocks/<pk>/": {"pk": ["clock.pk"]},
    "/sla/calendars/<pk>/*": {"pk": ["calendar.pk"]},
    "/sla/definitions/<definition_pk>/rules/new/": {"definition_pk": ["definition.pk"]},
    "/sla/definitions/<pk>/*": {"pk": ["definition.pk"]},
    "/sla/rules/<pk>/edit/": {"pk": ["rule.pk"]},
    "/catalog/items/<pk>/*": {"pk": ["catalog_item.pk"]},
    "/catalog/categories/<pk>/*": {"pk": ["category.pk"]},
    "/api/v1/catalog/categories/<pk>/": {"pk": ["category.pk"]},
    "/api/v1/catalog/items/<pk>/": {"pk": ["catalog_item.pk"]},
    "/api/v1/groups/<pk>/": {"pk": ["team.pk"]},
    "/api/v1/cmdb/classes/<pk>/": {"pk": ["ci_class.pk"]},
    "/api/v1/cmdb/cis/<pk>/*": {"pk": ["server.pk"]},  # desk-only (a service is visible to all)
    "/api/v1/cmdb/relationships/<pk>/": {"pk": ["relationship.pk"]},
    "/api/v1/incidents/<incident_pk>/comments/": {"incident_pk": ["incident_a.pk", "incident_a.number"]},
    "/api/v1/incidents/<incident_pk>/security-notifications/": {
        "incident_pk": ["security_incident.pk", "security_incident.number"]},
    "/api/v1/audit-access-log/<pk>/": {"pk": ["access_log.pk"]},
    "/api/v1/incidents/<pk>/": {"pk": ["incident_a.pk", "incident_a.number"]},
    "/api/v1/problems/<pk>/*": {"pk": ["problem.pk", "problem.number"]},
    "/api/v1/availability/outages/<pk>/": {"pk": ["outage.pk"]},
    "/api/v1/availability/settings/<service>/": {"service": ["service.pk"]},
    "/availability/outages/<pk>/": {"pk": ["outage.pk"]},
    "/api/v1/public-sla/contracts/<pk>/*": {"pk": ["public_sla_contract.pk"]},
    "/public-sla/<pk>/*": {"pk": ["public_sla_contract.pk"]},
    "/api/v1/improvements/<pk>/": {"pk": ["improvement.pk", "improvement.number"]},
    "/improvements/<pk>/*": {"pk": ["improvement.pk"]},
    "/suppliers/contracts/<pk>/*": {"pk": ["contract.pk"]},
    "/suppliers/disputes/<pk>/*": {"pk": ["dispute.pk"]},
    "/suppliers/<pk>/*": {"pk": ["supplier.pk"]},
    "/api/v1/suppliers/<pk>/*": {"pk": ["supplier.pk"]},
    "/api/v1/contracts/<pk>/": {"pk": ["contract.pk"]},
    "/api/v1/disputes/<pk>/": {"pk": ["dispute.pk"]},
    "/iso/audits/findings/<pk>/*": {"pk": ["finding.pk"]},
    "/iso/audits/reviews/actions/<pk>/*": {"pk": ["review_action.pk"]},
    "/iso/audits/reviews/<pk>/*": {"pk": ["review.pk"]},
    "/iso/audits/<pk>/*": {"pk": ["audit.pk"]},
    "/api/v1/iso/audit-programmes/<pk>/*": {"pk": ["audit_programme.pk"]},
    "/api/v1/iso/audits/<pk>/*": {"pk": ["audit.pk"]},
    "/api/v1/iso/findings/<pk>/*": {"pk": ["finding.pk"]},
    "/api/v1/iso/reviews/<pk>/*": {"pk": ["review.pk"]},
    "/api/v1/iso/review-actions/<pk>/*": {"pk": ["review_action.pk"]},
    "/api/v1/iso/certification-events/<pk>/*": {"pk": ["certification_event.pk"]},
    "/api/v1/kb/articles/<pk>/versions/<number>/": {"pk": ["article.pk"], "number": ["=1"]},
    "/api/v1/kb/articles/<pk>/*": {"pk": ["article.pk", "article.number"]},
    "/api/v1/changes/templates/<pk>/": {"pk": ["template.pk"]},
    "/api/v1/changes/freeze-windows/<pk>/": {"pk": ["freeze.pk"]},
    "/api/v1/changes/<pk>/*": {"pk": ["change.pk", "change.number"]},
    "/api/v1/releases/<pk>/*": {"pk": ["release.pk", "release.number"]},
    "/api/v1/requests/<request_pk>/comments/": {"request_pk": ["request_a.pk", "request_a.number"]},
    "/api/v1/requests/<pk>/*": {"pk": ["request_a.pk", "request_a.number"]},
    "/api/v1/tasks/<pk>/": {"pk": ["task.pk", "task.number"]},
    "/request-approvals/<token>/": {"token": ["approval_link.token"]},
    "/api/v1/sla/calendars/<pk>/": {"pk": ["calendar.pk"]},
    "/api/v1/sla/definitions/<pk>/": {"pk": ["definition.pk"]},
    "/api/v1/sla/clocks/<pk>/*": {"pk": ["clock.pk"]},
    "/webhooks/<pk>/deliveries/<delivery_pk>/replay/": {"pk": ["webhook.pk"], "delivery_pk": ["webhook_delivery.pk"]},
    "/webhooks/<pk>/*": {"pk": ["webhook.pk"]},
    "/api/v1/webhooks/<subscription_pk>/deliveries/<pk>/*": {"subscription_pk": ["webhook.pk"],
                                                             "pk": ["webhook_delivery.pk"]},
    "/api/v1/webhooks/<subscription_pk>/*": {"subscription_pk": ["webhook.pk"]},
    "/api/v1/webhooks/<pk>/*": {"pk": ["webhook.pk"]},
    "/admin/<app_label>/": {"app_label": ["=incidents"]},
    "/admin/<url>": {"url": ["=no-such-page/"]},
    "/admin/r/<content_type_id>/<object_id>/": {"content_type_id": ["=0"], "object_id": ["=0"]},
    "/admin/accounts/user/<id>/password/": {"id": ["=0"]},
    "/admin/*/<object_id>/*": {"object_id": ["=0"]},
    "/media/<path>": {"path": ["=nothing-here.txt"]},
    "/reports/<pk>/download/<fmt>/": {"pk": ["report.pk"], "fmt": ["=pdf", "=xlsx"]},
    "/reports/<pk>/*": {"pk": ["report.pk"]},
    "/api/v1/reports/<pk>/*": {"pk": ["report.pk"]},
    "/alerts/incidents/<pk>/cause/": {"pk": ["incident_a.pk"]},
    "/alerts/rules/mapping/<pk>/": {"pk": ["mapping_rule.pk"]},
    "/alerts/rules/incident/<pk>/": {"pk": ["incident_rule.pk"]},
    "/alerts/<pk>/": {"pk": ["alert.pk"]},
    "/capacity/metrics/<pk>/*": {"pk": ["capacity_metric.pk"]},
    "/api/v1/capacity/metrics/<pk>/*": {"pk": ["capacity_metric.pk"]},
    "/continuity/<pk>/*": {"pk": ["continuity_plan.pk"]},
    "/api/v1/continuity/plans/<pk>/": {"pk": ["continuity_plan.pk"]},
    "/api/v1/continuity/tests/<pk>/": {"pk": ["continuity_test.pk"]},
    "/api/v1/continuity/invocations/<pk>/": {"pk": ["continuity_invocation.pk"]},
    "/api/v1/alerts/<pk>/*": {"pk": ["alert.pk"]},
    "/api/v1/incidents/<ref>/suspected-changes/": {"ref": ["incident_a.pk", "incident_a.number"]},
    "/documents/<pk>/*": {"pk": ["document.pk"]},
    "/api/v1/documents/<pk>/*": {"pk": ["document.pk", "document.number"]},
    "/portfolio/<pk>/*": {"pk": ["portfolio_service.pk"]},
    "/api/v1/portfolio/services/<pk>/": {"pk": ["portfolio_service.pk"]},
    "/iso/clauses/<clause_id>/": {"clause_id": ["=8.5.1", "=10"]},
    "/api/v1/iso/clauses/<id>/": {"id": ["=8.5.1", "=10"]},
    "/iso/evidence-packs/<pk>/*": {"pk": ["evidence_pack.pk"]},
    "/api/v1/iso/evidence-packs/<pk>/*": {"pk": ["evidence_pack.pk"]},
}


def _lookup(records, path):
    if path.startswith("="):
        return path[1:]
    name, _dot, attribute = path.partition(".")
    return str(getattr(records[name], attribute))


def urls_of(template, records):
    """The concrete URLs a route is asked at: one per sample of its parameters."""
    params = re.findall(r"<(\w+)>", template)
    if not params:
        return [template]
    sample = next((s for key, s in SAMPLES.items() if fnmatch.fnmatchcase(template, key)), None)
    if sample is None or set(params) - set(sample):
        raise LookupError(f"{template}: no sample for its parameters in SAMPLES")
    width = max(len(sample[p]) for p in params)
    urls = []
    for i in range(width):
        url = template
        for p in params:
            url = url.replace(f"<{p}>", _lookup(records, sample[p][min(i, len(sample[p]) - 1)]))
        urls.append(url)
    return urls


def unsafe_methods(pattern):
    """The writing methods a route's view answers to (for the check that the matrix tests one)."""
    callback = pattern.callback
    actions = getattr(callback, "actions", None)
    if actions is not None:
        return sorted(m.upper() for m in actions if m not in ("get", "head", "options"))
    view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view is not None:
        return sorted(m.upper() for m in ("post", "put", "patch", "delete") if hasattr(view, m))
    return []


# --- the world and the callers --------------------------------------------------------------

def client_for(role, users):
    client = Client()
    if role != "anonymous":
        client.force_login(users[role])
    return client


def ask(client, method, url):
    """One request, its writes (if any got through) rolled back so every caller sees the same world
    (and the caller stays signed in after asking to sign out)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        if method in ("GET", "DELETE"):
            response = getattr(client, method.lower())(url)
        elif url.startswith("/api/"):
            response = client.generic(method, url, data="{}", content_type="application/json")
        else:
            response = client.generic(method, url, data="", content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    client.cookies = cookies
    return response.status_code


def _patterns():
    found = {}
    for template, pattern in _routes():
        found.setdefault(template, pattern)
    return found


def test_every_route_is_in_the_matrix():
    missing = [template for template in discovered() if expectation(template) is None]
    assert missing == [], f"Say who may call these routes in MATRIX: {missing}"


def test_every_matrix_row_names_a_route():
    templates = discovered()
    stale = [pattern for pattern, _answers in MATRIX
             if pattern not in CONDITIONAL and not fnmatch.filter(templates, pattern)]
    assert stale == [], f"These MATRIX rows match no route any more: {stale}"


def test_every_writing_route_is_probed_with_a_writing_method():
    unprobed = [template for template, pattern in _patterns().items()
                if unsafe_methods(pattern) and set(expectation(template) or {}) <= {"GET"}]
    assert unprobed == [], f"Add an unsafe method (POST, PATCH, ...) to these MATRIX rows: {unprobed}"


def test_every_parametrised_route_has_a_sample(world):
    _users, records = world
    for template in discovered():
        urls_of(template, records)  # raises LookupError naming the route


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_on_every_route(world, role):
    users, records = world
    client = client_for(role, users)
    observe = os.environ.get("MATRIX_OBSERVE")
    wrong, seen = [], []
    for template in discovered():
        answers = expectation(template) or {}
        for url in urls_of(template, records):
            for method, expected in answers.items():
                started = time.perf_counter()
                got = ask(client, method, url)
                seen.append(f"{time.perf_counter() - started:.3f}\t{template}\t{url}\t{method}\t{got}")
                want = expected_answer(template, method, expected, role)
                if got != want:
                    wrong.append(f"{method} {url} ({template}): expected {want}, got {got}")
    if observe:
        with open(f"{observe}.{role}", "w") as out:
            out.write("\n".join(seen) + "\n")
    assert wrong == [], f"{role}:\n" + "\n".join(wrong)
