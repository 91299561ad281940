"""Service continuity: models."""
