"""Desk pages of availability: the month per service with targets and warnings, the month's
outages, and the form to record or correct an outage."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from availability import rules, selectors, services
from availability.choices import BADGE_COLOURS, TargetStatus
from accounts import roles
from availability.forms import MonthForm, OutageForm, ServiceSettingsForm
from availability.models import Outage, ServiceAvailability
from cmdb.models import ConfigurationItem
from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin, form_error


def month_from(request):
    """The ?month= asked for (YYYY-MM), else the current month in Korea."""
    try:
        return rules.parse_month(request.GET.get("month"))
    except rules.BadMonth:
        today = timezone.localtime(timezone.now(), rules_zone()).date()
        return today.replace(day=1)


def rules_zone():
    from zoneinfo import ZoneInfo

    return ZoneInfo(rules.DEFAULT_TIME_ZONE)


def _neighbours(first):
    previous = (first.replace(day=1) - timezone.timedelta(days=1)).replace(day=1)
    return previous.strftime("%Y-%m"), rules.next_month(first).strftime("%Y-%m")


class OverviewView(DeskRequiredMixin, View):
    def get(self, request):
        first = month_from(request)
        names = dict(ConfigurationItem.objects.business_services().values_list("pk", "name"))
        start, end, figures = selectors.month_report(first, list(names))
        rows = []
        for pk, values in sorted(figures.items(), key=lambda item: names[item[0]].lower()):
            status = values["status"]
            rows.append({"service": pk, "name": names[pk], **values,
                         "status_label": TargetStatus(status).label if status else "",
                         "colour": BADGE_COLOURS.get(status, "secondary")})
        previous, following = _neighbours(first)
        return render(request, "availability/overview.html", {
            "month": first, "month_text": first.strftime("%Y-%m"), "previous": previous, "following": following,
            "rows": rows, "warnings": [r for r in rows if r["status"] in ("warning", "breached")],
            "outages": selectors.outages_between(start, end)[:200],
            "month_form": MonthForm(initial={"month": first.strftime("%Y-%m")}),
            "form": OutageForm(),
            "can_set": roles.is_manager(request.user),
        })


class OutageFormView(DeskRequiredMixin, View):
    template_name = "availability/outage_form.html"

    def get(self, request, pk=None):
        outage = get_object_or_404(Outage, pk=pk) if pk else None
        return render(request, self.template_name, {"form": OutageForm(instance=outage), "outage": outage})

    def post(self, request, pk=None):
        outage = get_object_or_404(Outage, pk=pk) if pk else None
        form = OutageForm(request.POST, instance=outage)
        if form.is_valid():
            data = dict(form.cleaned_data)
            try:
                if outage is None:
                    outage = services.record_outage(actor=request.user, channel=Channel.WEB, **data)
                    messages.success(request, _("Outage recorded."))
                else:
                    services.update_outage(outage, actor=request.user, channel=Channel.WEB, changes=data)
                    messages.success(request, _("Outage updated."))
                return redirect(reverse("availability:overview") + "?month=" + timezone.localtime(outage.start, rules_zone()).strftime("%Y-%m"))
            except DomainError as error:
                form_error(form, error)
        return render(request, self.template_name, {"form": form, "outage": outage}, status=400)


class ServiceSettingsFormView(DeskRequiredMixin, View):
    """Managers set a service's hours, planned-maintenance policy and targets (?service=<id> opens
    that service's current settings)."""

    template_name = "availability/settings_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.is_manager(request.user):
            raise PermissionDenied(_("Only managers set availability targets."))
        return super().dispatch(request, *args, **kwargs)

    def _instance(self, service_id):
        if not str(service_id or "").isdigit():
            return None
        service = get_object_or_404(ConfigurationItem.objects.business_services(), pk=service_id)
        return ServiceAvailability.objects.filter(service=service).first() or ServiceAvailability(service=service)

    def get(self, request):
        instance = self._instance(request.GET.get("service"))
        form = ServiceSettingsForm(instance=instance, initial={"service": instance.service_id} if instance else None)
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = ServiceSettingsForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            service = data.pop("service")
            try:
                services.save_settings(service, actor=request.user, channel=Channel.WEB, **data)
                messages.success(request, _("Availability settings of %(service)s saved.") % {"service": service})
                return redirect("availability:overview")
            except DomainError as error:
                form_error(form, error)
        return render(request, self.template_name, {"form": form}, status=400)
