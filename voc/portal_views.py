"""Portal pages of VOC: raise one, follow mine (with the response). Anyone else's is a 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from core.web import form_error
from voc import services
from voc.choices import VocChannel, VocKind
from voc.forms import PortalVocForm
from voc.models import Voc


def my_voc(user):
    return Voc.objects.filter(reported_by=user)


class MyVocView(LoginRequiredMixin, View):
    def get(self, request):
        queryset = my_voc(request.user).select_related("service").order_by("-created_at", "-id")
        page = Paginator(queryset, 20).get_page(request.GET.get("page"))
        return render(request, "voc/portal/list.html", {"page": page})


class NewVocView(LoginRequiredMixin, View):
    def get(self, request):
        kind = request.GET.get("kind")
        form = PortalVocForm(initial={"kind": kind if kind in VocKind.values else VocKind.COMPLAINT})
        return render(request, "voc/portal/form.html", {"form": form})

    def post(self, request):
        form = PortalVocForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                voc = services.create_voc(actor=request.user, channel=Channel.PORTAL, kind=data["kind"],
                                          title=data["title"], description=data["description"],
                                          service=data["service"], tickets=data["tickets"],
                                          source=VocChannel.PORTAL)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thank you. %(number)s is recorded; we will answer by %(due)s.")
                                 % {"number": voc.number, "due": voc.due_at.strftime("%Y-%m-%d")})
                return redirect(voc.get_portal_url())
        return render(request, "voc/portal/form.html", {"form": form}, status=400)


class VocPortalDetailView(LoginRequiredMixin, View):
    def get(self, request, pk):
        voc = get_object_or_404(my_voc(request.user).select_related("service"), pk=pk)
        return render(request, "voc/portal/detail.html", {
            "voc": voc, "ticket_links": list(voc.ticket_links.all()),
            "timeline": timeline(voc, include_internal=False),
        })
