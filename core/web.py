"""Pieces every desk module's views and forms share."""

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from accounts import roles


class DeskRequiredMixin(LoginRequiredMixin):
    """Desk pages are for service desk staff; an end user is refused (403), an anonymous one logs in."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not roles.is_agent(request.user):
            raise PermissionDenied
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
