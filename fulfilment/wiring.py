"""Registrations of request fulfilment with core: the approvals inbox source, event
subscribers and after-commit handlers (called from FulfilmentConfig.ready())."""

from django.utils.translation import gettext_lazy as _


def register():
    from core import approvals, events
    from fulfilment import inbox, notifications, services

    approvals.register("request", label=_("Service requests"), pending=inbox.pending, count=inbox.count,
                       count_query=inbox.count_query)

    # A plan step that raised a standard change completes (or fails) with the change, in the
    # transaction that closes it: the request never shows a step done whose change is still open.
    def change_finished(event):
        if event.record is not None:
            services.complete_for_change(event.record, actor=event.actor, channel=event.channel or "system")

    events.on("change.closed")(change_finished)
    events.on("change.cancelled")(change_finished)

    for name, handler in notifications.HANDLERS.items():
        events.after_commit(name, key=f"fulfilment.notify.{name}", notifies=True)(handler)
