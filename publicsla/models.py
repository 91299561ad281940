"""Public-sector SLA evaluation: models."""
