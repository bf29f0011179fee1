"""An admin's decision on a council request: the council to create, a council to join
instead, or the reason for declining."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextInput
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, ValidationError

from board.account.council_request_forms import website_field
from board.admin.council_services import slug_problem
from board.forms import BaseForm, strip, text_area
from board.models import CouncilType, Nation

DECLINE_REASON_LIMIT = 2000


class ApproveCouncilRequestForm(BaseForm):
    """The council an approval creates, filled in from the request for the admin to check."""

    name = StringField(
        "Council name",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired("Enter the council's name"),
            Length(max=160, message="Keep the council's name to 160 characters or fewer"),
        ],
    )
    slug = StringField(
        "Slug",
        description=(
            "Its page's address: lowercase letters, digits and hyphens, for example "
            "anyshire-council."
        ),
        widget=GovTextInput(),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
        validators=[
            InputRequired("Enter a slug"),
            Length(max=80, message="The slug must be 80 characters or fewer"),
        ],
    )
    nation = SelectField(
        "Nation",
        choices=[SelectChoice("", "Choose a nation")]
        + [SelectChoice(nation.value, nation.label) for nation in Nation],
        widget=GovSelect(),
        validators=[InputRequired("Choose the council's nation")],
    )
    council_type = SelectField(
        "Type of council",
        choices=[SelectChoice("", "Choose a type")]
        + [SelectChoice(kind.value, kind.label) for kind in CouncilType],
        widget=GovSelect(),
        validators=[InputRequired("Choose the type of council")],
    )
    website = website_field()
    domains = StringField(
        "Email domains that join this council",
        description=(
            "Separate several with commas. People who confirm an address on one of these join "
            "the council. Leave it empty for a personal address like gmail.com."
        ),
        widget=GovTextInput(),
        filters=[strip],
        validators=[Length(max=1000, message="Keep the domains to 1,000 characters or fewer")],
    )

    def validate_slug(self, field):
        problem = field.data and slug_problem(field.data)
        if problem:
            raise ValidationError(problem)


class DeclineCouncilRequestForm(BaseForm):
    reason = text_area(
        "Why are you declining it?",
        description="The person who asked is sent this.",
        required="Enter why you are declining the request",
        limit=DECLINE_REASON_LIMIT,
        too_long=f"Keep the reason to {DECLINE_REASON_LIMIT:,} characters or fewer",
    )


class JoinExistingCouncilForm(BaseForm):
    """Approving by joining the requester to a council already on the board."""

    council_id = SelectField(
        "Council already on the board",
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired("Choose the council to join them to"),
            NumberRange(min=1, message="Choose the council to join them to"),
        ],
    )

    def __init__(self, *args, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id.choices = [SelectChoice(0, "Choose a council")] + [
            SelectChoice(council.id, council.name) for council in councils
        ]
