"""Change approvals: the shared approval rules (core.approval_rules) worded for changes.

The rules themselves (stages in order, any/all/quorum, one vote per person per stage, one stage
per person per round, a requester never approves their own record) live in core, so that
requested catalog items are approved by the same engine.
"""

from functools import partial

from django.utils.translation import gettext_lazy as _

from core import approval_rules
from core.approval_rules import (  # noqa: F401  (the names changes' callers and tests use)
    PERSONAL_REFUSALS, AlreadyDecided, DecisionFact, Offer, StageResult, StageSpec, Wording, evaluate,
    required_count,
)

WORDING = Wording(
    own=_("A requester never approves their own change."),
    not_required=_("This change needs no approval."),
    decided=_("The approval of this change is already decided (%(status)s)."),
    other_stage=_("You decided the stage “%(decided)s” of this change; the stage “%(stage)s” is for another "
                  "approver (one stage per person in each approval round)."),
    own_code="own_change",
)

check_can_decide = partial(approval_rules.check_can_decide, wording=WORDING)
offer = partial(approval_rules.offer, wording=WORDING)
