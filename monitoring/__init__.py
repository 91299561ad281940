"""Monitoring events and alerts: ingest, dedupe by fingerprint, rules that open incidents, storms, suspected changes."""
