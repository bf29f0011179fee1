"""The answer form on the GOV.UK Design System: the answer in Markdown and, optionally, one
published study attached to it ("we tried this"), chosen from the council's own or named by its
address or number."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional

from board.forms import BaseForm, strip, text_area

MAX_ANSWER = 5000
ADDRESS_LIMIT = 500

# "123", "/studies/123", "/studies/123/some-slug" (a trailing slash, query or fragment allowed).
_NUMBER = re.compile(r"^#?(\d{1,9})$")
_STUDY_PATH = re.compile(r"^/studies/(\d{1,9})(?:/[^/]*)?/?$")

NOT_A_STUDY_ADDRESS = _l(
    "Enter the address of a case study on Case Board, like /studies/123, or its number"
)
NO_SUCH_STUDY = _l("There is no published case study you can read at that address")
BOTH_CHOSEN = _l(
    "Choose a study from your council's list or give another study's address, not both"
)


def _own_hosts() -> set[str]:
    """The host names this service answers to: the request's, PUBLIC_URL's and TRUSTED_HOSTS."""
    hosts = {request.host.lower()} if request else set()
    public = current_app.config.get("PUBLIC_URL")
    if public:
        hosts.add(urlsplit(public).netloc.lower())
    hosts.update(host.lower() for host in current_app.config.get("TRUSTED_HOSTS") or ())
    return hosts


def study_id_from_address(text: str) -> int | None:
    """The study number in ``text``: a number, a path on this site (``/studies/123/slug``) or a
    full address of this site; None for anything else (another site's address included)."""
    text = (text or "").strip()
    number = _NUMBER.match(text)
    if number:
        return int(number.group(1))
    parts = urlsplit(text)
    if parts.scheme or parts.netloc:
        if parts.scheme not in ("http", "https") or parts.netloc.lower() not in _own_hosts():
            return None
    elif not text.startswith("/"):
        text = "/" + text  # "studies/123/slug", pasted without its first slash
        parts = urlsplit(text)
    path = _STUDY_PATH.match(parts.path)
    return int(path.group(1)) if path else None


class AnswerForm(BaseForm):
    body = text_area(
        _l("Your answer"),
        description=_l(
            "Say what your council tried and what happened. Plain text; *emphasis*, **bold**, "
            "lists and links work."
        ),
        required=_l("Enter your answer"),
        limit=MAX_ANSWER,
        too_long=_l("Answers must be %(limit)s characters or fewer", limit=format(MAX_ANSWER, ",")),
    )
    own_study = SelectField(
        _l("Attach one of your council's case studies (optional)"),
        coerce=int,
        default=0,  # "None", also when the council has no study to offer and no list is shown
        widget=GovSelect(),
        validators=[Optional()],
    )
    other_study = StringField(
        _l("Or the address or number of another council's case study (optional)"),
        description=_l("For example, /studies/123 or the full address from your browser."),
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=ADDRESS_LIMIT, message=NOT_A_STUDY_ADDRESS)],
    )


def answer_form(own_studies, **kwargs) -> AnswerForm:
    """The form, its list offering ``own_studies`` (the council's published studies)."""
    form = AnswerForm(**kwargs)
    form.own_study.choices = [(0, _("None"))] + [(study.id, study.title) for study in own_studies]
    return form
