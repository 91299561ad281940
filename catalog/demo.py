"""Demo catalog: categories, items with forms, approvals and fulfilment plans (seed_demo)."""


def seed(ctx):
    """Filled in by the demo-data work of issue 13."""
