"""Clause-by-clause readiness and the evidence packs an auditor samples."""
