"""Pieces every desk module's views and forms share."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts import roles


class DeskRequiredMixin(LoginRequiredMixin):
    """Desk pages are for service desk staff; an end user is refused (403), an anonymous one logs in.
    A page for fewer people narrows `permitted` (refused before anything is read or validated)."""

    # What a signed-in user who is not `permitted` gets: 403, or Http404 for pages whose very
    # existence is not theirs to know (the managers' service reports).
    refusal = PermissionDenied

    def permitted(self, user):
        return roles.is_agent(user)

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not self.permitted(request.user):
            raise self.refusal
        return super().dispatch(request, *args, **kwargs)


def form_error(form, exc):
    """Show a refusal (DomainError or Django ValidationError) on the field it names, else atop the form."""
    if isinstance(exc, ValidationError):
        for field, errors in getattr(exc, "message_dict", {"__all__": exc.messages}).items():
            form.add_error(field if field in form.fields else None, errors)
        return
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, str(exc.message))


def htmx_redirect(request, url):
    """A successful write: redirect, or tell htmx where to go."""
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def bootstrapify(form, *, multiple_select_size=None):
    """Give every widget its Bootstrap class (templates render plain `{{ field }}`)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple)):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            widget.attrs.setdefault("class", "form-select")
            if multiple_select_size and isinstance(widget, forms.SelectMultiple):
                widget.attrs.setdefault("size", multiple_select_size)
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
    return form


# --- query parameters -------------------------------------------------------------------------
# Read through form fields, as the API reads them through filters: `str.isdigit()` says yes to
# "²", which int() refuses (500), and PostgreSQL refuses a NUL byte in a text match (500).
# A value a field refuses is ignored, and a full page says so in a message (an htmx fragment
# cannot show one, and nothing would match the refused value anyway).

BIGINT_MAX = 2**63 - 1


def parse_id(value):
    """A record id (a positive integer that fits the database), or None for anything else."""
    try:
        return forms.IntegerField(min_value=1, max_value=BIGINT_MAX).clean(value)
    except ValidationError:
        return None


def query_value(request, name, field, default=None):
    """The query parameter `name` cleaned by the form `field`; missing, blank or refused gives `default`."""
    raw = request.GET.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = field.clean(raw)
    except ValidationError as refusal:
        if not (getattr(request, "htmx", False) and not request.htmx.boosted):
            messages.warning(request, _("The value given for “%(name)s” was ignored: %(reason)s")
                             % {"name": name, "reason": " ".join(refusal.messages)})
        return default
    return default if value in (None, "") else value


def int_param(request, name, default=None, *, min_value=1, max_value=BIGINT_MAX):
    """An integer query parameter (an id unless bounds say otherwise)."""
    return query_value(request, name, forms.IntegerField(min_value=min_value, max_value=max_value), default)


def text_param(request, name, default="", *, max_length=200):
    """A text query parameter, stripped, without NUL bytes, cut at `max_length`."""
    value = query_value(request, name, forms.CharField(), default)
    return value[:max_length] if isinstance(value, str) else value


# An id no row has: url_for_rows reverses once with it and puts each row's id in its place.
_ROW_ID_SENTINEL = 987654321987


def url_for_rows(url_of):
    """A function id -> `url_of(id)` (a reverse() of a row's page), from one call for a whole
    list: reversing 25 rows' URLs one by one was ~1.5 % of a queue page's CPU (issue 12)."""
    head, tail = str(url_of(_ROW_ID_SENTINEL)).split(str(_ROW_ID_SENTINEL), 1)
    return lambda row_id: f"{head}{row_id}{tail}"
