"""The article review workflow: plain rules over plain values, no ORM, no request.

A working version moves draft → review → approved → published; a reviewer approves it or sends
it back to draft with a comment. Where the article needs a reviewer, nobody approves their own
version and nothing is published without an approval.
"""

from django.utils.translation import gettext as _

from core.exceptions import DomainError, InvalidTransition, PermissionRefused
from knowledge.choices import VersionState

# Working-version moves: what each action needs the version to be in.
MOVES = {
    "submit": ({VersionState.DRAFT}, VersionState.REVIEW),
    "approve": ({VersionState.REVIEW}, VersionState.APPROVED),
    "send_back": ({VersionState.REVIEW, VersionState.APPROVED}, VersionState.DRAFT),
    "publish": ({VersionState.DRAFT, VersionState.REVIEW, VersionState.APPROVED}, VersionState.PUBLISHED),
}


def check_move(action, current):
    sources, target = MOVES[action]
    if current not in sources:
        raise InvalidTransition(current, target, sorted(a for a, (s, _t) in MOVES.items() if current in s))
    return target


def check_approver(*, author_id, reviewer_id, reviewer_required):
    if reviewer_required and author_id is not None and author_id == reviewer_id:
        raise PermissionRefused(_("The author of a version cannot approve it: another reviewer must."))


def check_publish(*, version_state, reviewer_required):
    check_move("publish", version_state)
    if reviewer_required and version_state != VersionState.APPROVED:
        raise DomainError(
            _("This article needs a reviewer's approval before it is published: submit it for review."),
            field="state", code="review_required",
        )


def check_send_back_comment(comment):
    if not (comment or "").strip():
        raise DomainError(_("Say what needs changing."), field="comment", code="required")
