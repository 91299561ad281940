"""The desk list page every ticket type (and the CMDB) declares instead of writing.

A type's list view names its filterset, row queryset, ordering fields, default ordering and
templates; this view filters, sorts, pages, answers htmx with the rows fragment only, and shows
one message for filters it cannot apply (`includes/invalid_filter.html`), the same on every list.
"""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views import View

from core.paging import IdPage
from core.web import DeskRequiredMixin, bootstrapify


def filter_errors(filterset):
    """(label, message) pairs of the filters that could not be applied, in form order."""
    form = filterset.form
    errors = []
    for name, messages in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        errors.extend((label, message) for message in messages)
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
            return IdPage(paginator_class(ids, size).get_page(params.get("page")), self.get_rows_queryset())
        return paginator_class(queryset, size).get_page(params.get("page"))

    def get(self, request, *args, **kwargs):
        params = self.get_params()
        queryset = self.get_queryset()
        bound = bool(params) or self.bind_empty_query
        filterset = self.filterset_class(params if bound else None, queryset=queryset, request=request)
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
