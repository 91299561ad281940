"""Continuity listens to change management: a major change implemented (moved to review) or
closed demands a re-test of the plans covering what it touched. Delivered from the outbox
(after commit, retried), so a change's own transition never fails because of continuity."""

from core import events

MAJOR_TYPES = ("emergency",)


def _wanted(event):
    if event.name == "change.transitioned" and (event.data or {}).get("to") != "review":
        return False
    record = event.record
    return record is None or getattr(record, "type", "") in MAJOR_TYPES or getattr(record, "risk", "") == "high"


def on_change_done(event):
    from continuity import services
    from core.choices import Channel

    if event.record is None:
        return
    services.demand_retest_after_change(event.record, actor=None, channel=Channel.SYSTEM)


def register():
    for name in ("change.closed", "change.transitioned"):
        events.after_commit(name, key=f"continuity.retest.{name}", when=_wanted)(on_change_done)
