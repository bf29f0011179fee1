"""The Welsh catalogue is complete, reviewed and in step with the code."""

from __future__ import annotations

import re

import pytest
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from scripts.translations import PARTS, WELSH
from tests.i18n.english import english_in

WELSH_PLURALS = (
    "nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n == 3 ? 3 : n == 6 ? 4 : 5);"
)


def read(path):
    with path.open("rb") as file:
        return read_po(file, locale="cy")


def key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


@pytest.fixture(scope="module")
def welsh():
    return read(WELSH)


def test_every_string_in_the_code_is_in_the_catalogue(extracted_strings, welsh):
    in_code = {key(message) for message in read(extracted_strings) if message.id}
    in_catalogue = {key(message) for message in welsh if message.id}
    missing = sorted(map(str, in_code - in_catalogue))
    assert missing == [], f"run `make translations-update` and translate: {missing[:20]}"


def test_the_catalogue_holds_nothing_the_code_no_longer_says(extracted_strings, welsh):
    in_code = {key(message) for message in read(extracted_strings) if message.id}
    in_catalogue = {key(message) for message in welsh if message.id}
    assert sorted(map(str, in_catalogue - in_code)) == []
    assert list(welsh.obsolete) == []


def test_every_message_is_translated_and_none_is_fuzzy(welsh):
    untranslated = [
        str(message.id)
        for message in welsh
        if message.id
        and (
            not message.string
            or (isinstance(message.string, tuple | list) and not all(message.string))
        )
    ]
    fuzzy = [str(message.id) for message in welsh if message.id and message.fuzzy]
    assert untranslated == [], f"{len(untranslated)} untranslated: {untranslated[:20]}"
    assert fuzzy == []


def test_translations_keep_every_placeholder(welsh):
    broken = []
    for message in welsh:
        if not message.id or not message.string:
            continue
        try:
            python_format(welsh, message)
        except Exception as error:  # TranslationError: the checker's only complaint
            broken.append(f"{message.id!r}: {error}")
    assert broken == []


def test_translations_are_all_folded_into_the_catalogue():
    assert not PARTS.exists() or list(PARTS.glob("*.po")) == []


def test_the_plural_rule_is_welsh(welsh):
    assert welsh.plural_forms == WELSH_PLURALS
    assert welsh.num_plurals == 6


@pytest.mark.parametrize("count", [0, 1, 2, 3, 6, 20])
def test_every_plural_message_says_the_welsh_form_for_each_count(app, welsh, count):
    """ngettext picks the form Welsh's rule gives the count (zero, one, two, few, many,
    other), and every form is filled in."""
    plurals = [message for message in welsh if message.id and message.pluralizable]
    assert plurals, "the interface has counted messages"
    index = {0: 0, 1: 1, 2: 2, 3: 3, 6: 4}.get(count, 5)
    with app.test_request_context(), force_locale("cy"):
        for message in plurals:
            singular, plural = message.id[:2]
            names = set(re.findall(r"%\((\w+)\)", singular + plural)) - {"num"}
            values = {name: count for name in names}
            said = ngettext(singular, plural, count, **values)
            assert said == message.string[index] % {"num": count, **values}, singular


def test_counted_messages_are_welsh(welsh):
    """Each counted message reads differently from the English in at least one form."""
    same = [
        message.id[0]
        for message in welsh
        if message.id and message.pluralizable and set(message.string) <= set(message.id)
    ]
    assert same == []


def test_the_finder_sees_english_left_in_a_welsh_page(english):
    """The check the Welsh pages are held to can fail: an English label is found, text a
    person wrote in English (marked lang="en") is not."""
    some_phrase = sorted(english.phrases)[0]
    page = (
        '<html lang="cy"><body><p>Croeso</p>'
        f"<p>{some_phrase}</p>"
        '<div lang="en"><p>Sign in</p></div></body></html>'
    )
    assert english_in(page, english) == [some_phrase]
