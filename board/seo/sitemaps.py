"""What the sitemaps list: published public studies, the topics, and the councils that have at
least one (a council page with nothing on it is not worth a search engine's visit).

A sitemap file holds at most 50,000 addresses, and the board may have 100,000 studies or more,
so /sitemap.xml is an index of parts: "pages" (the board, topics and councils) and
"studies-N", the published public studies whose ids are in the N-th block of STUDIES_PER_PART
ids. A block of ids never holds more than STUDIES_PER_PART studies, each study stays in the same
part for ever (so a part's address and its lastmod only change when its own studies do), and a
part is read by a range of the primary key: no OFFSET, however many parts. The index lists only
the blocks that have a published public study. Every query reads ids, titles and dates only.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, func, literal_column, select

from board.browse.queries import topics_query, visible_conditions
from board.extensions import db
from board.models import CaseStudy, Council, Topic, case_study_topics

STUDIES_PER_PART = 50_000


def _public() -> list:
    """A visitor's conditions: published and public."""
    return visible_conditions(None)


def study_parts() -> list[tuple[int, datetime]]:
    """(part number, when its newest change was) for each block of ids with a public study."""
    # Floor division of integers: "/" on both databases, for ids of 1 and more. Literals, not
    # bound parameters: PostgreSQL must see the same expression in SELECT and GROUP BY.
    one = literal_column("1", Integer)
    block = (CaseStudy.id - one) // literal_column(str(STUDIES_PER_PART), Integer)
    rows = db.session.execute(
        select(block, func.max(CaseStudy.updated_at))
        .where(*_public())
        .group_by(block)
        .order_by(block)
    ).all()
    return [(index + 1, updated) for index, updated in rows]


def studies_in_part(number: int):
    """(id, title, updated_at) of the public studies in part ``number``, in id order."""
    first = (number - 1) * STUDIES_PER_PART + 1
    return db.session.execute(
        select(CaseStudy.id, CaseStudy.title, CaseStudy.updated_at)
        .where(*_public(), CaseStudy.id.between(first, first + STUDIES_PER_PART - 1))
        .order_by(CaseStudy.id)
    )


def topics_with_dates() -> list[tuple[Topic, datetime | None]]:
    """Every topic, with when its newest public study last changed (None if it has none)."""
    newest = dict(
        db.session.execute(
            select(case_study_topics.c.topic_id, func.max(CaseStudy.updated_at))
            .join(CaseStudy, CaseStudy.id == case_study_topics.c.case_study_id)
            .where(*_public())
            .group_by(case_study_topics.c.topic_id)
        ).all()
    )
    return [(topic, newest.get(topic.id)) for topic in db.session.scalars(topics_query())]


def councils_with_dates():
    """(slug, when its newest public study last changed) of councils with a public study."""
    return db.session.execute(
        select(Council.slug, func.max(CaseStudy.updated_at))
        .join(CaseStudy, CaseStudy.council_id == Council.id)
        .where(*_public())
        .group_by(Council.id, Council.slug)
        .order_by(Council.slug)
    ).all()
