"""Agent desk views for release management (thin: visibility, a form, a service call)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from changes.forms import bootstrapify
from changes.models import Change
from changes.views import DeskMixin, _done, _form_error
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from core.ticket_views import TicketListView
from releases import services, workflow
from releases.choices import ReleaseState
from releases.filtersets import ORDERING_FIELDS, ReleaseFilterSet
from releases.forms import DeploymentForm, ReleaseForm, ReleaseTransitionForm
from releases.models import Deployment, Release

WEB = Channel.WEB


class ReleaseMixin(DeskMixin):
    def get_release(self, pk):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Release.objects.visible_to(self.request.user), pk=pk)


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


class ReleaseCreateView(ReleaseMixin, View):
    def get(self, request):
        return render(request, "releases/form.html", {"form": ReleaseForm(), "release": None})

    def post(self, request):
        form = ReleaseForm(request.POST)
        if form.is_valid():
            try:
                release = services.create_release(actor=request.user, channel=WEB,
                                                  changes=form.cleaned_data["change_numbers"], **form.changes())
            except (DomainError, ValidationError) as exc:
                _form_error(form, exc)
            else:
                messages.success(request, _("Release %(number)s recorded.") % {"number": release.number})
                return _done(request, release.get_absolute_url())
        return render(request, "releases/form.html", {"form": form, "release": None}, status=400)


class ReleaseUpdateView(ReleaseMixin, View):
    def get(self, request, pk):
        release = self.get_release(pk)
        return render(request, "releases/form.html", {"form": ReleaseForm(instance=release), "release": release})

    def post(self, request, pk):
        release = self.get_release(pk)
        form = ReleaseForm(request.POST, instance=Release.objects.get(pk=pk))
        if form.is_valid():
            try:
                services.update_release(release, actor=request.user, channel=WEB, changes=form.changes(),
                                        expected_version=request.POST.get("version") or None,
                                        change_set=form.cleaned_data["change_numbers"])
            except (DomainError, ValidationError) as exc:
                _form_error(form, exc)
            else:
                return _done(request, release.get_absolute_url())
        return render(request, "releases/form.html", {"form": form, "release": release}, status=400)


class ReleaseDetailView(ReleaseMixin, View):
    def get(self, request, pk):
        return self.render(request, self.get_release(pk))

    def render(self, request, release, *, forms=None, status=200):
        forms = forms or {}
        release = (Release.objects.select_related("assignment_group", "assigned_to")
                   .prefetch_related(Prefetch("changes", queryset=Change.objects.select_related("requested_by")),
                                     Prefetch("deployments", queryset=Deployment.objects.order_by("created_at")))
                   .get(pk=release.pk))
        changes = list(release.changes.all())
        allowed = workflow.TRANSITIONS.get(release.state, ())
        transition_form = forms.get("transition") or ReleaseTransitionForm(initial={"version": release.version})
        transition_form.fields["target"].choices = [(t, ReleaseState(t).label) for t in allowed]
        bootstrapify(transition_form)
        context = {
            "release": release, "changes": changes, "readiness": services.readiness_of(release, changes),
            "allowed": allowed, "transition_form": transition_form,
            "deployment_form": forms.get("deploy") or DeploymentForm(),
            "timeline": timeline(release, include_internal=True),
        }
        return render(request, "releases/detail.html", context, status=status)


class ReleaseActionView(ReleaseMixin, View):
    action = None

    def post(self, request, pk):
        release = self.get_release(pk)
        form = None
        try:
            if self.action == "transition":
                form = ReleaseTransitionForm(request.POST)
                form.fields["target"].choices = ReleaseState.choices
                if not form.is_valid():
                    raise DomainError(_("Choose a state."), field="target")
                services.transition_release(release, actor=request.user, channel=WEB,
                                            target=form.cleaned_data["target"],
                                            expected_version=form.cleaned_data["version"],
                                            reason=form.cleaned_data["reason"])
            else:
                form = DeploymentForm(request.POST)
                if not form.is_valid():
                    raise DomainError(_("Choose an environment and a step."), field="environment")
                services.set_deployment_state(release, actor=request.user, channel=WEB,
                                              environment=form.cleaned_data["environment"],
                                              target=form.cleaned_data["state"], notes=form.cleaned_data["notes"])
        except DomainError as exc:
            if form is not None:
                _form_error(form, exc)
            messages.error(request, str(exc.message))
            return ReleaseDetailView().render(request, release, forms={self.action: form}, status=400)
        return _done(request, release.get_absolute_url())
