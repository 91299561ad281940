"""Self-service portal: an end user's own incidents only (anyone else's is a 404), never work notes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core import panels
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from incidents import conf, portal_status, services, workflow
from incidents.choices import OPEN_STATES, Impact, IncidentState
from incidents.forms import CommentForm, PortalIncidentForm, PortalReopenForm
from incidents.models import Incident
from sla.selectors import clocks_for_ticket

PORTAL = Channel.PORTAL


def my_incidents(user):
    """The portal's only queryset: incidents this person reported (desk staff included)."""
    return Incident.objects.filter(caller=user)


class PortalHomeView(LoginRequiredMixin, View):
    def get(self, request):
        show = request.GET.get("show", "open")
        queryset = my_incidents(request.user).select_related("service").order_by("-created_at", "-id")
        if show == "open":
            queryset = queryset.filter(state__in=OPEN_STATES | {IncidentState.RESOLVED})
        page = Paginator(queryset, 20).get_page(request.GET.get("page"))
        return render(request, "portal/home.html", {"page": page, "show": show, "query": f"show={show}"})


class PortalIncidentCreateView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "portal/incident_form.html", {"form": PortalIncidentForm(user=request.user)})

    def post(self, request):
        form = PortalIncidentForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            data = form.cleaned_data
            try:
                incident = services.open_incident(
                    actor=request.user, channel=PORTAL, caller=request.user, title=data["title"],
                    description=data["description"], urgency=data["urgency"], impact=Impact.LOW,
                    service=data["service"], files=data["files"],
                )
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                panels.ticket_filed(request, incident)
                messages.success(request, _("Thank you. We have recorded your report as %(number)s.")
                                 % {"number": incident.number})
                return redirect(incident.get_portal_url())
        return render(request, "portal/incident_form.html", {"form": form}, status=400)


class PortalIncidentDetailView(LoginRequiredMixin, View):
    def get_incident(self, pk):
        return get_object_or_404(my_incidents(self.request.user).select_related(
            "service", "assigned_to", "caller__organisation"), pk=pk)

    def get(self, request, pk):
        return self.render(request, self.get_incident(pk))

    def render(self, request, incident, *, comment_form=None, reopen_form=None, status=200):
        allowed = workflow.allowed_targets(incident.state, is_agent=False)
        can_reopen = IncidentState.IN_PROGRESS in allowed and workflow.reopen_allowed(
            incident.resolved_at, now=timezone.now(), window_days=conf.reopen_window_days())
        items = timeline(incident, include_internal=False)
        awaiting = portal_status.awaiting_caller(incident)
        comment_form = comment_form or CommentForm(allow_internal=False)
        if awaiting:
            comment_form.fields["body"].label = _("Your reply")
        return render(request, "portal/incident_detail.html", {
            "incident": incident, "timeline": items,
            "comment_form": comment_form,
            "reopen_form": reopen_form or PortalReopenForm(),
            "can_confirm": IncidentState.CLOSED in allowed, "can_reopen": can_reopen,
            "can_withdraw": IncidentState.CANCELLED in allowed,
            "is_closed": incident.state in (IncidentState.CLOSED, IncidentState.CANCELLED),
            "awaiting_reply": awaiting,
            "question": portal_status.last_question(items, incident.caller_id) if awaiting else None,
            "expected": portal_status.expectations(clocks_for_ticket(incident, include_cancelled=False)),
            "user_time_zone": portal_status.time_zone_of(incident.caller),
        }, status=status)

    def post(self, request, pk):
        incident = self.get_incident(pk)
        action = request.POST.get("action", "comment")
        try:
            if action == "confirm":
                services.close(incident, actor=request.user, channel=PORTAL)
                messages.success(request, _("Thank you for confirming. The incident is closed."))
            elif action == "withdraw":
                services.cancel(incident, actor=request.user, channel=PORTAL)
                messages.success(request, _("Your report has been withdrawn."))
            elif action == "reopen":
                form = PortalReopenForm(request.POST)
                if not form.is_valid():
                    return self.render(request, incident, reopen_form=form, status=400)
                services.reopen(incident, actor=request.user, channel=PORTAL, reason=form.cleaned_data["reason"])
                messages.success(request, _("The incident has been reopened; the service desk will look again."))
            else:
                form = CommentForm(request.POST, request.FILES, allow_internal=False)
                if not form.is_valid():
                    return self.render(request, incident, comment_form=form, status=400)
                was_awaiting = portal_status.awaiting_caller(incident)
                services.comment(incident, actor=request.user, channel=PORTAL, body=form.cleaned_data["body"],
                                 files=form.cleaned_data["files"])
                incident.refresh_from_db()
                if was_awaiting and not portal_status.awaiting_caller(incident):
                    messages.success(request, _("Thank you for your reply. The service desk is working on "
                                                "your ticket again."))
        except DomainError as exc:
            messages.error(request, exc.message)
            incident.refresh_from_db()
            return self.render(request, incident, status=400)
        return redirect(incident.get_portal_url())
