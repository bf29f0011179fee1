"""The admins' council forms: a council's details (to add or change one), retiring one, and
the file of councils to import."""

from __future__ import annotations

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
        "Name",
        description="As the council calls itself, for example Hereshire County Council.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired("Enter the council's name"),
            Length(
                max=rules.NAME_LIMIT,
                message=f"The name must be {rules.NAME_LIMIT} characters or fewer",
            ),
        ],
    )
    slug = StringField(
        "Slug (optional)",
        description=(
            "Its page's address: lowercase letters, digits and hyphens. Left blank, it is made "
            "from the name. Changing it changes the address of the council's page."
        ),
        widget=GovTextInput(),
        filters=[strip, lambda value: value.lower() if isinstance(value, str) else value],
    )
    nation = RadioField(
        "Nation",
        choices=[SelectChoice(nation.value, nation.label) for nation in Nation],
        widget=GovRadioInput(),
        validators=[InputRequired("Select the council's nation")],
    )
    council_type = SelectField(
        "Type of council",
        choices=[SelectChoice("", "Choose a type")]
        + [SelectChoice(kind.value, kind.label) for kind in CouncilType],
        widget=GovSelect(),
        validators=[DataRequired("Choose the type of council")],
        validate_choice=False,  # checked by validate_council_type, in the form's words
    )
    region = StringField(
        "Region (optional)",
        description="For example South West, or Highlands and Islands.",
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            Length(
                max=rules.REGION_LIMIT,
                message=f"The region must be {rules.REGION_LIMIT} characters or fewer",
            )
        ],
    )
    website = StringField(
        "Website",
        description="The full address, starting https://",
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired("Enter the council's website")],
    )
    domains = TextAreaField(
        "Email domains that join it (optional)",
        description=(
            "One per line, for example hereshire.gov.uk. Someone who confirms an address on one "
            "of these becomes a verified member of this council."
        ),
        widget=GovTextArea(),
        filters=[strip],
        validators=[Length(max=5000, message="Enter fewer domains")],
    )

    def __init__(self, *args, council: Council | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.council = council

    def validate_council_type(self, field):
        if field.data and field.data not in {kind.value for kind in CouncilType}:
            raise ValidationError("Choose the type of council from the list")

    def validate_slug(self, field):
        slug = field.data or rules.slug_from_name(self.name.data or "")
        if not slug:
            if self.name.data:
                raise ValidationError("Enter a slug: the name has no letters or digits to make one")
            return
        problem = rules.slug_problem(slug)
        if problem:
            raise ValidationError(problem)
        other = rules.council_with_slug(slug)
        if other is not None and (self.council is None or other.id != self.council.id):
            raise ValidationError(f"The slug {slug} is already used by {other.name}")

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
            raise ValidationError(f"{domain} already joins {owner}: remove it from there first")

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
        "Why is it retired? (optional)",
        description="For the moderation log, for example: merged into North Hereshire Council.",
        limit=500,
        too_long="Keep the reason to 500 characters or fewer",
    )


class ImportForm(BaseForm):
    file = FileField(
        "CSV file of councils",
        widget=GovFileInput(),
        validators=[FileRequired("Choose a CSV file of councils")],
    )
    check_only = BooleanField(
        "Only check the file: change nothing",
        default=True,
        widget=GovCheckboxInput(),
    )
