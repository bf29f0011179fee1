"""The base of every form: text arrives without control characters.

Browsers never send them from a keyboard, PostgreSQL refuses NUL in text outright (a 500 if it
reached the database), and the rest only hide things from readers. Newlines and tabs stay.
"""

from __future__ import annotations

import re

from flask_wtf import FlaskForm

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


class BaseForm(FlaskForm):
    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters") or []
            options["filters"] = [without_control_characters, *filters]
            return unbound_field.bind(form=form, **options)
