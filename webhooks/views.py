"""Desk pages of webhooks, for managers and administrators: subscriptions, their delivery log
with filters, and replay of one delivery or a time range. Writes go through webhooks.services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts import roles
from core.choices import Channel
from core.exceptions import DomainError, StaleVersion
from core.web import DeskRequiredMixin, form_error, htmx_redirect
from webhooks import services
from webhooks.choices import BADGES, WebhookDeliveryState
from webhooks.forms import DeliveryFilterForm, ReplayRangeForm, SubscriptionForm
from webhooks.models import Subscription, WebhookDelivery

PAGE_SIZE = 50


class ManagerRequiredMixin(DeskRequiredMixin):
    def permitted(self, user):
        return roles.is_manager(user)


class SubscriptionListView(ManagerRequiredMixin, TemplateView):
    template_name = "webhooks/list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["subscriptions"] = list(
            Subscription.objects.select_related("owner").annotate(
                owed=Count("deliveries", filter=Q(deliveries__state__in=["pending", "failed"])),
                dead=Count("deliveries", filter=Q(deliveries__state="dead"))).order_by("-active", "name", "id"))
        context["active"] = "webhooks"
        return context


class SubscriptionDetailView(ManagerRequiredMixin, TemplateView):
    template_name = "webhooks/detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        subscription = get_object_or_404(Subscription.objects.select_related("owner"), pk=kwargs["pk"])
        filters = DeliveryFilterForm(self.request.GET or None)
        deliveries = WebhookDelivery.objects.filter(subscription=subscription).defer("body").order_by("-id")
        if filters.is_valid():
            data = filters.cleaned_data
            if data["state"]:
                deliveries = deliveries.filter(state=data["state"])
            if data["event"]:
                deliveries = deliveries.filter(event_name=data["event"])
            if data["start"]:
                deliveries = deliveries.filter(created_at__gte=data["start"])
            if data["end"]:
                deliveries = deliveries.filter(created_at__lt=data["end"])
        page = Paginator(deliveries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        rows = list(page)
        for delivery in rows:
            delivery.badge = BADGES.get(delivery.state, "secondary")
        context.update(subscription=subscription, filters=filters, page=page, deliveries=rows, replay_form=ReplayRangeForm(), query=query.urlencode(),
                       finished=(WebhookDeliveryState.DELIVERED, WebhookDeliveryState.DEAD), active="webhooks")
        return context


class SubscriptionFormView(ManagerRequiredMixin, View):
    template_name = "webhooks/form.html"

    def get_subscription(self):
        pk = self.kwargs.get("pk")
        return get_object_or_404(Subscription, pk=pk) if pk else None

    def get(self, request, pk=None):
        subscription = self.get_subscription()
        return self.render(SubscriptionForm(subscription=subscription), subscription)

    def post(self, request, pk=None):
        subscription = self.get_subscription()
        form = SubscriptionForm(request.POST, subscription=subscription)
        status = 400
        if form.is_valid():
            try:
                subscription = services.save_subscription(
                    subscription, actor=request.user, channel=Channel.WEB, fields=form.fields_for_service(),
                    expected_version=form.cleaned_data.get("version") if subscription else None)
            except (ValidationError, DomainError) as exc:
                if isinstance(exc, StaleVersion):
                    form.add_error(None, exc.message)
                    status = 409
                else:
                    form_error(form, exc)
            else:
                messages.success(request, _("Saved the webhook to %(url)s.") % {"url": subscription.url})
                return htmx_redirect(request, subscription.get_absolute_url())
        return self.render(form, subscription, status=status)

    def render(self, form, subscription, status=200):
        return render(self.request, self.template_name, {"form": form, "subscription": subscription,
                                                         "active": "webhooks"}, status=status)


class ReplayDeliveryView(ManagerRequiredMixin, View):
    def post(self, request, pk, delivery_pk):
        delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, subscription_id=pk)
        try:
            services.replay(delivery, actor=request.user, channel=Channel.WEB)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Delivery %(id)s will be sent again.") % {"id": delivery.webhook_id})
        return htmx_redirect(request, delivery.subscription.get_absolute_url())


class ReplayRangeView(ManagerRequiredMixin, View):
    def post(self, request, pk):
        subscription = get_object_or_404(Subscription, pk=pk)
        form = ReplayRangeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the start and end of the time to replay."))
        else:
            try:
                count = services.replay_range(subscription, actor=request.user, channel=Channel.WEB,
                                              **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, str(exc.message))
            else:
                messages.success(request, ngettext("%(count)s delivery will be sent again.",
                                                          "%(count)s deliveries will be sent again.", count) % {"count": count})
        return htmx_redirect(request, subscription.get_absolute_url())
