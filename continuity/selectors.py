"""Reads of continuity: plans with their last test, next due date and overdue flag, computed in
PostgreSQL (one query for the list, whatever its length)."""

from django.db.models import BooleanField, DateField, ExpressionWrapper, F, Max, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from continuity.choices import PASSING
from continuity.models import ContinuityPlan


def plans(*, today=None):
    """Plans annotated with last_test, last_passed, next_due, test_overdue (last test older than the
    interval, or never tested one interval after the plan was recorded) and overdue (test_overdue,
    or a re-test demanded by a major change and not yet passed)."""
    today = today or timezone.localdate()
    last = Max("tests__date")
    due = ExpressionWrapper(Coalesce(last, Cast("created_at", DateField())) + F("test_interval_days"),
                            output_field=DateField())
    return (ContinuityPlan.objects.select_related("document", "retest_change").defer("document__search_vector")
            .annotate(last_test=last, last_passed=Max("tests__date", filter=Q(tests__result__in=PASSING)),
                      next_due=due)
            .annotate(test_overdue=ExpressionWrapper(Q(next_due__lt=Value(today)), output_field=BooleanField()))
            # A demanded re-test counts as overdue until a passing test clears it.
            .annotate(overdue=ExpressionWrapper(Q(test_overdue=True) | Q(retest_required=True),
                                                output_field=BooleanField()))
            .order_by("document__title", "id"))
