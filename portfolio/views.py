"""Desk pages of the service portfolio, and the published service catalogue (live services only)
that every signed-in user reads in the portal."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, htmx_redirect
from documents import selectors as document_selectors
from portfolio import selectors, services
from portfolio.choices import BADGES, Lifecycle
from portfolio.forms import PortfolioServiceForm
from portfolio.models import PortfolioService

WEB = Channel.WEB


class DeskMixin(DeskRequiredMixin):
    refusal = Http404


class PortfolioListView(DeskMixin, View):
    def get(self, request):
        entries = PortfolioService.objects.select_related("service", "owner").prefetch_related("customers")
        stage = request.GET.get("lifecycle", "")
        if stage in Lifecycle.values:
            entries = entries.filter(lifecycle=stage)
        entries = selectors.annotate(list(entries.order_by("service__name")))
        counts = selectors.counts()
        return render(request, "portfolio/list.html", {
            "entries": entries, "stage": stage,
            "stages": [(value, label, BADGES[value], counts.get(value, 0)) for value, label in Lifecycle.choices],
        })


class PortfolioDetailView(DeskMixin, View):
    def get(self, request, pk):
        entry = get_object_or_404(PortfolioService.objects.select_related("service", "owner", "change")
                                  .prefetch_related("customers"), pk=pk)
        selectors.annotate([entry])
        return render(request, "portfolio/detail.html", {
            "entry": entry, "supporting": selectors.supporting_cis(entry),
            "documents": document_selectors.for_service(entry.service),
        })


class PortfolioFormView(DeskMixin, View):
    def get_entry(self, pk):
        return get_object_or_404(PortfolioService.objects.select_related("service"), pk=pk) if pk else None

    def get(self, request, pk=None):
        entry = self.get_entry(pk)
        return render(request, "portfolio/form.html", {"form": PortfolioServiceForm(instance=entry), "entry": entry})

    def post(self, request, pk=None):
        entry = self.get_entry(pk)
        form = PortfolioServiceForm(request.POST, instance=PortfolioService.objects.get(pk=pk) if pk else None)
        if form.is_valid():
            try:
                if entry is None:
                    saved = services.create_service(actor=request.user, channel=WEB, **form.changes())
                else:
                    saved = services.update_service(entry, actor=request.user, channel=WEB, changes=form.changes(),
                                                    expected_version=form.cleaned_data.get("version"))
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("%(service)s saved.") % {"service": saved.service.name})
                return htmx_redirect(request, saved.get_absolute_url())
        return render(request, "portfolio/form.html", {"form": form, "entry": entry}, status=400)


class CatalogueView(LoginRequiredMixin, View):
    """The published service catalogue: live services, in the reader's language."""

    def get(self, request):
        return render(request, "portfolio/catalogue.html", {"entries": selectors.catalogue(request.user)})
