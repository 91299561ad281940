"""Desk pages of mail in, for administrators: the mailboxes, the messages received, raw downloads."""

from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from accounts import roles
from core import audit
from core.choices import AuditAction, Channel
from core.web import DeskRequiredMixin
from mailin.forms import MailboxForm, MessageFilterForm
from mailin.models import InboundMessage, Mailbox

PAGE_SIZE = 50


class AdminOnly(DeskRequiredMixin):
    def permitted(self, user):
        return roles.is_admin(user)


class MailboxListView(AdminOnly, View):
    """The mailboxes and the latest messages received, with their state and reason."""

    def get(self, request):
        form = MessageFilterForm(request.GET or None)
        messages = InboundMessage.objects.select_related("mailbox").prefetch_related("ticket").order_by("-received_at", "-id")
        if form.is_valid():
            data = form.cleaned_data
            if data["state"]:
                messages = messages.filter(state=data["state"])
            if data["mailbox"]:
                messages = messages.filter(mailbox=data["mailbox"])
            if data["sender"]:
                messages = messages.filter(sender__icontains=data["sender"].strip())
        page = Paginator(messages, PAGE_SIZE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "mailin/list.html", {
            "mailboxes": Mailbox.objects.select_related("default_group", "catalog_item").order_by("name"),
            "page": page, "form": form, "query": query.urlencode(),
        })


class MailboxEditView(AdminOnly, View):
    def get_mailbox(self, pk):
        return get_object_or_404(Mailbox, pk=pk) if pk else Mailbox()

    def get(self, request, pk=None):
        mailbox = self.get_mailbox(pk)
        return render(request, "mailin/form.html", {"form": MailboxForm(instance=mailbox), "mailbox": mailbox})

    def post(self, request, pk=None):
        mailbox = self.get_mailbox(pk)
        form = MailboxForm(request.POST, instance=mailbox)
        if not form.is_valid():
            return render(request, "mailin/form.html", {"form": form, "mailbox": mailbox}, status=400)
        with transaction.atomic():
            created = mailbox.pk is None
            saved = form.save()
            changed = sorted(set(form.changed_data) - {"imap_password"})
            if "imap_password" in form.changed_data:
                changed.append("imap_password")  # that it changed, never its value
            audit.record(saved, actor=request.user, channel=Channel.WEB,
                         action=AuditAction.CREATED if created else AuditAction.UPDATED,
                         field="", new=changed)
        return redirect(reverse("mailin:mailbox_list"))


class RawMessageView(AdminOnly, View):
    """The message as it arrived, for audit: every byte, whatever became of it."""

    def get(self, request, pk):
        message = get_object_or_404(InboundMessage, pk=pk)
        if not message.raw:
            raise Http404
        try:
            handle = message.raw.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, as_attachment=True, filename=f"message-{message.pk}.eml",
                            content_type="message/rfc822")


