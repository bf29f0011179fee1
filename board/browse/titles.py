"""What a listing's page title says: the filters in force and the page, then where we are.

Someone with several tabs open, or a screen reader user arriving on the page (or hearing it
change after an update), learns from the title alone what is shown, for example
"Did not work, Cyber security (page 2 of 3)" and then "Case studies", after a dash.
"""

from __future__ import annotations

from flask_babel import gettext as _

from board.browse.forms import BoardFilters
from board.browse.results import ResultsPage
from board.i18n import WELSH

# Between what is shown and where, as the page template puts one before the service's name.
DASH = "\N{EN DASH}"


def filters_described(filters: BoardFilters) -> list[str]:
    """The filters chosen in the query string, in words, most telling first (the outcome:
    "Did not work" is what people come to the board for)."""
    words = []
    if filters.outcome:
        words.append(filters.outcome.label)
    words.extend(topic.name for topic in filters.topics)
    if filters.council:
        words.append(filters.council.name)
    if filters.nation:
        words.append(filters.nation.label)
    if filters.council_type:
        words.append(filters.council_type.label)
    # Whole phrases: Welsh mutates a language's name after "yn" ("yn Gymraeg").
    words.extend(_("In Welsh") if code == WELSH else _("In English") for code in filters.languages)
    if filters.q:
        words.append(_("Search: %(words)s", words=filters.q))
    return words


def page_described(results: ResultsPage) -> str:
    """ "page 2 of 3", "page 2" when the total is unknown, or "" for a single page."""
    pages = results.pages
    if results.page == 1 and pages == 1:
        return ""
    if pages is not None and results.page <= pages:
        return _("page %(page)s of %(pages)s", page=_figure(results.page), pages=_figure(pages))
    return _("page %(page)s", page=_figure(results.page))


def _figure(number: int) -> str:
    """A page number with its thousands separated ("1,200")."""
    return format(number, ",")


def listing_title(filters: BoardFilters, results: ResultsPage, place: str) -> str:
    """The title of a listing at ``place`` ("Case studies", a topic's or a council's name),
    without the service name, which the page template adds."""
    described = ", ".join(filters_described(filters))
    page = page_described(results)
    if not described:
        if page:
            return _("%(place)s (%(page)s)", place=place, page=page)
        return place
    if page:
        return _(
            "%(filters)s (%(page)s) %(dash)s %(place)s",
            filters=described,
            page=page,
            dash=DASH,
            place=place,
        )
    return _("%(filters)s %(dash)s %(place)s", filters=described, dash=DASH, place=place)
