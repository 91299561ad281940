"""Filters of the alert console and the alerts API (one FilterSet for both)."""

import django_filters

from monitoring.choices import AlertState, Severity
from monitoring.models import Alert


class AlertFilterSet(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=AlertState.choices)
    severity = django_filters.ChoiceFilter(choices=Severity.choices)

    class Meta:
        model = Alert
        fields = ["state", "severity", "fingerprint", "ci", "service", "incident"]
