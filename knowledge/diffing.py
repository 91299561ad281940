"""Differences between two article versions (core.versioning): a unified diff for text clients
and side-by-side rows (already html-escaped) for the desk page."""

from core import versioning


def _text(version):
    return f"# {version.title}\n\n{version.summary}\n\n{version.body}".splitlines()


def compare(old, new, *, mode="unified"):
    return versioning.compare(_text(old), _text(new), f"v{old.number}", f"v{new.number}", mode=mode)
