"""Policies, plans, procedures, architecture documents, ISPs, PoC records, requirements and continuity plans (DOC…): one versioned, reviewed and approved register."""
