"""Demo data of voc (filled below)."""


def seed(ctx):
    return None
