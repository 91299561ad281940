"""Who may see readiness and evidence packs. The `auditor` role is being added to accounts.roles by
another change: asked for through getattr, so this works before and after it lands.

- readiness (pages and API): desk staff and auditors;
- evidence packs (list, status, download): managers, administrators and auditors; an agent is
  refused with 403 (the pages exist for the desk, the packs are not theirs), an end user 403;
- requesting a pack (a write): managers and administrators only; an auditor reads, never writes (403).
"""

from accounts import roles


def is_auditor(user) -> bool:
    return bool(getattr(roles, "is_auditor", lambda u: False)(user))


def can_view_readiness(user) -> bool:
    return roles.is_agent(user) or is_auditor(user)


def can_view_packs(user) -> bool:
    return roles.is_manager(user) or is_auditor(user)


def can_request_pack(user) -> bool:
    return roles.is_manager(user)
