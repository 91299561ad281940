"""Satisfaction surveys: after-resolution and periodic surveys, CSAT and the 100-point score."""
