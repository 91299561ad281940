"""Differences between two article versions, with difflib: a unified diff for text clients and
side-by-side rows (already html-escaped) for the desk page."""

import difflib
from html import escape


def _text(version):
    return f"# {version.title}\n\n{version.summary}\n\n{version.body}".splitlines()


def compare(old, new, *, mode="unified"):
    a, b = _text(old), _text(new)
    if mode == "unified":
        return "\n".join(difflib.unified_diff(a, b, f"v{old.number}", f"v{new.number}", lineterm=""))
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        left, right = a[i1:i2], b[j1:j2]
        for k in range(max(len(left), len(right))):
            rows.append({
                "kind": tag,
                "left": escape(left[k]) if k < len(left) else "",
                "right": escape(right[k]) if k < len(right) else "",
            })
    return rows
