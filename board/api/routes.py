"""The API's views: read the request, find, serialise. Every answer is a visitor's
(board/api/problems.py sets the session aside), so the queries never ask who is signed in."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import (
    Response,
    current_app,
    jsonify,
    render_template,
    request,
    stream_with_context,
    url_for,
)

from board.api import bp, csv_export, queries, spec
from board.api import studies as study_data
from board.api.cursor import LARGEST_ID
from board.api.problems import problem
from board.api.schemas import (
    API_SORTS,
    DEFAULT_LIMIT,
    MAX_LIMIT,
    CouncilListSchema,
    FiltersQuerySchema,
    StudiesQuerySchema,
    StudyListSchema,
    StudySchema,
    TopicListSchema,
)
from board.browse import cache
from board.browse import queries as board_queries
from board.extensions import db, limiter
from board.urls import public_url_for


def _api_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


# One budget per client address for everything under /api/v1 (OPTIONS preflights are free).
limited = limiter.shared_limit(_api_limit, scope="api", methods=["GET", "HEAD"])


@bp.get("/api")
def documentation():
    return render_template(
        "api/index.html",
        public_url=current_app.config["PUBLIC_URL"].rstrip("/"),
        default_limit=DEFAULT_LIMIT,
        max_limit=MAX_LIMIT,
        sorts=API_SORTS,
        rate_limit=_api_limit(),
        licence=study_data.LICENCE,
        batch_size=csv_export.BATCH_SIZE,
    )


@bp.get("/api/v1/studies")
@limited
@spec.operation(query=StudiesQuerySchema, answer=StudyListSchema)
def studies():
    """Published public studies, newest first, a page at a time.

    Takes the board's filters. Follow ``next`` for the following page: pages never skip or
    repeat a study, even when studies are published meanwhile.
    """
    page = _kept("api-studies", _studies_page)
    response = jsonify(page)
    if page["next"]:
        response.headers["Link"] = f'<{page["next"]}>; rel="next"'
    return response


def _studies_page() -> dict:
    query = study_data.read_studies_query(request.args)
    items, position = study_data.find_page(query)
    return StudyListSchema().dump(
        {
            "studies": items,
            "next": study_data.next_url(query, position),
            "licence": study_data.LICENCE,
        }
    )


@bp.get("/api/v1/studies/<int:study_id>")
@limited
@spec.operation(answer=StudySchema, missing=True)
def study(study_id: int):
    """One published public study, with every public field.

    Sections come as the Markdown the council wrote and as sanitised HTML.
    """
    found = None
    if study_id <= LARGEST_ID:
        found = db.session.scalar(queries.public_study_query(study_id))
    if found is None:
        return problem(404, f"There is no published public study {study_id}.")
    return jsonify(StudySchema().dump(study_data.study_detail(found)))


@bp.get("/api/v1/studies.csv")
@limited
@spec.operation(query=FiltersQuerySchema, media_type="text/csv")
def studies_csv():
    """Every published public study the filters match, as CSV.

    UTF-8 with a byte order mark and a header row; one row per study. Streamed.
    """
    query = study_data.read_studies_query(request.args, paged=False)
    today = datetime.now(UTC).strftime("%Y-%m-%d")
    return Response(
        stream_with_context(csv_export.lines(query)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="case-board-studies-{today}.csv"'},
    )


@bp.get("/api/v1/topics")
@limited
@spec.operation(answer=TopicListSchema)
def topics():
    """Every topic, with how many published public studies it has."""
    return jsonify(_kept("api-topics", _topics))


def _topics() -> dict:
    items = [
        {
            "slug": topic.slug,
            "name": topic.name,
            "description": topic.description,
            "url": public_url_for("browse.topic", slug=topic.slug),
            "studies_url": public_url_for("api.studies", topic=topic.slug),
            "published_studies": count,
        }
        for topic, count in db.session.execute(queries.topics_with_counts())
    ]
    return TopicListSchema().dump({"topics": items})


@bp.get("/api/v1/councils")
@limited
@spec.operation(answer=CouncilListSchema)
def councils():
    """Every council, with how many published public studies it has."""
    return jsonify(_kept("api-councils", _councils))


def _councils() -> dict:
    items = [
        {
            "slug": council.slug,
            "name": council.name,
            "nation": council.nation,
            "council_type": council.council_type,
            "region": council.region,
            "retired": council.retired_at is not None,
            "url": public_url_for("browse.council", slug=council.slug),
            "studies_url": public_url_for("api.studies", council=council.slug),
            "published_studies": count,
        }
        for council, count in db.session.execute(queries.councils_with_counts())
    ]
    return CouncilListSchema().dump({"councils": items})


def _kept(block: str, build) -> dict:
    """``build()``'s answer, kept in the board's results cache under its change counter (read
    first, before anything the answer shows), like a page of the board: whoever asks gets the
    same answer, and publishing, editing or withdrawing a study moves the counter. Useful
    counts may be BOARD_CACHE_MAX_AGE seconds old, as on the board."""
    key = cache.entry_key(None, block)
    answer = cache.get(key)
    if answer is None:
        answer = build()
        cache.put(key, answer)
    return answer


@bp.get("/api/v1/openapi.json")
@limited
def openapi():
    """This API's OpenAPI 3.1 description."""
    slugs = [topic.slug for topic in db.session.scalars(board_queries.topics_query())]
    return jsonify(spec.build(slugs))


@bp.app_template_global()
def studies_csv_url(filters) -> str:
    """The CSV of what a listing shows (board/browse: BoardFilters.studies_csv_args)."""
    return url_for("api.studies_csv", **filters.studies_csv_args())
