"""Agent desk views for incident management (thin: visibility, a form, a service call)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _, gettext_lazy
from django.views import View

from accounts.models import User
from cmdb.models import ConfigurationItem
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from incidents import services, workflow
from incidents.choices import OPEN_STATES, IncidentState
from incidents.filtersets import ORDERING_FIELDS, IncidentFilterSet, Queue
from incidents.forms import BulkUpdateForm, CommentForm, IncidentForm, IncidentTransitionForm
from incidents.models import Incident
from incidents.paging import SEARCH_COUNT_CAP, CappedCountPaginator
from sla.models import SLAClock
from core.ticket_views import TicketListView
from core.web import DeskRequiredMixin, form_error as _form_error, htmx_redirect as _done

WEB = Channel.WEB
PAGE_SIZE = 25


def list_queryset(user):
    """Queue rows: relations and SLA clocks in a constant number of queries."""
    return (
        Incident.objects.visible_to(user).with_list_relations()
        .prefetch_related(Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition")))
    )


class DeskMixin(DeskRequiredMixin):
    """The incident desk is for service desk staff; end users use the portal."""

    def get_incident(self, pk):
        return get_object_or_404(Incident.objects.visible_to(self.request.user), pk=pk)


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

    def get_params(self):
        params = super().get_params()
        if "queue" not in params and not any(k for k in params if k not in ("page", "ordering")):
            params["queue"] = Queue.MY_GROUPS if self.request.user.teams.exists() else Queue.OPEN
        return params

    def get_default_ordering(self, params):
        if params.get("queue") in (Queue.MINE, Queue.MY_GROUPS, Queue.UNASSIGNED, Queue.OPEN):
            return ("priority", "created_at")
        return ("-created_at", "-id")

    def get_paginator_class(self, params):
        # Counting every match of a common word costs seconds; a search counts up to a cap.
        return CappedCountPaginator if (params.get("search") or "").strip() else Paginator

    def get_extra_context(self, params, page):
        return {
            "queues": Queue.choices, "queue": params.get("queue", ""),
            "count_capped": isinstance(page.paginator, CappedCountPaginator)
            and page.paginator.count >= SEARCH_COUNT_CAP,
            "bulk_form": BulkUpdateForm(),
        }


class IncidentCreateView(DeskMixin, View):
    template_name = "incidents/form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": IncidentForm(), "incident": None})

    def post(self, request):
        form = IncidentForm(request.POST)
        if form.is_valid():
            data = form.changes()
            reason = data.pop("priority_override_reason", "")
            try:
                incident = services.open_incident(actor=request.user, channel=WEB, caller=data.pop("caller", None),
                                                  priority_override_reason=reason, **data)
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Incident %(number)s recorded.") % {"number": incident.number})
                return _done(request, incident.get_absolute_url())
        return render(request, self.template_name, {"form": form, "incident": None}, status=400)


class ServiceSuggestionView(DeskMixin, View):
    """htmx: the business service a chosen CI supports, as a hint under the service field."""

    def get(self, request):
        value = (request.GET.get("configuration_item") or "").strip()
        ci = ConfigurationItem.objects.filter(pk=int(value)).select_related("ci_class").first() \
            if value.isdigit() and len(value) < 18 else None
        service = services.suggest_service(ci) if ci else None
        return render(request, "incidents/partials/_service_suggestion.html", {"service": service, "ci": ci})


class UserLookupView(DeskMixin, View):
    """htmx: up to 20 active people whose name, username or e-mail contains the typed text."""

    def get(self, request):
        text = (request.GET.get("caller") or request.GET.get("q") or "").strip()
        people = []
        if text and not text.isdigit():
            people = (User.objects.filter(is_active=True)
                      .filter(Q(display_name__icontains=text) | Q(username__icontains=text) | Q(email__icontains=text))
                      .order_by("display_name", "username")[:20])
        return render(request, "incidents/partials/_user_options.html", {"people": people})


class CILookupView(DeskMixin, View):
    """htmx: up to 20 CIs whose name contains the typed text, as <option>s of a datalist."""

    def get(self, request):
        text = (request.GET.get("configuration_item") or request.GET.get("q") or "").strip()
        cis = []
        if text and not text.isdigit():
            cis = (ConfigurationItem.objects.visible_to(request.user).active().filter(name__icontains=text)
                   .select_related("ci_class").order_by("name")[:20])
        return render(request, "incidents/partials/_ci_options.html", {"cis": cis})


def known_errors_url(incident):
    try:
        return reverse("problems:known_error_suggestions", args=[incident.pk])
    except NoReverseMatch:
        return None


class IncidentDetailView(DeskMixin, View):
    """The record page: fields, quick actions, SLA state, timeline, comment form."""

    def get(self, request, pk):
        return self.render(request, self.get_incident(pk))

    def render(self, request, incident, *, form=None, transition_form=None, comment_form=None, status=200):
        incident = (Incident.objects.with_list_relations().select_related("parent")
                    .prefetch_related(Prefetch("sla_clocks", queryset=SLAClock.objects.select_related("definition")))
                    .annotate(open_children=Count("children", filter=Q(children__state__in=OPEN_STATES)))
                    .get(pk=incident.pk))
        allowed = workflow.allowed_targets(incident.state)
        context = {
            "incident": incident,
            "form": form or IncidentForm(instance=incident),
            "transition_form": transition_form or IncidentTransitionForm(
                allowed=allowed, initial={"version": incident.version}),
            "comment_form": comment_form or CommentForm(),
            "allowed": allowed,
            "timeline": timeline(incident, include_internal=True),
            "children": incident.children.select_related("assigned_to").order_by("-created_at")[:50]
            if incident.is_major else [],
            "known_errors_url": known_errors_url(incident),
            "clocks": list(incident.sla_clocks.all()),
        }
        return render(request, "incidents/detail.html", context, status=status)


class IncidentUpdateView(IncidentDetailView):
    def post(self, request, pk):
        incident = self.get_incident(pk)
        form = IncidentForm(request.POST, instance=incident)
        if form.is_valid():
            try:
                services.update_incident(incident, actor=request.user, channel=WEB, changes=form.changes(),
                                         expected_version=form.cleaned_data.get("version"))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Incident %(number)s saved.") % {"number": incident.number})
                return _done(request, incident.get_absolute_url())
        incident.refresh_from_db()
        return self.render(request, incident, form=form, status=400)


class IncidentTransitionView(IncidentDetailView):
    def post(self, request, pk):
        incident = self.get_incident(pk)
        form = IncidentTransitionForm(request.POST, allowed=workflow.allowed_targets(incident.state))
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["state"] == IncidentState.RESOLVED:
                    services.resolve(incident, actor=request.user, channel=WEB, code=data["resolution_code"],
                                     notes=data["resolution_notes"], expected_version=data.get("version"),
                                     resolve_children=data.get("resolve_children", False))
                else:
                    services.transition(incident, actor=request.user, channel=WEB, target=data["state"],
                                        expected_version=data.get("version"),
                                        on_hold_reason=data.get("on_hold_reason", ""))
            except DomainError as exc:
                _form_error(form, exc)
            else:
                return _done(request, incident.get_absolute_url())
        return self.render(request, incident, transition_form=form, status=400)


class IncidentAssignToMeView(DeskMixin, View):
    """Quick action: take the incident (into one's own group if the current group is not one's own)."""

    def post(self, request, pk):
        incident = self.get_incident(pk)
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
        return _done(request, incident.get_absolute_url())


class IncidentCommentView(IncidentDetailView):
    def post(self, request, pk):
        incident = self.get_incident(pk)
        form = CommentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.comment(incident, actor=request.user, channel=WEB, body=form.cleaned_data["body"],
                                 internal=form.cleaned_data.get("internal", False), files=form.cleaned_data["files"])
            except DomainError as exc:
                _form_error(form, exc)
            else:
                return _done(request, incident.get_absolute_url() + "#timeline")
        return self.render(request, incident, comment_form=form, status=400)


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
            messages.success(request, _("%(count)s incidents updated.") % {"count": len(updated)})
        for number, reason in refused.items():
            messages.error(request, f"{number}: {reason}")
        return _done(request, back)


__all__ = [
    "IncidentListView", "IncidentCreateView", "IncidentDetailView", "IncidentUpdateView", "IncidentTransitionView",
    "IncidentAssignToMeView", "IncidentCommentView", "IncidentBulkUpdateView", "ServiceSuggestionView",
    "CILookupView", "UserLookupView",
]
