"""The discussion's forms on the GOV.UK Design System: each field is rendered by its
govuk-frontend-wtf widget (label, hint, error message and the kept value in one component)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from board.forms import BaseForm, text_area
from board.models import ReportReason

MAX_COMMENT = 5000


def _comment_body(label: str, description: str = ""):
    return text_area(
        label,
        description=description,
        required="Enter your comment",
        limit=MAX_COMMENT,
        too_long=f"Comments must be {MAX_COMMENT:,} characters or fewer",
    )


class CommentForm(BaseForm):
    body = _comment_body(
        "Add a comment",
        "Plain text; *emphasis*, **bold**, lists and links work. Be kind: people are sharing "
        "what went wrong.",
    )


def comment_form(parent=None, **kwargs) -> CommentForm:
    """The form for a new comment, or for a reply to ``parent``: a reply form has its own field
    names and ids, so that it can sit on the page beside the main form."""
    form = CommentForm(prefix=f"reply-{parent.id}" if parent is not None else "", **kwargs)
    if parent is not None:
        form.body.label.text = f"Your reply to {parent.author.name}"
    return form


class EditCommentForm(BaseForm):
    body = _comment_body("Your comment")


class TriedTooForm(BaseForm):
    own_study = SelectField(
        "Link to your council's write-up (optional)",
        coerce=int,
        widget=GovSelect(),
        validators=[Optional()],
    )


class ReportForm(BaseForm):
    target = HiddenField(validators=[InputRequired()])
    reason = RadioField(
        "Why are you reporting this?",
        choices=[SelectChoice(reason.value, reason.label) for reason in ReportReason],
        widget=GovRadioInput(),
        validators=[InputRequired("Choose why you are reporting this")],
    )
    details = text_area(
        "Tell the moderators more",
        description="Required if you chose “Something else”. Only moderators see this.",
        limit=2000,
        too_long="Keep it to 2,000 characters or fewer",
    )

    def validate_details(self, field) -> None:
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError("Tell the moderators what is wrong")
