"""Agent desk views for incident management (thin: visibility, a form, a service call)."""

import functools

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q, Window
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _, gettext_lazy, ngettext
from django.views import View

from accounts import roles
from accounts.models import Team, User
from cmdb.models import ConfigurationItem
from core import choices_memo
from core.choices import Channel
from core.exceptions import DomainError
from core.paging import IdPage
from core.selects import RowsWith, attach_by_id
from core.selectors import generic_rows, timeline
from incidents import security_panel, services, workflow
from incidents.choices import OPEN_STATES, IncidentState
from incidents.filtersets import ALL_COUNT_CAP, ORDERING_FIELDS, IncidentFilterSet, Queue, queue_counts
from incidents.forms import TEAMS, BulkUpdateForm, IncidentForm, IncidentTransitionForm
from incidents.models import Incident
from incidents.paging import SEARCH_COUNT_CAP, CappedCountPaginator, KnownCountPaginator, search_paginator
from sla.api.rows import BADGE_CLOCK_COLUMNS, attach_listed_clocks
from sla.models import SLAClock
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from core.web import htmx_redirect as _done, int_param

WEB = Channel.WEB
PAGE_SIZE = 25


def list_queryset(user):
    """Queue rows: relations and SLA clocks in a constant number of queries."""
    return (
        Incident.objects.visible_to(user).with_list_relations()
        .prefetch_related(Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition")))
    )


# What a queue row shows of the rows its foreign keys point to (incident_row): their names.
_ROW_NAMES = {User: ("id", "username", "first_name", "last_name", "display_name"), Team: ("id", "name"),
              ConfigurationItem: ("id", "name")}


@functools.cache
def _queue_rows_statement():
    return RowsWith(Incident, "id", many=True, exclude=("search_vector",), related={
        name: _ROW_NAMES[Incident._meta.get_field(name).related_model]
        for name in ("caller", "assignment_group", "assigned_to", "service")})


def queue_rows(ids):
    """{id: incident} of a queue page's ids as incident_row shows them, in two statements written
    once per process (core.selects.RowsWith, sla.api.rows): every column but the search document,
    the names of the caller, group, assignee and service, the clocks the SLA badges read.

    Issue 12, sixth round: list_queryset's in_bulk read them in six statements compiled per
    request (rows, clocks, then users, teams, categories and CIs), ~30 % of the queue page's CPU.
    The category, subcategory and CI a row does not show are left to their foreign keys.
    Visibility is the caller's: the ids come from the visible, filtered list."""
    incidents = _queue_rows_statement().read(list(ids))
    attach_listed_clocks(incidents, BADGE_CLOCK_COLUMNS)
    return {incident.pk: incident for incident in incidents}


class DeskMixin(TicketMixin):
    """The incident desk is for service desk staff; end users use the portal."""

    model = Incident


class IncidentListView(DeskMixin, TicketListView):
    """Queues, filters, sorting and search; the id page first, then its rows (core.paging)."""

    filterset_class = IncidentFilterSet
    template_name = "incidents/list.html"
    rows_template_name = "incidents/partials/_rows.html"
    ordering_fields = ORDERING_FIELDS
    paginate_by = PAGE_SIZE
    defer_rows = True
    sort_columns = (
        ("number", gettext_lazy("Number")), ("priority", gettext_lazy("Priority")), ("state", gettext_lazy("State")),
        ("title", gettext_lazy("Title")), ("created_at", gettext_lazy("Opened")), ("updated_at", gettext_lazy("Updated")),
    )

    def get_queryset(self):
        return list_queryset(self.request.user)

    def read_rows(self, ids):
        return queue_rows(ids)

    def style_filter_form(self, form):
        super().style_filter_form(form)
        # The same lists on every queue page: kept per process (issue 12, core.choices_memo); the
        # team list is the bulk form's. The API's filter set builds no options and is left as is.
        choices_memo.memoise(form.fields["assignment_group"], TEAMS)
        choices_memo.memoise(form.fields["assigned_to"], "incidents.filter_agents")
        choices_memo.memoise(form.fields["category"], "incidents.top_categories")
        choices_memo.memoise(form.fields["service"], "cmdb.business_services")

    def get_params(self):
        params = super().get_params()
        if "queue" not in params and not any(k for k in params if k not in ("page", "ordering")):
            params["queue"] = Queue.MY_GROUPS if roles.in_a_team(self.request.user) else Queue.OPEN
        return params

    def get_default_ordering(self, params):
        if params.get("queue") in (Queue.MINE, Queue.MY_GROUPS, Queue.UNASSIGNED, Queue.OPEN, Queue.BREACHING,
                                   Queue.BREACHED):
            return ("priority", "created_at")
        return ("-created_at", "-id")

    def get_paginator_class(self, params):
        # Counting every match of a common word costs seconds; a search counts up to a cap.
        text = (params.get("search") or "").strip()
        if not text:
            return Paginator
        narrowed = any(value for key, value in params.items() if key not in ("search", "page", "ordering"))
        return search_paginator(Incident, text, self.request.user, narrowed)

    # What may come with a queue for its list to be exactly what its tab counts.
    _TAB_LIST_PARAMS = frozenset({"queue", "page", "ordering"})

    @functools.cached_property
    def tab_counts(self):
        htmx = getattr(self.request, "htmx", None)
        # The tabs sit outside the rows an htmx filter request replaces: count only for the full page.
        return {} if htmx and not htmx.boosted else queue_counts(
            self.request.user, now=self.filterset.now, soon=self.filterset.soon)

    def paginate(self, queryset, params):
        """A queue listed as it is (no other filter, no search) is the tab's count's list: the
        page count takes the tab's number rather than a COUNT statement of its own (issue 12,
        eighth round; the tab and its list count at the filter set's instants). Not for "All",
        whose tab stops counting at its cap."""
        value = params.get("queue")
        count = self.tab_counts.get(value) if (
            value != Queue.ALL and self._TAB_LIST_PARAMS.issuperset(params) and self.filterset.is_bound
            and self.filterset.is_valid()) else None
        if count is None:
            return super().paginate(queryset, params)
        ids = queryset.prefetch_related(None).values_list("pk", flat=True)
        paginator = KnownCountPaginator(ids, self.get_page_size(params), count=count)
        return IdPage(paginator.get_page(params.get("page")), read=self.read_rows)

    def get_extra_context(self, params, page):
        counts = dict(self.tab_counts)
        if counts.get(Queue.ALL, 0) > ALL_COUNT_CAP:
            counts[Queue.ALL] = f"{ALL_COUNT_CAP:,}+"
        return {
            "queues": [(value, label, counts.get(value)) for value, label in Queue.choices],
            "queue": params.get("queue", ""),
            "count_capped": isinstance(page.paginator, CappedCountPaginator)
            and page.paginator.count >= SEARCH_COUNT_CAP,
            "bulk_form": BulkUpdateForm(),
        }


class IncidentCreateView(DeskMixin, TicketFormView):
    form_class = IncidentForm
    template_name = "incidents/form.html"
    success_message = gettext_lazy("Incident %(number)s recorded.")

    def save(self, form, ticket):
        data = form.changes()
        reason = data.pop("priority_override_reason", "")
        return services.open_incident(actor=self.request.user, channel=WEB, caller=data.pop("caller", None),
                                      priority_override_reason=reason, **data)


class ServiceSuggestionView(DeskMixin, View):
    """htmx: the business service a chosen CI supports, as a hint under the service field."""

    def get(self, request):
        ci_id = int_param(request, "configuration_item")
        ci = ConfigurationItem.objects.filter(pk=ci_id).select_related("ci_class").first() if ci_id else None
        service = services.suggest_service(ci) if ci else None
        return render(request, "incidents/partials/_service_suggestion.html", {"service": service, "ci": ci})


def known_errors_url(incident):
    try:
        return reverse("problems:known_error_suggestions", args=[incident.pk])
    except NoReverseMatch:
        return None


def action_choices(incident, form):
    """The state menu names each move as the workflow does ("Resume" from on hold), not by its target."""
    form.fields["state"].choices = [(value, incident.lifecycle.action_label(incident.state, value))
                                    for value, _label in form.fields["state"].choices]
    form.fields["state"].label = _("Action")
    return form


class IncidentDetailView(DeskMixin, TicketDetailView):
    """The record page: fields, quick actions, SLA state, timeline, comment form."""

    template_name = "incidents/detail.html"
    comment_route = "incidents:incident_comment"
    comment_files = True
    comment_public_label = gettext_lazy("Reply to caller (public)")
    comment_public_submit = gettext_lazy("Send reply to caller")

    def comment_audience(self, incident):
        caller = incident.caller
        if caller.is_active and caller.wants_notification("commented"):
            return _("%(caller)s will see this on the portal and be e-mailed.") % {"caller": caller}
        return _("%(caller)s will see this on the portal (without an e-mail: they receive none about comments).") % {
            "caller": caller}

    # The related rows the page shows: the caller and the assignee (the header, the pickers' text,
    # who reads a reply) and the CI (its picker). The group, categories and service are the
    # form's selected options, whose lists are kept per process (core.choices_memo): loading their
    # rows as the queue does was a statement or two per page for nothing shown (issue 12).
    SHOWN_RELATIONS = ("caller", "assigned_to", "configuration_item")

    @staticmethod
    @functools.cache
    def _record_statement():
        # What the page shows of the parent (a child's card): its number and title.
        return RowsWith(Incident, "id", exclude=("search_vector",), related={"parent": ("id", "number", "title")})

    @classmethod
    def read_record(cls, pk):
        """The incident as the page shows it (every column but the search document, the parent's
        number and title, the rows of SHOWN_RELATIONS), or None: what
        `only_rows(*SHOWN_RELATIONS).defer("search_vector").select_related("parent")` read, by
        statements written once per process (core.selects), not compiled by the ORM on every page
        (issue 12, seventh round). Visibility is the caller's (Incident.objects.sees)."""
        found = cls._record_statement().read(pk)
        attach_by_id(found, cls.SHOWN_RELATIONS)
        return found[0] if found else None

    @staticmethod
    def children(incident):
        """A major incident's newest 50 children, and how many of all its children are open
        (`open_children`, the transition form's "also resolve"), in one statement: a window count
        over the children before the limit. Counted in the record's read, it was a join and a
        GROUP BY on every incident's page (issue 12, sixth round)."""
        if not incident.is_major:
            incident.open_children = 0
            return []
        children = list(incident.children.select_related("assigned_to").annotate(
            open_total=Window(Count("pk", filter=Q(state__in=OPEN_STATES)))).order_by("-created_at")[:50])
        incident.open_children = children[0].open_total if children else 0
        return children

    def get(self, request, pk):
        # The page's read is the visibility check too (issue 12: the row was read twice), by
        # visible_to's rule in Python (Incident.objects.sees, as the API's detail).
        incident = self.read_record(pk)
        if incident is None or not Incident.objects.sees(request.user, incident):
            raise Http404(f"No {Incident._meta.object_name} matches the given query.")
        incident.read_for_page = True
        return self.render_page(incident)

    def get_context(self, incident, forms):
        if not getattr(incident, "read_for_page", False):  # a refused POST re-renders the page
            incident = self.read_record(incident.pk)
        allowed = workflow.allowed_targets(incident.state)
        children = self.children(incident)
        return {
            "incident": incident,
            "form": forms.get("edit") or IncidentForm(instance=incident),
            "transition_form": action_choices(incident, forms.get("transition") or IncidentTransitionForm(
                allowed=allowed, initial={"version": incident.version})),
            **self.comment_context(incident, forms),
            "allowed": allowed,
            "timeline": timeline(incident, include_internal=True),
            "children": children,
            "known_errors_url": known_errors_url(incident),
            # The clocks' Prefetch, compiled per page, was a third of the record's read (issue 12).
            "clocks": generic_rows(SLAClock, "definition", ContentType.objects.get_for_model(incident), incident),
            "security": security_panel.panel_context(self.request.user, incident),
        }


class IncidentActionView(TicketActionView, IncidentDetailView):
    """Edit, transition and comment: POSTs from the record page, which shows their refusals."""

    def form_edit(self, incident):
        return IncidentForm(self.request.POST, instance=incident)

    def do_edit(self, incident, form):
        services.update_incident(incident, actor=self.request.user, channel=WEB, changes=form.changes(),
                                 expected_version=form.cleaned_data.get("version"))
        self.success(_("Incident %(number)s saved.") % {"number": incident.number})

    def form_transition(self, incident):
        return IncidentTransitionForm(self.request.POST, allowed=workflow.allowed_targets(incident.state))

    def do_transition(self, incident, form):
        data = form.cleaned_data
        if data["state"] == IncidentState.RESOLVED:
            services.resolve(incident, actor=self.request.user, channel=WEB, code=data["resolution_code"],
                             notes=data["resolution_notes"], expected_version=data.get("version"),
                             resolve_children=data.get("resolve_children", False))
        else:
            services.transition(incident, actor=self.request.user, channel=WEB, target=data["state"],
                                expected_version=data.get("version"), on_hold_reason=data.get("on_hold_reason", ""))

    def add_comment(self, incident, *, body, internal, files):
        services.comment(incident, actor=self.request.user, channel=WEB, body=body, internal=internal, files=files)


class IncidentUpdateView(IncidentActionView):
    action = "edit"


class IncidentTransitionView(IncidentActionView):
    action = "transition"


class IncidentCommentView(IncidentActionView):
    action = "comment"
    success_anchor = "#timeline"


class IncidentAssignToMeView(DeskMixin, View):
    """Quick action: take the incident (into one's own group if the current group is not one's own)."""

    def post(self, request, pk):
        incident = self.get_ticket(pk)
        group = incident.assignment_group
        if group is None or not group.members.filter(pk=request.user.pk).exists():
            group = request.user.teams.order_by("name").first()
        try:
            services.assign(incident, actor=request.user, channel=WEB, group=group, person=request.user,
                            expected_version=request.POST.get("version") or None)
            if incident.state == IncidentState.NEW:
                services.transition(incident, actor=request.user, channel=WEB, target=IncidentState.IN_PROGRESS)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("%(number)s is assigned to you.") % {"number": incident.number})
        return _done(request, incident.get_absolute_url())


class IncidentBulkUpdateView(DeskMixin, View):
    def post(self, request):
        form = BulkUpdateForm(request.POST)
        back = reverse("incidents:incident_list") + ("?" + request.POST["next_query"]
                                                     if request.POST.get("next_query") else "")
        if not form.is_valid():
            messages.error(request, _("Choose incidents and at least one change."))
            return _done(request, back)
        changes = form.changes()
        if not changes:
            messages.error(request, _("Choose at least one change."))
            return _done(request, back)
        incidents = Incident.objects.visible_to(request.user).filter(pk__in=[i.pk for i in form.cleaned_data["incidents"]])
        updated, refused = services.bulk_update(incidents, actor=request.user, channel=WEB, changes=changes)
        if updated:
            messages.success(request, ngettext("%(count)s incident updated.", "%(count)s incidents updated.",
                                               len(updated)) % {"count": len(updated)})
        for number, reason in refused.items():
            messages.error(request, f"{number}: {reason}")
        return _done(request, back)


__all__ = [
    "IncidentListView", "IncidentCreateView", "IncidentDetailView", "IncidentUpdateView", "IncidentTransitionView",
    "IncidentAssignToMeView", "IncidentCommentView", "IncidentBulkUpdateView", "ServiceSuggestionView",
    "CILookupView", "UserLookupView",
]
