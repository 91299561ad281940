"""The filters of the survey responses list (desk page and API): ?score=&service=&organisation=."""

import django_filters
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from cmdb.models import ConfigurationItem
from core.filters import DateBoundFilter
from surveys.models import Survey

SCORE_FILTER_CHOICES = [(str(s), str(s)) for s in range(1, 6)]


class ResponseFilterSet(django_filters.FilterSet):
    score = django_filters.MultipleChoiceFilter(label=_("Score"), choices=SCORE_FILTER_CHOICES)
    low = django_filters.BooleanFilter(label=_("Low scores only"), method="filter_low")
    service = django_filters.ModelChoiceFilter(label=_("Service"),
                                               queryset=ConfigurationItem.objects.business_services())
    organisation = django_filters.ModelChoiceFilter(label=_("Organisation"), queryset=Organisation.objects.all())
    campaign = django_filters.NumberFilter(label=_("Periodic survey"), field_name="campaign_id")
    answered_after = DateBoundFilter(field_name="answered_at", lookup_expr="gte", label=_("Answered from"))
    answered_before = DateBoundFilter(field_name="answered_at", lookup_expr="lt", label=_("Answered to"))

    def __init__(self, data=None, *args, **kwargs):
        # Links fill `?kind=&state=` (or `?score=&service=`) as templates: an empty value means
        # "any", not a choice that does not exist.
        if data is not None and hasattr(data, "getlist"):
            data = data.copy()
            for key in ("score",):
                values = [value for value in data.getlist(key) if value != ""]
                if values:
                    data.setlist(key, values)
                else:
                    data.pop(key, None)
        super().__init__(data, *args, **kwargs)

    class Meta:
        model = Survey
        fields = []

    def filter_low(self, queryset, name, value):
        return queryset.filter(score__lte=2) if value else queryset
