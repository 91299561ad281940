"""Desk pages of dashboards: /dashboards/ opens the one matching the person's role."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from dashboards import access, live, manager


class DashboardIndexView(LoginRequiredMixin, View):
    def get(self, request):
        home = access.home(request.user)
        if home is None:
            return redirect("portal:home")
        return redirect(f"dashboards:{home}")


def chart_text():
    """The charts' legends, in the page's language (static/js/dashboards.js reads them)."""
    return {"incidents": _("Incidents"), "tasks": _("Tasks"), "requests": _("Requests"), "backlog": _("Backlog"),
            "mttr": _("MTTR (h)"), "fcr": _("First contact (%)"), "success": _("Change success (%)"),
            "emergency": _("Emergency share (%)")}


class DashboardView(LoginRequiredMixin, View):
    dashboard = None
    template_name = None

    def dispatch(self, request, *args, **kwargs):
        # A dashboard someone may not see does not exist for them.
        if request.user.is_authenticated and not access.can_see(request.user, self.dashboard):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def tabs(self, request):
        return [name for name in (access.MANAGER, access.LEAD, access.AGENT)
                if access.can_see(request.user, name)]

    def get(self, request):
        context = {"dashboard": self.dashboard, "tabs": self.tabs(request), "chart_text": chart_text(),
                   **self.figures(request)}
        return render(request, self.template_name, context)


class AgentDashboardView(DashboardView):
    dashboard = access.AGENT
    template_name = "dashboards/agent.html"

    def figures(self, request):
        figures = live.agent(request)
        chart = {"labels": [row["label"] for row in figures["by_priority"]],
                 "values": [row["value"] for row in figures["by_priority"]],
                 "urls": [row["url"] for row in figures["by_priority"]]}
        return {"figures": figures, "chart": chart, "as_of": timezone.now()}


class LeadDashboardView(DashboardView):
    dashboard = access.LEAD
    template_name = "dashboards/lead.html"

    def figures(self, request):
        teams = access.led_teams(request.user)
        if not teams.exists() and roles.is_manager(request.user):
            # A manager who leads no group looks over every group.
            from accounts.models import Team
            teams = Team.objects.order_by("name")
        blocks = live.lead(teams)
        charts = [{
            "id": block["id"],
            "labels": [a["label"] for a in block["ages"]],
            "values": [a["value"] for a in block["ages"]],
            "urls": [a["url"] for a in block["ages"]],
            "people": [w["name"] for w in block["workload"]],
            "incidents": [w["incidents"]["value"] for w in block["workload"]],
            "incident_urls": [w["incidents"]["url"] for w in block["workload"]],
            "tasks": [w["tasks"]["value"] for w in block["workload"]],
            "task_urls": [w["tasks"]["url"] for w in block["workload"]],
        } for block in blocks]
        return {"blocks": blocks, "charts": charts, "as_of": timezone.now()}


class ManagerDashboardView(DashboardView):
    dashboard = access.MANAGER
    template_name = "dashboards/manager.html"

    def figures(self, request):
        snapshot = manager.latest()
        if snapshot is None:
            # Before the first beat refresh (a fresh install): worked out once, then stored.
            snapshot = manager.refresh()
        data = snapshot.data
        series = data["series"]
        months = [m["key"] for m in data["months"]]
        chart = {
            "months": months,
            "incidents": [f["value"] for f in series["incidents_opened"]],
            "incident_urls": [f["url"] for f in series["incidents_opened"]],
            "requests": [f["value"] for f in series["requests_opened"]],
            "request_urls": [f["url"] for f in series["requests_opened"]],
            "backlog": [f["value"] for f in series["backlog"]],
            "backlog_urls": [f["url"] for f in series["backlog"]],
            "mttr": series["mttr_hours"],
            "mttr_urls": [f["url"] for f in series["incidents_resolved"]],
            "fcr": series["first_contact_percent"],
            "fcr_urls": [f["url"] for f in series["first_contact"]],
            "change_success": series["change_success_percent"],
            "emergency": series["emergency_percent"],
            "change_urls": [f["url"] for f in series["changes_ended"]],
            "sla_names": [row["name"] for row in data["sla"]],
            "sla_last": [row["months"][0]["percent"] for row in data["sla"]],
            "sla_this": [row["months"][1]["percent"] for row in data["sla"]],
            "sla_urls": [row["months"][1]["total"]["url"] for row in data["sla"]],
        }
        # The table lists the months newest first; each row zips the month with its figures.
        rows = []
        for i, key in enumerate(months):
            rows.append({"month": key, **{name: values[i] for name, values in series.items()}})
        this, last = (rows[-1], rows[-2]) if len(rows) > 1 else (rows[-1], None)
        return {"snapshot": snapshot, "data": data, "chart": chart, "rows": list(reversed(rows)),
                "this": this, "last": last, "sla_months": months[-2:]}
