"""Council requests: a person whose council is not on the board asks for it; an admin adds the
council (joining the person to it) or declines with a reason. Every step is written to the
moderation log, and the people concerned are told.

An approved request adds its council with the councils' own ``add_council``
(board/admin/council_services.py), after ``council_problems`` has checked its slug and domains.
"""

from __future__ import annotations

import re

from flask import url_for
from flask_babel import gettext as _

from board import audit
from board.admin import council_services as council_rules
from board.admin import people_services
from board.admin.council_services import CouncilDetails
from board.audit import LogAction
from board.extensions import db
from board.i18n import in_language_of
from board.models import (
    Council,
    CouncilRequest,
    CouncilRequestStatus,
    Role,
    User,
)
from board.models.base import utcnow
from board.notifications.services import notify


def domain_of(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower()


# --- Asking ------------------------------------------------------------------------------------


def may_ask(user: User | None) -> bool:
    """A signed-in person with no council may ask for theirs to be added. Moderators and admins
    have no need: admins add councils themselves."""
    return (
        user is not None
        and user.is_authenticated
        and user.council_id is None
        and user.role is Role.MEMBER
    )


def waiting_request_of(user: User) -> CouncilRequest | None:
    return db.session.scalar(
        db.select(CouncilRequest)
        .where(
            CouncilRequest.requester_id == user.id,
            CouncilRequest.status == CouncilRequestStatus.WAITING,
        )
        .order_by(CouncilRequest.id)
        .limit(1)
    )


def last_declined_request_of(user: User) -> CouncilRequest | None:
    return db.session.scalar(
        db.select(CouncilRequest)
        .where(
            CouncilRequest.requester_id == user.id,
            CouncilRequest.status == CouncilRequestStatus.DECLINED,
        )
        .order_by(CouncilRequest.decided_at.desc(), CouncilRequest.id.desc())
        .limit(1)
    )


def active_admins() -> list[User]:
    return list(
        db.session.scalars(
            db.select(User).where(people_services.is_active_admin()).order_by(User.id)
        )
    )


def ask(user: User, council_name: str, website: str, role: str) -> CouncilRequest:
    """Record ``user``'s request, log it, and tell every admin in the app (their notification
    list links to the request; no email, so a busy day does not flood their inboxes)."""
    request_row = CouncilRequest(
        requester_id=user.id,
        council_name=council_name,
        website=website,
        requester_role=role,
        email_domain=domain_of(user.email),
        status=CouncilRequestStatus.WAITING,
        decline_reason="",
        created_at=utcnow(),
    )
    db.session.add(request_row)
    db.session.flush()
    audit.record(user, LogAction.COUNCIL_REQUEST_MADE, request_row.id, f"Asked for {council_name}")
    link = url_for("admin.council_request", request_id=request_row.id)
    for admin in active_admins():
        with in_language_of(admin):
            notify(
                admin,
                _(
                    "%(name)s asked for %(council)s to be added",
                    name=user.name,
                    council=council_name,
                ),
                _(
                    "%(name)s (%(role)s) asked for %(council)s to be added to Case Board.",
                    name=user.name,
                    role=role,
                    council=council_name,
                ),
                link,
                email=False,
            )
    return request_row


# --- Creating a council ------------------------------------------------------------------------


def council_problems(details: CouncilDetails) -> dict[str, str]:
    """What stops a council with ``details`` being added, by field name: a slug in use, a
    domain that is not a domain or that a council already owns (named, so the admin knows where
    it is). The rules are those of the councils' own pages (board/admin/council_services.py)."""
    problems: dict[str, str] = {}
    if council_rules.council_with_slug(details.slug) is not None:
        problems["slug"] = _(
            "A council already has the slug %(slug)s: choose another", slug=details.slug
        )
    for domain in details.domains:
        problem = council_rules.domain_problem(domain)
        if problem:
            problems["domains"] = problem
            break
    if "domains" not in problems:
        for domain, owner in council_rules.domain_owners(details.domains).items():
            problems["domains"] = _(
                "%(domain)s is already the email domain of %(council)s",
                domain=domain,
                council=owner,
            )
            break
    return problems


# --- Deciding ----------------------------------------------------------------------------------


class AlreadyDecided(Exception):
    """Someone else decided the request first."""

    def __init__(self, request_row: CouncilRequest) -> None:
        self.request_row = request_row
        super().__init__(decided_message(request_row))


def decided_message(request_row: CouncilRequest) -> str:
    who = request_row.decided_by.name if request_row.decided_by else None
    if request_row.status is CouncilRequestStatus.APPROVED:
        if who is None:
            return _(
                "This request has already been approved by another admin. Nothing was changed."
            )
        return _(
            "This request has already been approved by %(name)s. Nothing was changed.", name=who
        )
    if who is None:
        return _("This request has already been declined by another admin. Nothing was changed.")
    return _("This request has already been declined by %(name)s. Nothing was changed.", name=who)


def _claim(request_row: CouncilRequest, status: CouncilRequestStatus, admin: User) -> None:
    """Mark the request decided, only if it is still waiting: a conditional UPDATE, so of two
    admins deciding at once exactly one succeeds (the other's UPDATE matches no row)."""
    claimed = db.session.execute(
        db.update(CouncilRequest)
        .where(
            CouncilRequest.id == request_row.id,
            CouncilRequest.status == CouncilRequestStatus.WAITING,
        )
        .values(status=status, decided_by_id=admin.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(request_row)
    if claimed != 1:
        raise AlreadyDecided(request_row)


def _join(person: User, council: Council, admin: User) -> None:
    person.council_id = council.id
    person.verified_at = utcnow()
    audit.record(
        admin, LogAction.MEMBER_VERIFIED, person.id, f"Verified as a member of {council.name}"
    )


def approve(request_row: CouncilRequest, council: Council, admin: User) -> bool:
    """Approve the request for ``council`` (just created, or one that existed): the requester
    joins it, verified, and is told. Returns whether the requester joined (False when their
    account has gone, or they have joined a council meanwhile)."""
    _claim(request_row, CouncilRequestStatus.APPROVED, admin)
    request_row.council_id = council.id
    audit.record(
        admin,
        LogAction.COUNCIL_REQUEST_APPROVED,
        request_row.id,
        f"{council.name} for {request_row.council_name}",
    )
    person = request_row.requester
    if person is None or person.council_id is not None:
        db.session.flush()
        return False
    _join(person, council, admin)
    with in_language_of(person):
        notify(
            person,
            _("%(council)s is on Case Board, and you are a member", council=council.name),
            _(
                "We added %(council)s to Case Board and made you a verified member of it. You "
                "can now write up your council's experiments and read members-only case "
                "studies.",
                council=council.name,
            ),
            url_for("case_studies.mine"),
        )
    db.session.flush()
    return True


def decline(request_row: CouncilRequest, reason: str, admin: User) -> None:
    _claim(request_row, CouncilRequestStatus.DECLINED, admin)
    request_row.decline_reason = reason
    audit.record(admin, LogAction.COUNCIL_REQUEST_DECLINED, request_row.id, reason)
    person = request_row.requester
    if person is not None:
        with in_language_of(person):
            notify(
                person,
                _("Your request to add %(council)s was declined", council=request_row.council_name),
                _(
                    "An admin declined your request to add %(council)s to Case Board. "
                    "Their reason: %(reason)s",
                    council=request_row.council_name,
                    reason=reason,
                ),
                url_for("account.council_request"),
            )
    db.session.flush()


# --- The admins' lists ---------------------------------------------------------------------


def requests_query():
    """Waiting requests first, oldest first (the longest wait); then decided ones, newest
    decision first."""
    waiting_first = db.case((CouncilRequest.status == CouncilRequestStatus.WAITING, 0), else_=1)
    return db.select(CouncilRequest).order_by(
        waiting_first,
        db.case(
            (CouncilRequest.status == CouncilRequestStatus.WAITING, CouncilRequest.created_at),
            else_=None,
        ),
        CouncilRequest.decided_at.desc(),
        CouncilRequest.id.desc(),
    )


def councils_named_like(name: str) -> list[Council]:
    """Councils whose name matches the requested one, ignoring case and "council": the admin
    may join the requester to one of them instead of adding a duplicate."""
    words = re.sub(r"\bcouncil\b", " ", name.lower())
    key = " ".join(words.split())
    if not key:
        return []
    return list(
        db.session.scalars(
            db.select(Council)
            .where(db.func.lower(Council.name).contains(key, autoescape=True))
            .order_by(Council.name)
            .limit(10)
        )
    )
