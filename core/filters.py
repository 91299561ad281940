"""Filters the desk lists share: a date bound with a date picker, and a yes/no filter whose
empty choice reads "Any" (django's NullBooleanSelect says "Unknown", which reads like a value)."""

import datetime as dt

import django_filters
from django import forms
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext_lazy as _


class AnyYesNoSelect(forms.NullBooleanSelect):
    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("unknown", _("Any")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    """A boolean filter: "Any" (no filter), Yes or No; the API's true/false keep working."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", AnyYesNoSelect)
        super().__init__(*args, **kwargs)


class DateOrDateTimeField(forms.Field):
    """A date from the picker (YYYY-MM-DD), or an ISO date-time as API clients send it.

    A bare date is a day in the current time zone: as a lower bound it starts at that day's
    midnight; as an upper bound (`end_of_day`) it ends at the next midnight, so "to 1 December"
    includes 1 December.
    """

    widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    default_error_messages = {"invalid": _("Enter a date (YYYY-MM-DD).")}

    def __init__(self, *args, end_of_day=False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        value = (value or "").strip() if isinstance(value, str) else value
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value
        instant = None
        try:
            day = parse_date(value)
        except ValueError:
            day = None
        if day is not None:
            if self.end_of_day:
                day += dt.timedelta(days=1)
            instant = timezone.make_aware(dt.datetime.combine(day, dt.time()))
        else:
            try:
                instant = parse_datetime(value.replace(" ", "+") if "T" in value else value)
            except ValueError:
                instant = None
            if instant is not None and timezone.is_naive(instant):
                instant = timezone.make_aware(instant)
        if instant is None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return instant


class DateBoundFilter(django_filters.Filter):
    """created_at ≥ a day (`lookup_expr="gte"`) or < the end of a day (`"lt"`), with a date picker."""

    field_class = DateOrDateTimeField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.extra.setdefault("end_of_day", self.lookup_expr in ("lt", "lte"))
