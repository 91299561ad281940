"""Demo data for problem management; called by `manage.py seed_demo` in dependency order."""


def seed(ctx):
    """Create this module's demo records. Must be idempotent (safe to run twice)."""
