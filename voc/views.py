"""Desk pages of VOC records (thin: visibility, a form, a service call), on core.ticket_views."""

from django.db.models import Count
from django.utils.translation import gettext_lazy

from core.choices import Channel
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from voc import services, workflow
from voc.choices import KIND_COLOURS, VocKind, VocState
from voc.filtersets import VocFilterSet
from voc.forms import EscalateForm, RespondForm, VocForm, VocTransitionForm
from voc.models import Voc

WEB = Channel.WEB


def with_list_relations(queryset):
    return (queryset.defer("search_vector")
            .select_related("service", "organisation", "assignment_group", "assigned_to", "reported_by"))


class VocMixin(TicketMixin):
    model = Voc


class VocListView(VocMixin, TicketListView):
    filterset_class = VocFilterSet
    template_name = "voc/list.html"
    rows_template_name = "voc/partials/_rows.html"
    ordering_fields = ("number", "created_at", "due_at", "state", "kind")
    default_ordering = ("-created_at", "-id")
    context_object_name = "records"

    def get_queryset(self):
        return with_list_relations(Voc.objects.visible_to(self.request.user))

    def get_extra_context(self, params, page):
        counts = dict(Voc.objects.visible_to(self.request.user).order_by().values_list("kind")
                      .annotate(n=Count("id")))
        return {"kind_counts": [(value, label, KIND_COLOURS[value], counts.get(value, 0))
                                for value, label in VocKind.choices]}


class VocCreateView(VocMixin, TicketFormView):
    form_class = VocForm
    template_name = "voc/form.html"
    success_message = gettext_lazy("%(number)s recorded.")
    context_object_name = "voc"

    def get_initial(self):
        kind = self.request.GET.get("kind")
        return {"kind": kind} if kind in VocKind.values else {}

    def save(self, form, voc):
        changes = form.changes()
        return services.create_voc(actor=self.request.user, channel=WEB, source=changes.pop("channel") or "desk",
                                   reported_by=form.cleaned_data.get("reported_by"),
                                   tickets=form.cleaned_data.get("tickets") or (), **changes)


class VocUpdateView(VocMixin, TicketFormView):
    form_class = VocForm
    template_name = "voc/form.html"
    success_message = gettext_lazy("%(number)s saved.")
    context_object_name = "voc"

    def save(self, form, voc):
        return services.update_voc(voc, actor=self.request.user, channel=WEB, changes=form.changes(),
                                   expected_version=form.cleaned_data.get("version"),
                                   tickets=form.cleaned_data.get("tickets") or [])


class VocDetailView(VocMixin, TicketDetailView):
    template_name = "voc/detail.html"
    comment_route = "voc:comment"

    def get_context(self, voc, forms):
        voc = (Voc.objects.select_related("service", "service__owner_group", "organisation", "assignment_group",
                                          "assigned_to", "reported_by", "responded_by").get(pk=voc.pk))
        allowed = [s for s in workflow.allowed_targets(workflow.facts_for(voc)) if s != VocState.RESPONDED]
        labels = {str(s): voc.lifecycle.action_label(voc.state, s) for s in allowed}
        return {
            "voc": voc,
            "ticket_links": list(voc.ticket_links.all()),
            "timeline": timeline(voc, include_internal=True),
            "respond_form": forms.get("respond") or RespondForm(initial={"version": voc.version,
                                                                          "response": voc.response}),
            "can_respond": VocState.RESPONDED in workflow.allowed_targets(workflow.facts_for(voc)),
            "transition_form": forms.get("transition") or VocTransitionForm(
                initial={"version": voc.version}, allowed=allowed, labels=labels),
            "allowed": allowed,
            "escalate_form": forms.get("escalate") or EscalateForm(initial={"version": voc.version}),
            "can_escalate": voc.kind == VocKind.COMPLAINT and voc.is_open,
            "escalation_team": services.escalation_team(voc) if voc.kind == VocKind.COMPLAINT else None,
            **self.comment_context(voc, forms),
        }


class VocActionView(TicketActionView, VocDetailView):
    flash_refusals = True
    success_messages = {
        "respond": gettext_lazy("Response recorded on %(number)s."),
        "escalate": gettext_lazy("%(number)s escalated."),
    }

    def form_respond(self, voc):
        return RespondForm(self.request.POST)

    def do_respond(self, voc, form):
        services.respond(voc, actor=self.request.user, channel=WEB, response=form.cleaned_data["response"],
                         expected_version=form.cleaned_data["version"])

    def form_transition(self, voc):
        allowed = workflow.allowed_targets(workflow.facts_for(voc))
        return VocTransitionForm(self.request.POST, allowed=allowed)

    def do_transition(self, voc, form):
        services.transition_voc(voc, form.cleaned_data["state"], actor=self.request.user, channel=WEB,
                                expected_version=form.cleaned_data["version"])

    def form_escalate(self, voc):
        return EscalateForm(self.request.POST)

    def do_escalate(self, voc, form):
        services.escalate(voc, actor=self.request.user, channel=WEB, reason=form.cleaned_data["reason"],
                          expected_version=form.cleaned_data["version"])
