"""Availability: models."""
