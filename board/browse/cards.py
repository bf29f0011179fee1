"""Result cards drawn once for what they show, and reused.

A card shows only its study's own fields (title, summary and the language they are written in,
outcome, members-only tag, council, topics, dates, useful count) and links built from prefixes
that do not change while the app runs. So the card's markup is a function of those values: it
is kept under a key made of every one of them, and any change to any of them (an edit, a
renamed council or topic, a new useful mark, an update, the 90 days of "Updated" running out)
is a new key and a card drawn afresh.
Nothing needs invalidating, and nothing is shown that the data does not say now. Who may see a
study is decided by the query that picked the cards, never by the card, so a card holds nothing
one audience may see and another may not.

The store is per process and bounded: when it holds MAX_CARDS it is emptied and filled again
(the board's first pages, read again and again, come back at once). A board page with its
results cache missing (after any change to any study, see board/browse/cache.py) then draws
only the cards that changed.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from flask import current_app
from markupsafe import Markup

if TYPE_CHECKING:
    from board.browse.results import StudyCard
    from board.browse.routes import ListingLinks
    from board.models import Topic

# About 1.5 KB a card: 4,096 cards are a few megabytes a worker.
MAX_CARDS = 4096
_cards: dict[tuple, Markup] = {}
# A listing's card context (card_context) and the number standing for it.
MAX_CONTEXTS = 256
_context_numbers: dict[tuple, int] = {}
_next_context_number = itertools.count()


def card_key(card: StudyCard, links: ListingLinks) -> tuple:
    """Everything the card shows (``card.key``: its row's values), and what it is drawn with:
    ``links.card_context``, made once per listing, stands for the interface's language (the
    card's labels: the outcome, "Members only", "Updated", the month), the link prefixes, and
    every topic's name and link in that language, so the card's own topics are named by their
    ids."""
    return (links.card_context, card.key)


def card_context(language: str, links: ListingLinks, topics: list[Topic]) -> int:
    """What every card of a listing is drawn with, besides its own study: the interface's
    ``language``, the prefixes of the links to studies and councils, and each of ``topics``
    (all of them) as its id, its name in ``language`` and its link; as a number that stands for
    those values (hashing them again for each card cost more than the card's look-up). A number
    is never given to other values: when MAX_CONTEXTS are kept they are forgotten, and the
    values found again get a new number."""
    context = (
        language,
        links.studies,
        links.councils,
        tuple((topic.id, topic.name, links.topics[topic.id]) for topic in topics),
    )
    number = _context_numbers.get(context)
    if number is None:
        if len(_context_numbers) >= MAX_CONTEXTS:
            _context_numbers.clear()
        number = _context_numbers[context] = next(_next_context_number)
    return number


def card_html(card: StudyCard, links: ListingLinks) -> Markup:
    key = card_key(card, links)
    html = _cards.get(key)
    if html is None:
        if len(_cards) >= MAX_CARDS:
            _cards.clear()
        macro = listing_macros().study_card
        html = _cards[key] = Markup(macro(card, links))  # noqa: S704  (drawn by a template)
    return html


def listing_macros():
    """The macros of macros/listing.html, made once (``{% from ... import %}`` in a template
    works out on every page whether it needs them made again for its own globals; the listing's
    templates have none of their own)."""
    return current_app.jinja_env.get_template("macros/listing.html").module


def forget_cards() -> None:
    """Empty the store (tests use it)."""
    _cards.clear()
