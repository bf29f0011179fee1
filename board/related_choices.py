"""A study page's related studies, chosen when the study is published and read back by id.

Finding a study's related studies (board/related.py) is a full-text search over the board: on
100,000 studies about 1 ms on SQLite and 2 to 3 ms of PostgreSQL's time, the dearest part of a
study page, and the same answer for every view until the board changes. So they are chosen
when a study is published (approve: its first publication, or an approved edit of its title,
summary, topics or visibility), with find_related as the page used to ask, and kept in
related_choices (board/models/related_choice.py): RELATED_KEPT ids for members (every
published study) and RELATED_KEPT for visitors (public ones only), closest first.

Reading them back (stored_related) is one statement that reads those ids' studies under the
same conditions find_related applies (published; public for visitors), so a study unpublished,
withdrawn, deleted or made members-only since it was chosen drops out; the first RELATED_LIMIT
left are shown, in the order chosen. Keeping more than are shown leaves some to fill the gaps.
The row is read with the study (board/case_studies/queries.py STUDY), so a page learns whether
its study has been chosen for without another statement; one that has not (published before
migration 0020, or written straight into the database) is searched for on each view as before.

How fresh: a study's own list is chosen again whenever it is published, and publishing a study
chooses again the lists of the studies it found (similarity is mostly mutual: they are the
lists it is likeliest to enter). A list can still miss a study published later that it would
rank higher without that study ranking it back, until `flask related choose --all` (after a
large import, or nightly) chooses every list again.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, bindparam, select
from sqlalchemy.dialects import postgresql, sqlite

from board.extensions import db
from board.models import (
    CaseStudy,
    Council,
    RelatedChoice,
    Status,
    Visibility,
    case_study_topics,
)
from board.models.base import utcnow
from board.related import (
    RELATED_COLUMNS,
    RELATED_LIMIT,
    RelatedStudy,
    find_related,
    related_study,
)

# How many ids are kept for each audience: RELATED_LIMIT and a few spare.
RELATED_KEPT = 8


def _ids_text(studies: list[RelatedStudy]) -> str:
    return ",".join(str(study.id) for study in studies)


def choose(study_ids: Iterable[int]) -> None:
    """Choose the related studies of each published study of ``study_ids`` and keep them, in
    the session's transaction (a study not published is left alone)."""
    _keep(_chosen_rows(study_ids))


def _chosen_rows(study_ids: Iterable[int]) -> list[dict]:
    """The rows of related_choices for the published studies of ``study_ids``, chosen now."""
    ids = sorted(set(study_ids))
    if not ids:
        return []
    studies = db.session.execute(
        select(CaseStudy.id, CaseStudy.title, CaseStudy.summary).where(
            CaseStudy.id.in_(ids), CaseStudy.status == Status.PUBLISHED
        )
    ).all()
    topics = _topic_ids_of([study.id for study in studies])
    rows = []
    for study in studies:
        text = f"{study.title}\n{study.summary}"
        study_topics = topics.get(study.id, [])
        for_members = find_related(text, study_topics, True, study.id, limit=RELATED_KEPT)
        for_visitors = find_related(text, study_topics, False, study.id, limit=RELATED_KEPT)
        rows.append(
            {
                "study_id": study.id,
                "for_members": _ids_text(for_members),
                "for_visitors": _ids_text(for_visitors),
                "chosen_at": utcnow(),
            }
        )
    return rows


def _topic_ids_of(study_ids: list[int]) -> dict[int, list[int]]:
    topics: dict[int, list[int]] = {}
    if not study_ids:
        return topics
    pairs = db.session.execute(
        select(case_study_topics.c.case_study_id, case_study_topics.c.topic_id).where(
            case_study_topics.c.case_study_id.in_(study_ids)
        )
    )
    for study_id, topic_id in pairs:
        topics.setdefault(study_id, []).append(topic_id)
    return topics


def _keep(rows: list[dict]) -> None:
    """Write ``rows`` (new or replacing), all in one statement and in order of study: two
    transactions choosing for some of the same studies (two moderators publishing at once) then
    lock them in the same order, and never each wait for a row the other holds."""
    if not rows:
        return
    rows = sorted(rows, key=lambda row: row["study_id"])
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(RelatedChoice)
    statement = statement.on_conflict_do_update(
        index_elements=[RelatedChoice.study_id],
        set_={
            "for_members": statement.excluded.for_members,
            "for_visitors": statement.excluded.for_visitors,
            "chosen_at": statement.excluded.chosen_at,
        },
    )
    db.session.execute(statement, rows)


def chosen_ids(text: str | None) -> list[int] | None:
    """The ids a row keeps ("812,77,5"), or None when none were chosen (``text`` is None)."""
    if text is None:
        return None
    return [int(study_id) for study_id in text.split(",") if study_id]


def after_publishing(study: CaseStudy) -> None:
    """Choose ``study``'s related studies, and again those of the studies it found: it may now
    belong among theirs. Called in the transaction that publishes it, after the flush."""
    own = _chosen_rows([study.id])
    found = {
        study_id
        for row in own
        for study_id in chosen_ids(row["for_members"]) + chosen_ids(row["for_visitors"])
    }
    _keep(own + _chosen_rows(found - {study.id}))


# The studies of some chosen ids that the audience may read, with what the section shows: built
# once for each audience, the ids an expanding parameter.
def _chosen_statement(members: bool):
    conditions = [
        CaseStudy.id.in_(bindparam("chosen_ids", type_=Integer, expanding=True)),
        CaseStudy.status == Status.PUBLISHED,
    ]
    if not members:
        conditions.append(CaseStudy.visibility == Visibility.PUBLIC)
    return (
        select(*RELATED_COLUMNS)
        .join(Council, Council.id == CaseStudy.council_id)
        .where(*conditions)
    )


_CHOSEN_FOR_MEMBERS = _chosen_statement(members=True)
_CHOSEN_FOR_VISITORS = _chosen_statement(members=False)


def stored_related(ids: list[int], members: bool) -> list[RelatedStudy]:
    """The first RELATED_LIMIT of the chosen ``ids`` that are still published (and public,
    unless ``members``), in the order they were chosen; one statement, none for no ids."""
    if not ids:
        return []
    statement = _CHOSEN_FOR_MEMBERS if members else _CHOSEN_FOR_VISITORS
    rows = {row.id: row for row in db.session.execute(statement, {"chosen_ids": ids})}
    found = []
    for study_id in ids:
        row = rows.get(study_id)
        if row is None:
            continue
        found.append(related_study(row))
        if len(found) == RELATED_LIMIT:
            break
    return found


def unchosen_published_ids(everything: bool) -> list[int]:
    """Published studies with no related studies chosen yet (every published one, if
    ``everything``), in order of id."""
    query = select(CaseStudy.id).where(CaseStudy.status == Status.PUBLISHED)
    if not everything:
        query = query.where(
            ~select(RelatedChoice.study_id).where(RelatedChoice.study_id == CaseStudy.id).exists()
        )
    return list(db.session.scalars(query.order_by(CaseStudy.id)))
