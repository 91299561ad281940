"""Desk pages of surveys: the overview (figures, settings, questions, periodic surveys), the
responses list, periodic surveys, and the follow-ups low scores opened."""

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts import roles
from core.choices import Channel
from core.exceptions import DomainError
from core.ticket_views import TicketListView
from core.web import DeskRequiredMixin, form_error
from surveys import selectors, services
from surveys.filtersets import ResponseFilterSet
from surveys.forms import CampaignForm, FollowUpForm, QuestionForm, SettingForm
from surveys.models import Campaign, FollowUp, FollowUpState, Survey, SurveyQuestion, SurveySetting


class ManagerRequiredMixin(DeskRequiredMixin):
    def permitted(self, user):
        return roles.is_manager(user)


class OverviewView(DeskRequiredMixin, View):
    def get(self, request):
        now = timezone.now()
        start = now - dt.timedelta(days=30)
        campaigns = list(Campaign.objects.select_related("organisation", "service")[:10])
        rates = selectors.campaign_rates(campaigns)
        for campaign in campaigns:
            campaign.invited, campaign.answered = rates.get(campaign.pk, (0, 0))
            campaign.rate = round(100 * campaign.answered / campaign.invited, 1) if campaign.invited else None
        return render(request, "surveys/overview.html", {
            "figures": selectors.satisfaction(start=start, end=now),
            "settings": SurveySetting.objects.prefetch_related("services"),
            "questions": SurveyQuestion.objects.all(),
            "campaigns": campaigns,
            "open_follow_ups": FollowUp.objects.filter(state=FollowUpState.OPEN).count(),
            "my_follow_ups": FollowUp.objects.filter(state=FollowUpState.OPEN, owner=request.user).count(),
            "can_manage": roles.is_manager(request.user),
        })


class ResponseListView(TicketListView):
    filterset_class = ResponseFilterSet
    template_name = "surveys/responses.html"
    rows_template_name = "surveys/partials/_responses.html"
    ordering_fields = ("answered_at", "score", "ticket_number")
    default_ordering = ("-answered_at", "-id")
    context_object_name = "responses"

    def get_queryset(self):
        return (Survey.objects.visible_to(self.request.user).answered()
                .select_related("respondent", "service", "organisation", "assignment_group", "follow_up"))


class CampaignCreateView(ManagerRequiredMixin, View):
    def get(self, request):
        today = timezone.localdate()
        first = today.replace(day=1)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        form = CampaignForm(initial={"period_start": previous, "period_end": first,
                                     "name": _("Satisfaction survey %(month)s") % {"month": previous.strftime("%Y-%m")}})
        return render(request, "surveys/campaign_form.html", {"form": form})

    def post(self, request):
        form = CampaignForm(request.POST)
        if form.is_valid():
            try:
                campaign = services.create_campaign(actor=request.user, channel=Channel.WEB, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Periodic survey sent to %(count)s people.")
                                 % {"count": campaign.surveys.count()})
                return redirect(campaign.get_absolute_url())
        return render(request, "surveys/campaign_form.html", {"form": form}, status=400)


class CampaignDetailView(DeskRequiredMixin, View):
    def get(self, request, pk):
        from django.db.models import Count, Q

        campaign = get_object_or_404(Campaign.objects.select_related("organisation", "service", "created_by"), pk=pk)
        strata = list(campaign.surveys.order_by().values("organisation__name", "service__name")
                      .annotate(invited=Count("id"), answered=Count("id", filter=Q(answered_at__isnull=False)))
                      .order_by("organisation__name", "service__name"))
        for row in strata:
            row["rate"] = round(100 * row["answered"] / row["invited"], 1) if row["invited"] else None
        figures = selectors.satisfaction_of(campaign.surveys.all())
        return render(request, "surveys/campaign_detail.html",
                      {"campaign": campaign, "strata": strata, "figures": figures})


class FollowUpListView(DeskRequiredMixin, View):
    def get(self, request):
        show = request.GET.get("show", "mine")
        queryset = FollowUp.objects.select_related("survey", "survey__respondent", "team", "owner")
        if show == "mine":
            queryset = queryset.filter(owner=request.user, state=FollowUpState.OPEN)
        elif show == "open":
            queryset = queryset.filter(state=FollowUpState.OPEN)
        page = Paginator(queryset.order_by("-created_at", "-id"), 25).get_page(request.GET.get("page"))
        return render(request, "surveys/follow_ups.html", {"page": page, "show": show, "form": FollowUpForm()})


class FollowUpDoneView(DeskRequiredMixin, View):
    def post(self, request, pk):
        follow_up = get_object_or_404(FollowUp, pk=pk)
        if follow_up.owner_id not in (None, request.user.pk) and not roles.is_manager(request.user):
            return render(request, "403.html", status=403)
        form = FollowUpForm(request.POST)
        form.is_valid()
        try:
            services.close_follow_up(follow_up, actor=request.user, note=form.cleaned_data.get("note", ""))
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect(reverse("surveys:follow_ups") + "?show=" + request.POST.get("show", "mine"))
        messages.success(request, _("Follow-up of %(number)s done.") % {"number": follow_up.survey.ticket_number})
        return redirect(reverse("surveys:follow_ups") + "?show=" + request.POST.get("show", "mine"))


class SettingsFormView(ManagerRequiredMixin, View):
    """Create or edit a survey setting (`model = SurveySetting`) or question."""

    model = SurveySetting
    form_class = SettingForm
    title = ""

    def get(self, request, pk=None):
        instance = get_object_or_404(self.model, pk=pk) if pk else None
        return self.show(self.form_class(instance=instance))

    def show(self, form, status=200):
        return render(self.request, "surveys/settings_form.html",
                      {"form": form, "title": self.model._meta.verbose_name}, status=status)

    def post(self, request, pk=None):
        instance = get_object_or_404(self.model, pk=pk) if pk else None
        form = self.form_class(request.POST, instance=instance)
        if not form.is_valid():
            return self.show(form, status=400)
        form.save()
        messages.success(request, _("Saved."))
        return redirect("surveys:overview")


class QuestionFormView(SettingsFormView):
    model = SurveyQuestion
    form_class = QuestionForm
