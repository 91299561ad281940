"""ISO/IEC 20000-1 readiness: models."""
