"""Reading releases for other pages."""

from releases.models import Release


def releases_for_calendar(*, user, start, end, group=None, changes=None):
    """Releases planned in [start, end) the viewer may see, for the change calendar; filtered by
    group, and to the releases of `changes` when the calendar is narrowed to a service."""
    releases = Release.objects.visible_to(user).filter(planned_date__gte=start, planned_date__lt=end)
    if group is not None:
        releases = releases.filter(assignment_group=group)
    if changes is not None:
        releases = releases.filter(changes__in=changes).distinct()
    return releases.order_by("planned_date")
