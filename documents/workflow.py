"""The life cycle of a document: which state may follow which. Plain Python.

    draft → review → approved → (new version) draft … ;  any state but retired → retired
    review → draft (sent back)
"""

from django.utils.translation import pgettext_lazy

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


def allowed_targets(state):
    return TRANSITIONS.get(state, ())
