"""What versioned texts share (knowledge articles, documents of the register): the differences
between two versions, with difflib, as a unified diff for text clients and side-by-side rows
(already html-escaped) for desk pages. Each app says how a version reads as lines."""

import difflib
from html import escape


def unified(old_lines, new_lines, old_label, new_label):
    return "\n".join(difflib.unified_diff(old_lines, new_lines, old_label, new_label, lineterm=""))


def side_by_side(old_lines, new_lines):
    """Rows {kind (equal, replace, delete, insert), left, right} with both sides html-escaped."""
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        left, right = old_lines[i1:i2], new_lines[j1:j2]
        for k in range(max(len(left), len(right))):
            rows.append({
                "kind": tag,
                "left": escape(left[k]) if k < len(left) else "",
                "right": escape(right[k]) if k < len(right) else "",
            })
    return rows


def compare(old_lines, new_lines, old_label, new_label, *, mode="unified"):
    if mode == "unified":
        return unified(old_lines, new_lines, old_label, new_label)
    return side_by_side(old_lines, new_lines)
