"""What a person follows, for /account/following: every follow with the name and address of
what it follows, in a fixed number of queries however many there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import or_, select

from board import permissions
from board.extensions import db
from board.follows.searches import any_of
from board.models import (
    CaseStudy,
    Council,
    CouncilType,
    Follow,
    FollowKind,
    Nation,
    Outcome,
    Topic,
    User,
)


@dataclass(frozen=True)
class Followed:
    follow: Follow
    # What is followed, as the person knows it: a topic's or council's name, a study's title,
    # a saved search's own name.
    label: str
    # Where it is; None when the person may no longer open it (a study unpublished since).
    href: str | None
    # A line under it: a study's council, a saved search's filters in words.
    detail: str = ""

    @property
    def since(self) -> datetime:
        return self.follow.created_at


def follows_of(user: User) -> dict[FollowKind, list[Followed]]:
    """Everything ``user`` follows, by kind (every kind present, in FollowKind's order), oldest
    first within a kind."""
    follows = db.session.scalars(
        select(Follow).where(Follow.user_id == user.id).order_by(Follow.created_at, Follow.id)
    ).all()
    grouped: dict[FollowKind, list[Followed]] = {kind: [] for kind in FollowKind}
    if not follows:
        return grouped

    searches = {
        follow.id: dict_of(follow.query) for follow in follows if follow.kind is FollowKind.SEARCH
    }
    topics = {topic.id: topic for topic in db.session.scalars(select(Topic))}
    topics_by_slug = {topic.slug: topic for topic in topics.values()}
    council_ids = [follow.council_id for follow in follows if follow.council_id is not None]
    council_slugs = [slug for args in searches.values() for slug in args.get("council", [])]
    councils = (
        db.session.scalars(
            select(Council).where(or_(Council.id.in_(council_ids), Council.slug.in_(council_slugs)))
        ).all()
        if council_ids or council_slugs
        else []
    )
    councils_by_id = {council.id: council for council in councils}
    councils_by_slug = {council.slug: council for council in councils}
    study_ids = [follow.study_id for follow in follows if follow.study_id is not None]
    studies = (
        {
            study.id: (study, council_name)
            for study, council_name in db.session.execute(
                select(CaseStudy, Council.name)
                .join(Council, Council.id == CaseStudy.council_id)
                .where(CaseStudy.id.in_(study_ids))
            )
        }
        if study_ids
        else {}
    )

    for follow in follows:
        if follow.kind is FollowKind.TOPIC:
            topic = topics.get(follow.topic_id)
            if topic is None:
                continue
            item = Followed(follow, topic.name, url_for("browse.topic", slug=topic.slug))
        elif follow.kind is FollowKind.COUNCIL:
            council = councils_by_id.get(follow.council_id)
            if council is None:
                continue
            item = Followed(follow, council.name, url_for("browse.council", slug=council.slug))
        elif follow.kind is FollowKind.STUDY:
            if follow.study_id not in studies:
                continue
            study, council_name = studies[follow.study_id]
            readable = study.is_published and permissions.can_view_study(study, user)
            href = url_for("case_studies.show", study_id=study.id, slug=study.slug)
            item = Followed(
                follow,
                study.title if readable else _("A case study you can no longer see"),
                href if readable else None,
                council_name if readable else "",
            )
        else:
            words = search_in_words(searches[follow.id], topics_by_slug, councils_by_slug)
            board = url_for("browse.board")
            href = f"{board}?{follow.query}" if follow.query else board
            item = Followed(follow, follow.name, href, words)
        grouped[follow.kind].append(item)
    return grouped


def dict_of(query: str) -> dict[str, list[str]]:
    args: dict[str, list[str]] = {}
    for name, value in parse_qsl(query):
        args.setdefault(name, []).append(value)
    return args


def _label(enum, value: str) -> str | None:
    try:
        return enum(value).label
    except ValueError:
        return None


def search_in_words(
    args: dict[str, list[str]],
    topics_by_slug: dict[str, Topic],
    councils_by_slug: dict[str, Council],
) -> str:
    """A saved search's filters in one line, from its stored query string, without asking the
    database again: "Cyber security; Did not work; Kent County Council"."""
    parts = []
    for q in args.get("q", []):
        parts.append(_("mentions “%(words)s”", words=q))
    topics = [topics_by_slug[slug].name for slug in args.get("topic", []) if slug in topics_by_slug]
    if topics:
        parts.append(any_of(topics))
    for value in args.get("outcome", []):
        parts.append(_label(Outcome, value) or value)
    for slug in args.get("council", []):
        council = councils_by_slug.get(slug)
        parts.append(council.name if council else slug)
    for value in args.get("nation", []):
        parts.append(_label(Nation, value) or value)
    for value in args.get("council_type", []):
        parts.append(_label(CouncilType, value) or value)
    if not parts:
        return _("Every newly published case study")
    words = "; ".join(parts)
    return words[0].upper() + words[1:]
