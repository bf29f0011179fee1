"""The base of every form: text arrives without control characters, and one-line fields on
one line.

Browsers never send control characters from a keyboard, PostgreSQL refuses NUL in text outright
(a 500 if it reached the database), and the rest only hide things from readers. Newlines and
tabs stay in multi-line fields. A one-line field (a title, a name) keeps no line break of any
kind (CR, LF, NEL, the Unicode line and paragraph separators) and no invisible format
character: pasted into an email subject or a log line, such a character would break it or
make it say something else.
"""

from __future__ import annotations

import re
import unicodedata

from flask import g, has_request_context
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Joiners shape letters in some scripts and emoji: they stay.
KEPT_FORMAT_CHARACTERS = frozenset({"\u200c", "\u200d"})


def without_control_characters(value):
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def on_one_line(value):
    """Fold every line break and whitespace run into one space; drop format characters (zero-
    width spaces, bidirectional overrides, byte-order marks)."""
    if not isinstance(value, str):
        return value
    characters = []
    for character in value:
        category = unicodedata.category(character)
        if category in ("Cc", "Zl", "Zp") or character.isspace():
            characters.append(" ")
        elif category != "Cf" or character in KEPT_FORMAT_CHARACTERS:
            characters.append(character)
    return " ".join("".join(characters).split())


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text_area(
    label: str, *, limit: int, too_long: str, required: str = "", description: str = ""
) -> TextAreaField:
    """A GOV.UK textarea whose text is trimmed and at most ``limit`` characters (``too_long``
    says so); when ``required`` is given, it is the message for leaving the field empty."""
    validators = [DataRequired(required)] if required else []
    validators.append(Length(max=limit, message=too_long))
    return TextAreaField(
        label,
        description=description,
        widget=GovTextArea(),
        filters=[strip],
        validators=validators,
    )


def is_one_line_field(field_class) -> bool:
    return issubclass(field_class, StringField) and not issubclass(
        field_class, TextAreaField | PasswordField
    )


class BaseForm(FlaskForm):
    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        # Messages made lazily (lazy_gettext) become text: a lazy string counts as markup to
        # Jinja, and a message must be escaped like any other text.
        for field in self:
            field.errors = [str(error) for error in field.errors]
        refusal = g.get("csrf_refusal") if has_request_context() else None
        if refusal and self.meta.csrf:
            # The request failed the CSRF check (board/errors.py shows the form again with what
            # was typed): nothing may be done with it, whatever else is right.
            self.csrf_token.errors = [*self.csrf_token.errors, refusal]
            return False
        return valid

    class Meta:
        def bind_field(self, form, unbound_field, options):
            filters = unbound_field.kwargs.get("filters") or []
            cleaning = [without_control_characters]
            if is_one_line_field(unbound_field.field_class):
                cleaning.append(on_one_line)
            options["filters"] = [*cleaning, *filters]
            return unbound_field.bind(form=form, **options)
