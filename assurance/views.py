"""Desk pages of the audit programme, management reviews and certification. Agents read;
managers and administrators write (through assurance.services)."""

from django.contrib import messages
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from assurance import rules, selectors, services
from assurance.choices import (
    ACTION_BADGES, AUDIT_BADGES, FINDING_BADGES, FINDING_STATE_BADGES, DONE_AUDIT_STATES, AuditState,
    FindingState,
)
from assurance.forms import (
    AuditForm, AuditTransitionForm, CertificationEventForm, FindingCloseForm, FindingForm, ReviewActionForm,
    ReviewActionStateForm, ReviewForm,
)
from assurance.models import Audit, AuditProgramme, CertificationEvent, Finding, ManagementReview, ReviewAction
from core import clauses
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.web import DeskRequiredMixin, form_error, htmx_redirect

WEB = Channel.WEB


class WriterRequiredMixin(DeskRequiredMixin):
    def permitted(self, user):
        return roles.is_manager(user)


def _coverage(programme):
    audits = [rules.AuditFacts(tuple(a.scope), a.planned_date.year,
                               a.performed_date.year if a.performed_date else None, a.state in DONE_AUDIT_STATES)
              for a in programme.audits.all()]
    return rules.coverage(programme.start_year, audits)


def _due_context():
    due = selectors.certification_next_due()
    today = timezone.localdate()
    return {"next_due": due, "next_due_overdue": rules.is_overdue(due, today),
            "next_due_label": _kind_label(due.kind) if due else ""}


def _kind_label(kind):
    from assurance.choices import CertificationKind

    return CertificationKind(kind).label


class ProgrammeView(DeskRequiredMixin, TemplateView):
    """The programme of the current cycle: coverage matrix, its warning, the audits, the next
    certification audit."""

    template_name = "assurance/programme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programmes = list(AuditProgramme.objects.order_by("-start_year"))
        chosen = None
        wanted = self.request.GET.get("programme", "")
        for programme in programmes:
            if str(programme.pk) == wanted:
                chosen = programme
        year = timezone.localdate().year
        chosen = chosen or next((p for p in programmes if p.start_year <= year <= p.end_year), None) \
            or (programmes[0] if programmes else None)
        audits = []
        if chosen is not None:
            audits = list(Audit.objects.filter(programme=chosen).select_related("lead_auditor")
                          .annotate(open_findings=Count("findings", filter=Q(findings__state=FindingState.OPEN)),
                                    n_findings=Count("findings")).order_by("planned_date", "id"))
            chosen._prefetched_objects_cache = {"audits": audits}
            coverage = _coverage(chosen)
            titles = {c.id: c.title for c in clauses.CLAUSES}
            context.update(coverage=coverage, rows=[(cid, titles[cid], marks) for cid, marks in coverage.rows],
                           uncovered=[(cid, titles[cid]) for cid in coverage.uncovered])
        for audit in audits:
            audit.badge = AUDIT_BADGES.get(audit.state, "secondary")
        context.update(programmes=programmes, programme=chosen, audits=audits, can_write=roles.is_manager(
            self.request.user), **_due_context())
        return context


class AuditDetailView(DeskRequiredMixin, TemplateView):
    template_name = "assurance/audit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        audit = get_object_or_404(Audit.objects.select_related("programme", "lead_auditor", "auditor_team"),
                                  pk=kwargs["pk"])
        findings = list(audit.findings.select_related("corrective_action").order_by("sequence"))
        for finding in findings:
            finding.audit = audit
            finding.badge = FINDING_BADGES.get(finding.kind, "secondary")
            finding.state_badge = FINDING_STATE_BADGES.get(finding.state, "secondary")
            finding.close_form = FindingCloseForm(initial={"version": finding.version}, prefix=f"f{finding.pk}")
        allowed = [(s, AuditState(s).label) for s in rules.AUDIT_TRANSITIONS.get(audit.state, ())]
        titles = {c.id: c.title for c in clauses.CLAUSES}
        context.update(
            audit=audit, badge=AUDIT_BADGES.get(audit.state), findings=findings,
            scope=[(cid, titles.get(cid, "")) for cid in audit.scope],
            audited_teams=list(audit.audited_teams.order_by("name")),
            can_write=roles.is_manager(self.request.user),
            transition_form=kwargs.get("transition_form") or AuditTransitionForm(
                initial={"version": audit.version, "performed_date": audit.performed_date, "summary": audit.summary},
                allowed=allowed),
            finding_form=FindingForm(), can_add_findings=audit.state in (AuditState.IN_PROGRESS, AuditState.REPORTED))
        return context


class AuditCreateView(WriterRequiredMixin, View):
    def get(self, request):
        return self.render(AuditForm(initial={"lead_auditor": request.user.pk}))

    def post(self, request):
        form = AuditForm(request.POST)
        if form.is_valid():
            try:
                audit = services.create_audit(actor=request.user, channel=WEB, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Planned audit %(number)s.") % {"number": audit.number})
                return htmx_redirect(request, audit.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "assurance/form.html", {"form": form, "heading": _("Plan an audit"),
                                                            "back": "assurance:programme"}, status=status)


class AuditTransitionView(WriterRequiredMixin, View):
    def post(self, request, pk):
        audit = get_object_or_404(Audit, pk=pk)
        allowed = [(s, AuditState(s).label) for s in rules.AUDIT_TRANSITIONS.get(audit.state, ())]
        form = AuditTransitionForm(request.POST, allowed=allowed)
        if not form.is_valid():
            messages.error(request, _("Choose the state to move the audit to."))
            return htmx_redirect(request, audit.get_absolute_url())
        data = form.cleaned_data
        changes = {"state": data["state"]}
        if data["performed_date"]:
            changes["performed_date"] = data["performed_date"]
        if data["summary"]:
            changes["summary"] = data["summary"]
        try:
            services.update_audit(audit, actor=request.user, channel=WEB, changes=changes,
                                  expected_version=data.get("version"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Audit %(number)s moved.") % {"number": audit.number})
        return htmx_redirect(request, audit.get_absolute_url())


class FindingCreateView(WriterRequiredMixin, View):
    def get(self, request, pk):
        audit = get_object_or_404(Audit, pk=pk)
        return self.render(FindingForm(), audit)

    def post(self, request, pk):
        audit = get_object_or_404(Audit, pk=pk)
        form = FindingForm(request.POST)
        if form.is_valid():
            try:
                finding = services.add_finding(audit, actor=request.user, channel=WEB, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Recorded finding %(number)s.") % {"number": finding.number})
                return htmx_redirect(request, finding.get_absolute_url())
        return self.render(form, audit, status=400)

    def render(self, form, audit, status=200):
        return render(self.request, "assurance/form.html", {
            "form": form, "heading": _("Record a finding of %(number)s") % {"number": audit.number},
            "back_url": audit.get_absolute_url()}, status=status)


class FindingCloseView(WriterRequiredMixin, View):
    def post(self, request, pk):
        finding = get_object_or_404(Finding.objects.select_related("audit", "corrective_action"), pk=pk)
        form = FindingCloseForm(request.POST, prefix=f"f{finding.pk}")
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        target = FindingState.OPEN if finding.state == FindingState.CLOSED else FindingState.CLOSED
        changes = {"state": target}
        if data.get("closure_note"):
            changes["closure_note"] = data["closure_note"]
        try:
            services.update_finding(finding, actor=request.user, channel=WEB, changes=changes,
                                    expected_version=data.get("version"))
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, (_("Closed finding %(number)s.") if target == FindingState.CLOSED
                                       else _("Reopened finding %(number)s.")) % {"number": finding.number})
        return htmx_redirect(request, finding.get_absolute_url())


# --- management reviews -----------------------------------------------------------------------
class ReviewListView(DeskRequiredMixin, TemplateView):
    template_name = "assurance/review_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        reviews = list(ManagementReview.objects.select_related("chair").annotate(
            open_actions=Count("actions", filter=Q(actions__state="open")),
            overdue_actions=Count("actions", filter=Q(actions__state="open", actions__due_date__lt=today)))
            .defer("pack").order_by("-held_on", "-id"))
        context.update(reviews=reviews, can_write=roles.is_manager(self.request.user),
                       open_actions=selectors.open_review_actions(today=today))
        return context


class ReviewDetailView(DeskRequiredMixin, TemplateView):
    template_name = "assurance/review_detail.html"
    printable = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        review = get_object_or_404(ManagementReview.objects.select_related("chair"), pk=kwargs["pk"])
        today = timezone.localdate()
        actions = list(ReviewAction.objects.filter(review=review).select_related("owner").order_by("due_date", "id"))
        for action in actions:
            action.overdue = action.is_overdue(today)
            action.badge = ACTION_BADGES.get(action.state, "secondary")
        pack = review.pack or {}
        kpi = pack.get("kpi") or {}
        context.update(
            review=review, actions=actions, pack=pack, printable=self.printable,
            kpi_rows=list(zip(kpi.get("months", []), kpi.get("incidents_opened", []), kpi.get("breached", []),
                              kpi.get("sla_met_percent", []), kpi.get("mttr_hours", []) or [None] * 12)),
            finding_rows=_finding_rows((pack.get("audits") or {}).get("findings") or {}),
            can_write=roles.is_manager(self.request.user) and not self.printable,
            action_form=ReviewActionForm(),
        )
        return context


def _finding_rows(findings):
    from assurance.choices import FindingKind

    return [(FindingKind(kind).label, counts.get("open", 0), counts.get("closed", 0))
            for kind, counts in findings.items() if kind in FindingKind.values]


class ReviewPackView(ReviewDetailView):
    """The review pack as a printable page (the browser prints it or saves it as PDF)."""

    template_name = "assurance/review_pack.html"
    printable = True


class ReviewPackPdfView(ReviewDetailView):
    """The review pack as PDF (the same figures as the printable page)."""

    printable = True

    def get(self, request, *args, **kwargs):
        from django.http import HttpResponse

        from assurance import pdf

        context = self.get_context_data(**kwargs)
        review = context["review"]
        body = pdf.render(review, context["actions"], context["kpi_rows"], context["finding_rows"])
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="management-review-{review.held_on:%Y-%m-%d}.pdf"'
        return response


class ReviewCreateView(WriterRequiredMixin, View):
    def get(self, request):
        today = timezone.localdate()
        return self.render(ReviewForm(initial={"held_on": today, "period_end": today,
                                               "period_start": rules.add_months(today, -12), "chair": request.user.pk}))

    def post(self, request):
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                review = services.create_review(actor=request.user, channel=WEB, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Recorded the management review."))
                return htmx_redirect(request, review.get_absolute_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "assurance/form.html", {"form": form, "heading": _("New management review"),
                                                            "back": "assurance:review_list"}, status=status)


class ReviewGenerateView(WriterRequiredMixin, View):
    def post(self, request, pk):
        review = get_object_or_404(ManagementReview, pk=pk)
        services.generate_pack(review, actor=request.user, channel=WEB)
        messages.success(request, _("Generated the review pack from today's figures."))
        return htmx_redirect(request, review.get_absolute_url())


class ReviewActionCreateView(WriterRequiredMixin, View):
    def post(self, request, pk):
        review = get_object_or_404(ManagementReview, pk=pk)
        form = ReviewActionForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Say what was decided."))
            return htmx_redirect(request, review.get_absolute_url())
        try:
            services.add_action(review, actor=request.user, channel=WEB, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Added the action."))
        return htmx_redirect(request, review.get_absolute_url() + "#actions")


class ReviewActionStateView(WriterRequiredMixin, View):
    def post(self, request, pk):
        action = get_object_or_404(ReviewAction, pk=pk)
        form = ReviewActionStateForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the action's new state."))
            return htmx_redirect(request, action.get_absolute_url())
        try:
            services.update_action(action, actor=request.user, channel=WEB, changes={"state": form.cleaned_data["state"]},
                                   expected_version=form.cleaned_data.get("version"))
        except StaleVersion as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Updated the action."))
        return htmx_redirect(request, action.get_absolute_url())


# --- certification ----------------------------------------------------------------------------
class CertificationView(DeskRequiredMixin, TemplateView):
    template_name = "assurance/certification.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(events=list(CertificationEvent.objects.order_by("-date", "-id")),
                       can_write=roles.is_manager(self.request.user), **_due_context())
        return context


class CertificationCreateView(WriterRequiredMixin, View):
    def get(self, request):
        return self.render(CertificationEventForm(initial={"date": timezone.localdate()}))

    def post(self, request):
        form = CertificationEventForm(request.POST)
        if form.is_valid():
            try:
                services.create_certification_event(actor=request.user, channel=WEB, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Recorded the certification event."))
                return redirect("assurance:certification")
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(self.request, "assurance/form.html", {"form": form, "heading": _("Record a certification event"),
                                                            "back": "assurance:certification"}, status=status)
