"""The register's settings, read with their defaults (override in itsm/settings.py if needed).

- IMPROVEMENTS_SLA_BREACH_PRIORITIES (default (1, 2)): a breach of a *resolution* target raises an
  item when the breached ticket's priority is one of these. Response breaches and lower
  priorities are routine and are read in the monthly report instead; one item per breached
  ticket (its clocks of other definitions add nothing).
- IMPROVEMENTS_DUE_DAYS (default 30): the due date of a raised item, in days from raising.
"""

from django.conf import settings


def sla_breach_priorities():
    return frozenset(getattr(settings, "IMPROVEMENTS_SLA_BREACH_PRIORITIES", (1, 2)))


def due_days():
    return int(getattr(settings, "IMPROVEMENTS_DUE_DAYS", 30))
