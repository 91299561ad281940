"""No count is glued to a fixed plural noun ("1 conflicts found", "1 freezes"): counts go through
ngettext / {% blocktranslate count %}, so English says "1 conflict" and Korean gets its one form.

A source scan, so a new "%(count)s incidents updated." fails here before a person reads it.
"""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_PARTS = {".venv", "node_modules", "tests", "migrations", "static", "locale", "bench"}

# Nouns the desk counts. A placeholder followed (within two words) by one of them is a count.
NOUNS = (r"(?:incidents|problems|changes|releases|freezes|conflicts|records|services|CIs|items|files|"
         r"deliveries|rows|results|approvals|comments|hops|tickets|breaches|clocks|minutes|hours|days|"
         r"seconds|weeks|months|times|users|members|errors)")
PLACEHOLDER = r"(?:\{\{ *[\w.|:\"']+ *\}\}|%\(\w+\)s|%s|%d|\{\w*\})"
GLUED = re.compile(PLACEHOLDER + r" +(?:[\w-]+ +){0,2}?" + NOUNS + r"\b")
MAYBE_PLURAL = re.compile(r"\w\(s\)")

COUNT_BLOCK = re.compile(r"{% *blocktranslate[^%]*\bcount\b.*?{% *endblocktranslate *%}", re.S)
# A string literal handed to a one-form translation call, or an f-string (untranslated text).
ONE_FORM_CALL = re.compile(r"""(?<![\w.])(?:_|gettext|gettext_lazy|pgettext|pgettext_lazy)\(\s*(?:"[^"]*",\s*)?("(?:[^"\\]|\\.)*")""")
F_STRING = re.compile(r"""\bf("(?:[^"\\]|\\.)*")""")


# Programmer errors (exceptions nobody at the desk reads) may stay plain English.
ALLOWED = {
    "sla/clock.py": ["{MAX_DAYS} days"],
    "cmdb/graph.py": ["e(s)"],
    # SQL built in an f-string: "…(s) for s in stamps)})" is a generator, not a plural.
    "sla/monthly.py": ["d(s)"],
}


def _files(*patterns):
    for pattern in patterns:
        for path in ROOT.rglob(pattern):
            if not SKIP_PARTS.intersection(path.relative_to(ROOT).parts):
                yield path


def glued_counts_in_template(text):
    text = COUNT_BLOCK.sub("", text)
    return [m.group(0) for m in GLUED.finditer(text)] + [m.group(0) for m in MAYBE_PLURAL.finditer(text)]


def glued_counts_in_python(text):
    found = []
    for regex in (ONE_FORM_CALL, F_STRING):
        for match in regex.finditer(text):
            literal = match.group(1)
            found += [m.group(0) for m in GLUED.finditer(literal)] + [m.group(0) for m in MAYBE_PLURAL.finditer(literal)]
    return found


def test_the_scanner_catches_what_it_should():
    assert glued_counts_in_template("{% blocktranslate with c=n %}{{ c }} changes, {{ f }} freezes{% endblocktranslate %}")
    assert not glued_counts_in_template(
        "{% blocktranslate count c=n %}{{ c }} change{% plural %}{{ c }} changes{% endblocktranslate %}")
    assert glued_counts_in_python('messages.info(request, _("%(count)s conflicts found.") % {"count": 1})')
    assert glued_counts_in_python('_("paused %(n)s time(s)")')
    assert glued_counts_in_python('self.stdout.write(f"{count} deliveries queued again.")')
    assert not glued_counts_in_python('ngettext("%(count)s conflict found.", "%(count)s conflicts found.", n)')
    assert not glued_counts_in_python('_("%(number)s is now %(state)s.")')


def test_no_template_glues_a_count_to_a_plural_noun():
    found = {str(p.relative_to(ROOT)): hits for p in _files("*.html", "*.txt")
             if (hits := glued_counts_in_template(p.read_text(encoding="utf-8")))}
    assert found == {}


def test_no_python_string_glues_a_count_to_a_plural_noun():
    found = {str(p.relative_to(ROOT)): hits for p in _files("*.py")
             if (hits := glued_counts_in_python(p.read_text(encoding="utf-8")))}
    assert found == ALLOWED
