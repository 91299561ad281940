"""Agent desk views for change management (thin: visibility, a form, a service call)."""

import calendar as pycalendar
from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View

from changes import approvals as approval_rules, conflicts as conflict_rules, services, workflow
from changes import calendar as calendar_entries
from changes.choices import ApprovalStatus, ChangeState, ConflictKind, TERMINAL_STATES
from changes.filtersets import ORDERING_FIELDS, ChangeFilterSet
from changes.forms import (
    ApprovalForm, CalendarFilterForm, ChangeForm, PIRForm, RiskForm, TransitionForm, bootstrapify,
)
from changes.models import Approval, Change, FreezeWindow
from cmdb import picture as dependency_picture
from cmdb.models import ConfigurationItem
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from core.web import int_param

WEB = Channel.WEB
PAGE_SIZE = 25


class DeskMixin(TicketMixin):
    """Change management is for service desk staff."""

    model = Change


def list_queryset(user):
    return Change.objects.visible_to(user).select_related("requested_by", "assignment_group", "assigned_to")


class ChangeListView(DeskMixin, TicketListView):
    filterset_class = ChangeFilterSet
    template_name = "changes/list.html"
    rows_template_name = "changes/partials/_rows.html"
    ordering_fields = ORDERING_FIELDS
    paginate_by = PAGE_SIZE
    sort_columns = (("number", gettext_lazy("Number")), ("state", gettext_lazy("State")),
                    ("risk", gettext_lazy("Risk")), ("planned_start", gettext_lazy("Planned window")),
                    ("updated_at", gettext_lazy("Updated")))

    def get_queryset(self):
        return list_queryset(self.request.user)

    def get_extra_context(self, params, page):
        # The page's rows (the template iterates the same evaluated queryset) with their
        # current conflicts, in three queries for the page.
        conflict_rules.current(list(page.object_list))
        return super().get_extra_context(params, page)


class ChangeCreateView(DeskMixin, TicketFormView):
    form_class = ChangeForm
    template_name = "changes/form.html"
    success_message = gettext_lazy("Change %(number)s recorded.")

    def get_initial(self):
        template = int_param(self.request, "template")
        return {"template": template} if template else {}

    def save(self, form, change):
        return services.create_change(actor=self.request.user, channel=WEB,
                                      affected_cis=form.cleaned_data["affected_cis_text"], **form.changes())


class ChangeUpdateView(DeskMixin, TicketFormView):
    form_class = ChangeForm
    template_name = "changes/form.html"
    success_message = gettext_lazy("Change %(number)s saved.")

    def save(self, form, change):
        services.update_change(change, actor=self.request.user, channel=WEB, changes=form.changes(),
                               expected_version=self.request.POST.get("version") or None,
                               affected_cis=form.cleaned_data["affected_cis_text"],
                               caused_incidents=form.cleaned_data["caused_incidents_text"])
        return change


class ChangeDetailView(DeskMixin, TicketDetailView):
    """The record page: plan, window, CIs, risk, conflicts, approvals, actions, timeline."""

    template_name = "changes/detail.html"
    comment_route = "changes:change_comment"

    def get_context(self, change, forms):
        request = self.request
        change = (Change.objects.select_related("requested_by", "template", "assignment_group", "assigned_to",
                                                "approval_policy")
                  .prefetch_related(Prefetch("affected_cis", queryset=ConfigurationItem.objects.select_related(
                      "ci_class")), "caused_incidents")
                  .get(pk=change.pk))
        conflict_rules.current([change])
        overall, stage_results = services.approval_status(change)
        round_approvals = list(Approval.objects.filter(change=change).select_related("approver")
                               .order_by("round", "stage_order", "created_at"))
        offer = approval_rules.Offer(stage=None)
        if change.state == ChangeState.AUTHORIZE and change.approved_at is None:
            offer = approval_rules.offer(
                services.stage_specs(change), services.decision_facts(change, round_approvals),
                actor_id=request.user.pk, requester_id=change.requested_by_id,
                one_vote_per_person=services.one_vote_per_person(change))
        allowed = workflow.allowed_targets(change.type, change.state)
        if change.state == ChangeState.AUTHORIZE and change.approved_at is None:
            # Leaving authorize forward is the approvers' decision (the approve/reject form).
            allowed = tuple(t for t in allowed if t not in workflow.NEEDS_APPROVAL)
        transition_form = forms.get("transition") or TransitionForm(initial={"version": change.version})
        transition_form.fields["target"].choices = [(t, change.lifecycle.action_label(change.state, t))
                                                    for t in allowed]
        bootstrapify(transition_form)
        services_ids = set(change.impacted_services[:20])
        for item in change.conflicts:
            for sid in item.get("services", []):
                services_ids.add(sid)
        ci_names = dict(ConfigurationItem.objects.filter(
            pk__in=services_ids | {c for item in change.conflicts for c in item.get("cis", [])}
        ).values_list("pk", "name"))
        pir = getattr(change, "pir", None) if hasattr(change, "pir") else None
        return {
            "change": change, "approval_status": overall, "stage_results": stage_results,
            "approvals": round_approvals, "can_decide": offer.stage is not None, "approval_offer": offer,
            "approval_form": forms.get("approval") or bootstrapify(ApprovalForm()),
            "transition_form": transition_form, "allowed": allowed,
            "risk_form": forms.get("risk") or RiskForm(initial_answers=change.risk_answers),
            "pir_form": forms.get("pir") or bootstrapify(PIRForm(initial={
                "summary": getattr(pir, "summary", ""), "lessons_learned": getattr(pir, "lessons_learned", ""),
                "follow_up_actions": getattr(pir, "follow_up_actions", "")})),
            "pir": pir,
            "needs_pir": workflow.needs_pir(services.workflow_facts(change)),
            **self.comment_context(change, forms),
            "timeline": timeline(change, include_internal=True), "ci_names": ci_names,
            "editable": change.state in services.EDITABLE_PLAN_STATES,
            "terminal": change.state in TERMINAL_STATES,
            "ApprovalStatus": ApprovalStatus, "ConflictKind": ConflictKind,
        }


class ChangeActionView(TicketActionView, ChangeDetailView):
    """POST-only actions on a change; a refusal re-renders the record page with the form's message."""

    flash_refusals = True
    invalid_form_messages = {
        "transition": (gettext_lazy("Choose a state."), "target"),
        "approval": (gettext_lazy("Choose approve or reject."), "decision"),
        "risk": (gettext_lazy("Answer every question."), None),
        "pir": (gettext_lazy("The review needs a summary."), "summary"),
    }

    def form_transition(self, change):
        form = TransitionForm(self.request.POST)
        form.fields["target"].choices = ChangeState.choices
        return form

    def do_transition(self, change, form):
        data = form.cleaned_data
        services.transition_change(change, actor=self.request.user, channel=WEB, target=data["target"],
                                   expected_version=data["version"], outcome=data["outcome"] or None,
                                   reason=data["reason"])
        self.success(_("Change moved to %(state)s.") % {"state": ChangeState(data["target"]).label})

    def form_approval(self, change):
        return ApprovalForm(self.request.POST)

    def do_approval(self, change, form):
        services.decide_approval(change, actor=self.request.user, channel=WEB, **form.cleaned_data)
        self.success(_("Your decision was recorded."))

    def form_risk(self, change):
        return RiskForm(self.request.POST)

    def do_risk(self, change, form):
        _change, result = services.assess_risk(change, actor=self.request.user, channel=WEB, answers=form.answers())
        self.success(_("Risk assessed: %(level)s (score %(score)s).")
                     % {"level": result.level.label, "score": result.score})

    def form_pir(self, change):
        return PIRForm(self.request.POST)

    def do_pir(self, change, form):
        services.record_pir(change, actor=self.request.user, channel=WEB, **form.cleaned_data)
        self.success(_("Post-implementation review recorded."))

    def form_conflicts(self, change):
        return None

    def do_conflicts(self, change, form):
        found = services.store_conflicts(change)
        self.success(ngettext("%(count)s conflict found.", "%(count)s conflicts found.", len(found))
                     % {"count": len(found)} if found else _("No conflicts found."), messages.INFO)


# --- calendar -------------------------------------------------------------------------------

CALENDAR_STATES = [ChangeState.AUTHORIZE, ChangeState.SCHEDULED, ChangeState.IMPLEMENT, ChangeState.REVIEW,
                   ChangeState.CLOSED]


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


class CalendarView(DeskMixin, View):
    """Month or week of scheduled changes, freezes and releases, by service and group."""

    def get(self, request):
        form = CalendarFilterForm(request.GET or None)
        data = form.cleaned_data if form.is_valid() else {}
        view = data.get("view") or "month"
        anchor = data.get("date") or timezone.localdate()
        if view == "week":
            first = anchor - timedelta(days=anchor.weekday())
            last = first + timedelta(days=6)
            prev_anchor, next_anchor = first - timedelta(days=7), first + timedelta(days=7)
        else:
            month_first = anchor.replace(day=1)
            days_in_month = pycalendar.monthrange(anchor.year, anchor.month)[1]
            first = month_first - timedelta(days=month_first.weekday())
            month_last = month_first.replace(day=days_in_month)
            last = month_last + timedelta(days=6 - month_last.weekday())
            prev_anchor = (month_first - timedelta(days=1)).replace(day=1)
            next_anchor = month_last + timedelta(days=1)
        start, end = _local_midnight(first), _local_midnight(last + timedelta(days=1))
        changes = (Change.objects.visible_to(request.user)
                   .filter(state__in=CALENDAR_STATES, planned_start__lt=end, planned_end__gt=start)
                   .select_related("assignment_group").order_by("planned_start", "id"))
        freezes = FreezeWindow.objects.overlapping(start, end)
        if data.get("service"):
            changes = ChangeFilterSet().filter_service(changes, "service", data["service"].pk)
            freezes = freezes.filter(Q(services=data["service"]) | Q(services__isnull=True)).distinct()
        if data.get("group"):
            changes = changes.filter(assignment_group=data["group"])
        releases = calendar_entries.entries(
            "releases", user=request.user, start=start, end=end, group=data.get("group"),
            changes=changes if data.get("service") else None,
        )
        changes, freezes = list(changes), list(freezes)
        days = []
        day = first
        while day <= last:
            day_start, day_end = _local_midnight(day), _local_midnight(day + timedelta(days=1))
            days.append({
                "date": day, "in_month": view == "week" or day.month == anchor.month,
                "today": day == timezone.localdate(),
                "changes": [c for c in changes if c.planned_start < day_end and c.planned_end > day_start],
                "freezes": [f for f in freezes if f.start < day_end and f.end > day_start],
                "releases": [r for r in releases if day_start <= r.planned_date < day_end],
            })
            day += timedelta(days=1)
        weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
        query = request.GET.copy()
        for key in ("date",):
            query.pop(key, None)
        context = {
            "form": form, "view": view, "weeks": weeks, "anchor": anchor, "first": first, "last": last,
            "prev": prev_anchor.isoformat(), "next": next_anchor.isoformat(), "query": query.urlencode(),
            "weekdays": [date(2026, 11, 23) + timedelta(days=i) for i in range(7)],
            "change_count": len(changes), "freeze_count": len(freezes), "release_count": len(releases),
        }
        return render(request, "changes/calendar.html", context)


class ChangeDependenciesView(DeskMixin, View):
    """What the change's affected CIs hold up, to the business services: the CMDB dependency
    picture rooted at them. A fragment for the change page (loaded by htmx after it), or a page
    of its own that fills the window and expands wide levels (`?expand=<level>`)."""

    def get(self, request, pk):
        change = self.get_ticket(pk)
        ci_ids = list(change.affected_cis.values_list("pk", flat=True))
        page_url = reverse("changes:change_dependencies", args=[change.pk])
        context = {
            "picture": dependency_picture.impact_picture(ci_ids, expand=request.GET.getlist("expand"), page_url=page_url,
                                              queryset=ConfigurationItem.objects.visible_to(request.user)),
            "focus_label": _("Affected CI"), "start": "top", "subject": change.number, "back_url": change.get_absolute_url(),
            "back_label": change.title, "empty_text": _("This change names no CIs."),
            "heading": _("What %(number)s puts at risk") % {"number": change.number},
        }
        if request.htmx:
            response = render(request, "changes/partials/_dependencies.html", context)
        else:
            response = render(request, "cmdb/dependencies.html", {**context, "fullpage": True})
        patch_vary_headers(response, ["HX-Request"])
        return response
