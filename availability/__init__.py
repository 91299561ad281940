"""Outages per service, availability per month over the service hours, MTBF and MTRS against targets."""
