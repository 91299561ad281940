"""One FilterSet for the VOC list, shared by the desk page and the API: ?kind=&state=&service=…"""

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, Team
from cmdb.models import ConfigurationItem
from core import search
from core.filters import DateBoundFilter, YesNoFilter
from voc.choices import OPEN_STATES, VocChannel, VocKind, VocState
from voc.models import Voc


class VocFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(label=_("Search"), method="filter_search")
    kind = django_filters.MultipleChoiceFilter(label=_("Kind"), choices=VocKind.choices,
                                               widget=forms.CheckboxSelectMultiple)
    state = django_filters.MultipleChoiceFilter(label=_("State"), choices=VocState.choices,
                                                widget=forms.CheckboxSelectMultiple)
    open = YesNoFilter(label=_("Open only"), method="filter_open")
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    channel = django_filters.ChoiceFilter(label=_("Channel"), choices=VocChannel.choices)
    service = django_filters.ModelChoiceFilter(label=_("Service"),
                                               queryset=ConfigurationItem.objects.business_services())
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.all())
    assignment_group = django_filters.ModelChoiceFilter(label=_("Assignment group"), queryset=Team.objects.all())
    created_after = DateBoundFilter(field_name="created_at", lookup_expr="gte", label=_("Created from"))
    created_before = DateBoundFilter(field_name="created_at", lookup_expr="lt", label=_("Created to"))

    def __init__(self, data=None, *args, **kwargs):
        # Links fill `?kind=&state=` (or `?score=&service=`) as templates: an empty value means
        # "any", not a choice that does not exist.
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for key in ("kind", "state"):
                values = [value for value in data.getlist(key) if value != ""]
                if values:
                    data.setlist(key, values)
                else:
                    data.pop(key, None)
        super().__init__(data, *args, **kwargs)

    class Meta:
        model = Voc
        fields = []

    def filter_search(self, queryset, name, value):
        return search.apply(queryset, value)

    def filter_open(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(state__in=OPEN_STATES) if value else queryset.exclude(state__in=OPEN_STATES)

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = queryset.filter(state__in=OPEN_STATES, due_at__lt=timezone.now())
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))
