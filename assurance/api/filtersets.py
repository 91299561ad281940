import django_filters

from assurance.choices import ActionState, AuditState, CertificationKind, FindingKind, FindingState
from assurance.models import Audit, CertificationEvent, Finding, ReviewAction


class AuditFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=AuditState.choices)
    clause = django_filters.CharFilter(method="filter_clause")
    planned_after = django_filters.DateFilter(field_name="planned_date", lookup_expr="gte")
    planned_before = django_filters.DateFilter(field_name="planned_date", lookup_expr="lte")

    class Meta:
        model = Audit
        fields = ["state", "programme", "lead_auditor", "independence_conflict"]

    def filter_clause(self, queryset, name, value):
        return _contains(queryset, "scope", value)


class FindingFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=FindingKind.choices)
    state = django_filters.MultipleChoiceFilter(choices=FindingState.choices)
    clause = django_filters.CharFilter(method="filter_clause")

    class Meta:
        model = Finding
        fields = ["kind", "state", "audit"]

    def filter_clause(self, queryset, name, value):
        return _contains(queryset, "clauses", value)


class ReviewActionFilterSet(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=ActionState.choices)

    class Meta:
        model = ReviewAction
        fields = ["state", "review", "owner"]


class CertificationEventFilterSet(django_filters.FilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=CertificationKind.choices)

    class Meta:
        model = CertificationEvent
        fields = ["kind"]


def _contains(queryset, field, value):
    # The filter's form field refuses NUL bytes already (400); kept so that no caller of the
    # filterset can send PostgreSQL one (a 500).
    if "\x00" in value:
        return queryset.none()
    return queryset.filter(**{f"{field}__contains": [value.strip()]})
