"""The admins' council forms: a council's details (to add or change one), retiring one, and
the file of councils to import."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxInput,
    GovFileInput,
    GovRadioInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from board.admin import council_services as rules
from board.forms import BaseForm, strip, text_area
from board.models import Council, CouncilType, Nation


class CouncilForm(BaseForm):
    name = StringField(
        _l("Name"),
        description=_l("As the council calls itself, for example Hereshire County Council."),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(_l("Enter the council's name")),
            Length(
                max=rules.NAME_LIMIT,
                message=_l(
                    "The name must be %(limit)d characters or fewer", limit=rules.NAME_LIMIT
                ),
            ),
        ],
    )
    slug = StringField(
        _l("Slug (optional)"),
        description=_l(
            "Its page's address: lowercase letters, digits and hyphens. Left blank, it is made "
            "from the name. Changing it changes the address of the council's page."
        ),
        widget=GovTextInput(),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
    )
    nation = RadioField(
        _l("Nation"),
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select the council's nation"))],
    )
    council_type = SelectField(
        _l("Type of council"),
        widget=GovSelect(),
        validators=[DataRequired(_l("Choose the type of council"))],
        validate_choice=False,  # checked by validate_council_type, in the form's words
    )
    region = StringField(
        _l("Region (optional)"),
        description=_l("For example South West, or Highlands and Islands."),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Length(
                max=rules.REGION_LIMIT,
                message=_l(
                    "The region must be %(limit)d characters or fewer", limit=rules.REGION_LIMIT
                ),
            )
        ],
    )
    website = StringField(
        _l("Website"),
        description=_l("The full address, starting https://"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(_l("Enter the council's website"))],
    )
    domains = TextAreaField(
        _l("Email domains that join it (optional)"),
        description=_l(
            "One per line, for example hereshire.gov.uk. Someone who confirms an address on one "
            "of these becomes a verified member of this council."
        ),
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=5000, message=_l("Enter fewer domains"))],
    )

    def __init__(self, *args, council: Council | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council
        # Made for each form, so that the labels are in the page's language.
        self.nation.choices = [SelectChoice(nation.value, nation.label) for nation in Nation]
        self.council_type.choices = [SelectChoice("", _l("Choose a type"))] + [
            SelectChoice(kind.value, kind.label) for kind in CouncilType
        ]

    def validate_council_type(self, field):
        if field.data and field.data not in {kind.value for kind in CouncilType}:
            raise ValidationError(_l("Choose the type of council from the list"))

    def validate_slug(self, field):
        slug = field.data or rules.slug_from_name(self.name.data or "")
        if not slug:
            if self.name.data:
                raise ValidationError(
                    _l("Enter a slug: the name has no letters or digits to make one")
                )
            return
        problem = rules.slug_problem(slug)
        if problem:
            raise ValidationError(problem)
        other = rules.council_with_slug(slug)
        if other is not None and (self.council is None or other.id != self.council.id):
            raise ValidationError(
                _l(
                    "The slug %(slug)s is already used by %(council)s",
                    slug=slug,
                    council=other.name,
                )
            )

    def validate_website(self, field):
        problem = rules.website_problem(field.data or "")
        if problem:
            raise ValidationError(problem)

    def validate_domains(self, field):
        domains = rules.split_domains(field.data)
        for domain in domains:
            problem = rules.domain_problem(domain)
            if problem:
                raise ValidationError(problem)
        owners = rules.domain_owners(domains, self.council.id if self.council else None)
        if owners:
            domain, owner = next(iter(sorted(owners.items())))
            raise ValidationError(
                _l(
                    "%(domain)s already joins %(council)s: remove it from there first",
                    domain=domain,
                    council=owner,
                )
            )

    def details(self) -> rules.CouncilDetails:
        return rules.CouncilDetails(
            name=self.name.data,
            slug=self.slug.data or rules.slug_from_name(self.name.data),
            nation=Nation(self.nation.data),
            council_type=CouncilType(self.council_type.data),
            region=self.region.data or "",
            website=self.website.data,
            domains=rules.split_domains(self.domains.data),
        )

    @classmethod
    def for_council(cls, council: Council) -> CouncilForm:
        return cls(
            formdata=None,
            council=council,
            data={
                "name": council.name,
                "slug": council.slug,
                "nation": council.nation.value,
                "council_type": council.council_type.value,
                "region": council.region,
                "website": council.website,
                "domains": "\n".join(domain.domain for domain in council.domains),
            },
        )


class RetireForm(BaseForm):
    reason = text_area(
        _l("Why is it retired? (optional)"),
        description=_l("For the moderation log, for example: merged into North Hereshire Council."),
        limit=500,
        too_long=_l("Keep the reason to %(limit)s characters or fewer", limit="500"),
    )


class ImportForm(BaseForm):
    file = FileField(
        _l("CSV file of councils"),
        widget=GovFileInput(),
        validators=[FileRequired(_l("Choose a CSV file of councils"))],
    )
    check_only = BooleanField(
        _l("Only check the file: change nothing"),
        default=True,
        widget=GovCheckboxInput(),
    )
