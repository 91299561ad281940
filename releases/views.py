"""Agent desk views for release management (thin: visibility, a form, a service call)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.vary import vary_on_headers

from changes.forms import bootstrapify
from changes.models import Change
from changes.views import DeskMixin, _done, _form_error
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from releases import services, workflow
from releases.choices import DEPLOYMENT_BADGES, STATE_BADGES, ReleaseState
from releases.filtersets import ORDERING_FIELDS, ReleaseFilterSet
from releases.forms import DeploymentForm, ReleaseForm, ReleaseTransitionForm
from releases.models import Deployment, Release

WEB = Channel.WEB


class ReleaseMixin(DeskMixin):
    def get_release(self, pk):
        from django.shortcuts import get_object_or_404

        return get_object_or_404(Release.objects.visible_to(self.request.user), pk=pk)


@method_decorator(vary_on_headers("HX-Request"), name="dispatch")
class ReleaseListView(ReleaseMixin, View):
    def get(self, request):
        queryset = (Release.objects.visible_to(request.user).select_related("assignment_group")
                    .annotate(change_count=Count("changes", distinct=True))
                    .prefetch_related(Prefetch("deployments", queryset=Deployment.objects.order_by("created_at"))))
        filterset = ReleaseFilterSet(request.GET, queryset=queryset, request=request)
        bootstrapify(filterset.form)
        queryset = filterset.qs.order_by("-created_at", "-id") if filterset.is_valid() else Release.objects.none()
        ordering = request.GET.get("ordering", "")
        if ordering.lstrip("-") in ORDERING_FIELDS:
            queryset = queryset.order_by(ordering, "-id")
        page = Paginator(queryset, 25).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        context = {"filterset": filterset, "page": page, "query": query.urlencode(), "state_badges": STATE_BADGES,
                   "deployment_badges": DEPLOYMENT_BADGES}
        template = "releases/_rows.html" if request.htmx and not request.htmx.boosted else "releases/list.html"
        return render(request, template, context)


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
            "state_badges": STATE_BADGES, "deployment_badges": DEPLOYMENT_BADGES,
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
