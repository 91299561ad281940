"""Registrations made once at start-up (KnowledgeConfig.ready): the demo, the subscribers to
other apps' events (problems publish known errors) and the after-commit mail handlers."""


def register():
    from core import demo, events
    from knowledge import demo as knowledge_demo
    from knowledge import known_errors, notifications

    events.on("problem.created")(known_errors.on_problem_event)
    events.on("problem.updated")(known_errors.on_problem_event)
    events.after_commit("article.review-due", key="knowledge.notify.review_due",
                        notifies=True)(notifications.remind_owner)
    demo.register("knowledge", knowledge_demo.seed, after=("accounts", "cmdb", "problems", "catalog"))
