"""Registrations made once at start-up (WebhooksConfig.ready): the fan-out of every event the
outbox carries, the owner's mail when a subscription is switched off, the sender's wake-up, the demo."""


def register():
    from core import demo, events
    from webhooks import demo as webhooks_demo
    from webhooks import notifications, services, tasks

    # Batched: one dispatcher batch of events is fanned out with one query for the subscriptions
    # and one prefetch per record type. `when` skips events no active subscription wants, so a
    # desk without webhooks writes no delivery row for them.
    events.after_commit("*", key="webhooks.fanout", when=services.wanted, batch=True,
                        notifies=True)(services.fanout)
    events.after_commit("webhook.disabled", key="webhooks.notify.disabled", notifies=True)(notifications.tell_owner)
    services.use_waker(tasks.send_soon)
    demo.register("webhooks", webhooks_demo.seed, after=("accounts", "incidents"))
