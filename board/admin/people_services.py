"""Changes admins make to people: their role, their council, suspending and restoring them.

Each function checks its guards, changes the person, writes the moderation log (the old and new
values in the reason) and queues an email to the person; the request commits once.

The service must always keep an admin who can sign in. Two admins could demote (or suspend)
each other at the same moment: each request, checking on its own, would see two admins and
go ahead, leaving none. So the check is made inside the transaction, on rows locked first:
``_lock_admins_and`` locks every active admin's row (and the person's) with SELECT ... FOR
UPDATE, always in the same order. On PostgreSQL the second request waits for the first to
commit and then counts again, and sees one admin. SQLite takes one writer at a time and refuses
the second (the database is locked, or its snapshot is out of date), so it cannot finish either.
"""

from __future__ import annotations

from flask import current_app, render_template
from sqlalchemy import or_, select

from board import audit
from board.audit import LogAction
from board.auth import sessions
from board.extensions import db
from board.mail import send_email
from board.models import Council, Role, User

ROLE_LABELS = {Role.MEMBER: "Member", Role.MODERATOR: "Moderator", Role.ADMIN: "Admin"}


class PeopleError(Exception):
    """A change the guards refuse; the message says why, to the admin."""


def _council_name(council: Council | None) -> str:
    return council.name if council is not None else "no council"


def _lock_admins_and(person: User) -> list[int]:
    """Lock the rows of every active admin and of ``person``, read ``person`` afresh, and
    return the active admins' ids as the database has them now."""
    rows = db.session.scalars(
        select(User)
        .where(or_(_is_active_admin(), User.id == person.id))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    return [row.id for row in rows if row.role is Role.ADMIN and row.active and not row.deleted_at]


def _is_active_admin():
    return (User.role == Role.ADMIN) & User.active.is_(True) & User.deleted_at.is_(None)


def active_admin_count() -> int:
    return len(db.session.scalars(select(User.id).where(_is_active_admin())).all())


def _refuse_if_deleted(person: User) -> None:
    if person.deleted_at is not None:
        raise PeopleError("This account has been deleted: it cannot be changed")


def _keeps_an_admin(person: User, admins: list[int]) -> bool:
    """Whether someone other than ``person`` would still be an active admin."""
    return any(admin_id != person.id for admin_id in admins)


def change_role(person: User, role: Role, admin: User) -> bool:
    """Give ``person`` ``role``; False when they have it already."""
    _refuse_if_deleted(person)
    if person.id == admin.id and role is not Role.ADMIN:
        raise PeopleError("You cannot remove your own admin role. Ask another admin to do it")
    admins = _lock_admins_and(person)
    old = person.role
    if old is role:
        return False
    if old is Role.ADMIN and not _keeps_an_admin(person, admins):
        raise PeopleError(
            f"{person.name} is the last admin. Make someone else an admin before changing "
            "their role"
        )
    person.role = role
    audit.record(admin, LogAction.MEMBER_ROLE_CHANGED, person.id, f"{old.value} → {role.value}")
    _tell(
        person,
        f"Your role on Case Board is now {ROLE_LABELS[role].lower()}",
        "admin/person_email_role.txt",
        old=ROLE_LABELS[old].lower(),
        new=ROLE_LABELS[role].lower(),
    )
    db.session.flush()
    return True


def move(person: User, council: Council, admin: User) -> bool:
    """Make ``person`` a member of ``council``; False when they are one already."""
    _refuse_if_deleted(person)
    if council.retired_at is not None:
        raise PeopleError(f"{council.name} has been retired: choose a current council")
    if person.council_id == council.id:
        return False
    old = person.council
    person.council = council
    audit.record(
        admin,
        LogAction.MEMBER_MOVED,
        person.id,
        f"{_council_name(old)} → {council.name}",
    )
    _tell(
        person,
        f"You are now a member of {council.name} on Case Board",
        "admin/person_email_moved.txt",
        old=_council_name(old),
        new=council.name,
    )
    db.session.flush()
    return True


def suspend(person: User, reason: str, admin: User) -> int:
    """Stop ``person`` signing in and end every session they have, with ``reason``; return how
    many sessions ended."""
    _refuse_if_deleted(person)
    if person.id == admin.id:
        raise PeopleError("You cannot suspend your own account")
    admins = _lock_admins_and(person)
    if not person.active:
        raise PeopleError(f"{person.name}'s account is already suspended")
    if person.id in admins and not _keeps_an_admin(person, admins):
        raise PeopleError(
            f"{person.name} is the last admin who can sign in: they cannot be suspended"
        )
    person.active = False
    ended = sessions.end_every_session(person)
    audit.record(admin, LogAction.MEMBER_SUSPENDED, person.id, reason)
    _tell(
        person,
        "Your Case Board account has been suspended",
        "admin/person_email_suspended.txt",
        reason=reason,
    )
    db.session.flush()
    return ended


def restore(person: User, admin: User) -> None:
    """Let a suspended ``person`` sign in again."""
    _refuse_if_deleted(person)
    if person.active:
        raise PeopleError(f"{person.name}'s account is not suspended")
    person.active = True
    audit.record(admin, LogAction.MEMBER_RESTORED, person.id, "suspended → active")
    _tell(
        person,
        "Your Case Board account has been restored",
        "admin/person_email_restored.txt",
    )
    db.session.flush()


def _tell(person: User, subject: str, template: str, **values) -> None:
    send_email(
        person.email,
        subject,
        render_template(
            template,
            user=person,
            contact=current_app.config["CONTACT_EMAIL"],
            **values,
        ),
    )
