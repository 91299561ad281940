"""Deciding a request from the e-mail link: /request-approvals/<token>/.

The link names the request and the approver it was sent to, signed and expiring
(fulfilment.notifications). The page asks the person to sign in, shows what waits for their
decision and takes approve or reject with a comment through fulfilment.services.decide, the
same rules as the inbox and the API: a link forwarded to someone else decides nothing.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _, gettext_lazy
from django.views.generic import TemplateView

from core.choices import Decision
from core.exceptions import DomainError
from core.web import form_error
from fulfilment import approvals as approval_rules, services
from fulfilment.choices import ItemState
from fulfilment.models import Request, RequestApproval
from fulfilment.notifications import read_token


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=gettext_lazy("Decision"), choices=Decision.choices)
    comment = forms.CharField(label=gettext_lazy("Comment"), required=False, max_length=4000,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=gettext_lazy("Required when you reject: the requester reads it."))


class DecideByLinkView(LoginRequiredMixin, TemplateView):
    template_name = "fulfilment/approval_decide.html"

    def dispatch(self, request, *args, **kwargs):
        found = read_token(kwargs["token"])
        if found is None:
            raise Http404(_("This decision link is not valid or has expired."))
        if request.user.is_authenticated and request.user.pk != found[1]:
            raise PermissionDenied(_("This decision link was sent to another approver."))
        self.service_request = (Request.objects.select_related("requested_by", "requested_for")
                                .filter(pk=found[0]).first())
        if self.service_request is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        request = self.service_request
        items = list(request.items.select_related("catalog_item"))
        approvals = list(RequestApproval.objects.filter(request_item__request=request).select_related("approver"))
        rows = []
        for item in items:
            offer = (approval_rules.offer(item, approvals, request=request, actor_id=self.request.user.pk)
                     if item.state == ItemState.AWAITING_APPROVAL else None)
            rows.append({"item": item, "offer": offer,
                         "decisions": [a for a in approvals if a.request_item_id == item.pk]})
        offered = [row for row in rows if row["offer"] is not None and row["offer"].stage is not None]
        return {**super().get_context_data(**kwargs), "service_request": request, "rows": rows,
                "offered": offered, "form": form or DecisionForm()}

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if form.is_valid():
            try:
                services.decide(request.user, self.service_request, decision=form.cleaned_data["decision"],
                                comment=form.cleaned_data["comment"], channel="email")
            except DomainError as exc:
                form_error(form, exc)
                return self.render_to_response(self.get_context_data(form=form), status=exc.status_code)
            if form.cleaned_data["decision"] == Decision.APPROVE:
                messages.success(request, _("You approved request %(number)s.") % {"number": self.service_request.number})
            else:
                messages.success(request, _("You rejected request %(number)s.") % {"number": self.service_request.number})
            return redirect(request.path)
        return self.render_to_response(self.get_context_data(form=form), status=400)
