"""The discussion's forms on the GOV.UK Design System: each field is rendered by its
govuk-frontend-wtf widget (label, hint, error message and the kept value in one component)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import HiddenField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Optional, ValidationError

from board.forms import BaseForm, text_area
from board.models import ReportReason

MAX_COMMENT = 5000


def _comment_body(label, description=""):
    return text_area(
        label,
        description=description,
        required=_l("Enter your comment"),
        limit=MAX_COMMENT,
        too_long=_l(
            "Comments must be %(limit)s characters or fewer", limit=format(MAX_COMMENT, ",")
        ),
    )


class CommentForm(BaseForm):
    body = _comment_body(
        _l("Add a comment"),
        _l(
            "Plain text; *emphasis*, **bold**, lists and links work. Be kind: people are "
            "sharing what went wrong."
        ),
    )


def comment_form(parent=None, **kwargs) -> CommentForm:
    """The form for a new comment, or for a reply to ``parent``: a reply form has its own field
    names and ids, so that it can sit on the page beside the main form."""
    form = CommentForm(prefix=f"reply-{parent.id}" if parent is not None else "", **kwargs)
    if parent is not None:
        form.body.label.text = _("Your reply to %(name)s", name=parent.author.name)
    return form


class EditCommentForm(BaseForm):
    body = _comment_body(_l("Your comment"))


class TriedTooForm(BaseForm):
    own_study = SelectField(
        _l("Link to your council's write-up (optional)"),
        coerce=int,
        widget=GovSelect(),
        validators=[Optional()],
    )


class ReportForm(BaseForm):
    target = HiddenField(validators=[InputRequired()])
    reason = RadioField(
        _l("Why are you reporting this?"),
        choices=[],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Choose why you are reporting this"))],
    )
    details = text_area(
        _l("Tell the moderators more"),
        description=_l("Required if you chose “Something else”. Only moderators see this."),
        limit=2000,
        too_long=_l("Keep it to 2,000 characters or fewer"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made per request: the labels are in the language of the page.
        self.reason.choices = [SelectChoice(reason.value, reason.label) for reason in ReportReason]

    def validate_details(self, field) -> None:
        if self.reason.data == ReportReason.OTHER.value and not field.data:
            raise ValidationError(_("Tell the moderators what is wrong"))
