"""Agent desk views for problem management (thin: visibility, a form, a service call)."""

from django.apps import apps
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from core.choices import Channel
from core.exceptions import DomainError
from core.selectors import timeline
from core.ticket_views import TicketActionView, TicketDetailView, TicketFormView, TicketListView, TicketMixin
from problems import services, workflow
from problems.choices import STATE_BADGES, ProblemState
from problems.filtersets import ProblemFilterSet
from problems.forms import (
    LINK_LABELS,
    LinkForm,
    ProblemForm,
    ProblemTransitionForm,
    ResolveIncidentsForm,
    bootstrapify,
)
from problems.models import Problem
from problems.selectors import matching_known_errors, search_problems, with_list_relations
from core.web import htmx_redirect as _done, int_param, parse_id, text_param

WEB = Channel.WEB


def _incident_model():
    try:
        return apps.get_model("incidents", "Incident")
    except LookupError:
        return None


class DeskMixin(TicketMixin):
    """Problems are desk records: end users are refused."""

    model = Problem


class ProblemListView(DeskMixin, TicketListView):
    filterset_class = ProblemFilterSet
    template_name = "problems/list.html"
    rows_template_name = "problems/partials/_rows.html"
    bind_empty_query = False
    context_object_name = "problems"

    def get_queryset(self):
        return with_list_relations(Problem.objects.visible_to(self.request.user))

    def get_extra_context(self, params, page):
        counts = dict(Problem.objects.visible_to(self.request.user).order_by()
                      .values_list("state").annotate(n=Count("id")))
        state_counts = [(value, label, STATE_BADGES[value], counts.get(value, 0)) for value, label in ProblemState.choices]
        return {"state_counts": state_counts}


class KnownErrorListView(DeskMixin, TemplateView):
    """The known-error database: published root causes and workarounds, searchable."""

    template_name = "problems/known_errors.html"

    def get_template_names(self):
        if self.request.htmx and not self.request.htmx.boosted:
            return ["problems/partials/_known_error_rows.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        q = text_param(self.request, "q")
        queryset = Problem.objects.visible_to(self.request.user).known_errors().select_related("assignment_group")
        queryset = queryset.prefetch_related("configuration_items")
        queryset = search_problems(queryset, q) if q else queryset.order_by("-updated_at", "-id")
        page = Paginator(queryset, 20).get_page(self.request.GET.get("page"))
        incident = None
        incident_id = int_param(self.request, "incident")
        Incident = _incident_model()
        if incident_id and Incident is not None:
            incident = Incident.objects.visible_to(self.request.user).filter(pk=incident_id).first()
        context.update(q=q, page_obj=page, known_errors=page.object_list, incident=incident)
        return context


class ProblemDetailView(DeskMixin, TicketDetailView):
    template_name = "problems/detail.html"
    comment_route = "problems:problem_comment"

    def get_context(self, problem, forms):
        problem = (
            Problem.objects.select_related("assignment_group", "assigned_to", "created_by").get(pk=problem.pk)
        )
        allowed = workflow.allowed_targets(problem.state)
        # visible_to: a linked information security incident stays hidden outside the security group
        incidents = (problem.incidents.visible_to(self.request.user)
                     .select_related("assigned_to", "service", "configuration_item").order_by("-pk"))
        links = {
            "incidents": list(incidents),
            "configuration_items": list(problem.configuration_items.select_related("ci_class").order_by("name")),
        }
        if "changes" in services.available_link_fields():
            links["changes"] = list(problem.changes.order_by("-pk"))
        link_forms = {
            name: LinkForm(initial={"field": name}, auto_id=f"link_{name}_%s")
            for name in links
        }
        for name, form in link_forms.items():
            form.fields["reference"].label = LINK_LABELS[name]
            bootstrapify(form)
        return dict(
            problem=problem,
            timeline=timeline(problem, include_internal=True),
            transition_form=_named_moves(problem, forms.get("transition")
                                         or ProblemTransitionForm(initial={"version": problem.version}, allowed=allowed)),
            **self.comment_context(problem, forms),
            resolve_form=ResolveIncidentsForm(),
            allowed=allowed,
            links=links,
            link_forms=link_forms,
            open_incident_count=sum(1 for i in links["incidents"] if i.state in services.INCIDENT_OPEN_STATES),
            can_raise_change=services.can_raise_change(),
            change_create_url=_change_create_url(problem),
            resolved_states=(ProblemState.RESOLVED, ProblemState.CLOSED),
        )


def _named_moves(problem, form):
    """The state menu names each move as the workflow does ("Reopen investigation")."""
    form.fields["state"].choices = [(value, problem.lifecycle.action_label(problem.state, value) if value else label)
                                    for value, label in form.fields["state"].choices]
    return form


def _change_create_url(problem):
    try:
        return reverse("changes:change_create") + f"?problem={problem.pk}"
    except NoReverseMatch:
        return ""


class ProblemCreateView(DeskMixin, TicketFormView):
    """Open a problem on its own, or from incidents (?incidents=1,2,3 from the incident desk)."""

    form_class = ProblemForm
    template_name = "problems/form.html"
    success_message = gettext_lazy("Problem %(number)s opened.")

    def _incidents(self):
        raw = self.request.POST.get("incidents") or self.request.GET.get("incidents") or ""
        ids = [pk for pk in map(parse_id, raw.replace(" ", "").split(",")) if pk]
        Incident = _incident_model()
        if not ids or Incident is None:
            return []
        return list(Incident.objects.visible_to(self.request.user).filter(pk__in=ids).order_by("pk"))

    def get_initial(self):
        incidents = self._incidents()
        if not incidents:
            return {}
        return {"title": incidents[0].title, "description": "\n".join(f"{i.number}: {i.title}" for i in incidents)}

    def get_context(self, form, problem):
        return {"form": form, "incidents": self._incidents()}

    def save(self, form, problem):
        incidents = self._incidents()
        if incidents:
            return services.raise_problem_from_incidents(incidents, actor=self.request.user, channel=WEB,
                                                         **form.changes())
        return services.create_problem(actor=self.request.user, channel=WEB, **form.changes())


class ProblemUpdateView(DeskMixin, TicketFormView):
    form_class = ProblemForm
    template_name = "problems/form.html"
    success_message = gettext_lazy("Problem %(number)s saved.")

    def save(self, form, problem):
        services.update_problem(problem, actor=self.request.user, channel=WEB, changes=form.changes(),
                                expected_version=form.cleaned_data.get("version"))
        return problem


class ProblemTransitionView(TicketActionView, ProblemDetailView):
    action = "transition"

    def form_transition(self, problem):
        return ProblemTransitionForm(self.request.POST, allowed=workflow.allowed_targets(problem.state))

    def do_transition(self, problem, form):
        target = form.cleaned_data["state"]
        if target == ProblemState.RESOLVED:
            problem, resolved = services.resolve_problem(
                problem, actor=self.request.user, channel=WEB,
                root_cause=form.cleaned_data["root_cause"] or None,
                resolve_incidents=form.cleaned_data["resolve_incidents"],
                resolution_notes=form.cleaned_data["resolution_notes"],
                expected_version=form.cleaned_data["version"],
            )
            if resolved:
                self.success(ngettext("%(count)s incident resolved.", "%(count)s incidents resolved.", len(resolved))
                             % {"count": len(resolved)}, messages.INFO)
        else:
            services.transition_problem(problem, target, actor=self.request.user, channel=WEB,
                                        expected_version=form.cleaned_data["version"], **form.field_changes())
        self.success(_("%(number)s is now %(state)s.") % {"number": problem.number, "state": ProblemState(target).label})


class ProblemLinkView(DeskMixin, View):
    """Link (POST field+reference) or unlink (POST field+unlink=<id>) a related record."""

    def post(self, request, pk):
        problem = self.get_ticket(pk)
        field = request.POST.get("field", "")
        unlink = request.POST.get("unlink", "")
        try:
            if unlink:
                target = parse_id(unlink)
                if field not in services.available_link_fields() or target is None:
                    raise DomainError(_("Nothing to unlink."))
                services.unlink_record(problem, field=field, target=target, actor=request.user, channel=WEB)
                messages.success(request, _("Link removed."))
                return _done(request, problem.get_absolute_url())
            form = LinkForm(request.POST)
            if form.is_valid():
                services.link_record(problem, field=form.cleaned_data["field"], target=form.cleaned_data["target"],
                                     actor=request.user, channel=WEB)
                messages.success(request, _("Linked."))
                return _done(request, problem.get_absolute_url())
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return _done(request, problem.get_absolute_url())
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        messages.error(request, errors or _("Could not link."))
        return _done(request, problem.get_absolute_url())


class ProblemResolveIncidentsView(DeskMixin, View):
    def post(self, request, pk):
        problem = self.get_ticket(pk)
        form = ResolveIncidentsForm(request.POST)
        form.is_valid()
        try:
            resolved = services.resolve_open_incidents(problem, actor=request.user, channel=WEB,
                                                       notes=form.cleaned_data.get("resolution_notes", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, ngettext("%(count)s incident resolved.", "%(count)s incidents resolved.",
                                               len(resolved)) % {"count": len(resolved)})
        return _done(request, problem.get_absolute_url())


class ProblemRaiseChangeView(DeskMixin, View):
    def post(self, request, pk):
        problem = self.get_ticket(pk)
        if not services.can_raise_change():
            url = _change_create_url(problem)
            if url:
                return _done(request, url)
            messages.error(request, _("Change management is not available."))
            return _done(request, problem.get_absolute_url())
        try:
            change = services.raise_change_from_problem(problem, actor=request.user, channel=WEB)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return _done(request, problem.get_absolute_url())
        messages.success(request, _("Change %(number)s raised.") % {"number": change.number})
        target = change.get_absolute_url() if hasattr(change, "get_absolute_url") else problem.get_absolute_url()
        return _done(request, target)


class ProblemCommentView(TicketActionView, ProblemDetailView):
    action = "comment"
    success_anchor = "#activity"


def _visible_incident(request, incident_id):
    Incident = _incident_model()
    if Incident is None:
        return None
    incident = Incident.objects.visible_to(request.user).filter(pk=incident_id).first()
    if incident is None:
        raise Http404
    return incident


def known_error_suggestions(request, incident_id):
    """HTMX fragment: known errors that match an incident (by CI, service or text).

    Answers an empty fragment when the incident model is not available, or to non-desk users.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    context = {"incident": None, "known_errors": []}
    if roles.is_agent(request.user):
        incident = _visible_incident(request, incident_id)
        if incident is not None:
            context.update(incident=incident, known_errors=matching_known_errors(incident, limit=5),
                           linked_problems=_linked_problems(incident))
    return render(request, "problems/partials/_known_error_suggestions.html", context)


def _linked_problems(incident):
    """The problems already covering an incident (any state), for the incident page."""
    return list(Problem.objects.filter(incidents=incident).only("id", "number", "title", "state")
                .order_by("-created_at")[:5])


class ApplyKnownErrorView(DeskMixin, View):
    """Link a known error to an incident and apply its workaround there as a work note."""

    def post(self, request, pk, incident_id):
        problem = self.get_ticket(pk)
        incident = _visible_incident(request, incident_id)
        if incident is None:
            raise Http404
        try:
            services.apply_known_error(problem, incident, actor=request.user, channel=WEB)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Workaround of %(number)s applied to %(incident)s.")
                             % {"number": problem.number, "incident": incident.number})
        if request.htmx and request.POST.get("fragment"):
            response = render(request, "problems/partials/_known_error_suggestions.html", {
                "incident": incident, "known_errors": matching_known_errors(incident, limit=5), "applied": problem,
                "linked_problems": _linked_problems(incident),
            })
            # The work note belongs in the incident's timeline, which this fragment is not part of.
            response["HX-Refresh"] = "true"
            return response
        next_url = request.POST.get("next") or ""
        if not next_url.startswith("/") or next_url.startswith("//"):
            next_url = incident.get_absolute_url() if hasattr(incident, "get_absolute_url") else problem.get_absolute_url()
        return _done(request, next_url)
