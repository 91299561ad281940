"""What other apps read of availability. (Stubs until the app lands; the signatures are the contract
that the public SLA evaluation, reports and management reviews build on.)"""


def availability_by_service(month_start, month_end, service_ids=None) -> dict:
    """{service_id: {"service_minutes", "outage_minutes", "availability_percent"}} for the month."""
    return {}
