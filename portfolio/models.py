"""Service portfolio: models."""
