"""Demo data of availability."""


def seed(**kwargs):
    return None
