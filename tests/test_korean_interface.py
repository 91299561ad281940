"""Issue 11, item 11: the Korean interface has no English left in it.

Three checks, none of them a hand-kept list of strings:

1. Every string the code marks for translation (what `makemessages` extracts from the Python
   sources, the templates and the JavaScript catalogue) has a Korean translation that is neither
   empty nor fuzzy.
2. No template carries English text outside a translation tag (text nodes, and the attributes a
   person reads or hears: title, placeholder, aria-label, alt).
3. Every desk and portal page, rendered in Korean for every role that may open it, shows no
   English msgid as a whole text node, and no English words outside the records' own data
   (what people typed: titles, names, descriptions). Reference data people see (CI classes and
   their attribute labels) is not exempt: it must come in Korean too.
"""

import gettext
import html
import re
import shutil
import subprocess
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.template.base import Lexer, TokenType
from django.test import Client

from tests.authz_world import world  # noqa: F401  (the module-scoped records)
from tests.test_authorisation_matrix import _routes, urls_of

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
# The project's catalogue and every app's own (an app with a locale directory keeps its strings there).
PO_FILES = [ROOT / "locale/ko/LC_MESSAGES/django.po",
            *sorted(p for p in ROOT.glob("*/locale/ko/LC_MESSAGES/django.po") if ".venv" not in p.parts)]

# Words that read the same in a Korean interface: abbreviations and names of standards, formats
# and products, which Korean desks write in Latin letters.
LATIN_IN_KOREAN = {
    "ITSM", "ITIL", "ISO", "IEC", "SLA", "SLAs", "OLA", "CI", "CIs", "CMDB", "CAB", "ECAB", "API", "REST",
    "CSV", "JSON", "PDF", "ID", "URL", "HTTP", "HTTPS", "UTC", "KST", "IP", "VPN", "OK", "P1", "P2",
    "P3", "P4", "P5", "RFC", "KPI", "MTTR", "MTBF", "OpenAPI", "Swagger", "ReDoc", "Django", "PostgreSQL",
    "Celery", "Redis", "Asia", "Seoul", "GMT", "AM", "PM", "HTML", "YAML", "Bearer", "E", "UC", "Ctrl", "Shift", "Alt", "Esc", "Enter", "Tab", "CPU", "vCPU", "GB", "TB", "RAID", "SAN", "NAS",
    "INC", "PRB", "CHG", "REL", "KE",
    "IMAP", "TLS",  # mail in's mailbox settings
}
# Service reports (issue 16): satisfaction and voice-of-the-customer acronyms, and the workbook format.
LATIN_IN_KOREAN |= {"CSAT", "VOC", "XLSX"}
# The document register (issues 17, 18): planning and continuity document kinds Korean desks abbreviate.
LATIN_IN_KOREAN |= {"EA", "ITA", "ISP", "PoC", "BCP", "DRP"}
# Service continuity (issue 17): recovery objectives and plan kinds are written in Latin in Korean practice.
LATIN_IN_KOREAN |= {"RTO", "RPO", "BCP", "DRP"}
# Availability (issue 17): mean time to restore service, like MTBF beside it.
LATIN_IN_KOREAN |= {"MTRS"}
WORD = re.compile(r"[A-Za-z][A-Za-z'’]+")
NOT_PROSE = re.compile(
    r"https?://\S+|[\w.+-]+@[\w-]+(\.[\w-]+)+|/[\w/.<>{}-]*|\b[A-Z]{2,5}\d{3,}\b|\b\w+[_.]\w+\b"
    r"|\b\d+(\.\d+)*[a-z]*\b|\w+\.<\w+>|<\w+>"
)


def english_words(text, data=()):
    """The Latin-letter words of `text` that are neither data nor words Korean keeps in Latin."""
    for value in data:
        if value and value in text:
            text = text.replace(value, " ")
    text = NOT_PROSE.sub(" ", text)
    return [w for w in WORD.findall(text) if w not in LATIN_IN_KOREAN and w.upper() not in LATIN_IN_KOREAN]


# --- 1. every marked string is translated -------------------------------------------------------

def _msgids(po_text):
    """The msgids of a catalogue's entries, continuation lines joined (the header's empty one dropped)."""
    found = []
    for block in po_text.split("\n\n"):
        match = re.search(r'^msgid ((?:".*"\n?)+)', block, re.M)
        if match:
            msgid = "".join(re.findall(r'"(.*)"', match[1]))
            if msgid:
                found.append(msgid)
    return found


def _untranslated(po: Path):
    missing = []
    for option in ("--untranslated", "--only-fuzzy"):
        out = subprocess.run(["msgattrib", option, "--no-obsolete", str(po)],
                             capture_output=True, text=True, check=True).stdout
        missing += _msgids(out)
    return missing


@pytest.mark.xdist_group("makemessages")
def test_every_string_marked_for_translation_has_korean():
    """makemessages runs on a copy of the tree (it rewrites the catalogues it finds)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
    if not tracked:  # not a git checkout (a source tarball): copy what looks like source
        tracked = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                   if p.is_file() and ".venv" not in p.parts and "var" not in p.parts]
    with tempfile.TemporaryDirectory() as tmp:
        for name in tracked:
            source = ROOT / name
            if source.is_file():
                target = Path(tmp) / name
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target)
        # One run at the root: an app with its own locale directory gets its strings there.
        python = ROOT / ".venv/bin/python"
        done = subprocess.run(
            [str(python) if python.exists() else "python", "manage.py", "makemessages", "-l", "ko",
             "--no-location", "--no-obsolete", "--ignore", ".venv", "--ignore", "var", "--ignore", "bench"],
            cwd=tmp, capture_output=True, text=True,
            env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "itsm.settings_test",
                 "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/unused", "PYTHONPATH": tmp},
        )
        assert done.returncode == 0, done.stderr
        missing = {str(po.relative_to(ROOT)): _untranslated(Path(tmp) / po.relative_to(ROOT)) for po in PO_FILES}
    missing = {po: m for po, m in missing.items() if m}
    assert not missing, f"strings without a Korean translation (add them to the .po): {missing}"


# --- 2. no English outside translation tags in the templates -----------------------------------

READ_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")
# Not prose: scripts, and what a person types or reads as code (CSV column names, commands).
SKIPPED = ("script", "style", "code", "kbd", "samp", "pre")


class _TemplateText(HTMLParser):
    """Text nodes and readable attributes of a template's literal HTML (between template tags)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip, self._skipped = [], 0, []

    def handle_starttag(self, tag, attrs):
        # A language's own name in the language picker is marked lang="en": not the interface's.
        if tag in SKIPPED or dict(attrs).get("lang", "ko")[:2] not in ("ko", ""):
            self._skip += 1
            self._skipped.append(tag)
            return
        if self._skip:
            return
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.found.append(value)

    def handle_endtag(self, tag):
        if self._skipped and self._skipped[-1] == tag:
            self._skipped.pop()
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.found.append(data)


def _template_files():
    dirs = [ROOT / "templates"] + [Path(app.path) / "templates" for app in apps.get_app_configs()
                                   if Path(app.path).is_relative_to(ROOT)]
    return sorted(p for d in dirs if d.is_dir() for p in d.rglob("*.html") if ".venv" not in p.parts)


def _literal_text(source):
    """The template with every tag and variable blanked, except the text inside
    {% translate %}/{% blocktranslate %}, which is translated and dropped too."""
    out, inside_block = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans"):
                inside_block += 1
            elif name in ("endblocktranslate", "endblocktrans"):
                inside_block -= 1
            out.append(" ")
        elif token.token_type == TokenType.TEXT and not inside_block:
            out.append(token.contents)
        else:
            out.append(" ")
    return "".join(out)


def test_templates_carry_no_english_outside_translation_tags():
    offenders = {}
    for path in _template_files():
        if "email" in path.parts and path.suffix == ".txt":
            continue
        parser = _TemplateText()
        parser.feed(_literal_text(path.read_text()))
        words = [w for text in parser.found for w in english_words(text)]
        if words:
            offenders[str(path.relative_to(ROOT))] = sorted(set(words))
    assert not offenders, f"English text outside {{% translate %}} in templates: {offenders}"


# --- 3. every page, rendered in Korean ----------------------------------------------------------

ROLES = ("end_user_a", "agent", "manager", "admin")
NOT_PAGES = ("/api/", "/admin/", "/media/", "/static/", "/accounts/logout", "/health", "/favicon")


def _english_msgids():
    msgids = set()
    for po in PO_FILES:
        with open(po.with_suffix(".mo"), "rb") as handle:
            catalog = gettext.GNUTranslations(handle)._catalog  # noqa: SLF001  (msgid → msgstr)
        for msgid, msgstr in catalog.items():
            msgid = msgid[0] if isinstance(msgid, tuple) else msgid
            msgid = msgid.split("\x04")[-1]  # drop a context
            if msgid and msgstr != msgid and english_words(msgid):
                msgids.add(msgid.strip())
    return msgids


class _PageText(_TemplateText):
    def handle_starttag(self, tag, attrs):
        super().handle_starttag(tag, attrs)
        attrs = dict(attrs)
        if not self._skip and tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.found.append(attrs["value"])


# Models whose text is what people typed (shown as typed, in whatever language it was typed in).
# Everything else a page shows must be translated, reference data included.
def _typed_data():
    values = set()
    for model in apps.get_models():
        if model._meta.label_lower in ("cmdb.ciclass", "cmdb.relationshiptype"):
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, (models.CharField, models.TextField))]
        if not fields:
            continue
        for row in model.objects.values_list(*fields):
            values.update(str(v).strip() for v in row if v and len(str(v).strip()) > 1)
    # The test-only ticket type (tests/ticketapp) is no part of the product's interface.
    for model in apps.get_app_config("ticketapp").get_models():
        values.update({str(model._meta.verbose_name), str(model._meta.verbose_name).capitalize()})
    return sorted(values, key=len, reverse=True)


def _page_urls(records):
    urls = set()
    for template, pattern in _routes():
        if template.startswith(NOT_PAGES) or "<" in template and "pk" not in template and "id" not in template:
            continue
        view = getattr(pattern.callback, "view_class", None)
        if view is not None and not hasattr(view, "get"):
            continue
        try:
            urls.update(urls_of(template, records))
        except LookupError:
            continue
    return sorted(urls)


@pytest.fixture(scope="module")
def busy_world(world, django_db_blocker):  # noqa: F811
    """The matrix's records with the activity whose timeline rows were found in English: SLA
    warnings, breaches and escalations, a change's risk assessment and approval votes, a release's
    deployment."""
    import datetime as dt

    from django.utils import timezone

    from changes.services import assess_risk, decide_approval
    from core.choices import Channel
    from releases.services import set_deployment_state
    from sla.models import EscalationRule
    from sla.sweep import sweep

    users, records = world
    with django_db_blocker.unblock():
        for action in ("notify_group_manager", "notify_assignee", "work_note"):
            EscalationRule.objects.create(definition=records["definition"], threshold=50, action=action)
        sweep(now=timezone.now() + dt.timedelta(days=3))
        change, _result = assess_risk(records["change"], actor=users["agent"], channel=Channel.WEB,
                                      answers={"outage_required": True, "tested": False})
        records["change"] = change
        for role in ("manager", "admin"):
            try:
                decide_approval(change, actor=users[role], channel=Channel.WEB, decision="approve")
            except Exception:  # noqa: BLE001  (a stage this role may not decide: the row is enough)
                pass
        set_deployment_state(records["release"], actor=users["agent"], channel=Channel.WEB,
                             environment="test", target="in_progress")
    return users, records


def test_every_page_in_korean_shows_no_english(busy_world):
    users, records = busy_world
    msgids, data = _english_msgids(), _typed_data()
    found, pages = {}, 0
    for role in ROLES:
        client = Client()
        client.force_login(users[role])
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ko"
        for url in _page_urls(records):
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            parser = _PageText()
            parser.feed(response.content.decode())
            for text in parser.found:
                text = " ".join(html.unescape(text).split())
                if text in msgids or english_words(text, data):
                    found.setdefault(url, set()).add(text[:80])
    assert pages > 60, f"only {pages} pages rendered: the walk lost its way"
    assert not found, "English on Korean pages:\n" + "\n".join(
        f"{url}: {sorted(texts)}" for url, texts in sorted(found.items()))
