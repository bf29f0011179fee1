"""An admin's decision on a council request: the council to create, a council to join
instead, or the reason for declining."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
        _l("Council name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            InputRequired(_l("Enter the council's name")),
            Length(
                max=160,
                message=_l("Keep the council's name to %(limit)s characters or fewer", limit="160"),
            ),
        ],
    )
    slug = StringField(
        _l("Slug"),
        description=_l(
            "Its page's address: lowercase letters, digits and hyphens, for example "
            "anyshire-council."
        ),
        widget=GovTextInput(),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
        validators=[
            InputRequired(_l("Enter a slug")),
            Length(max=80, message=_l("The slug must be %(limit)d characters or fewer", limit=80)),
        ],
    )
    nation = SelectField(
        _l("Nation"),
        widget=GovSelect(),
        validators=[InputRequired(_l("Choose the council's nation"))],
    )
    council_type = SelectField(
        _l("Type of council"),
        widget=GovSelect(),
        validators=[InputRequired(_l("Choose the type of council"))],
    )
    website = website_field()
    domains = StringField(
        _l("Email domains that join this council"),
        description=_l(
            "Separate several with commas. People who confirm an address on one of these join "
            "the council. Leave it empty for a personal address like gmail.com."
        ),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Length(
                max=1000,
                message=_l("Keep the domains to %(limit)s characters or fewer", limit="1,000"),
            )
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Made for each form, so that the labels are in the page's language.
        self.nation.choices = [SelectChoice("", _l("Choose a nation"))] + [
            SelectChoice(nation.value, nation.label) for nation in Nation
        ]
        self.council_type.choices = [SelectChoice("", _l("Choose a type"))] + [
            SelectChoice(kind.value, kind.label) for kind in CouncilType
        ]

    def validate_slug(self, field):
        problem = field.data and slug_problem(field.data)
        if problem:
            raise ValidationError(problem)


class DeclineCouncilRequestForm(BaseForm):
    reason = text_area(
        _l("Why are you declining it?"),
        description=_l("The person who asked is sent this."),
        required=_l("Enter why you are declining the request"),
        limit=DECLINE_REASON_LIMIT,
        too_long=_l(
            "Keep the reason to %(limit)s characters or fewer",
            limit=format(DECLINE_REASON_LIMIT, ","),
        ),
    )


class JoinExistingCouncilForm(BaseForm):
    """Approving by joining the requester to a council already on the board."""

    council_id = SelectField(
        _l("Council already on the board"),
        coerce=int,
        widget=GovSelect(),
        validators=[
            InputRequired(_l("Choose the council to join them to")),
            NumberRange(min=1, message=_l("Choose the council to join them to")),
        ],
    )

    def __init__(self, *args, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.council_id.choices = [SelectChoice(0, _l("Choose a council"))] + [
            SelectChoice(council.id, council.name) for council in councils
        ]
