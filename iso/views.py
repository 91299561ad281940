"""Desk pages: the readiness grid, a clause's evidence, and evidence packs (request, progress,
download). Reads through iso.facts, writes through iso.services."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.urls import NoReverseMatch
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import get_language, gettext as _
from django.views.generic import TemplateView

from core import clauses
from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, form_error
from iso import facts, permissions, readiness, services
from iso.forms import PackForm
from iso.models import EvidencePack, PackState


class ReadinessMixin(DeskRequiredMixin):
    def permitted(self, user):
        return permissions.can_view_readiness(user)


class ReadinessView(ReadinessMixin, TemplateView):
    template_name = "iso/readiness.html"

    def get_context_data(self, **kwargs):
        results = facts.readiness_now()
        rows = [(clause, results[clause.id]) for clause in clauses.CLAUSES]
        totals = {light: sum(1 for _c, r in rows if r.light == light and not readiness.has_children(_c.id))
                  for light in readiness.LIGHTS}
        return {**super().get_context_data(**kwargs), "rows": rows, "totals": totals,
                "can_view_packs": permissions.can_view_packs(self.request.user),
                "days": readiness.RECENT_DAYS}


class ClauseView(ReadinessMixin, TemplateView):
    template_name = "iso/clause.html"

    def get_context_data(self, clause_id, **kwargs):
        clause = clauses.get(clause_id)
        if clause is None:
            raise Http404
        now = timezone.now()
        since = now - dt.timedelta(days=readiness.RECENT_DAYS)
        results = facts.readiness_now(now)
        return {**super().get_context_data(**kwargs), "clause": clause, "result": results[clause.id],
                "parent": clauses.get(clause.parent_id) if clause.parent_id else None,
                "children": [(clauses.get(c), results[c]) for c in readiness.children(clause.id)],
                "counts": facts.source_counts(clause.id, since, now),
                "documents": [_with_url(d) for d in facts.current_documents(clause.id)],
                "requires_document": readiness.requires_document(clause.id),
                "days": readiness.RECENT_DAYS, "can_view_packs": permissions.can_view_packs(self.request.user)}


def _with_url(document):
    try:
        document.url = document.get_absolute_url()
    except NoReverseMatch:  # the document register's pages are not installed (yet)
        document.url = ""
    return document


class PacksMixin(DeskRequiredMixin):
    def permitted(self, user):
        return permissions.can_view_packs(user)


class PackListView(PacksMixin, TemplateView):
    template_name = "iso/packs.html"

    def get_template_names(self):
        if getattr(self.request, "htmx", False) and self.request.htmx.target == "pack-rows":
            return ["iso/partials/_pack_rows.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        packs = list(EvidencePack.objects.select_related("requested_by")[:50])
        today = timezone.localdate()
        form = kwargs.pop("form", None) or PackForm(initial={
            "period_start": today.replace(year=today.year - 1), "period_end": today,
            "language": (get_language() or "en")[:2], "clauses": self.request.GET.getlist("clause")})
        return {**super().get_context_data(**kwargs), "packs": packs, "form": form,
                "can_request": permissions.can_request_pack(self.request.user),
                "polling": any(p.state in (PackState.QUEUED, PackState.BUILDING) for p in packs)}

    def post(self, request):
        if not permissions.can_request_pack(request.user):
            raise PermissionDenied(_("Only managers request evidence packs."))
        form = PackForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                pack = services.request_pack(actor=request.user, channel=Channel.WEB, clauses=data["clauses"],
                                             period_start=data["period_start"], period_end=data["period_end"],
                                             sample_size=data["sample_size"], seed=data["seed"],
                                             language=data["language"])
            except DomainError as refusal:
                form_error(form, refusal)
            else:
                messages.success(request, _("Evidence pack %(pack)s queued; it is built in the background.")
                                 % {"pack": pack})
                return redirect("iso:packs")
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 400
        return response


class PackDownloadView(PacksMixin, TemplateView):
    def get(self, request, pk):
        pack = get_object_or_404(EvidencePack, pk=pk)
        if not pack.downloadable:
            raise Http404
        return FileResponse(pack.file.open("rb"), as_attachment=True, filename=f"evidence-pack-{pack.pk}.zip",
                            content_type="application/zip")


