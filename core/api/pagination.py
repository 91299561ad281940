from functools import lru_cache

from django.core.paginator import InvalidPage
from rest_framework.exceptions import NotFound
from rest_framework.pagination import PageNumberPagination
from rest_framework.utils.urls import remove_query_param, replace_query_param

# DRF's link writers are pure functions of the request's URL and the page number: each call
# parses, sorts and re-encodes the query (issue 12, ninth round: ~2.5 % of an API list), for
# links a few URLs and pages answer again and again.
_replaced = lru_cache(maxsize=512)(replace_query_param)
_removed = lru_cache(maxsize=512)(remove_query_param)


class StandardPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200

    # Set by the view for the request this pagination serves (a view instance, and so its
    # paginator, serves one request): attributes given to the Django paginator it builds, e.g.
    # what a search or list is estimated to match (incidents.paging). A class made per request
    # to carry them cost a type() and its MRO each time (issue 12).
    paginator_attributes = None

    def paginate_queryset(self, queryset, request, view=None):
        # DRF's PageNumberPagination.paginate_queryset, with paginator_attributes set on the
        # paginator before it pages.
        self.request = request
        page_size = self.get_page_size(request)
        if not page_size:
            return None
        paginator = self.django_paginator_class(queryset, page_size)
        for name, value in (self.paginator_attributes or {}).items():
            setattr(paginator, name, value)
        page_number = self.get_page_number(request, paginator)
        try:
            self.page = paginator.page(page_number)
        except InvalidPage as exc:
            raise NotFound(self.invalid_page_message.format(page_number=page_number, message=str(exc)))
        if paginator.num_pages > 1 and self.template is not None:
            self.display_page_controls = True
        return list(self.page)

    # PageNumberPagination's, with the links' texts kept by (URL, page).
    def get_next_link(self):
        if not self.page.has_next():
            return None
        return _replaced(self.request.build_absolute_uri(), self.page_query_param, self.page.next_page_number())

    def get_previous_link(self):
        if not self.page.has_previous():
            return None
        url = self.request.build_absolute_uri()
        page_number = self.page.previous_page_number()
        if page_number == 1:
            return _removed(url, self.page_query_param)
        return _replaced(url, self.page_query_param, page_number)
