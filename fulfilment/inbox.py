"""Service requests as an approval source for the inbox (core.approvals): the requests with an
item whose current stage this person may decide now.

Who may decide what now is kept as rows (fulfilment.models.ApprovalDue, maintained by
fulfilment.deciders whenever an item is submitted, decided or cancelled), so the badge on every
desk page is an index-only count of the person's rows and the list one query over them: neither
reads the waiting items nor evaluates the approval rules, whatever the size of the person's
groups' backlog.
"""

from django.db.models import Count
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.approvals import PendingApproval
from core.web import url_for_rows
from fulfilment.models import ApprovalDue

LABEL = _("Service request")


def request_url(request_id):
    """The desk's request page; built by the desk helper, so reversing may fail until it lands."""
    try:
        return reverse("fulfilment:request_detail", args=[request_id])
    except NoReverseMatch:
        return f"/requests/{request_id}/"


def count_query(user):
    """The number of requests waiting on the person's decision (the navigation's badge), as a
    query of one row (none when nothing waits): core.approvals runs it with the other sources'."""
    return (ApprovalDue.objects.filter(approver_id=getattr(user, "pk", None)).order_by()
            .values("approver_id").annotate(requests=Count("request_id", distinct=True)).values("requests"))


def count(user):
    """count_query's number, alone."""
    if not getattr(user, "pk", None):
        return 0
    return (ApprovalDue.objects.filter(approver=user).aggregate(requests=Count("request_id", distinct=True))
            ["requests"])


def pending(user):
    """One PendingApproval per request, its first waiting item naming the stage."""
    if not getattr(user, "pk", None):
        return []
    rows = (ApprovalDue.objects.filter(approver=user).order_by("request_id", "request_item_id")
            .values_list("request_id", "request__number", "request__title", "request__requested_by__display_name",
                         "request__requested_by__username", "request_item__catalog_item__name",
                         "request_item__catalog_item__name_ko", "stage_name", "since"))
    korean = (get_language() or "").startswith("ko")
    label = str(LABEL)
    url = url_for_rows(request_url)  # one reverse() for the whole list
    by_request = {}
    for request_id, number, title, requester, username, name_en, name_ko, stage_name, since in rows:
        if request_id in by_request:
            continue
        name = (name_ko or name_en) if korean else (name_en or name_ko)
        by_request[request_id] = PendingApproval(
            kind="request", kind_label=label, number=number, title=title,
            url=url(request_id), stage=f"{name}: {stage_name}",
            requested_by=requester or username, since=since)
    return list(by_request.values())
