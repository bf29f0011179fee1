"""GET /feeds/questions.atom: the newest public questions councils asked one another, for any
of the topics in ``topic`` (repeated), as the question list filters them.

Built as /feeds/latest.atom is (board/feeds/atom.py: one Jinja template, autoescaped, every
text through ``xml_text``), and the same for whoever asks: only public questions that are not
hidden (board/questions/open_data.py). It is not kept in the board's results cache, whose
counter moves with studies, not questions; caches in front may keep it for a minute like any
open data (board/http_cache.py). Three queries, whatever it holds.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import quote, urlencode, urlsplit

from flask import Response, render_template, request, url_for
from sqlalchemy import Select, exists, select
from werkzeug.datastructures import MultiDict

from board.browse import queries as board_queries
from board.browse.routes import PATH_SAFE
from board.extensions import db
from board.feeds import bp
from board.feeds.atom import EMPTY_FEED_UPDATED, FEED_SIZE, TAG_DATE, Feed
from board.feeds.links import QUERY_SAFE
from board.feeds.routes import ATOM
from board.forms import without_control_characters
from board.models import Council, Question, Topic, question_topics
from board.questions.addresses import QUESTIONS_PATH, question_path
from board.questions.open_data import open_conditions
from board.urls import public_url


@dataclass(frozen=True)
class QuestionEntry:
    question: Question
    council: Council
    topics: list[Topic]
    updated: datetime
    url: str
    tag: str
    council_url: str
    # The details as sanitised HTML, for the entry's content (escaped again by the template).
    details_html: str


def chosen_topics(args: MultiDict, topics: list[Topic]) -> tuple[list[Topic], list[str]]:
    """The topics ``args`` names, in the topics' order, and what in it names no topic."""
    by_slug = {topic.slug: topic for topic in topics}
    chosen, wrong = [], []
    for slug in args.getlist("topic"):
        slug = without_control_characters(slug).strip()
        if not slug:
            continue
        if slug not in by_slug:
            wrong.append(f"“{slug[:80]}” is not a topic.")
        elif by_slug[slug] not in chosen:
            chosen.append(by_slug[slug])
    return sorted(chosen, key=lambda topic: topic.position), wrong


def questions_feed_path(topic_slugs=()) -> str:
    """The feed's path for questions on any of ``topic_slugs`` (slugs or topics), in the
    order given; the same topics always make the same address."""
    slugs = [getattr(topic, "slug", topic) for topic in topic_slugs]
    path = url_for("feeds.questions")
    pairs = [("topic", slug) for slug in dict.fromkeys(slugs) if slug]
    return path + "?" + urlencode(pairs, safe=QUERY_SAFE) if pairs else path


def newest_questions_query(topic_ids: list[int], limit: int = FEED_SIZE) -> Select:
    conditions = open_conditions()
    if topic_ids:
        conditions.append(
            exists().where(
                question_topics.c.question_id == Question.id,
                question_topics.c.topic_id.in_(topic_ids),
            )
        )
    return (
        select(Question, Council)
        .join(Council, Council.id == Question.council_id)
        .where(*conditions)
        .order_by(Question.created_at.desc(), Question.id.desc())
        .limit(limit)
    )


def build_questions_feed(args: MultiDict) -> Feed:
    """The feed for the topics in ``args``, or a 400 saying what in them is wrong."""
    topics = list(db.session.scalars(board_queries.topics_query()))
    chosen, wrong = chosen_topics(args, topics)
    if wrong:
        return Feed(400, "This feed's address has a topic we cannot use: " + " ".join(wrong))
    rows = db.session.execute(newest_questions_query([topic.id for topic in chosen])).all()
    entries = _entries(rows, topics)
    updated = max((entry.updated for entry in entries), default=EMPTY_FEED_UPDATED)
    own_path = questions_feed_path(chosen)
    query = urlsplit(own_path).query
    named = ", ".join(topic.name for topic in chosen)
    body = render_template(
        "feeds/questions.atom.xml",
        title=f"Questions: {named}" if named else "Latest questions",
        feed_url=public_url(own_path),
        list_url=public_url(QUESTIONS_PATH + (f"?{query}" if query else "")),
        entries=entries,
        updated=updated,
        public_url=public_url,
    )
    return Feed(200, body, updated)


def _entries(rows, topics: list[Topic]) -> list[QuestionEntry]:
    if not rows:
        return []
    by_id = {topic.id: topic for topic in topics}
    topic_ids = defaultdict(list)
    for question_id, topic_id in db.session.execute(
        select(question_topics.c.question_id, question_topics.c.topic_id).where(
            question_topics.c.question_id.in_([question.id for question, _ in rows])
        )
    ):
        if topic_id in by_id:
            topic_ids[question_id].append(by_id[topic_id])
    host = urlsplit(public_url("/")).hostname
    councils = public_url(url_for("browse.council", slug="s").removesuffix("/s"))
    return [
        QuestionEntry(
            question=question,
            council=council,
            topics=sorted(topic_ids[question.id], key=lambda topic: topic.position),
            updated=max(question.created_at, question.edited_at or question.created_at),
            url=public_url(question_path(question.id, question.title)),
            tag=f"tag:{host},{TAG_DATE}:questions/{question.id}",
            council_url=f"{councils}/{quote(council.slug, safe=PATH_SAFE)}",
            details_html=str(question.rendered("details")) if question.details else "",
        )
        for question, council in rows
    ]


@bp.get("/feeds/questions.atom")
def questions():
    """A visitor's view whoever asks, with an ETag and Last-Modified, shareable by caches."""
    feed = build_questions_feed(request.args)
    if feed.status != 200:
        return Response(feed.body, status=feed.status, mimetype="text/plain")
    response = Response(feed.body, content_type=ATOM)
    response.last_modified = feed.updated
    return response


@bp.app_template_global()
def questions_feed_url(topic_slugs=()) -> str:
    """The questions feed's address on the public address, for <link rel="alternate">
    (templates/questions/_feed_link.html)."""
    return public_url(questions_feed_path(topic_slugs))
