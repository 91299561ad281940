"""Portal pages of surveys: my pending surveys, the answer page (signed in), and the same page
opened from the e-mail's signed link without signing in. A second answer is refused with a clear
message (the first is kept); a forged link is a 400 page, an expired one a 410 page."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.choices import Channel
from core.exceptions import DomainError
from core.web import form_error
from surveys import links, services
from surveys.forms import AnswerForm
from surveys.models import Survey, SurveyQuestion


def _questions():
    return list(SurveyQuestion.objects.filter(active=True))


class AnswerMixin:
    """GET shows the form (a score from the e-mail's one click chosen already); POST records it."""

    via_link = False

    def render_answer(self, survey, form=None, status=200, done=False):
        if form is None and not survey.is_answered:
            initial = {}
            raw = self.request.GET.get("score", "")
            if raw in {"1", "2", "3", "4", "5"}:
                initial["score"] = raw
            form = AnswerForm(initial=initial, questions=_questions())
        expired = not survey.is_answered and survey.expires_at <= timezone.now()
        if expired and status == 200:
            status = 410
        return render(self.request, "surveys/portal/answer.html", {
            "survey": survey, "form": form, "done": done, "expired": expired, "via_link": self.via_link,
        }, status=status)

    def post_answer(self, survey, success_url):
        form = AnswerForm(self.request.POST, questions=_questions())
        if not form.is_valid():
            return self.render_answer(survey, form, status=400)
        try:
            services.answer(survey, score=form.cleaned_data["score"], comment=form.cleaned_data["comment"],
                            answers=form.answers(), actor=self.request.user,
                            channel=Channel.EMAIL if self.via_link else Channel.PORTAL)
        except services.AlreadyAnswered as exc:
            messages.warning(self.request, str(exc.message))
            return self.render_answer(Survey.objects.get(pk=survey.pk), None, status=409)
        except services.SurveyExpired:
            return self.render_answer(survey, None, status=410)
        except DomainError as exc:
            form_error(form, exc)
            return self.render_answer(survey, form, status=400)
        messages.success(self.request, _("Thank you for your answer."))
        return redirect(success_url)


class MySurveysView(LoginRequiredMixin, View):
    def get(self, request):
        now = timezone.now()
        pending = list(Survey.objects.pending_for(request.user, now=now).order_by("-sent_at", "-id")[:50])
        answered = list(Survey.objects.filter(respondent=request.user, answered_at__isnull=False)
                        .order_by("-answered_at", "-id")[:20])
        return render(request, "surveys/portal/list.html", {"pending": pending, "answered": answered})


class AnswerView(LoginRequiredMixin, AnswerMixin, View):
    def get_survey(self, pk):
        return get_object_or_404(Survey.objects.filter(respondent=self.request.user), pk=pk)

    def get(self, request, pk):
        return self.render_answer(self.get_survey(pk))

    def post(self, request, pk):
        survey = self.get_survey(pk)
        return self.post_answer(survey, request.path)


class LinkAnswerView(AnswerMixin, View):
    """No sign-in: the signed token is the key, to this one survey only."""

    via_link = True

    def get_survey(self, token):
        try:
            pk = links.survey_id(token)
        except links.ExpiredLink:
            return None, render(self.request, "surveys/portal/link_error.html",
                                {"message": _("This survey link has expired.")}, status=410)
        except links.BadLink:
            return None, render(self.request, "surveys/portal/link_error.html",
                                {"message": _("This survey link is not valid. Check that it was copied whole.")},
                                status=400)
        survey = Survey.objects.filter(pk=pk).first()
        if survey is None:
            return None, render(self.request, "surveys/portal/link_error.html",
                                {"message": _("This survey no longer exists.")}, status=404)
        return survey, None

    def get(self, request, token):
        survey, refusal = self.get_survey(token)
        return refusal or self.render_answer(survey)

    def post(self, request, token):
        survey, refusal = self.get_survey(token)
        return refusal or self.post_answer(survey, request.path)
