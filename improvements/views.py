"""Desk pages of the improvement register (thin: visibility, a form, a service call), on core's
ticket views."""

from django.db.models import Count
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from improvements import services, workflow
from improvements.choices import STATE_BADGES, ImprovementState
from improvements.filtersets import ImprovementFilterSet
from improvements.forms import ImprovementForm, MeasurementForm, TransitionForm
from improvements.models import Improvement

WEB = Channel.WEB
# What the list shows of each row besides its own columns.
LIST_RELATIONS = ("owner", "change")


class DeskMixin(TicketMixin):
    model = Improvement


class ImprovementListView(DeskMixin, TicketListView):
    filterset_class = ImprovementFilterSet
    template_name = "improvements/list.html"
    rows_template_name = "improvements/partials/_rows.html"
    bind_empty_query = False
    context_object_name = "items"
    ordering_fields = ("number", "priority", "due_date", "state", "created_at")
    default_ordering = ("-created_at", "-id")

    def get_queryset(self):
        return (Improvement.objects.visible_to(self.request.user).select_related(*LIST_RELATIONS)
                .defer("search_vector"))

    def get_extra_context(self, params, page):
        counts = dict(Improvement.objects.visible_to(self.request.user).order_by()
                      .values_list("state").annotate(n=Count("id")))
        return {"state_counts": [(value, label, STATE_BADGES[value], counts.get(value, 0))
                                 for value, label in ImprovementState.choices],
                "today": timezone.localdate()}


class ImprovementDetailView(DeskMixin, TicketDetailView):
    template_name = "improvements/detail.html"
    comment_route = "improvements:comment"

    def get_context(self, item, forms):
        item = (Improvement.objects.select_related("owner", "verified_by", "change", "organisation", "service",
                                                   "created_by", "source_content_type").get(pk=item.pk))
        allowed = workflow.allowed_targets(item.state)
        return {
            "item": item,
            "allowed": allowed,
            "transition_form": forms.get("transition") or TransitionForm(
                initial={"version": item.version}, item=item, allowed=allowed),
            "measurement_form": forms.get("measure") or MeasurementForm(
                initial={"version": item.version, "unit": item.baseline_unit}),
            "source_url": _source_url(item),
            "timeline": timeline(item, include_internal=True),
            **self.comment_context(item, forms),
        }


def _source_url(item):
    source = item.source if item.source_object_id else None
    url = getattr(source, "get_absolute_url", None)
    try:
        return url() if url else ""
    except NoReverseMatch:  # a record of another app whose page is not installed
        return ""


class ImprovementCreateView(DeskMixin, TicketFormView):
    form_class = ImprovementForm
    template_name = "improvements/form.html"
    context_object_name = "item"
    success_message = gettext_lazy("Improvement %(number)s recorded.")

    def save(self, form, item):
        return services.create_improvement(actor=self.request.user, channel=WEB, **form.changes())


class ImprovementUpdateView(DeskMixin, TicketFormView):
    form_class = ImprovementForm
    template_name = "improvements/form.html"
    context_object_name = "item"
    success_message = gettext_lazy("Improvement %(number)s saved.")

    def save(self, form, item):
        item, _diff = services.update_improvement(item, actor=self.request.user, channel=WEB,
                                                  changes=form.changes(),
                                                  expected_version=form.cleaned_data.get("version"))
        return item


# The transition form's name for the fields a refusal names.
FORM_FIELDS = {"result": "result_value"}


class ImprovementTransitionView(TicketActionView, ImprovementDetailView):
    action = "transition"
    flash_refusals = True

    def form_transition(self, item):
        return TransitionForm(self.request.POST, item=item, allowed=workflow.allowed_targets(item.state))

    def do_transition(self, item, form):
        try:
            services.transition_improvement(item, form.cleaned_data["state"], actor=self.request.user, channel=WEB,
                                            expected_version=form.cleaned_data["version"],
                                            **form.field_changes(self.request.user))
        except DomainError as exc:
            exc.field = FORM_FIELDS.get(exc.field, exc.field)
            raise


class ImprovementMeasureView(TicketActionView, ImprovementDetailView):
    action = "measure"
    success_anchor = "#measurements"
    success_messages = {"measure": gettext_lazy("Measurement recorded on %(number)s.")}

    def form_measure(self, item):
        return MeasurementForm(self.request.POST)

    def do_measure(self, item, form):
        data = form.cleaned_data
        try:
            services.record_measurement(item, actor=self.request.user, channel=WEB, which=data["which"],
                                        value=data["value"], date=data["date"], unit=data["unit"],
                                        expected_version=data["version"])
        except DomainError as exc:
            exc.field = {f"{data['which']}_value": "value", f"{data['which']}_date": "date"}.get(exc.field, exc.field)
            raise


class ImprovementCommentView(TicketActionView, ImprovementDetailView):
    action = "comment"
    success_anchor = "#activity"

