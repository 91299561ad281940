"""Capacity: models."""
