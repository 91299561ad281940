"""What other apps read of suppliers and contracts. (Stubs until the app lands; the signatures are
the contract that management reviews and the public SLA evaluation build on.)"""


def supplier_performance(start, end) -> list[dict]:
    """One row per supplier for the period [start, end): {"supplier", "tickets", "met_percent",
    "disputes_open"} (figures may be None where there is no data)."""
    return []
