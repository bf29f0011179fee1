"""Finding interface text left in English on a page shown in Welsh.

The English to look for is the catalogue's own source: every msgid extracted from the code
(board/translations/messages.pot, made afresh for the run). A page in Welsh must show none of
them, except:

- text a person wrote (studies, comments, questions, names): it sits in an element with a
  ``lang`` attribute of its own (``lang="en"`` on an English study), which is skipped, as are
  ``<code>``, ``<pre>``, scripts and styles;
- msgids whose Welsh is the same as the English (a name such as "Case Board", "CSV").

A msgid is cut at its placeholders and markup into fixed parts. A part of two words or more is
looked for anywhere in the page's text (a part of a sentence left in English is found); a msgid
that is one word is looked for as a whole text on its own (a button, a label, a tag), so that a
short English word inside Welsh prose is not mistaken for a missed label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.pofile import read_po

# <title> is skipped too: it may hold what a person wrote (a study's title) and cannot carry a
# lang of its own for it; the page's <h1>, which says the same, is checked.
SKIPPED_ELEMENTS = {"script", "style", "code", "pre", "kbd", "samp", "template", "title"}
VOID_ELEMENTS = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
    "track", "wbr",
}  # fmt: skip
SPOKEN_ATTRIBUTES = ("aria-label", "alt", "title", "placeholder")
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)[sdif]|%[sdif]|<[^>]+>|\{\w*\}")
WORDS = re.compile("[A-Za-z][A-Za-z'\u2019-]*")
PUNCTUATION = " .,:;()*-\u2013"


# English the Design System's components say unless told otherwise: a page that leaves a
# component's default in place shows it whatever the catalogue says.
DESIGN_SYSTEM_DEFAULTS = {
    "phrases": {
        "Skip to main content",
        "There is a problem",
        "characters remaining",
        "characters too many",
        "words remaining",
        "Show all sections",
        "Hide all sections",
        "Support links",
        "Service information",
        "Show navigation",
        "Hide navigation",
        "Navigation menu",
        "Error:",
        "Page navigation",
        "This part of GOV.UK",
    },
    "words": {"Menu", "Previous", "Next", "Important", "Success", "Error", "Back", "Close"},
}


def _normal(text: str) -> str:
    return " ".join(text.split())


@dataclass
class EnglishCatalogue:
    phrases: set[str]  # fixed parts of two words or more
    words: set[str]  # msgids of one word


def load(template: Path, welsh: Path | None = None) -> EnglishCatalogue:
    """The English of ``template`` (a .pot), less what ``welsh`` translates as itself."""
    with template.open("rb") as file:
        source = read_po(file)
    same_in_welsh: set[str] = set()
    if welsh and welsh.exists():
        with welsh.open("rb") as file:
            for message in read_po(file, locale="cy"):
                ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
                strings = (
                    message.string
                    if isinstance(message.string, tuple | list)
                    else (message.string,)
                )
                if message.id and any(_normal(i) in map(_normal, strings) for i in ids):
                    same_in_welsh.update(_normal(i) for i in ids)
    phrases: set[str] = set()
    words: set[str] = set()
    for message in source:
        if not message.id:
            continue
        for msgid in message.id if isinstance(message.id, tuple | list) else (message.id,):
            if _normal(msgid) in same_in_welsh:
                continue
            parts = [_normal(part) for part in PLACEHOLDER_OR_TAG.split(msgid)]
            for part in parts:
                found = WORDS.findall(part)
                if len(found) >= 2:
                    phrases.add(part.strip(PUNCTUATION))
                elif len(found) == 1 and len(parts) == 1 and len(found[0]) > 1:
                    words.add(part.strip(PUNCTUATION))
    phrases |= {p for p in DESIGN_SYSTEM_DEFAULTS["phrases"] if len(WORDS.findall(p)) >= 2}
    words |= DESIGN_SYSTEM_DEFAULTS["words"] | {
        p.strip(PUNCTUATION) for p in DESIGN_SYSTEM_DEFAULTS["phrases"] if len(WORDS.findall(p)) < 2
    }
    return EnglishCatalogue(phrases={p for p in phrases if p}, words={w for w in words if w})


class _Texts(HTMLParser):
    """The page's texts that are the interface's: text nodes and spoken attributes, outside
    elements marked with another language and outside code."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped here or above)
        self.texts: list[str] = []

    def _skipping(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        lang = (attributes.get("lang") or "").split("-")[0].lower()
        skipped = (
            self._skipping()
            or tag in SKIPPED_ELEMENTS
            or (tag != "html" and bool(lang) and lang != self.language)
        )
        if not skipped:
            for name in SPOKEN_ATTRIBUTES:
                if attributes.get(name):
                    self.texts.append(_normal(attributes[name]))
            if tag == "input" and attributes.get("type") in ("submit", "button"):
                self.texts.append(_normal(attributes.get("value") or ""))
        if tag not in VOID_ELEMENTS:
            self.stack.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID_ELEMENTS and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                return

    def handle_data(self, data):
        if not self._skipping() and data.strip():
            self.texts.append(_normal(data))


def english_in(html: str, catalogue: EnglishCatalogue, language: str = "cy") -> list[str]:
    """The catalogue's English found in ``html``'s interface text, sorted."""
    parser = _Texts(language)
    parser.feed(html)
    texts = [text for text in parser.texts if text]
    found = {
        text.strip(PUNCTUATION) for text in texts if text.strip(PUNCTUATION) in catalogue.words
    }
    everything = " | ".join(texts)
    for phrase in catalogue.phrases:
        if phrase in everything and re.search(
            r"(?<![A-Za-z])" + re.escape(phrase) + r"(?![A-Za-z])", everything
        ):
            found.add(phrase)
    return sorted(found)
