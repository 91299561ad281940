"""Demo data of the public-sector SLA evaluation."""


def seed(**kwargs):
    return None
