"""Demo knowledge base (filled below)."""


def seed(ctx):
    return None
