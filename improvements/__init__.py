"""Continual improvement register (IMP…) and corrective actions."""
