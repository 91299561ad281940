"""Which lifecycle stage may follow which, and what a move needs. Plain Python.

    pipeline → live → retired;  pipeline → retired (dropped before going live)

Retiring a service goes through change management: it needs a linked change that is not
cancelled (ISO/IEC 20000-1 8.5.1.1: removal of a service is a change).
"""

from django.utils.translation import gettext as _

from core.exceptions import DomainError, InvalidTransition
from portfolio.choices import Lifecycle as L

MOVES = {
    L.PIPELINE: (L.LIVE, L.RETIRED),
    L.LIVE: (L.RETIRED,),
    L.RETIRED: (),
}


def check_move(current, target, *, change_id=None, change_cancelled=False):
    if current == target:
        return
    if target not in L.values:
        raise DomainError(_("Unknown lifecycle stage: %(stage)s.") % {"stage": target}, field="lifecycle")
    allowed = MOVES.get(current, ())
    if target not in allowed:
        raise InvalidTransition(current, target, [str(a) for a in allowed])
    if target == L.RETIRED:
        if change_id is None:
            raise DomainError(_("Retiring a service needs a linked change."), field="change", code="required")
        if change_cancelled:
            raise DomainError(_("The linked change was cancelled; link the change that retires the service."),
                              field="change", code="cancelled")


def shown_in_catalogue(lifecycle):
    return lifecycle == L.LIVE
