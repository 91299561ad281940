"""Agent desk views for release management (thin: visibility, a form, a service call)."""

from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy

from changes.forms import bootstrapify
from changes.models import Change
from core.choices import Channel
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from releases import services, workflow
from releases.choices import ReleaseState
from releases.filtersets import ORDERING_FIELDS, ReleaseFilterSet
from releases.forms import DeploymentForm, ReleaseForm, ReleaseTransitionForm
from releases.models import Deployment, Release

WEB = Channel.WEB


class ReleaseMixin(TicketMixin):
    """Release management is for service desk staff."""

    model = Release


class ReleaseListView(ReleaseMixin, TicketListView):
    filterset_class = ReleaseFilterSet
    template_name = "releases/list.html"
    rows_template_name = "releases/_rows.html"
    ordering_fields = ORDERING_FIELDS
    default_ordering = ("-created_at", "-id")

    def get_queryset(self):
        return (Release.objects.visible_to(self.request.user).select_related("assignment_group")
                .annotate(change_count=Count("changes", distinct=True))
                .prefetch_related(Prefetch("deployments", queryset=Deployment.objects.order_by("created_at"))))


class ReleaseCreateView(ReleaseMixin, TicketFormView):
    form_class = ReleaseForm
    template_name = "releases/form.html"
    success_message = gettext_lazy("Release %(number)s recorded.")

    def save(self, form, release):
        return services.create_release(actor=self.request.user, channel=WEB,
                                       changes=form.cleaned_data["change_numbers"], **form.changes())


class ReleaseUpdateView(ReleaseMixin, TicketFormView):
    form_class = ReleaseForm
    template_name = "releases/form.html"

    def save(self, form, release):
        services.update_release(release, actor=self.request.user, channel=WEB, changes=form.changes(),
                                expected_version=self.request.POST.get("version") or None,
                                change_set=form.cleaned_data["change_numbers"])
        return release


class ReleaseDetailView(ReleaseMixin, TicketDetailView):
    template_name = "releases/detail.html"
    comment_route = "releases:release_comment"

    def get_context(self, release, forms):
        release = (Release.objects.select_related("assignment_group", "assigned_to")
                   .prefetch_related(Prefetch("changes", queryset=Change.objects.select_related("requested_by")),
                                     Prefetch("deployments", queryset=Deployment.objects.order_by("created_at")))
                   .get(pk=release.pk))
        changes = list(release.changes.all())
        allowed = workflow.TRANSITIONS.get(release.state, ())
        transition_form = forms.get("transition") or ReleaseTransitionForm(initial={"version": release.version})
        transition_form.fields["target"].choices = [(t, release.lifecycle.action_label(release.state, t))
                                                    for t in allowed]
        bootstrapify(transition_form)
        return {
            "release": release, "changes": changes, "readiness": services.readiness_of(release, changes),
            "allowed": allowed, "transition_form": transition_form,
            "deployment_form": forms.get("deploy") or DeploymentForm(),
            "timeline": timeline(release, include_internal=True),
            **self.comment_context(release, forms),
        }


class ReleaseActionView(TicketActionView, ReleaseDetailView):
    """Transition, deployment steps and comments; a refusal re-renders the record page with the form's message."""

    flash_refusals = True
    success_messages = {"deploy": gettext_lazy("Deployment step recorded on %(number)s.")}
    invalid_form_messages = {
        "transition": (gettext_lazy("Choose a state."), "target"),
        "deploy": (gettext_lazy("Choose an environment and a step."), "environment"),
    }

    def form_transition(self, release):
        form = ReleaseTransitionForm(self.request.POST)
        form.fields["target"].choices = ReleaseState.choices
        return form

    def do_transition(self, release, form):
        services.transition_release(release, actor=self.request.user, channel=WEB, target=form.cleaned_data["target"],
                                    expected_version=form.cleaned_data["version"], reason=form.cleaned_data["reason"])

    def form_deploy(self, release):
        return DeploymentForm(self.request.POST)

    def do_deploy(self, release, form):
        services.set_deployment_state(release, actor=self.request.user, channel=WEB,
                                      environment=form.cleaned_data["environment"],
                                      target=form.cleaned_data["state"], notes=form.cleaned_data["notes"])
