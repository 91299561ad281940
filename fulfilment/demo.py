"""Demo requests in every state, and the benchmark size (seed_demo)."""


def seed(ctx):
    """Filled in by the demo-data work of issue 13."""
