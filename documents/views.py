"""Desk pages of the document register (thin: visibility, a form, a service call), on core's
ticket views."""

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext_lazy

from core.choices import Channel
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from documents import selectors, services, workflow
from documents.choices import BADGES, DocumentState
from documents.filtersets import DocumentFilterSet
from documents.forms import DistributionForm, DocumentForm, TransitionForm, VersionForm
from documents.models import Distribution, Document

WEB = Channel.WEB


class DeskMixin(TicketMixin):
    model = Document
    # The register is the desk's: to anyone else it does not exist.
    refusal = Http404


class DocumentListView(DeskMixin, TicketListView):
    filterset_class = DocumentFilterSet
    template_name = "documents/list.html"
    rows_template_name = "documents/partials/_rows.html"
    bind_empty_query = False
    context_object_name = "documents"
    ordering_fields = ("number", "kind", "state", "review_at", "created_at")
    default_ordering = ("-created_at", "-id")

    def get_queryset(self):
        return Document.objects.visible_to(self.request.user).select_related("owner").defer("search_vector")

    def get_extra_context(self, params, page):
        counts = selectors.summary(Document.objects.visible_to(self.request.user))
        return {"state_counts": [(value, label, BADGES[value], counts[value])
                                 for value, label in DocumentState.choices],
                "overdue_count": counts["overdue"], "today": timezone.localdate()}


class DocumentDetailView(DeskMixin, TicketDetailView):
    template_name = "documents/detail.html"
    comment_route = "documents:comment"

    def get_context(self, item, forms):
        item = (Document.objects.select_related("owner", "approved_by", "created_by")
                .prefetch_related("services", "configuration_items", "changes", "releases",
                                  Prefetch("distribution", queryset=Distribution.objects.select_related(
                                      "team", "person").order_by("id")))
                .get(pk=item.pk))
        versions = list(item.versions.select_related("created_by", "approved_by").order_by("-number"))
        allowed = workflow.allowed_targets(item.state)
        return {
            "item": item,
            "versions": versions,
            "draft": versions[0] if versions and versions[0].number > item.current_version else None,
            "in_force": next((v for v in versions if v.number == item.current_version), None),
            "clauses": _clauses(item.clauses),
            "allowed": allowed,
            "can_write": item.state in (DocumentState.DRAFT, DocumentState.APPROVED),
            "transition_form": forms.get("transition") or TransitionForm(
                initial={"version": item.version}, item=item, allowed=allowed),
            "version_form": forms.get("add_version") or VersionForm(
                initial={"version": item.version, "body": versions[0].body if versions else ""}),
            "distribution_form": forms.get("distribute") or DistributionForm(),
            "timeline": timeline(item, include_internal=True),
            **self.comment_context(item, forms),
        }


def _clauses(ids):
    from core import clauses

    return [clauses.get(c) or c for c in ids]


class DocumentCreateView(DeskMixin, TicketFormView):
    form_class = DocumentForm
    template_name = "documents/form.html"
    context_object_name = "item"
    success_message = gettext_lazy("Document %(number)s registered.")

    def save(self, form, item):
        return services.create_document(actor=self.request.user, channel=WEB, **form.changes())


class DocumentUpdateView(DeskMixin, TicketFormView):
    form_class = DocumentForm
    template_name = "documents/form.html"
    context_object_name = "item"
    success_message = gettext_lazy("Document %(number)s saved.")

    def save(self, form, item):
        return services.update_document(item, actor=self.request.user, channel=WEB, changes=form.changes(),
                                        expected_version=form.cleaned_data.get("version"))


class DocumentTransitionView(TicketActionView, DocumentDetailView):
    action = "transition"
    flash_refusals = True

    def form_transition(self, item):
        return TransitionForm(self.request.POST, item=item, allowed=workflow.allowed_targets(item.state))

    def do_transition(self, item, form):
        data = form.cleaned_data
        services.transition_document(item, data["state"], actor=self.request.user, channel=WEB,
                                     expected_version=data["version"], review_at=data.get("review_at"))


class DocumentVersionView(TicketActionView, DocumentDetailView):
    action = "add_version"
    flash_refusals = True
    success_anchor = "#versions"
    success_messages = {"add_version": gettext_lazy("New version written on %(number)s.")}

    def form_add_version(self, item):
        return VersionForm(self.request.POST)

    def do_add_version(self, item, form):
        data = form.cleaned_data
        services.add_version(item, actor=self.request.user, channel=WEB, body=data["body"],
                             change_summary=data["change_summary"], expected_version=data["version"])


class DocumentDistributeView(TicketActionView, DocumentDetailView):
    action = "distribute"
    flash_refusals = True
    success_anchor = "#distribution"
    success_messages = {"distribute": gettext_lazy("%(number)s distributed.")}

    def form_distribute(self, item):
        return DistributionForm(self.request.POST)

    def do_distribute(self, item, form):
        data = form.cleaned_data
        services.distribute(item, actor=self.request.user, channel=WEB, team=data["team"], person=data["person"],
                            acknowledgement_required=data["acknowledgement_required"])


class DocumentAcknowledgeView(TicketActionView, DocumentDetailView):
    action = "acknowledge"
    flash_refusals = True
    success_anchor = "#distribution"
    success_messages = {"acknowledge": gettext_lazy("You acknowledged %(number)s.")}

    def form_acknowledge(self, item):
        return None

    def do_acknowledge(self, item, form):
        services.acknowledge(item, actor=self.request.user, channel=WEB)


class DocumentCommentView(TicketActionView, DocumentDetailView):
    action = "comment"
    success_anchor = "#activity"


class DocumentDiffView(DeskMixin, TicketDetailView):
    """Side by side: what changed between two versions (`?old=1&new=2`, default the two newest)."""

    template_name = "documents/diff.html"

    def get(self, request, pk):
        item = self.get_ticket(pk)
        numbers = list(item.versions.order_by("-number").values_list("number", flat=True))
        new = _number(request.GET.get("new"), numbers[0] if numbers else None)
        old = _number(request.GET.get("old"), numbers[1] if len(numbers) > 1 else new)
        old_version = get_object_or_404(item.versions, number=old)
        new_version = get_object_or_404(item.versions, number=new)
        return render(request, self.template_name, {
            "item": item, "old": old_version, "new": new_version, "numbers": numbers,
            "rows": selectors.diff(old_version, new_version, mode="rows"),
        })


def _number(raw, default):
    return int(raw) if raw and raw.isdigit() else default
