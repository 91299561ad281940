"""Markdown to safe HTML for knowledge articles.

Two layers, so one slip is not enough: Python-Markdown runs with its raw-HTML handling removed
(a `<script>` or `<svg onload>` typed into the body comes out as visible text), then nh3 (the
Rust `ammonia` sanitiser) keeps only a whitelist of tags, attributes and URL schemes and adds
`rel="noopener noreferrer"` to every link. `javascript:`, `data:` and `vbscript:` URLs go.
"""

import html

import markdown
import nh3
from django.utils.translation import gettext as _

from core.exceptions import DomainError

# A long how-to with tables is a few tens of kilobytes; 200 KB leaves room and keeps one
# render (and the stored HTML, served on every page view) cheap.
MAX_BODY_BYTES = 200 * 1024

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td", "dl", "dt", "dd",
    "sup", "sub", "kbd",
})
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "code": {"class"},
}
# Relative URLs (attachments, other articles) pass; every other scheme but these goes.
URL_SCHEMES = frozenset({"http", "https", "mailto"})

EXTENSIONS = ["markdown.extensions.tables", "markdown.extensions.fenced_code", "markdown.extensions.sane_lists"]


def _markdown():
    md = markdown.Markdown(extensions=EXTENSIONS, output_format="html")
    # No raw HTML at all: block-level and inline HTML become escaped text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def check_body_size(body, *, field="body"):
    if len((body or "").encode("utf-8")) > MAX_BODY_BYTES:
        raise DomainError(
            _("The body is too long: at most %(limit)d KB.") % {"limit": MAX_BODY_BYTES // 1024},
            field=field, code="too_long",
        )


def sanitise(fragment):
    """Whitelist-clean an HTML fragment (the last step of every render)."""
    return nh3.clean(
        fragment,
        tags=set(ALLOWED_TAGS),
        attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text):
    """The article body as sanitised HTML, safe to mark safe in a template."""
    check_body_size(text)
    if not text:
        return ""
    try:
        rendered = _markdown().convert(text)
    except Exception:  # noqa: BLE001 - a parser bug must not lose the article: show it as text
        rendered = f"<pre>{html.escape(text)}</pre>"
    return sanitise(rendered)
