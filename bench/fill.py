"""Fill a database with synthetic councils, authors, members and case studies.

``prepare_database`` is the whole job: migrate, fill when empty, tidy. Studies go in with bulk
inserts (Core executemany in chunks), so 100,000 studies take a few minutes; the search index
fills itself through the migration's triggers or generated column. The discussion (one study
with 30 comments) is written through the app's own comment service, so whatever the app does
when a comment is saved happens to these too.

A database filled earlier is reused: ``prepare_database`` migrates it to the newest schema
(``flask db upgrade``) rather than filling it again, and tidies it when the schema moved.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable

from flask import Flask
from sqlalchemy import Connection, Select, func, insert, inspect, select, text

from bench import synthetic
from board.models import (
    CaseStudy,
    Comment,
    Council,
    CouncilDomain,
    CouncilRole,
    Role,
    Status,
    Topic,
    User,
    Visibility,
    case_study_topics,
)

COUNCILS = 400
CHUNK = 2000
# Stands in for a password hash: the authors' accounts never sign in.
NO_PASSWORD = "!bench-account-without-a-password"  # noqa: S105 (not a secret)
# Members who sign in during the mixed load and mark studies "Useful".
MEMBERS = 20
MEMBER_PASSWORD = "bench member password, not secret"  # noqa: S105 (bench databases only)
MEMBER_DOMAIN = "members.bench.example"
DISCUSSION_COMMENTS = 30
# The newest public studies, whose pages the mixed load opens (bench/mixed.py).
READ_STUDIES = 2000


def newest_public_studies_query(count: int, *columns) -> Select:
    """The ``count`` newest published public studies (``columns`` of them, newest first): the
    studies a visitor sees first, whose pages the benchmark opens."""
    return (
        select(*columns)
        .where(CaseStudy.status == Status.PUBLISHED, CaseStudy.visibility == Visibility.PUBLIC)
        .order_by(CaseStudy.published_at.desc(), CaseStudy.id.desc())
        .limit(count)
    )


def member_email(number: int) -> str:
    return f"member{number}@{MEMBER_DOMAIN}"


def prepare_database(app: Flask, studies: int) -> bool:
    """Bring the app's database to a board of ``studies`` studies at the newest schema; return
    whether anything changed (a fresh fill, or a migration of a filled database).

    The database must be empty or filled by this module with the same number of studies (the
    callers wipe it otherwise, see ``is_filled``)."""
    from flask_migrate import upgrade

    from board.extensions import db

    with app.app_context():
        revision_before = schema_revision(db.engine)
        upgrade()
        schema_moved = revision_before is not None and schema_revision(db.engine) != revision_before
        fresh = False
        with db.engine.begin() as connection:
            if not study_count(connection):
                started = time.monotonic()
                print(f"Filling with {studies:,} studies")
                fill(connection, studies)
                add_members(connection, MEMBERS)
                print(f"Studies and members in {time.monotonic() - started:.0f} s")
                fresh = True
        if fresh:
            add_discussion(app, DISCUSSION_COMMENTS)
        if fresh or schema_moved:
            render_read_studies(app)
            with db.engine.begin() as connection:
                tidy(connection)
        chose = choose_related_of_read_studies(app)
        if chose:
            print(f"Related studies chosen for {chose:,} studies")
        db.engine.dispose()
    return fresh or schema_moved or bool(chose)


def schema_revision(engine) -> str | None:
    """The migration the database is at, or None before the first."""
    if not inspect(engine).has_table("alembic_version"):
        return None
    with engine.connect() as connection:
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def is_filled(connection: Connection, studies: int) -> bool:
    """Whether the database holds a board this module filled with ``studies`` studies: the
    studies, the members and the discussion. (Its schema may be older: it is migrated.)"""
    tables = inspect(connection)
    if not all(tables.has_table(name) for name in ("case_studies", "users", "comments")):
        return False
    members = connection.scalar(
        select(func.count())
        .select_from(User.__table__)
        .where(User.email.like(f"%@{MEMBER_DOMAIN}"))
    )
    return (
        study_count(connection) == studies
        and members == MEMBERS
        and discussion_study(connection) is not None
    )


def discussion_study(connection: Connection) -> int | None:
    """The id of the study with the discussion (the one with the most comments), if any."""
    return connection.scalar(
        select(Comment.case_study_id)
        .group_by(Comment.case_study_id)
        .having(func.count() >= DISCUSSION_COMMENTS)
        .order_by(func.count().desc())
        .limit(1)
    )


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


def add_members(connection: Connection, count: int) -> list[str]:
    """``count`` verified members who can sign in, spread over the councils; their emails."""
    from board.auth.passwords import hash_password

    password_hash = hash_password(MEMBER_PASSWORD)
    now = synthetic.utc_now()
    council_ids = list(connection.scalars(select(Council.id).order_by(Council.id)))
    emails = [member_email(number) for number in range(count)]
    connection.execute(
        insert(User.__table__),
        [
            {
                "email": email,
                "name": f"Bench member {number}",
                "password_hash": password_hash,
                "role": Role.MEMBER,
                "council_role": CouncilRole.OFFICER,
                "job_title": "Digital officer",
                # Spread over the list, so members are from different councils.
                "council_id": council_ids[(number * 37) % len(council_ids)],
                "created_at": now,
                "email_confirmed_at": now,
                "verified_at": now,
                "active": True,
            }
            for number, email in enumerate(emails)
        ],
    )
    return emails


def add_discussion(app: Flask, comments: int, seed: int = 20261126) -> int:
    """Post ``comments`` comments, about a quarter of them replies, by the bench members on the
    newest published public study, through the app's comment service; return the study's id."""
    from board.comments.services import post_comment
    from board.extensions import db

    rng = random.Random(seed)
    with app.test_request_context(base_url=app.config["PUBLIC_URL"]):
        study = db.session.scalar(newest_public_studies_query(1, CaseStudy))
        members = db.session.scalars(
            select(User).where(User.email.like(f"%@{MEMBER_DOMAIN}")).order_by(User.id)
        ).all()
        posted: list[Comment] = []
        for number in range(comments):
            author = members[number % len(members)]
            top_level = [comment for comment in posted if comment.parent_id is None]
            parent = rng.choice(top_level) if top_level and number % 4 == 3 else None
            posted.append(post_comment(study, author, synthetic.comment_text(rng), parent))
        db.session.commit()
        return study.id


def render_read_studies(app: Flask, count: int = READ_STUDIES) -> int:
    """Store the rendered HTML (board/rendering.py) of the studies the benchmark opens, and of
    their comments: the newest published public ones, the discussion's among them. The bulk
    insert leaves it empty, as a bulk import would in a real service until `flask markdown
    rerender` runs; rendering all 100,000 studies would take tens of minutes and nothing here
    reads the others."""
    from board.extensions import db

    with app.app_context():
        ids = db.session.scalars(newest_public_studies_query(count, CaseStudy.id)).all()
        for start in range(0, len(ids), 200):
            chunk = ids[start : start + 200]
            for study in db.session.scalars(select(CaseStudy).where(CaseStudy.id.in_(chunk))):
                study.render_markdown_fields()
            for comment in db.session.scalars(
                select(Comment).where(Comment.case_study_id.in_(chunk))
            ):
                comment.render_markdown_fields()
            db.session.commit()
        return len(ids)


def choose_related_of_read_studies(app: Flask, count: int = READ_STUDIES) -> int:
    """Choose the related studies (board/related_choices.py) of the studies the benchmark opens
    that have none chosen yet, as publishing them would have: the bulk insert publishes without
    choosing, as a bulk import would until `flask related choose` runs, and choosing for all
    100,000 studies would take minutes that nothing here reads. Whatever else the benchmark
    does, such as "Useful" marks, never changes a choice."""
    from board import related_choices
    from board.extensions import db
    from board.models import RelatedChoice

    with app.app_context():
        ids = db.session.scalars(newest_public_studies_query(count, CaseStudy.id)).all()
        chosen = set(db.session.scalars(select(RelatedChoice.study_id)))
        unchosen = [study_id for study_id in ids if study_id not in chosen]
        for start in range(0, len(unchosen), 200):
            related_choices.choose(unchosen[start : start + 200])
            db.session.commit()
        return len(unchosen)


def tidy(connection: Connection) -> None:
    """What a running service does in the background: merge the FTS5 segments written by the
    bulk load, and refresh the planner's statistics, which choosing related studies next
    needs (without them, each of PostgreSQL's searches for them took about 0.3 s). PostgreSQL's
    VACUUM ANALYZE runs later, outside a transaction."""
    if connection.dialect.name == "sqlite":
        connection.execute(
            text("INSERT INTO case_studies_fts(case_studies_fts) VALUES ('optimize')")
        )
    connection.execute(text("ANALYZE"))
