"""The seven topics' names, descriptions and resource-pack links, in English and Welsh.

The topics' slugs and order are fixed by the product: a topic's address does not change. An
admin edits each language's name and description separately (``name_en``, ``name_cy``,
``description_en``, ``description_cy``): ``Topic.name`` and ``Topic.description`` give the
interface's language, so the form never reads them. The Welsh may be left empty; a page in
Welsh then shows the English. A topic page shows the description as plain text, escaped, in one
paragraph (templates/browse/_topic_intro.html). Editing a topic moves the board's change
counter (a database trigger on ``topics``, migration 0003), so no cached topic page or board
keeps the old words.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import DataRequired, Length, ValidationError

from board import audit
from board.admin import bp
from board.audit import LogAction
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.forms import BaseForm, strip, text_area
from board.models import Topic

NAME_LIMIT = 120
DESCRIPTION_LIMIT = 1000
URL_LIMIT = 500


def _https_url(form, field) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme.lower() != "https" or not parts.hostname or " " in field.data:
        raise ValidationError(
            _("Enter the resource pack's address in the right format, starting with https://")
        )


def _name(label, required: str = "") -> StringField:
    validators = [DataRequired(required)] if required else []
    validators.append(
        Length(
            max=NAME_LIMIT,
            message=_l("Keep the name to %(limit)d characters or fewer", limit=NAME_LIMIT),
        )
    )
    return StringField(label, widget=GovTextInput(), filters=[strip], validators=validators)


class TopicForm(BaseForm):
    name_en = _name(_l("Name in English"), required=_l("Enter the name in English"))
    name_cy = _name(_l("Name in Welsh (optional)"))
    description_en = text_area(
        _l("Description in English"),
        description=_l("Shown at the top of the topic's page, as plain text in one paragraph."),
        required=_l("Enter a description"),
        limit=DESCRIPTION_LIMIT,
        too_long=_l(
            "Keep the description to %(limit)s characters or fewer",
            limit=format(DESCRIPTION_LIMIT, ","),
        ),
    )
    description_cy = text_area(
        _l("Description in Welsh (optional)"),
        description=_l(
            "Shown on the page in Welsh. Left empty, the page in Welsh shows the English."
        ),
        limit=DESCRIPTION_LIMIT,
        too_long=_l(
            "Keep the description to %(limit)s characters or fewer",
            limit=format(DESCRIPTION_LIMIT, ","),
        ),
    )
    resource_pack_url = StringField(
        _l("Resource pack link (optional)"),
        description=_l("A web address starting with https://"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Length(
                max=URL_LIMIT,
                message=_l("Keep the address to %(limit)d characters or fewer", limit=URL_LIMIT),
            ),
            _https_url,
        ],
    )


def _quoted(text: str | None) -> str:
    return f"“{text}”" if text else "none"


# What the form edits, and how the moderation log names each (the log's entries stay English,
# as every entry's reason does).
EDITED = (
    ("name_en", "Name"),
    ("name_cy", "Welsh name"),
    ("description_en", "Description"),
    ("description_cy", "Welsh description"),
)


def change_topic(topic: Topic, values: dict[str, str], resource_pack_url: str, admin) -> bool:
    """Change what ``topic``'s page says (``values``: the text of each field in ``EDITED``; an
    empty Welsh one is stored as none), logging the old and new values; False if nothing
    changed."""
    changes = []
    for field, label in EDITED:
        new = values.get(field) or ""
        if field.endswith("_cy"):
            new = new or None
        old = getattr(topic, field)
        if new != old:
            changes.append(f"{label}: {_quoted(old)} → {_quoted(new)}")
            setattr(topic, field, new)
    new_url = resource_pack_url or None
    if new_url != topic.resource_pack_url:
        changes.append(f"Resource pack: {topic.resource_pack_url or 'none'} → {new_url or 'none'}")
        topic.resource_pack_url = new_url
    if not changes:
        return False
    audit.record(admin, LogAction.TOPIC_EDITED, topic.id, ". ".join(changes))
    db.session.flush()
    return True


@bp.get("/topics")
def topics():
    listed = db.session.scalars(select(Topic).order_by(Topic.position)).all()
    return render_template("admin/topics.html", topics=listed)


@bp.route("/topics/<slug>/edit", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def edit_topic(slug: str):
    topic = db.first_or_404(select(Topic).where(Topic.slug == slug))
    # Filled from the topic when the page opens; from what was sent when it comes back.
    form = TopicForm(obj=topic) if request.method == "GET" else TopicForm()
    if form.validate_on_submit():
        changed = change_topic(
            topic,
            {field: getattr(form, field).data for field, _label in EDITED},
            form.resource_pack_url.data or "",
            current_user,
        )
        db.session.commit()
        flash(
            _("%(topic)s: your changes are saved and shown on its page.", topic=topic.name)
            if changed
            else _("%(topic)s: nothing was changed.", topic=topic.name),
            "success",
        )
        return redirect(url_for(".topics"))
    status = 422 if form.errors else 200
    return render_template("admin/topic_edit.html", topic=topic, form=form), status
