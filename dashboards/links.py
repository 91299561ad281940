"""The desk list behind a figure: every number a dashboard shows carries the URL of the list that
shows exactly those records (the tests follow each link and compare the list's count)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils import timezone


def instant(value) -> str:
    """An instant as the list filters read it back exactly (ISO 8601 with its offset)."""
    return value.isoformat(timespec="seconds")


def day_range(prefix, start, end) -> dict:
    """[start, end) of whole days in the site's zone as the lists' date pickers show it: from the
    first day, to the last day included (the lists read a bare date in the site's zone)."""
    first = timezone.localtime(start, timezone.get_default_timezone()).date()
    last = timezone.localtime(end, timezone.get_default_timezone()).date() - dt.timedelta(days=1)
    return {f"{prefix}_after": first.isoformat(), f"{prefix}_before": last.isoformat()}


def list_url(url_name, **params) -> str | None:
    """`url_name` with the query; None when that list is not installed (another app's, not merged)."""
    try:
        base = reverse(url_name)
    except NoReverseMatch:
        return None
    pairs = []
    for key, value in params.items():
        if value is None:
            continue
        for item in (value if isinstance(value, (list, tuple)) else [value]):
            pairs.append((key, str(item).lower() if isinstance(item, bool) else item))
    return f"{base}?{urlencode(pairs)}" if pairs else base


def figure(value, url=None, **extra) -> dict:
    return {"value": value, "url": url, **extra}
