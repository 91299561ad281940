"""Registrations made once at start-up (KnowledgeConfig.ready): the demo, the subscribers to
other apps' events (problems publish known errors) and the after-commit mail handlers."""


def register():
    pass
