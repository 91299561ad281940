"""Registrations of request fulfilment with core: the approvals inbox source, event
subscribers and after-commit handlers (called from FulfilmentConfig.ready())."""


def register():
    pass
