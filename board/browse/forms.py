"""The board's filters: read from the query string, checked, and written back as a URL.

A GET form needs no CSRF token and no state, so the filters are a plain dataclass read from
``request.args`` rather than a Flask-WTF form. Values that are not ours (a topic that does not
exist, a misspelt outcome, ``page=abc``) are ignored, and the page says which ones; they never
cause an error.

The council is typed, not chosen from a list of 400: ``council`` takes a council's slug (the
links the service makes), its name or a unique part of it, in any case. Exactly one council
matching is that council; several, or none, is an error shown beside the field (the GOV.UK
pattern), with the councils that match as links, and the other filters still apply.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from board.forms import without_control_characters
from board.i18n import ENGLISH, WELSH
from board.models import Council, CouncilType, Nation, Outcome, Topic
from board.search import search_terms

MAX_QUERY_LENGTH = 200
# The longest council text read (the longest UK council's name is about 60 characters).
MAX_COUNCIL_TEXT = 80
# How many matching councils an ambiguous council text lists as links.
MAX_COUNCIL_MATCHES = 10
MAX_PAGE = 100_000
# Sort choices; the default ("") is the best match when searching, the newest otherwise.
SORTS = {
    "": _l("Best match"),
    "newest": _l("Newest first"),
    "useful": _l("Most useful"),
    # By the latest approved update ("six months on"); studies never updated come after.
    "updated": _l("Recently updated"),
}
SORT_ALIASES = {"relevance": "", "best": ""}
# The languages a study may be written in (its ``language``), as the board's filter offers them.
STUDY_LANGUAGES = (ENGLISH, WELSH)


def language_name(code: str) -> str:
    """A study's language in the interface's words: "English" or "Welsh" ("Saesneg", "Cymraeg")."""
    return _("Welsh") if code == WELSH else _("English")


@dataclass(frozen=True)
class Chip:
    """One active filter, with the query string that removes it."""

    label: str
    args: dict


@dataclass(frozen=True)
class CouncilLookup:
    """What a council text found: ``councils`` in name order, at most MAX_COUNCIL_MATCHES + 1
    of them (the one more says there are more), or the one council the text names exactly."""

    councils: list[Council]
    exact: bool = False

    @property
    def council(self) -> Council | None:
        if self.exact or len(self.councils) == 1:
            return self.councils[0]
        return None


@dataclass
class BoardFilters:
    topics: list[Topic] = field(default_factory=list)
    outcome: Outcome | None = None
    council: Council | None = None
    nation: Nation | None = None
    council_type: CouncilType | None = None
    # The languages the studies are written in ("en", "cy"), in STUDY_LANGUAGES' order; none
    # chosen is any language.
    languages: list[str] = field(default_factory=list)
    # The council field's text: a slug, a name or part of one, as typed (without extra spaces).
    council_text: str = ""
    # When the text matched several councils: the first MAX_COUNCIL_MATCHES of them, by name.
    council_matches: list[Council] = field(default_factory=list)
    council_more: bool = False
    # Why the text chose no council (several or none match), for the field and the summary.
    council_error: str = ""
    q: str = ""
    sort: str = ""
    page: int = 1
    # Set by the topic and council pages: part of the path, not of the query string.
    fixed_topic: Topic | None = None
    fixed_council: Council | None = None
    # What we could not use, as sentences for the page.
    ignored: list[str] = field(default_factory=list)

    @property
    def searching(self) -> bool:
        return bool(search_terms(self.q))

    @property
    def ordering(self) -> str:
        """How results are ordered: relevance, newest, useful or updated."""
        if self.sort:
            return self.sort
        return "relevance" if self.searching else "newest"

    @property
    def filtering_topics(self) -> list[Topic]:
        return [self.fixed_topic] if self.fixed_topic else self.topics

    @property
    def filtering_council(self) -> Council | None:
        return self.fixed_council or self.council

    @property
    def council_field_value(self) -> str:
        """What the council field shows: the council's name once the text chose one, otherwise
        what was typed (kept, so that it can be corrected)."""
        return self.council.name if self.council else self.council_text

    def to_args(self, page: int | None = None) -> dict:
        """The query string for these filters (``page`` for another page), in a fixed order
        and without empty or default values, so that one view has one URL."""
        args: dict = {}
        if self.q:
            args["q"] = self.q
        if self.topics:
            args["topic"] = [topic.slug for topic in self.topics]
        if self.outcome:
            args["outcome"] = self.outcome.value
        if self.council:
            args["council"] = self.council.slug
        elif self.council_text:
            # Kept, so that the address shows (and a reload repeats) what was asked.
            args["council"] = self.council_text
        if self.nation:
            args["nation"] = self.nation.value
        if self.council_type:
            args["council_type"] = self.council_type.value
        if self.languages:
            args["language"] = list(self.languages)
        if self.sort and not (self.sort == "newest" and not self.searching):
            args["sort"] = self.sort
        page = self.page if page is None else page
        if page > 1:
            args["page"] = page
        return args

    def studies_csv_args(self) -> dict:
        """The query string of the API's CSV of what a listing with these filters shows: its
        filters, the topic or council of a topic or council page, and no council text that
        named no single council (the listing ignores it too). The API orders by date or
        usefulness, so relevance becomes newest."""
        args = self.to_args(page=1)
        if self.council is None:
            args.pop("council", None)
        if args.get("sort") != "useful":
            args.pop("sort", None)
        if self.fixed_topic is not None:
            args["topic"] = [self.fixed_topic.slug]
        if self.fixed_council is not None:
            args["council"] = self.fixed_council.slug
        return args

    @property
    def chips(self) -> list[Chip]:
        """The active filters, each with the query string that drops it (and the page)."""
        base = self.to_args(page=1)
        chips = []

        def without(key: str, value=None) -> dict:
            args = dict(base)
            if value is None:
                args.pop(key)
            else:
                args[key] = [item for item in args[key] if item != value]
            return args

        if self.q:
            chips.append(Chip(_("Search: %(words)s", words=self.q), without("q")))
        for topic in self.topics:
            chips.append(
                Chip(_("Topic: %(topic)s", topic=topic.name), without("topic", topic.slug))
            )
        if self.outcome:
            chips.append(
                Chip(_("Outcome: %(outcome)s", outcome=self.outcome.label), without("outcome"))
            )
        if self.council:
            chips.append(
                Chip(_("Council: %(council)s", council=self.council.name), without("council"))
            )
        if self.nation:
            chips.append(Chip(_("Nation: %(nation)s", nation=self.nation.label), without("nation")))
        if self.council_type:
            chips.append(
                Chip(_("Type: %(type)s", type=self.council_type.label), without("council_type"))
            )
        for code in self.languages:
            chips.append(
                Chip(
                    _("Language: %(language)s", language=language_name(code)),
                    without("language", code),
                )
            )
        return chips


def _shown(value: str) -> str:
    value = " ".join(value.split())
    return value if len(value) <= 40 else value[:39] + "…"


def _choice(
    args: MultiDict,
    name: str,
    enum: type[StrEnum],
    not_one: Callable[[str], str],
    ignored: list[str],
):
    """The member of ``enum`` that ``args[name]`` names, or None; ``not_one(value)`` says why a
    value that names none was ignored (a whole sentence, for the page)."""
    value = args.get(name, "").strip()
    if not value:
        return None
    try:
        return enum(value)
    except ValueError:
        ignored.append(not_one(_shown(value)))
        return None


def _not_an_outcome(value: str) -> str:
    return _("“%(value)s” is not an outcome.", value=value)


def _not_a_nation(value: str) -> str:
    return _("“%(value)s” is not a nation.", value=value)


def _not_a_council_type(value: str) -> str:
    return _("“%(value)s” is not a type of council.", value=value)


def _read_council(filters: BoardFilters, text: str, found: CouncilLookup) -> None:
    filters.council_text = text
    filters.council = found.council
    if filters.council is not None:
        return
    if found.councils:
        filters.council_matches = found.councils[:MAX_COUNCIL_MATCHES]
        filters.council_more = len(found.councils) > MAX_COUNCIL_MATCHES
        filters.council_error = _(
            "More than one council matches “%(text)s”: choose one", text=_shown(text)
        )
    else:
        filters.council_error = _(
            "No council matches “%(text)s”. Check the spelling", text=_shown(text)
        )


def parse_filters(
    args: MultiDict,
    topics: list[Topic],
    find_councils: Callable[[str], CouncilLookup],
    fixed_topic: Topic | None = None,
    fixed_council: Council | None = None,
) -> BoardFilters:
    """Read the filters from a query string. ``topics`` are all the topics; ``find_councils``
    looks up a council text (only called when the query string has one)."""
    # Control characters are dropped first, as every form does: PostgreSQL refuses NUL in a
    # query's text, and none belongs in a slug, a search or the page that echoes them.
    args = MultiDict(
        (name, without_control_characters(value)) for name, value in args.items(multi=True)
    )
    filters = BoardFilters(fixed_topic=fixed_topic, fixed_council=fixed_council)
    ignored = filters.ignored

    if fixed_topic is None:
        by_slug = {topic.slug: topic for topic in topics}
        chosen = set()
        for slug in args.getlist("topic")[: len(topics) + 5]:
            slug = slug.strip()
            if not slug:
                continue
            if slug in by_slug:
                chosen.add(slug)
            else:
                ignored.append(_("“%(value)s” is not a topic.", value=_shown(slug)))
        filters.topics = [topic for topic in topics if topic.slug in chosen]

    filters.outcome = _choice(args, "outcome", Outcome, _not_an_outcome, ignored)
    if fixed_council is None:
        text = " ".join(args.get("council", "").split())[:MAX_COUNCIL_TEXT]
        if text:
            _read_council(filters, text, find_councils(text))
        filters.nation = _choice(args, "nation", Nation, _not_a_nation, ignored)
        filters.council_type = _choice(
            args, "council_type", CouncilType, _not_a_council_type, ignored
        )

    languages = set()
    for code in args.getlist("language")[: len(STUDY_LANGUAGES) + 5]:
        code = code.strip()
        if code in STUDY_LANGUAGES:
            languages.add(code)
        elif code:
            ignored.append(_("“%(value)s” is not a language.", value=_shown(code)))
    filters.languages = [code for code in STUDY_LANGUAGES if code in languages]

    filters.q = " ".join(args.get("q", "").split())[:MAX_QUERY_LENGTH]
    sort = args.get("sort", "").strip()
    sort = SORT_ALIASES.get(sort, sort)
    if sort in SORTS:
        filters.sort = sort
    else:
        ignored.append(_("“%(value)s” is not a way to sort.", value=_shown(sort)))

    page = args.get("page", "").strip()
    if page:
        if page.isascii() and page.isdigit() and 1 <= int(page) <= MAX_PAGE:
            filters.page = int(page)
        else:
            ignored.append(_("“%(value)s” is not a page number.", value=_shown(page)))
    return filters
