"""The life cycle of a document and the rules of its approval. Plain Python: no ORM, no request.

    draft → review → approved → (new version) draft … ;  any state but retired → retired
    review → draft (sent back)

- submitting for review needs an owner and a version text not approved yet (the draft);
- approving needs that draft, and an approver other than its author (as a requester never
  approves their own change); approving freezes the version and puts it in force;
- an approved document whose review date has passed is overdue for review.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from core.exceptions import DomainError, InvalidTransition
from documents.choices import DocumentKind
from documents.choices import DocumentState as S

TRANSITIONS = {
    S.DRAFT: (S.REVIEW, S.RETIRED),
    S.REVIEW: (S.APPROVED, S.DRAFT, S.RETIRED),
    S.APPROVED: (S.DRAFT, S.RETIRED),
    S.RETIRED: (),
}

ACTION_LABELS = {
    (None, S.REVIEW): pgettext_lazy("document action", "Submit for review"),
    (S.REVIEW, S.DRAFT): pgettext_lazy("document action", "Send back"),
    (S.APPROVED, S.DRAFT): pgettext_lazy("document action", "Start a new version"),
    (None, S.APPROVED): pgettext_lazy("document action", "Approve"),
    (None, S.RETIRED): pgettext_lazy("document action", "Retire"),
}

# How long an approved document stays in force before its next review, unless a date is given.
DEFAULT_REVIEW_INTERVAL = timedelta(days=365)
# Only requirements trace to changes and releases.
TRACED_KINDS = frozenset({DocumentKind.REQUIREMENT})


@dataclass(frozen=True)
class DocumentFacts:
    """What the guards need to know about a document, with the requested changes applied."""

    state: str = S.DRAFT
    owner_id: int | None = None
    current_version: int = 0
    latest_version: int = 0  # the highest version number written (a draft when > current_version)
    latest_author_id: int | None = None
    actor_id: int | None = None


def _id(value):
    return getattr(value, "pk", value)


def facts_for(document, changes=None, *, latest=None, actor=None):
    """The facts of `document` with `changes` applied; `latest` is its newest DocumentVersion."""
    changes = changes or {}
    owner = changes["owner"] if "owner" in changes else document.owner_id
    return DocumentFacts(
        state=document.state, owner_id=_id(owner), current_version=document.current_version,
        latest_version=latest.number if latest is not None else 0,
        latest_author_id=latest.created_by_id if latest is not None else None, actor_id=_id(actor),
    )


def allowed_targets(facts, *, is_agent=True):
    state = facts.state if isinstance(facts, DocumentFacts) else facts
    return TRANSITIONS.get(state, ())


def has_draft(facts):
    return facts.latest_version > facts.current_version


def check_transition(facts, target, *, is_agent=True):
    """Refuse an invalid move (InvalidTransition naming the allowed ones) or one whose rule fails
    (DomainError naming the field at fault)."""
    if isinstance(facts, str):
        facts = DocumentFacts(state=facts)
    current = facts.state
    if current == target:
        return
    allowed = allowed_targets(current)
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])
    if target in (S.REVIEW, S.APPROVED):
        if not facts.owner_id:
            raise DomainError(_("Name the document's owner first."), field="owner", code="required")
        if not has_draft(facts):
            raise DomainError(_("Write the text of a new version first."), field="versions", code="required")
    if target == S.APPROVED:
        check_approver(facts)


def check_approver(facts):
    if facts.actor_id is not None and facts.actor_id == facts.latest_author_id:
        raise DomainError(_("The author of a version never approves it; ask someone else."),
                          field="approved_by", code="own_document")


def check_new_version(state):
    """A new text is written on a draft, or on an approved document (which goes back to draft)."""
    if state not in (S.DRAFT, S.APPROVED):
        raise DomainError(_("A new version is written on a draft or an approved document."), field="state",
                          code="invalid_state")


def check_traced(kind, changes, releases):
    if kind in TRACED_KINDS:
        return
    if changes:
        raise DomainError(_("Only requirements trace to changes."), field="changes")
    if releases:
        raise DomainError(_("Only requirements trace to releases."), field="releases")


def next_review(approved_on: date, review_at: date | None) -> date:
    """The review date after an approval: the one given if it is still ahead, else a year on."""
    if review_at is not None and review_at > approved_on:
        return review_at
    return approved_on + DEFAULT_REVIEW_INTERVAL


def review_overdue(state, review_at, today) -> bool:
    return state == S.APPROVED and review_at is not None and review_at < today


def transition_tables():
    return (TRANSITIONS,)
