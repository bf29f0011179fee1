"""Words for a browser's User-Agent string, so that a person recognises their devices."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel import dates
from flask_babel import gettext as _

from board.i18n import WELSH, current_language

UK_TIME = ZoneInfo("Europe/London")

# First match wins: Edge and Opera also say "Chrome", Chrome also says "Safari".
_BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("FxiOS/", "Firefox"),
    ("CriOS/", "Chrome"),
    ("Chrome/", "Chrome"),
    ("Chromium/", "Chromium"),
    ("Safari/", "Safari"),
]
_SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("Mac OS X", "Mac"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
]


def describe(user_agent: str) -> str:
    """ "Firefox on Windows", "Safari on iPhone"; "Unknown browser" when it said nothing useful
    (in the interface's language: names of browsers and systems are not translated)."""
    browser = next((name for marker, name in _BROWSERS if marker in user_agent), None)
    system = next((name for marker, name in _SYSTEMS if marker in user_agent), None)
    if browser and system:
        return _("%(browser)s on %(system)s", browser=browser, system=system)
    if browser:
        return browser
    return _("A browser on %(system)s", system=system) if system else _("Unknown browser")


def uk_time(value: datetime) -> str:
    """ "3:04pm on 26 November 2026" / "15:04 ar 26 Tachwedd 2026", in UK time (GMT or BST):
    each language's own way of telling the time (Babel's data for British English and Welsh)."""
    local = value.astimezone(UK_TIME)
    if current_language() == WELSH:
        locale, time_pattern = "cy", "HH:mm"
    else:
        locale, time_pattern = "en_GB", "h:mma"
    return _(
        "%(time)s on %(date)s",
        time=dates.format_time(local.replace(tzinfo=None), time_pattern, locale=locale),
        date=dates.format_date(local.date(), "d MMMM y", locale=locale),
    )
