"""What the API answers, as marshmallow schemas. They serialise every answer and are what the
OpenAPI description is generated from (board/api/spec.py), so the two cannot disagree."""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range

from board.browse.forms import MAX_COUNCIL_TEXT, MAX_QUERY_LENGTH, STUDY_LANGUAGES
from board.models import CostBand, CouncilType, Nation, Outcome

DEFAULT_LIMIT = 20
MAX_LIMIT = 100
# The orders the API offers (see the /api page for why not relevance).
API_SORTS = ("newest", "useful")


def _url(description: str) -> fields.Url:
    return fields.Url(required=True, metadata={"description": description})


class LicenceSchema(Schema):
    name = fields.Str(required=True)
    url = _url("The licence's text.")


class TopicRefSchema(Schema):
    slug = fields.Str(required=True)
    name = fields.Str(required=True)


class CouncilRefSchema(Schema):
    slug = fields.Str(required=True)
    name = fields.Str(required=True)
    nation = fields.Enum(Nation, by_value=True, required=True)
    type = fields.Enum(CouncilType, by_value=True, required=True, attribute="council_type")


class StudySummarySchema(Schema):
    """A study as lists show it."""

    id = fields.Int(required=True)
    title = fields.Str(required=True)
    url = _url("The study's page, on the service's public address.")
    api_url = _url("This study in the API, with every field.")
    summary = fields.Str(required=True, metadata={"description": "Plain text."})
    language = fields.Str(
        required=True,
        validate=OneOf(list(STUDY_LANGUAGES)),
        metadata={"description": "The language it is written in: en (English) or cy (Welsh)."},
    )
    outcome = fields.Enum(Outcome, by_value=True, required=True)
    cost_band = fields.Enum(CostBand, by_value=True, required=True)
    council = fields.Nested(CouncilRefSchema, required=True)
    topics = fields.List(fields.Nested(TopicRefSchema), required=True)
    published_at = fields.AwareDateTime(required=True, metadata={"description": "UTC."})
    updated_at = fields.AwareDateTime(required=True, metadata={"description": "UTC."})
    started_on = fields.Date(
        required=True, allow_none=True, metadata={"description": "The month it started."}
    )
    ended_on = fields.Date(
        required=True, allow_none=True, metadata={"description": "The month it ended."}
    )
    useful_count = fields.Int(
        required=True, metadata={"description": "Members who found it useful."}
    )
    last_update_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "UTC: when its latest update was approved (null if it has none)."},
    )


class StudyListSchema(Schema):
    studies = fields.List(fields.Nested(StudySummarySchema), required=True)
    next = fields.Url(
        required=True,
        allow_none=True,
        metadata={"description": "The next page (null on the last): follow it as it is."},
    )
    licence = fields.Nested(LicenceSchema, required=True)


class SectionSchema(Schema):
    id = fields.Str(required=True)
    heading = fields.Str(required=True)
    markdown = fields.Str(required=True, metadata={"description": "As the council wrote it."})
    html = fields.Str(required=True, metadata={"description": "Rendered and sanitised."})


class StudyLinkSchema(Schema):
    id = fields.Int(required=True)
    title = fields.Str(required=True)
    url = _url("The study's page.")


class TriedTooSchema(Schema):
    council = fields.Nested(CouncilRefSchema, required=True)
    studies = fields.List(
        fields.Nested(StudyLinkSchema),
        required=True,
        metadata={"description": "That council's own published public write-ups, if linked."},
    )


class OutcomeChangeSchema(Schema):
    from_ = fields.Enum(Outcome, by_value=True, required=True, allow_none=True, data_key="from")
    to = fields.Enum(Outcome, by_value=True, required=True)


class UpdateSchema(Schema):
    """What happened next: an update the study's council added after publication, approved by
    a moderator."""

    month = fields.Str(
        required=True,
        metadata={"description": "The month it is about, as YYYY-MM.", "example": "2027-03"},
    )
    markdown = fields.Str(required=True, metadata={"description": "As the council wrote it."})
    html = fields.Str(required=True, metadata={"description": "Rendered and sanitised."})
    outcome_change = fields.Nested(
        OutcomeChangeSchema,
        required=True,
        allow_none=True,
        metadata={"description": "The outcome it changed, from and to; null if none."},
    )
    published_at = fields.AwareDateTime(
        required=True, metadata={"description": "UTC: when it was approved."}
    )


class StudySchema(StudySummarySchema):
    """A study with every public field."""

    sections = fields.List(fields.Nested(SectionSchema), required=True)
    updates = fields.List(
        fields.Nested(UpdateSchema),
        required=True,
        metadata={"description": "Its approved updates, oldest first."},
    )
    tried_too = fields.List(
        fields.Nested(TriedTooSchema),
        required=True,
        metadata={"description": "Councils that said they tried this too."},
    )
    licence = fields.Nested(LicenceSchema, required=True)


class TopicSchema(Schema):
    slug = fields.Str(required=True)
    name = fields.Str(required=True)
    description = fields.Str(required=True)
    url = _url("The topic's page.")
    studies_url = _url("Its studies in the API.")
    published_studies = fields.Int(required=True)


class TopicListSchema(Schema):
    topics = fields.List(fields.Nested(TopicSchema), required=True)


class CouncilSchema(Schema):
    slug = fields.Str(required=True)
    name = fields.Str(required=True)
    nation = fields.Enum(Nation, by_value=True, required=True)
    type = fields.Enum(CouncilType, by_value=True, required=True, attribute="council_type")
    region = fields.Str(required=True)
    retired = fields.Bool(required=True, metadata={"description": "Merged or abolished."})
    url = _url("The council's page.")
    studies_url = _url("Its studies in the API.")
    published_studies = fields.Int(required=True)


class CouncilListSchema(Schema):
    councils = fields.List(fields.Nested(CouncilSchema), required=True)


class InvalidParamSchema(Schema):
    name = fields.Str(required=True)
    reason = fields.Str(required=True)


class ProblemSchema(Schema):
    """An error, as RFC 9457 describes."""

    type = fields.Str(required=True)
    title = fields.Str(required=True)
    status = fields.Int(required=True)
    detail = fields.Str(required=True)
    invalid_params = fields.List(fields.Nested(InvalidParamSchema), data_key="invalid-params")


# Query parameters. The board's own code reads the filters (board/browse/forms.py); these
# describe them for the OpenAPI document, with the same values and limits. An empty value
# means "any", as in the board's own addresses.
def _one_of(values, description: str) -> fields.Str:
    return fields.Str(
        validate=OneOf(["", *values]), metadata={"description": description + " Empty: any."}
    )


class FiltersQuerySchema(Schema):
    topic = fields.List(
        fields.Str(),
        metadata={"description": "A topic's slug; repeat for any of several."},
    )
    outcome = _one_of([outcome.value for outcome in Outcome], "The outcome.")
    council = fields.Str(
        validate=Length(max=MAX_COUNCIL_TEXT),
        metadata={
            "description": "A council's slug, or its name or a part of it naming only that "
            "council; one naming no council or several is refused."
        },
    )
    nation = _one_of([nation.value for nation in Nation], "The council's nation.")
    council_type = _one_of([kind.value for kind in CouncilType], "The type of council.")
    language = fields.List(
        fields.Str(validate=OneOf(["", *STUDY_LANGUAGES])),
        metadata={"description": "en or cy: studies written in it; repeat for either."},
    )
    q = fields.Str(
        validate=Length(max=MAX_QUERY_LENGTH),
        metadata={"description": "Words the study must all contain."},
    )
    sort = _one_of(API_SORTS, "newest (the default) or useful.")


class StudiesQuerySchema(FiltersQuerySchema):
    limit = fields.Int(
        validate=Range(min=1, max=MAX_LIMIT),
        load_default=DEFAULT_LIMIT,
        metadata={"description": f"Studies a page, {DEFAULT_LIMIT} unless set."},
    )
    cursor = fields.Str(
        validate=Length(max=500),
        metadata={"description": "Where the page starts: take it from the last page's next."},
    )


# Parameters that take one value (topic may be repeated).
SINGLE_VALUED = ("outcome", "council", "nation", "council_type", "q", "sort", "limit", "cursor")


# Questions: "Has any council tried...?" asked by members, public ones only.
class QuestionSummarySchema(Schema):
    """A question as the list shows it."""

    id = fields.Int(required=True)
    title = fields.Str(required=True)
    url = _url("The question's page, on the service's public address.")
    api_url = _url("This question in the API, with its answers.")
    council = fields.Nested(
        CouncilRefSchema, required=True, metadata={"description": "The council that asked."}
    )
    topics = fields.List(fields.Nested(TopicRefSchema), required=True)
    asked_at = fields.AwareDateTime(required=True, metadata={"description": "UTC."})
    answered = fields.Bool(
        required=True,
        metadata={"description": "True once the asking council marked an answer helpful."},
    )
    answered_at = fields.AwareDateTime(
        required=True,
        allow_none=True,
        metadata={"description": "UTC: when an answer was first marked helpful (null if none)."},
    )
    answer_count = fields.Int(required=True, metadata={"description": "Answers shown."})


class QuestionListSchema(Schema):
    questions = fields.List(fields.Nested(QuestionSummarySchema), required=True)
    next = fields.Url(
        required=True,
        allow_none=True,
        metadata={"description": "The next page (null on the last): follow it as it is."},
    )


class TextSchema(Schema):
    markdown = fields.Str(required=True, metadata={"description": "As it was written."})
    html = fields.Str(required=True, metadata={"description": "Rendered and sanitised."})


class AnsweredStudySchema(Schema):
    id = fields.Int(required=True)
    title = fields.Str(required=True)
    url = _url("The study's page.")
    api_url = _url("The study in the API.")


class AnswerSchema(Schema):
    """An answer a council gave."""

    id = fields.Int(required=True)
    council = fields.Nested(CouncilRefSchema, required=True)
    body = fields.Nested(TextSchema, required=True)
    answered_at = fields.AwareDateTime(required=True, metadata={"description": "UTC."})
    helpful = fields.Bool(
        required=True, metadata={"description": "The asking council marked it helpful."}
    )
    study = fields.Nested(
        AnsweredStudySchema,
        required=True,
        allow_none=True,
        metadata={
            "description": "The study the council attached (“we tried this”), when it is "
            "published and public; null otherwise."
        },
    )


class QuestionSchema(QuestionSummarySchema):
    """A question with its details and its answers."""

    details = fields.Nested(TextSchema, required=True)
    answers = fields.List(
        fields.Nested(AnswerSchema),
        required=True,
        metadata={"description": "Its answers, oldest first."},
    )


class QuestionsQuerySchema(Schema):
    topic = fields.List(
        fields.Str(),
        metadata={"description": "A topic's slug; repeat for any of several."},
    )
    answered = _one_of(
        ["true", "false"],
        "true: only questions with an answer marked helpful; false: only those without.",
    )
    limit = fields.Int(
        validate=Range(min=1, max=MAX_LIMIT),
        load_default=DEFAULT_LIMIT,
        metadata={"description": f"Questions a page, {DEFAULT_LIMIT} unless set."},
    )
    cursor = fields.Str(
        validate=Length(max=500),
        metadata={"description": "Where the page starts: take it from the last page's next."},
    )


QUESTIONS_SINGLE_VALUED = ("answered", "limit", "cursor")
