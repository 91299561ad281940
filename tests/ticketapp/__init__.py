"""A tiny concrete ticket type, installed only by itsm.settings_test, so the shared ticket
machinery in core/ is tested without depending on any domain app."""
