"""Following and unfollowing, naming saved searches, and the digest choice. Each change
flushes; the view commits once."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from board.extensions import db
from board.models import CaseStudy, Council, DigestFrequency, Follow, FollowKind, Topic, User

# How many things one person may follow: a digest of more would not be read, and the cap keeps
# one account from filling the table.
MAX_FOLLOWS = 200


def too_many() -> str:
    return _(
        "You are following %(count)d things, the most you can. Unfollow something you no "
        "longer need on the page that lists what you follow, then try again.",
        count=MAX_FOLLOWS,
    )


class FollowError(Exception):
    """A follow that cannot be made; the message says why, to the person."""


def target_of(thing: Topic | Council | CaseStudy) -> str:
    if isinstance(thing, Topic):
        return f"topic:{thing.id}"
    if isinstance(thing, Council):
        return f"council:{thing.id}"
    return f"study:{thing.id}"


def search_target(query: str) -> str:
    return f"search:{query}"


def find(user: User, target: str) -> Follow | None:
    return db.session.scalar(
        select(Follow).where(Follow.user_id == user.id, Follow.target == target)
    )


def count_for(user: User) -> int:
    return db.session.scalar(select(func.count()).where(Follow.user_id == user.id))


def _add(user: User, follow: Follow) -> Follow:
    """Add ``follow`` unless the person already follows the same thing: then the one they have
    is returned (two clicks, or two tabs, make one follow)."""
    existing = find(user, follow.target)
    if existing is not None:
        return existing
    if count_for(user) >= MAX_FOLLOWS:
        raise FollowError(too_many())
    try:
        with db.session.begin_nested():
            db.session.add(follow)
    except IntegrityError:
        # The same follow, made at the same moment by another request: that one stands.
        return find(user, follow.target)
    return follow


def follow(user: User, thing: Topic | Council | CaseStudy) -> Follow:
    """Follow a topic, a council or a study. The view has checked the person may."""
    if isinstance(thing, Topic):
        made = Follow(user_id=user.id, kind=FollowKind.TOPIC, topic_id=thing.id)
    elif isinstance(thing, Council):
        made = Follow(user_id=user.id, kind=FollowKind.COUNCIL, council_id=thing.id)
    else:
        made = Follow(user_id=user.id, kind=FollowKind.STUDY, study_id=thing.id)
    made.target = target_of(thing)
    return _add(user, made)


def save_search(user: User, query: str, name: str) -> tuple[Follow, bool]:
    """Follow the saved search ``query`` (canonical: board/follows/searches.py) as ``name``.
    Returns the follow and whether it is new (an existing one keeps its name)."""
    made = Follow(
        user_id=user.id,
        kind=FollowKind.SEARCH,
        target=search_target(query),
        query=query,
        name=name,
    )
    follow = _add(user, made)
    return follow, follow is made


def unfollow(follow: Follow) -> None:
    db.session.delete(follow)
    db.session.flush()


def rename(follow: Follow, name: str) -> None:
    follow.name = name
    db.session.flush()


def set_digest_frequency(user: User, frequency: DigestFrequency) -> None:
    user.digest_frequency = frequency
    db.session.flush()


def forget_follows(user: User) -> None:
    """For a deleted account: nothing followed, no digest. (The user row is kept, erased, so
    the foreign key's ON DELETE CASCADE never fires.)"""
    db.session.execute(delete(Follow).where(Follow.user_id == user.id))
    user.digest_frequency = DigestFrequency.NONE
