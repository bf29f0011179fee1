"""GET /api/v1/questions and /api/v1/questions/<id>: the questions councils ask one another
("Has any council tried...?") and the answers they get, as open data.

Only public questions that are not hidden are ever in an answer (board/questions/open_data.py),
whoever asks: like every answer under /api/v1 it is a visitor's. Answers come without the
hidden ones, and an attached study only when it is published and public. Neither who asked nor
who answered is shown: the council is.

Unlike the studies, a page of questions is not kept in the board's results cache: the board's
change counter moves with studies, not with questions, so a kept page could hide a question for
a minute. The answer is still shareable by caches (Cache-Control and ETag, as every open-data
answer: board/http_cache.py), and a list costs four queries whatever the page size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC

from flask import jsonify, request
from sqlalchemy import Select, and_, exists, func, or_, select
from werkzeug.datastructures import MultiDict

from board.api import bp, cursor, spec
from board.api.cursor import LARGEST_ID, Position
from board.api.problems import InvalidParams, problem
from board.api.routes import limited
from board.api.schemas import (
    DEFAULT_LIMIT,
    QUESTIONS_SINGLE_VALUED,
    QuestionListSchema,
    QuestionSchema,
    QuestionsQuerySchema,
)
from board.api.studies import read_limit
from board.browse import queries as board_queries
from board.extensions import db
from board.forms import without_control_characters
from board.models import Answer, CaseStudy, Council, Question, Topic, question_topics
from board.models.case_study import title_slug
from board.questions.addresses import question_url
from board.questions.open_data import (
    open_conditions,
    open_study_conditions,
    visible_answer_conditions,
)
from board.urls import public_url_for

# Questions' cursors are signed apart from the studies': one list's cursor is no use in the other.
CURSOR_SALT = "api-questions-cursor"
ORDER = "newest"
ANSWERED = {"true": True, "false": False, "": None}

LIST_COLUMNS = (
    Question.id,
    Question.title,
    Question.created_at,
    Question.answered_at,
    Council.slug.label("council_slug"),
    Council.name.label("council_name"),
    Council.nation.label("council_nation"),
    Council.council_type.label("council_type"),
)


@dataclass
class QuestionsQuery:
    """What a request for questions asked: topics (any of), answered or not, a page."""

    topics: list[Topic]
    chosen: list[Topic]
    answered: bool | None = None
    limit: int = DEFAULT_LIMIT
    after: Position | None = None

    def conditions(self) -> list:
        conditions = open_conditions()
        if self.chosen:
            conditions.append(
                exists().where(
                    question_topics.c.question_id == Question.id,
                    question_topics.c.topic_id.in_([topic.id for topic in self.chosen]),
                )
            )
        if self.answered is True:
            conditions.append(Question.answered_at.is_not(None))
        elif self.answered is False:
            conditions.append(Question.answered_at.is_(None))
        return conditions

    def args(self) -> dict:
        args: dict = {}
        if self.chosen:
            args["topic"] = [topic.slug for topic in self.chosen]
        if self.answered is not None:
            args["answered"] = "true" if self.answered else "false"
        if self.limit != DEFAULT_LIMIT:
            args["limit"] = self.limit
        return args


def read_questions_query(args: MultiDict) -> QuestionsQuery:
    """The filters, limit and cursor of a request; InvalidParams for every value the API
    cannot use (an unknown topic, an answered that is neither true nor false...)."""
    topics = list(db.session.scalars(board_queries.topics_query()))
    by_slug = {topic.slug: topic for topic in topics}
    invalid = [
        {"name": name, "reason": "Give it once."}
        for name in QUESTIONS_SINGLE_VALUED
        if len(args.getlist(name)) > 1
    ]
    asked = [without_control_characters(slug).strip() for slug in args.getlist("topic")]
    if len(asked) > len(topics):
        invalid.append({"name": "topic", "reason": f"At most {len(topics)} topics."})
    chosen: list[Topic] = []
    for slug in asked:
        if slug and slug not in by_slug:
            invalid.append({"name": "topic", "reason": f"“{slug[:80]}” is not a topic."})
        elif slug and by_slug[slug] not in chosen:
            chosen.append(by_slug[slug])
    chosen.sort(key=lambda topic: topic.position)
    # Spaces around it go; any other character (a control character, which str.strip would
    # also take for space) makes it neither true nor false.
    answered_text = args.get("answered", "").strip(" ").lower()
    if answered_text not in ANSWERED:
        invalid.append(
            {
                "name": "answered",
                "reason": f"“{answered_text[:80]}” is not true or false.",
            }
        )
    query = QuestionsQuery(topics=topics, chosen=chosen, answered=ANSWERED.get(answered_text))
    query.limit = read_limit(args, invalid)
    text = args.get("cursor", "")
    if text:
        try:
            query.after = cursor.decode(text, ORDER, salt=CURSOR_SALT)
        except cursor.BadCursor as error:
            invalid.append({"name": "cursor", "reason": f"The cursor {error}."})
    if invalid:
        raise InvalidParams(invalid)
    return query


def _after(position: Position):
    """Questions after this one, newest first, the id last."""
    return or_(
        Question.created_at < position.published_at,
        and_(Question.created_at == position.published_at, Question.id < position.id),
    )


def questions_page_query(query: QuestionsQuery, limit: int) -> Select:
    where = query.conditions()
    if query.after is not None:
        where.append(_after(query.after))
    return (
        select(*LIST_COLUMNS)
        .join(Council, Council.id == Question.council_id)
        .where(*where)
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(limit)
    )


def find_page(query: QuestionsQuery) -> tuple[list[dict], Position | None]:
    """One page of questions, and where the next starts (None on the last)."""
    rows = db.session.execute(questions_page_query(query, query.limit + 1)).all()
    page = rows[: query.limit]
    more = len(rows) > query.limit
    position = Position(ORDER, page[-1].created_at, page[-1].id) if more else None
    return summaries(page, query.topics), position


def summaries(rows, topics: list[Topic]) -> list[dict]:
    """List entries, with their topics and how many answers show: two queries for the page."""
    if not rows:
        return []
    ids = [row.id for row in rows]
    by_id = {topic.id: topic for topic in topics}
    topic_ids = defaultdict(list)
    for question_id, topic_id in db.session.execute(
        select(question_topics.c.question_id, question_topics.c.topic_id).where(
            question_topics.c.question_id.in_(ids)
        )
    ):
        topic_ids[question_id].append(topic_id)
    counts = dict(
        db.session.execute(
            select(Answer.question_id, func.count(Answer.id))
            .where(Answer.question_id.in_(ids), *visible_answer_conditions())
            .group_by(Answer.question_id)
        ).all()
    )
    api_at = public_url_for("api.question", question_id=1).removesuffix("/1")
    return [
        {
            "id": row.id,
            "title": row.title,
            "url": question_url(row.id, row.title),
            "api_url": f"{api_at}/{row.id}",
            "council": {
                "slug": row.council_slug,
                "name": row.council_name,
                "nation": row.council_nation,
                "council_type": row.council_type,
            },
            "topics": sorted(
                (by_id[topic_id] for topic_id in topic_ids[row.id] if topic_id in by_id),
                key=lambda topic: topic.position,
            ),
            "asked_at": row.created_at.astimezone(UTC),
            "answered": row.answered_at is not None,
            "answered_at": row.answered_at and row.answered_at.astimezone(UTC),
            "answer_count": counts.get(row.id, 0),
        }
        for row in rows
    ]


def next_url(query: QuestionsQuery, position: Position | None) -> str | None:
    if position is None:
        return None
    args = query.args()
    args["cursor"] = cursor.encode(position, salt=CURSOR_SALT)
    return public_url_for("api.questions", **args)


def open_question_query(question_id: int) -> Select[tuple[Question]]:
    return select(Question).where(Question.id == question_id, *open_conditions())


def answers_query(question_id: int) -> Select:
    """A question's visible answers, oldest first, each with its council and the attached
    study's id and title when a visitor may read it (published and public; else None)."""
    return (
        select(Answer, Council, CaseStudy.id.label("study_id"), CaseStudy.title.label("title"))
        .join(Council, Council.id == Answer.council_id)
        .outerjoin(CaseStudy, and_(CaseStudy.id == Answer.study_id, *open_study_conditions()))
        .where(Answer.question_id == question_id, *visible_answer_conditions())
        .order_by(Answer.created_at, Answer.id)
    )


def question_detail(question: Question) -> dict:
    """A public question with its details and its visible answers: three queries in all."""
    answers = []
    for answer, council, study_id, study_title in db.session.execute(answers_query(question.id)):
        study = None
        if study_id is not None:
            study = {
                "id": study_id,
                "title": study_title,
                "url": public_url_for(
                    "case_studies.show", study_id=study_id, slug=title_slug(study_title)
                ),
                "api_url": public_url_for("api.study", study_id=study_id),
            }
        answers.append(
            {
                "id": answer.id,
                "council": council,
                "body": {"markdown": answer.body, "html": str(answer.rendered("body"))},
                "answered_at": answer.created_at.astimezone(UTC),
                "helpful": answer.helpful_at is not None,
                "study": study,
            }
        )
    return {
        "id": question.id,
        "title": question.title,
        "url": question_url(question.id, question.title),
        "api_url": public_url_for("api.question", question_id=question.id),
        "council": question.council,
        "topics": question.topics,
        "asked_at": question.created_at.astimezone(UTC),
        "answered": question.answered_at is not None,
        "answered_at": question.answered_at and question.answered_at.astimezone(UTC),
        "answer_count": len(answers),
        "details": {"markdown": question.details, "html": str(question.rendered("details"))},
        "answers": answers,
    }


@bp.get("/api/v1/questions")
@limited
@spec.operation(query=QuestionsQuerySchema, answer=QuestionListSchema, tag="Questions")
def questions():
    """Public questions councils asked one another, newest first, a page at a time.

    Filter by topic (several) and by whether an answer was marked helpful. Follow ``next`` for
    the following page: pages never skip or repeat a question.
    """
    query = read_questions_query(request.args)
    items, position = find_page(query)
    page = QuestionListSchema().dump({"questions": items, "next": next_url(query, position)})
    response = jsonify(page)
    if page["next"]:
        response.headers["Link"] = f'<{page["next"]}>; rel="next"'
    return response


@bp.get("/api/v1/questions/<int:question_id>")
@limited
@spec.operation(answer=QuestionSchema, missing="No public question has this id.", tag="Questions")
def question(question_id: int):
    """One public question, with its answers.

    Details and answers come as the Markdown written and as sanitised HTML. An answer's study
    is given only when it is published and public.
    """
    found = None
    if question_id <= LARGEST_ID:
        found = db.session.scalar(open_question_query(question_id))
    if found is None:
        return problem(404, f"There is no public question {question_id}.")
    return jsonify(QuestionSchema().dump(question_detail(found)))
