"""One FilterSet for the register, shared by the desk list and the API."""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts import roles
from accounts.models import User
from core import clauses, search
from core.filters import YesNoFilter
from documents.choices import DocumentKind, DocumentState
from documents.models import Document


def _staff():
    return User.objects.filter(is_active=True, groups__name__in=sorted(roles.DESK_ROLES)).distinct().order_by(
        "display_name", "username")


class DocumentFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=DocumentKind.choices)
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=DocumentState.choices,
                                                widget=forms.CheckboxSelectMultiple)
    clause = django_filters.ChoiceFilter(label=_("Clause"), choices=clauses.choices, method="filter_clause",
                                         empty_label=_("Any"))
    owner = django_filters.ModelChoiceFilter(label=_("Owner"), queryset=_staff())
    service = django_filters.NumberFilter(label=_("Service id"), field_name="services")
    overdue = YesNoFilter(label=_("Review overdue"), method="filter_overdue")

    class Meta:
        model = Document
        fields = []

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value) if value.strip() else queryset

    def filter_clause(self, queryset, name, value):
        return queryset.filter(clauses__contains=[value]) if value else queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = {"state": DocumentState.APPROVED, "review_at__lt": timezone.localdate()}
        return queryset.filter(**overdue) if value else queryset.exclude(**overdue)
