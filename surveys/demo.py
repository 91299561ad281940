"""Demo data of surveys (filled below)."""


def seed(ctx):
    return None
