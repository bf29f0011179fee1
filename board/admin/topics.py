"""The seven topics' descriptions and resource-pack links.

The topics themselves (their names, slugs and order) are fixed by the product: only what a
topic page says about a topic changes here. A topic page shows the description as plain text,
escaped, in one paragraph (templates/browse/_topic_intro.html). Editing a topic moves the
board's change counter (a database trigger on ``topics``, migration 0003), so no cached topic
page or board keeps the old words.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from govuk_frontend_wtf.wtforms_widgets import GovTextInput
from sqlalchemy import select
from wtforms import StringField
from wtforms.validators import Length, ValidationError

from board import audit
from board.admin import bp
from board.audit import LogAction
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.forms import BaseForm, strip, text_area
from board.models import Topic

DESCRIPTION_LIMIT = 1000
URL_LIMIT = 500


def _https_url(form, field) -> None:
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme.lower() != "https" or not parts.hostname or " " in field.data:
        raise ValidationError(
            "Enter the resource pack's address in the right format, starting with https://"
        )


class TopicForm(BaseForm):
    description = text_area(
        "Description",
        description="Shown at the top of the topic's page, as plain text in one paragraph.",
        required="Enter a description",
        limit=DESCRIPTION_LIMIT,
        too_long=f"Keep the description to {DESCRIPTION_LIMIT:,} characters or fewer",
    )
    resource_pack_url = StringField(
        "Resource pack link (optional)",
        description="A web address starting with https://",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Length(max=URL_LIMIT, message=f"Keep the address to {URL_LIMIT} characters or fewer"),
            _https_url,
        ],
    )


def _quoted(text: str | None) -> str:
    return f"“{text}”" if text else "none"


def change_topic(topic: Topic, description: str, resource_pack_url: str, admin) -> bool:
    """Change what ``topic``'s page says, logging the old and new values; False if nothing
    changed."""
    changes = []
    if description != topic.description:
        changes.append(f"Description: {_quoted(topic.description)} → {_quoted(description)}")
        topic.description = description
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
            topic, form.description.data or "", form.resource_pack_url.data or "", current_user
        )
        db.session.commit()
        flash(
            f"{topic.name}: your changes are saved and shown on its page."
            if changed
            else f"{topic.name}: nothing was changed.",
            "success",
        )
        return redirect(url_for(".topics"))
    status = 422 if form.errors else 200
    return render_template("admin/topic_edit.html", topic=topic, form=form), status
