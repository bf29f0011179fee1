from html.parser import HTMLParser

import pytest

from board.sanitize import ALLOWED_TAGS, render_markdown

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](java\tscript:alert(1))",
    "<svg onload=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "![x](javascript:alert(1))",
    "<iframe src=https://evil.example></iframe>",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<style>body{display:none}</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "`<script>alert(1)</script>`",
    "<<script>script>alert(1)<</script>/script>",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    "<details open ontoggle=alert(1)>",
]


class ElementCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def elements_of(html: str) -> list[tuple[str, dict]]:
    collector = ElementCollector()
    collector.feed(html)
    return collector.elements


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_makes_no_active_markup(source):
    for tag, attrs in elements_of(str(render_markdown(source))):
        assert tag in ALLOWED_TAGS
        assert not any(name.startswith("on") or name == "style" for name in attrs)
        href = attrs.get("href", "")
        assert href == "" or href.startswith(("http://", "https://", "mailto:"))


def test_links_get_nofollow_noopener():
    html = str(render_markdown("[LGA](https://www.local.gov.uk/) and https://www.ncsc.gov.uk/"))
    links = [attrs for tag, attrs in elements_of(html) if tag == "a"]
    assert len(links) == 2
    assert all(link["rel"] == "nofollow noopener" for link in links)


def test_markdown_formatting_survives():
    html = str(render_markdown("# Heading\n\n**bold** and *em*\n\n- one\n- two"))
    assert "<h3>Heading</h3>" in html
    assert "<strong>bold</strong>" in html and "<em>em</em>" in html
    assert "<li>one</li>" in html


def test_raw_html_is_shown_as_text_not_run():
    html = str(render_markdown("<b>hi</b>"))
    assert "&lt;b&gt;hi&lt;/b&gt;" in html


def test_code_is_escaped_once_and_its_urls_stay_text():
    html = render_markdown("`<b>` and\n\n    https://example.org/in-code\n")
    # A reader sees <b>, not &lt;b&gt;.
    assert "<code>&lt;b&gt;</code>" in html
    assert "&amp;lt;" not in html
    assert "<a " not in html


def test_bare_urls_become_links_with_the_same_rel():
    html = render_markdown("See https://example.org/page?a=1&b=2 for more")
    assert '<a href="https://example.org/page?a=1&amp;b=2" rel="nofollow noopener">' in html


def test_empty_text_renders_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""


def test_the_sanitiser_version_is_the_same_in_every_process():
    import subprocess
    import sys

    from board.sanitize import SANITIZER_VERSION

    other = subprocess.run(
        [sys.executable, "-c", "from board.sanitize import SANITIZER_VERSION as v; print(v)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert other.stdout.strip() == SANITIZER_VERSION
    assert len(SANITIZER_VERSION) == 12


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("ALLOWED_TAGS", frozenset({"p", "a"})),
        ("ALLOWED_ATTRIBUTES", {"a": ["href"]}),
        ("ALLOWED_PROTOCOLS", frozenset({"https"})),
        ("RENDERER_REVISION", 0),
    ],
)
def test_the_sanitiser_version_follows_what_decides_the_output(monkeypatch, name, value):
    from board import sanitize

    monkeypatch.setattr(sanitize, name, value)
    assert sanitize._fingerprint() != sanitize.SANITIZER_VERSION


def test_the_sanitiser_version_follows_the_libraries(monkeypatch):
    import bleach
    import markdown_it

    from board import sanitize

    monkeypatch.setattr(bleach, "__version__", "0.0.1")
    upgraded_bleach = sanitize._fingerprint()
    monkeypatch.undo()
    monkeypatch.setattr(markdown_it, "__version__", "0.0.1")
    upgraded_markdown = sanitize._fingerprint()
    assert sanitize.SANITIZER_VERSION not in {upgraded_bleach, upgraded_markdown}
