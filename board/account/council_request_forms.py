"""Asking for a council to be added."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from wtforms import StringField
from wtforms.validators import InputRequired, Length, ValidationError

from board.auth.widgets import GovTextInput
from board.forms import BaseForm, strip


def as_web_address(value):
    """A website as typed ("www.council.gov.uk") with https:// in front when it has no scheme."""
    if isinstance(value, str) and value and "://" not in value:
        return f"https://{value}"
    return value


def check_web_address(form, field):
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme not in ("http", "https") or "." not in (parts.hostname or ""):
        raise ValidationError(_l("Enter the council's website address, like www.council.gov.uk"))


def website_field(required: str = "") -> StringField:
    validators = [InputRequired(required)] if required else []
    return StringField(
        _l("Council website"),
        description=_l("For example, www.anyshire.gov.uk"),
        widget=GovTextInput(),
        filters=[strip, as_web_address],
        validators=[
            *validators,
            Length(max=255, message=_l("Keep the address to 255 characters or fewer")),
            check_web_address,
        ],
    )


class CouncilRequestForm(BaseForm):
    """A registrant's request: which council, where to check it, and who they are there."""

    council_name = StringField(
        _l("Council name"),
        description=_l("Its full name, for example Anyshire County Council."),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the council's name")),
            Length(max=160, message=_l("Keep the council's name to 160 characters or fewer")),
        ],
    )
    website = website_field(required=_l("Enter the council's website address"))
    role = StringField(
        _l("Your role at the council"),
        description=_l("For example, Digital officer, or Councillor for Anytown ward."),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter your role at the council")),
            Length(max=120, message=_l("Keep your role to 120 characters or fewer")),
        ],
    )
