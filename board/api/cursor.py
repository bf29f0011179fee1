"""Keyset cursors: where the last page ended, signed so that nobody can hand us another.

A cursor is the last study's sort key (its useful count for "useful", its publication time and
its id), with the order it belongs to, serialised and signed with the app's secret key by
itsdangerous. The next page is the studies strictly after that key in the same order, so a
study published meanwhile (it goes first, newest) never shifts a page: nothing is skipped or
repeated, as an offset would. A cursor that was altered, made up or is for another order is
refused with 400.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import ColumnElement, Integer, and_, bindparam, or_

from board.models import CaseStudy

SALT = "api-studies-cursor"
# The orders the API pages through, and how many values their key has.
KEY_LENGTHS = {"newest": 2, "useful": 3}
LARGEST_ID = 2**63 - 1


class BadCursor(ValueError):
    pass


@dataclass(frozen=True)
class Position:
    """Just after this study, in ``order``."""

    order: str
    published_at: datetime
    id: int
    useful_count: int = 0

    @classmethod
    def of(cls, order: str, row) -> Position:
        useful = row.useful_count if order == "useful" else 0
        return cls(order, row.published_at, row.id, useful)

    def values(self) -> dict:
        """This position as the parameters of after_condition's condition."""
        return {
            AFTER_PUBLISHED_AT: self.published_at,
            AFTER_ID: self.id,
            AFTER_USEFUL_COUNT: self.useful_count,
        }


# The parameters of after_condition, given by Position.values.
AFTER_PUBLISHED_AT = "after_published_at"
AFTER_ID = "after_id"
AFTER_USEFUL_COUNT = "after_useful_count"


def after_condition(order: str) -> ColumnElement[bool]:
    """Studies after a position in ``order`` (every order is descending, the id last), the
    position given as parameters when the statement runs (Position.values): a statement built
    with it serves every page."""
    published_at = bindparam(AFTER_PUBLISHED_AT, type_=CaseStudy.published_at.type)
    newest = or_(
        CaseStudy.published_at < published_at,
        and_(
            CaseStudy.published_at == published_at,
            CaseStudy.id < bindparam(AFTER_ID, type_=Integer),
        ),
    )
    if order != "useful":
        return newest
    useful_count = bindparam(AFTER_USEFUL_COUNT, type_=Integer)
    return or_(
        CaseStudy.useful_count < useful_count,
        and_(CaseStudy.useful_count == useful_count, newest),
    )


def _serializer(salt: str = SALT) -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=salt)


def encode(position: Position, salt: str = SALT) -> str:
    """``salt`` keeps one list's cursors from being taken for another's (questions have
    their own)."""
    published = position.published_at.astimezone(UTC).isoformat()
    key = [published, position.id]
    if position.order == "useful":
        key = [position.useful_count, *key]
    return _serializer(salt).dumps([position.order, *key])


def decode(cursor: str, order: str, salt: str = SALT) -> Position:
    """The position ``cursor`` stands for, in ``order``; BadCursor if it is not one of ours,
    was altered, or belongs to another order."""
    if len(cursor) > 500:
        raise BadCursor("is too long to be a cursor")
    try:
        value = _serializer(salt).loads(cursor)
    except BadData as error:
        raise BadCursor("is not a cursor this API gave out") from error
    if not isinstance(value, list) or not value or value[0] not in KEY_LENGTHS:
        raise BadCursor("is not a cursor this API gave out")
    if value[0] != order:
        raise BadCursor(f"belongs to the order “{value[0]}”, not “{order}”")
    key = value[1:]
    if len(key) != KEY_LENGTHS[order]:
        raise BadCursor("is not a cursor this API gave out")
    useful = key.pop(0) if order == "useful" else 0
    published, study_id = key
    if not all(_is_count(number) for number in (useful, study_id)) or not isinstance(
        published, str
    ):
        raise BadCursor("is not a cursor this API gave out")
    try:
        published_at = datetime.fromisoformat(published)
    except ValueError as error:
        raise BadCursor("is not a cursor this API gave out") from error
    if published_at.tzinfo is None:
        raise BadCursor("is not a cursor this API gave out")
    return Position(order, published_at, study_id, useful)


def _is_count(value) -> bool:
    return type(value) is int and 0 <= value <= LARGEST_ID
