"""The forms on a person's administration page: role, council, suspending and restoring.

They share one page, so each field has a name of its own and each form's CSRF input is given
its own id in the template."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect
from wtforms import RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange

from board.admin.people_services import ROLE_LABELS
from board.forms import BaseForm, text_area
from board.models import Council, Role

SUSPENSION_REASON_LIMIT = 1000


class RoleForm(BaseForm):
    role = RadioField(
        _l("Role"),
        choices=[
            SelectChoice(Role.MEMBER.value, ROLE_LABELS[Role.MEMBER]),
            SelectChoice(Role.MODERATOR.value, ROLE_LABELS[Role.MODERATOR]),
            SelectChoice(Role.ADMIN.value, ROLE_LABELS[Role.ADMIN]),
        ],
        description=_l(
            "Moderators review studies, hide comments and verify members. Admins also "
            "run the service: councils, people and topics."
        ),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select a role"))],
    )


class MoveForm(BaseForm):
    council_id = SelectField(
        _l("Council"),
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired(_l("Choose a council")),
            NumberRange(min=1, message=_l("Choose a council")),
        ],
    )

    def __init__(self, *args, councils: list[Council] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id.choices = [SelectChoice(0, _l("Choose a council"))] + [
            SelectChoice(council.id, council.name) for council in councils
        ]


class SuspendForm(BaseForm):
    reason = text_area(
        _l("Why are you suspending this account?"),
        description=_l("The person is told this by email. It is also kept in the moderation log."),
        required=_l("Enter why you are suspending this account"),
        limit=SUSPENSION_REASON_LIMIT,
        too_long=_l(
            "Keep the reason to %(limit)s characters or fewer",
            limit=format(SUSPENSION_REASON_LIMIT, ","),
        ),
    )


class RestoreForm(BaseForm):
    """A button: the account is restored."""
