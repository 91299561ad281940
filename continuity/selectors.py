"""Reads of continuity: plans with their last test, next due date and overdue flag, computed in
PostgreSQL (one query for the list, whatever its length)."""

from django.db.models import BooleanField, DateField, ExpressionWrapper, F, Max, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from continuity.choices import PASSING
from continuity.models import ContinuityPlan


def plans(*, today=None):
    """Plans annotated with last_test, last_passed, next_due and overdue (last test older than the
    interval, or never tested one interval after the plan was recorded)."""
    today = today or timezone.localdate()
    last = Max("tests__date")
    due = ExpressionWrapper(Coalesce(last, Cast("created_at", DateField())) + F("test_interval_days"),
                            output_field=DateField())
    return (ContinuityPlan.objects.select_related("document", "retest_change").defer("document__search_vector")
            .annotate(last_test=last, last_passed=Max("tests__date", filter=Q(tests__result__in=PASSING)),
                      next_due=due)
            .annotate(overdue=ExpressionWrapper(Q(next_due__lt=Value(today)), output_field=BooleanField()))
            .order_by("document__title", "id"))
