"""Fill an empty, migrated database with synthetic councils, authors and case studies.

Rows go in with bulk inserts (Core executemany in chunks), so 100,000 studies take a minute or
two; the search index fills itself through the migration's triggers or generated column.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from sqlalchemy import Connection, func, insert, select, text

from bench import synthetic
from board.models import (
    CaseStudy,
    Council,
    CouncilDomain,
    CouncilRole,
    Role,
    Topic,
    User,
    case_study_topics,
)

COUNCILS = 400
CHUNK = 2000
# Stands in for a password hash: the bench accounts never sign in.
NO_PASSWORD = "!bench-account-without-a-password"  # noqa: S105 (not a secret)


def study_count(connection: Connection) -> int:
    return connection.scalar(select(func.count()).select_from(CaseStudy.__table__)) or 0


def fill(
    connection: Connection,
    studies: int,
    seed: int = 20261125,
    progress: Callable[[str], None] = print,
) -> None:
    """Add ``studies`` case studies (and 400 councils with an author each) to an empty board."""
    if study_count(connection):
        raise RuntimeError("the database already has case studies; fill an empty one")
    rng = random.Random(seed)
    now = synthetic.utc_now()
    started = time.monotonic()
    topic_ids = list(connection.scalars(select(Topic.id).order_by(Topic.position)))

    councils = synthetic.councils(COUNCILS, rng)
    council_columns = ("slug", "name", "nation", "region", "council_type", "website")
    council_ids = connection.scalars(
        insert(Council.__table__).returning(Council.id, sort_by_parameter_order=True),
        [{key: council[key] for key in council_columns} for council in councils],
    ).all()
    for council, council_id in zip(councils, council_ids, strict=True):
        council["id"] = council_id
    connection.execute(
        insert(CouncilDomain.__table__),
        [{"council_id": council["id"], "domain": council["domain"]} for council in councils],
    )
    author_ids = connection.scalars(
        insert(User.__table__).returning(User.id, sort_by_parameter_order=True),
        [
            {
                "email": f"digital.team@{council['domain']}",
                "name": f"Digital team, {council['name']}",
                "password_hash": NO_PASSWORD,
                "council_role": CouncilRole.OFFICER,
                "job_title": "Digital services team",
                "role": Role.MEMBER,
                "council_id": council["id"],
                "created_at": now,
                "email_confirmed_at": now,
                "verified_at": now,
                "active": True,
            }
            for council in councils
        ],
    ).all()
    for council, author_id in zip(councils, author_ids, strict=True):
        council["author_id"] = author_id

    study_insert = insert(CaseStudy.__table__).returning(CaseStudy.id, sort_by_parameter_order=True)
    for first in range(0, studies, CHUNK):
        numbers = range(first, min(first + CHUNK, studies))
        rows = [
            synthetic.study_row(number, studies, rng, rng.choice(councils), now)
            for number in numbers
        ]
        ids = connection.scalars(study_insert, rows).all()
        connection.execute(
            insert(case_study_topics),
            [
                {"case_study_id": study_id, "topic_id": topic_id}
                for study_id in ids
                for topic_id in synthetic.topic_ids_for(rng, topic_ids)
            ],
        )
        if (first // CHUNK) % 10 == 9 or first + CHUNK >= studies:
            done = min(first + CHUNK, studies)
            progress(f"  {done:,} studies ({time.monotonic() - started:.0f} s)")


def tidy(connection: Connection) -> None:
    """What a running service does in the background: merge the FTS5 segments written by the
    bulk load, and refresh the planner's statistics. (PostgreSQL's VACUUM ANALYZE runs
    separately, outside a transaction.)"""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text("INSERT INTO case_studies_fts(case_studies_fts) VALUES ('optimize')")
        )
        connection.execute(text("ANALYZE"))
