"""Article bodies: Markdown in, inert HTML out, whatever the author typed."""

import re
from html.parser import HTMLParser

import pytest

from core.exceptions import DomainError
from knowledge.rendering import ALLOWED_TAGS, MAX_BODY_BYTES, render_markdown

NASTY = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)"><circle r="10"/></svg>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2Zz4=)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src='https://evil.example'></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "[x](vbscript:msgbox(1))",
    "<math><mtext><script>alert(1)</script></mtext></math>",
    '```\n<script>alert(1)</script>\n```',
    "<<script>script>alert(1)<</script>/script>",
    '[a](https://ok.example "title" onclick="alert(1)")',
    "<object data=x></object><embed src=x>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


class _Elements(HTMLParser):
    """The real elements and attributes of a fragment (escaped text is not an element)."""

    def __init__(self, fragment):
        super().__init__()
        self.elements = []
        self.feed(fragment)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


@pytest.mark.parametrize("text", NASTY)
def test_nothing_executable_survives(text):
    for tag, attrs in _Elements(render_markdown(text)).elements:
        assert tag in ALLOWED_TAGS
        assert tag not in {"script", "svg", "iframe", "object", "embed", "math", "style"}
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style"
            if name in ("href", "src"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.IGNORECASE)


def test_raw_html_is_shown_as_text_not_interpreted():
    html = render_markdown("Press <b>Enter</b>")
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_markdown_renders_and_links_get_noopener():
    html = render_markdown("# Title\n\n**bold** [docs](https://example.com/x)\n\n| a | b |\n|---|---|\n| 1 | 2 |")
    assert "<h1>Title</h1>" in html and "<strong>bold</strong>" in html
    assert 'href="https://example.com/x"' in html and 'rel="noopener noreferrer"' in html
    assert "<table>" in html


def test_relative_links_and_images_stay():
    html = render_markdown("![shot](/media/attachments/a.png) [next](/portal/kb/articles/2/)")
    assert 'src="/media/attachments/a.png"' in html and 'href="/portal/kb/articles/2/"' in html


def test_korean_text_survives():
    assert "비밀번호 초기화" in render_markdown("## 비밀번호 초기화\n\n1. 포털에 로그인")


def test_a_body_beyond_the_limit_is_refused_naming_the_field():
    with pytest.raises(DomainError) as refused:
        render_markdown("a" * (MAX_BODY_BYTES + 1))
    assert refused.value.field == "body"
