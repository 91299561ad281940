"""Desk pages of information security incidents: the panel's actions and the report. Thin: a form,
a call to incidents.security_services, a message."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from core.choices import Channel
from core.exceptions import DomainError
from core.web import DeskRequiredMixin
from incidents import security, security_report, security_services
from incidents.security_forms import SecurityNotificationForm, SecurityRatingForm, SecurityUnflagForm
from incidents.views import DeskMixin

WEB = Channel.WEB


class _SecurityAction(DeskMixin, View):
    """POST from the security panel; a refusal comes back as a message on the record's page.
    Who may act is checked first (403), before the form is read."""

    def allowed(self, user):
        return security.can_handle(user)

    def post(self, request, pk):
        incident = self.get_ticket(pk)
        if not self.allowed(request.user):
            raise PermissionDenied
        try:
            done = self.act(incident)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(incident.get_absolute_url() + "#security")
        if done is False:
            return redirect(incident.get_absolute_url() + "#security")
        if not incident.__class__.objects.visible_to(request.user).filter(pk=incident.pk).exists():
            return redirect(reverse("incidents:incident_list"))
        return redirect(incident.get_absolute_url() + "#security")

    def invalid(self, form):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(self.request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return False


class FlagView(_SecurityAction):
    def allowed(self, user):
        return security.can_flag(user)

    def act(self, incident):
        security_services.flag(incident, actor=self.request.user, channel=WEB,
                               expected_version=self.request.POST.get("version") or None)
        messages.success(self.request, _("%(number)s is now an information security incident: only the security "
                                         "group sees it.") % {"number": incident.number})


class RateView(_SecurityAction):
    def act(self, incident):
        form = SecurityRatingForm(self.request.POST)
        if not form.is_valid():
            return self.invalid(form)
        security_services.rate(incident, actor=self.request.user, channel=WEB, ratings=form.ratings(),
                               notes=form.cleaned_data["security_notes"],
                               expected_version=form.cleaned_data.get("version"))
        messages.success(self.request, _("Security impact saved."))


class UnflagView(_SecurityAction):
    def act(self, incident):
        form = SecurityUnflagForm(self.request.POST)
        if not form.is_valid():
            return self.invalid(form)
        security_services.unflag(incident, actor=self.request.user, channel=WEB, reason=form.cleaned_data["reason"],
                                 expected_version=form.cleaned_data.get("version"))
        messages.success(self.request, _("%(number)s is an ordinary incident again.") % {"number": incident.number})


class NotifyView(_SecurityAction):
    def act(self, incident):
        form = SecurityNotificationForm(self.request.POST)
        if not form.is_valid():
            return self.invalid(form)
        security_services.record_notification(incident, actor=self.request.user, channel=WEB, **form.cleaned_data)
        messages.success(self.request, _("Notification recorded."))


class SecurityReportView(DeskRequiredMixin, View):
    """For the security group (and designated people); to anyone else on the desk it does not exist."""

    refusal = Http404

    def permitted(self, user):
        return security.can_read_security_fields(user)

    def get(self, request):
        data = security_report.report()
        for key in ("median", "p90", "longest"):
            data[f"{key}_hours"] = security_report.hours(data[key])
        for incident in data["incidents"]:
            incident.notice_hours = security_report.hours(incident.notice_delay)
        return render(request, "incidents/security_report.html", data)
