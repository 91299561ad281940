"""The incident queue's paging lives in core (every big ticket list can use it)."""

from core.paging import SEARCH_COUNT_CAP, CappedCountPaginator, IdPage, rows_for_ids  # noqa: F401
