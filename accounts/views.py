from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash, views as auth_views
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts import password_reset, services
from accounts.forms import ApiTokenForm, LoginForm, NewPasswordForm, PasswordResetRequestForm, ProfileForm
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator

from accounts import roles
from accounts.models import AccessLog, ApiToken, User
from core.choices import Channel


def _remember_language(response, user):
    """Apply the user's preferred language (if they chose one) through Django's language cookie."""
    if getattr(user, "language", ""):
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, user.language, max_age=settings.LANGUAGE_COOKIE_AGE,
                            samesite=settings.LANGUAGE_COOKIE_SAMESITE, secure=settings.LANGUAGE_COOKIE_SECURE,
                            httponly=settings.LANGUAGE_COOKIE_HTTPONLY)
    return response


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    authentication_form = LoginForm

    def form_valid(self, form):
        return _remember_language(super().form_valid(form), form.get_user())


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        services.change_password(form.user, actor=self.request.user, channel=Channel.WEB,
                                 apply=lambda: form.save(commit=False))
        # Keeps this session signed in; every other session of the user ends.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, _("Your password was changed."))
        return redirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    """Forgot password: asks for the e-mail address and always answers the same way, whether or not
    an account has it (Django's behaviour); a client asking too often is told to wait."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        if not password_reset.client_allowed(self.request.META.get("REMOTE_ADDR")):
            form.add_error(None, _("Too many password reset requests from here. Please try again in an hour."))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if password_reset.address_allowed(form.cleaned_data["email"]):
            form.save(request=self.request, from_email=None, email_template_name=self.email_template_name,
                      subject_template_name=self.subject_template_name, token_generator=self.token_generator,
                      **password_reset.link_settings())
        return redirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        # Through the use case, so the new password is audited like a change from the profile.
        services.change_password(form.user, actor=form.user, channel=Channel.WEB,
                                 apply=lambda: form.save(commit=False))
        password_reset.unlock(form.user)
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        return redirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = services.update_profile(request.user, actor=request.user, channel=Channel.WEB,
                                       changes=form.profile_changes())
        messages.success(request, _("Your profile was saved."))
        return _remember_language(redirect("accounts:profile"), user)
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def token_list(request):
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.issue_token(request.user, actor=request.user, channel=Channel.WEB,
                                               name=form.cleaned_data["name"])
        form = ApiTokenForm()
    tokens = request.user.api_tokens.all()
    return render(request, "accounts/tokens.html", {"form": form, "tokens": tokens, "new_key": new_key})


@login_required
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.active(), pk=pk, user=request.user)
    token = services.revoke_token(token, actor=request.user, channel=Channel.WEB)
    messages.success(request, _("Token %(prefix)s… was revoked.") % {"prefix": token.prefix})
    return redirect("accounts:token_list")


@login_required
def access_log(request):
    """Managers read what auditors did (issue 18); ?user=<id> narrows it to one auditor."""
    if not roles.is_manager(request.user):
        raise PermissionDenied
    rows = AccessLog.objects.select_related("user")
    auditors = User.objects.filter(groups__name=roles.Role.AUDITOR).order_by("username")
    chosen = request.GET.get("user", "")
    if chosen.isdigit():
        rows = rows.filter(user_id=int(chosen))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log.html", {
        "page": page, "rows": page.object_list, "auditors": auditors, "chosen": chosen,
        "query": f"user={chosen}" if chosen.isdigit() else "",
    })


def locked_out(request, original_response=None, credentials=None):
    """What django-axes shows once a username has failed too often from one address (429)."""
    minutes = max(1, round(settings.AXES_COOLOFF_TIME * 60)) if settings.AXES_COOLOFF_TIME else None
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    return render(request, "accounts/locked_out.html", {"minutes": minutes, "username": username},
                  status=settings.AXES_HTTP_RESPONSE_CODE)
