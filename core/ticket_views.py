"""The desk pages every ticket type (and the CMDB list) declares instead of writing.

- TicketListView: a type names its filterset, row queryset, ordering fields, default ordering and
  templates; the view filters, sorts, pages, answers htmx with the rows fragment only, and shows
  one message for filters it cannot apply (`includes/invalid_filter.html`), the same on every list.
- TicketFormView: the create and edit pages (a form, one service call, a success message).
- TicketDetailView and TicketActionView: the record page, and the POSTs made from it (comment,
  transition, …): a refusal re-renders the page with the form that was refused (400).
Views stay thin: writing is the app's service, called from the hooks each type fills in.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core import services as core_services
from core.choices import Channel
from core.exceptions import DomainError
from core.forms import DeskCommentForm
from core.paging import IdPage
from core.web import DeskRequiredMixin, bootstrapify, form_error, htmx_redirect

# What a service answers when it refuses a write: shown on the form, never a 500.
REFUSALS = (DomainError, ValidationError)


def filter_errors(filterset):
    """(label, message) pairs of the filters that could not be applied, in form order."""
    form = filterset.form
    errors = []
    for name, refusals in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.extend((label, message) for message in refusals)
    return errors


class TicketListView(DeskRequiredMixin, View):
    """Filter, sort and page a desk list; htmx (not boosted) gets `rows_template_name` alone."""

    filterset_class = None
    template_name = None
    rows_template_name = None
    # Values accepted in ?ordering= (each also with a leading "-"); ties break on newest id.
    ordering_fields = ()
    # Applied when ?ordering= names no accepted field; empty keeps the filterset's order
    # (a search ranks its matches) or the model's.
    default_ordering = ()
    paginate_by = 25
    # With page sizes, ?page_size= picks one of them (anything else falls back to paginate_by).
    page_sizes = ()
    paginator_class = Paginator
    # Page over ids first, then load only the page's rows with their relations (core.paging):
    # for lists big enough that sorting full rows costs more than a second query.
    defer_rows = False
    # An empty query leaves the filter form unbound (its initial values show, nothing is refused).
    bind_empty_query = True
    # Besides `page` (and `page_obj`), the rows of the page under this name, if the templates want it.
    context_object_name = None
    sort_columns = ()

    def get_queryset(self):
        """The rows this user may see, with what a row renders (visibility starts here)."""
        raise NotImplementedError

    def get_rows_queryset(self):
        """With defer_rows: the queryset the page's rows are loaded from by id."""
        return self.get_queryset()

    def read_rows(self, ids):
        """With defer_rows: {id: row} of the page's ids (get_rows_queryset's, unless a type reads
        them its own way)."""
        return self.get_rows_queryset().in_bulk(ids)

    def get_params(self):
        return self.request.GET.copy()

    def get_default_ordering(self, params):
        return self.default_ordering

    def get_paginator_class(self, params):
        return self.paginator_class

    def style_filter_form(self, form):
        bootstrapify(form)

    def get_extra_context(self, params, page):
        return {}

    def get_page_size(self, params):
        if not self.page_sizes:
            return self.paginate_by
        try:
            size = int(params.get("page_size", self.paginate_by))
        except ValueError:
            return self.paginate_by
        return size if size in self.page_sizes else self.paginate_by

    def order(self, queryset, params):
        """The queryset in the order asked for, and the accepted ?ordering= value ("" if none)."""
        ordering = params.get("ordering", "")
        if ordering.lstrip("-") in self.ordering_fields:
            return queryset.order_by(ordering, "-id"), ordering
        default = self.get_default_ordering(params)
        return (queryset.order_by(*default) if default else queryset), ""

    def paginate(self, queryset, params):
        paginator_class = self.get_paginator_class(params)
        size = self.get_page_size(params)
        if self.defer_rows:
            ids = queryset.prefetch_related(None).values_list("pk", flat=True)
            return IdPage(paginator_class(ids, size).get_page(params.get("page")), read=self.read_rows)
        return paginator_class(queryset, size).get_page(params.get("page"))

    def get(self, request, *args, **kwargs):
        params = self.get_params()
        queryset = self.get_queryset()
        bound = bool(params) or self.bind_empty_query
        filterset = self.filterset = self.filterset_class(params if bound else None, queryset=queryset,
                                                          request=request)
        self.style_filter_form(filterset.form)
        valid = not filterset.is_bound or filterset.is_valid()
        # A filter that cannot be applied lists nothing rather than everything: a wrong date must
        # not look like "no date limit".
        rows = (filterset.qs if filterset.is_bound else queryset) if valid else queryset.none()
        rows, ordering = self.order(rows, params)
        page = self.paginate(rows, params)
        without_page = params.copy()
        without_page.pop("page", None)
        without_order = without_page.copy()
        without_order.pop("ordering", None)
        context = {
            "filterset": filterset, "page": page, "page_obj": page, "ordering": ordering,
            "query": without_page.urlencode(), "query_no_order": without_order.urlencode(),
            "sort_columns": self.sort_columns,
            "filter_errors": [] if valid else filter_errors(filterset),
        }
        if self.context_object_name:
            context[self.context_object_name] = page.object_list
        context.update(self.get_extra_context(params, page))
        htmx = getattr(request, "htmx", None)
        template = self.rows_template_name if htmx and not htmx.boosted else self.template_name
        response = render(request, template, context)
        patch_vary_headers(response, ["HX-Request"])
        return response


def refusal_message(exc):
    return str(exc.message) if isinstance(exc, DomainError) else " ".join(exc.messages)


class TicketMixin(DeskRequiredMixin):
    """Desk pages of one ticket type: `model`; a record the user may not see is a 404."""

    model = None

    def get_ticket(self, pk):
        return get_object_or_404(self.model.objects.visible_to(self.request.user), pk=pk)


class TicketFormView(TicketMixin, View):
    """Create (no pk) or edit (pk) page: GET shows the form, POST calls `save` (the service).

    Success: the success message (if any), then the record's page (HX-Redirect for htmx).
    A refusal shows on the form's field (or atop it) and answers 400.
    """

    form_class = None
    template_name = None
    success_message = None  # "%(number)s" is the record's number
    context_object_name = None  # defaults to the model name: "incident", "change" …

    def save(self, form, ticket):
        """Write through the app's service; return the record written."""
        raise NotImplementedError

    def get_initial(self):
        return {}

    def get_form(self, ticket, data=None):
        if data is None:
            return self.form_class(instance=ticket) if ticket else self.form_class(initial=self.get_initial())
        # A fresh copy for the form: validating a ModelForm writes into its instance, and the
        # service must see the record as it was.
        return self.form_class(data, instance=self.model.objects.get(pk=ticket.pk)) if ticket \
            else self.form_class(data)

    def get_context(self, form, ticket):
        return {"form": form, self.context_object_name or self.model._meta.model_name: ticket}

    def render_form(self, form, ticket, status=200):
        return render(self.request, self.template_name, self.get_context(form, ticket), status=status)

    def get(self, request, pk=None):
        ticket = self.get_ticket(pk) if pk is not None else None
        return self.render_form(self.get_form(ticket), ticket)

    def post(self, request, pk=None):
        ticket = self.get_ticket(pk) if pk is not None else None
        form = self.get_form(ticket, request.POST)
        if form.is_valid():
            try:
                saved = self.save(form, ticket)
            except REFUSALS as exc:
                form_error(form, exc)
            else:
                if self.success_message:
                    messages.success(request, self.success_message % {"number": saved.number})
                return htmx_redirect(request, saved.get_absolute_url())
        return self.render_form(form, ticket, status=400)


class TicketDetailView(TicketMixin, View):
    """The record page; `get_context(ticket, forms)` builds it, `forms` holding refused forms by name.

    The activity thread's comment form is the same on every type (templates/core/_comment_form.html):
    a type names its POST route in `comment_route` and adds `comment_context(ticket, forms)` to its
    context; `comment_audience(ticket)` says who reads a public reply.
    """

    template_name = None
    comment_route = None  # "incidents:incident_comment": the TicketActionView with action "comment"
    comment_files = False  # whether the comment form takes attachments
    comment_public_label = gettext_lazy("Public comment")
    comment_public_submit = gettext_lazy("Post public comment")

    def get_context(self, ticket, forms):
        raise NotImplementedError

    def get(self, request, pk):
        return self.render_page(self.get_ticket(pk))

    def render_page(self, ticket, *, forms=None, status=200):
        return render(self.request, self.template_name, self.get_context(ticket, forms or {}), status=status)

    def comment_audience(self, ticket):
        """Who reads a public reply (and whether anyone is e-mailed), shown before it is posted."""
        return _("Everyone who can open this %(type)s sees this reply. Nobody is e-mailed.") % {
            "type": ticket._meta.verbose_name}

    def comment_context(self, ticket, forms):
        return {
            "comment_form": forms.get("comment") or DeskCommentForm(allow_files=self.comment_files),
            "comment_url": reverse(self.comment_route, args=[ticket.pk]),
            "comment_audience": self.comment_audience(ticket),
            "comment_public_label": self.comment_public_label,
            "comment_public_submit": self.comment_public_submit,
        }


class TicketActionView(TicketDetailView):
    """A POST made from the record page, named by `action` (set in the URLconf or the class).

    `form_<action>(ticket)` builds the posted form (None: no form) and `do_<action>(ticket, form)`
    calls the service (it may return a response). A refusal puts its message on the form, and
    on the page too with `flash_refusals`, and re-renders the page with that form (400).

    Every action that succeeds says so: `do_<action>` may tell its own result with `self.success`;
    if it does not, `success_messages[action]` (with %(number)s and %(state)s) or the default
    below is shown, so no action on any ticket type ends without a word.
    """

    action = None
    flash_refusals = False
    success_anchor = ""
    # action → (message, field): what a form that does not validate is told, as a refusal.
    # An action not named here shows the form's own field errors instead.
    invalid_form_messages = {}
    success_messages = {}

    def invalid_form_refusal(self, form):
        if self.action not in self.invalid_form_messages:
            return None
        message, field = self.invalid_form_messages[self.action]
        return DomainError(message, field=field)

    def success(self, message, level=messages.SUCCESS):
        self._told = True
        messages.add_message(self.request, level, message)

    def default_success_message(self, ticket, form):
        if self.action == "comment":
            return (_("Work note added to %(number)s.") if form.internal
                    else _("Reply posted on %(number)s."))
        if self.action == "transition":
            return _("%(number)s is now %(state)s.")
        return _("%(number)s updated.")

    def say_done(self, ticket, form):
        message = self.success_messages.get(self.action) or self.default_success_message(ticket, form)
        fresh = self.model.objects.filter(pk=ticket.pk).first() or ticket
        state = fresh.get_state_display() if hasattr(fresh, "get_state_display") else ""
        self.success(message % {"number": fresh.number, "state": state})

    def form_comment(self, ticket):
        return DeskCommentForm(self.request.POST, self.request.FILES, allow_files=self.comment_files)

    def do_comment(self, ticket, form):
        self.add_comment(ticket, body=form.cleaned_data["body"], internal=form.internal,
                         files=form.cleaned_data.get("files", ()))

    def add_comment(self, ticket, *, body, internal, files):
        """The type's comment service (core's unless the type adds rules, as incidents do)."""
        core_services.add_comment(ticket, actor=self.request.user, channel=Channel.WEB, body=body,
                                  internal=internal, files=files)

    def post(self, request, pk):
        ticket = self.get_ticket(pk)
        form = getattr(self, f"form_{self.action}")(ticket)
        self._told = False
        try:
            if form is not None and not form.is_valid():
                refusal = self.invalid_form_refusal(form)
                if refusal is None:
                    return self.render_page(ticket, forms={self.action: form}, status=400)
                raise refusal
            response = getattr(self, f"do_{self.action}")(ticket, form)
        except REFUSALS as exc:
            if form is not None:
                form_error(form, exc)
            if self.flash_refusals:
                messages.error(request, refusal_message(exc))
            return self.render_page(ticket, forms={self.action: form} if form is not None else {}, status=400)
        if not self._told:
            self.say_done(ticket, form)
        return response or htmx_redirect(request, ticket.get_absolute_url() + self.success_anchor)
