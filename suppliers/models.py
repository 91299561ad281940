"""Suppliers and contracts: models."""
