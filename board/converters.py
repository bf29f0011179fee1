"""URL converters that only match what our database can look up.

Werkzeug's ``int`` converter matches any run of digits, and any script's digits ("٣" is 3), so
``/studies/99999999999999999999`` reached the database: SQLite cannot bind an integer past 64
bits, and PostgreSQL refuses anything past 2,147,483,647 for an ``integer`` column. Both were a
500. Its ``string`` converter lets a NUL through, which PostgreSQL refuses in text. Replacing
the defaults once here bounds every route, present and future, without each view checking: an
address outside the bounds matches no route, so it is a 404 with the normal page.

The converters must be in place before the blueprints are registered: a rule picks its
converter when it is added to the URL map.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, UnicodeConverter

# Primary keys are PostgreSQL ``integer`` (serial) columns: 1 .. 2**31 - 1.
MIN_ID = 1
MAX_ID = 2**31 - 1


def parse_id(value: object) -> int | None:
    """An id from a form or query string ("12"), or None unless it is ASCII digits within the
    range of our primary keys. ``str.isdigit`` is not enough: "²" is a digit to it and not to
    ``int``, and "٣" is 3 to both."""
    if not isinstance(value, str) or not (value.isascii() and value.isdigit()):
        return None
    number = int(value)
    return number if MIN_ID <= number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """``<int:...>`` as an id: ASCII digits, 1 to 2,147,483,647 unless the rule says otherwise."""

    regex = r"[0-9]+"

    def __init__(self, map, fixed_digits=0, min=MIN_ID, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class TextSegmentConverter(UnicodeConverter):
    """``<name>`` and ``<string:name>``: one path segment without control characters (no
    slug, token or name of ours has any, and PostgreSQL refuses NUL)."""

    def __init__(self, map, minlength=1, maxlength=None, length=None):
        super().__init__(map, minlength=minlength, maxlength=maxlength, length=length)
        self.regex = self.regex.replace("[^/]", r"[^/\x00-\x1f\x7f]", 1)


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["default"] = TextSegmentConverter
    app.url_map.converters["string"] = TextSegmentConverter
