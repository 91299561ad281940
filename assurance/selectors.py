"""What other apps read of the management system's own records. (Stubs until the app lands; the
signatures are the contract the `iso` readiness rules build on.)"""


def audited_clause_ids(since) -> set[str]:
    """Clause ids covered by an internal audit completed on or after `since` (a date)."""
    return set()


def open_major_nonconformity_clause_ids() -> set[str]:
    """Clause ids with a major nonconformity still open."""
    return set()
