"""Internal audit and management review: models."""
