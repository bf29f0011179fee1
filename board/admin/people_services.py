"""Changes admins make to people: their role, their council, suspending and restoring them.

Each function checks its guards, changes the person, writes the moderation log (the old and new
values in the reason) and queues an email to the person; the request commits once.

The service must always keep an admin who can sign in. Two admins could demote (or suspend)
each other at the same moment: each request, counting on its own, would see two admins and go
ahead, leaving none. So the change that could remove an admin is one conditional UPDATE, "only
if another active admin remains", which the database checks as it writes (``keep_an_admin``):

- SQLite lets one connection write at a time, and a statement that has to wait reads the data
  only once it may write, so the second request's UPDATE sees the first's change and changes
  nothing. (Counting with a SELECT first would not do: Python's sqlite3 starts no transaction
  for a SELECT, so both requests would count two admins before either wrote.)
- PostgreSQL gives each statement a snapshot of its own, taken before it waits for a row lock,
  so the two UPDATEs (of different rows) could each still see the other as an admin. Every
  active admin's row is therefore locked first, in id order (``lock_admins_and``): the second
  request waits there until the first commits, and its UPDATE then sees the change.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import aliased

from board import audit
from board.audit import LogAction
from board.auth import sessions
from board.extensions import db
from board.i18n import in_language_of
from board.mail import send_email
from board.models import Council, Role, User

ROLE_LABELS = {Role.MEMBER: _l("Member"), Role.MODERATOR: _l("Moderator"), Role.ADMIN: _l("Admin")}


class PeopleError(Exception):
    """A change the guards refuse; the message says why, to the admin."""


def _council_name(council: Council | None) -> str:
    """A council's name in the moderation log (whose entries are written in English)."""
    return council.name if council is not None else "no council"


def is_active_admin(user=User):
    """The condition that ``user`` (a User, or an alias of it) is an admin who can sign in."""
    return (user.role == Role.ADMIN) & user.active.is_(True) & user.deleted_at.is_(None)


def active_admin_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(is_active_admin()))


def lock_admins_and(person: User) -> None:
    """Lock the rows of every active admin and of ``person`` (PostgreSQL; SQLite takes no row
    locks), and read ``person`` afresh."""
    db.session.scalars(
        select(User)
        .where(or_(is_active_admin(), User.id == person.id))
        .order_by(User.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()


def keep_an_admin(person: User, **values) -> bool:
    """Set ``values`` on ``person`` unless that would leave no active admin, deciding in the
    same UPDATE statement; whether it was done."""
    other = aliased(User)
    someone_else = select(other.id).where(is_active_admin(other), other.id != person.id).exists()
    done = db.session.execute(
        update(User)
        .where(User.id == person.id, or_(~is_active_admin(), someone_else))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(person)
    return done.rowcount == 1


def _refuse_if_deleted(person: User) -> None:
    if person.deleted_at is not None:
        raise PeopleError(_("This account has been deleted: it cannot be changed"))


def change_role(person: User, role: Role, admin: User) -> bool:
    """Give ``person`` ``role``; False when they have it already."""
    _refuse_if_deleted(person)
    if person.id == admin.id and role is not Role.ADMIN:
        raise PeopleError(_("You cannot remove your own admin role. Ask another admin to do it"))
    lock_admins_and(person)
    old = person.role
    if old is role:
        return False
    if not keep_an_admin(person, role=role):
        raise PeopleError(
            _(
                "%(name)s is the last admin. Make someone else an admin before changing their role",
                name=person.name,
            )
        )
    audit.record(admin, LogAction.MEMBER_ROLE_CHANGED, person.id, f"{old.value} → {role.value}")
    _tell(
        person,
        lambda: _("Your role on Case Board is now %(role)s", role=str(ROLE_LABELS[role]).lower()),
        "admin/person_email_role.txt",
        old=ROLE_LABELS[old],
        new=ROLE_LABELS[role],
        new_role=role.value,
    )
    db.session.flush()
    return True


def move(person: User, council: Council, admin: User) -> bool:
    """Make ``person`` a member of ``council``; False when they are one already."""
    _refuse_if_deleted(person)
    if council.retired_at is not None:
        raise PeopleError(
            _("%(council)s has been retired: choose a current council", council=council.name)
        )
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
        lambda: _("You are now a member of %(council)s on Case Board", council=council.name),
        "admin/person_email_moved.txt",
        old=old.name if old is not None else _l("no council"),
        new=council.name,
    )
    db.session.flush()
    return True


def suspend(person: User, reason: str, admin: User) -> int:
    """Stop ``person`` signing in and end every session they have, with ``reason``; return how
    many sessions ended."""
    _refuse_if_deleted(person)
    if person.id == admin.id:
        raise PeopleError(_("You cannot suspend your own account"))
    lock_admins_and(person)
    if not person.active:
        raise PeopleError(_("%(name)s's account is already suspended", name=person.name))
    if not keep_an_admin(person, active=False):
        raise PeopleError(
            _(
                "%(name)s is the last admin who can sign in: they cannot be suspended",
                name=person.name,
            )
        )
    ended = sessions.end_every_session(person)
    audit.record(admin, LogAction.MEMBER_SUSPENDED, person.id, reason)
    _tell(
        person,
        lambda: _("Your Case Board account has been suspended"),
        "admin/person_email_suspended.txt",
        reason=reason,
    )
    db.session.flush()
    return ended


def restore(person: User, admin: User) -> None:
    """Let a suspended ``person`` sign in again."""
    _refuse_if_deleted(person)
    if person.active:
        raise PeopleError(_("%(name)s's account is not suspended", name=person.name))
    person.active = True
    audit.record(admin, LogAction.MEMBER_RESTORED, person.id, "suspended → active")
    _tell(
        person,
        lambda: _("Your Case Board account has been restored"),
        "admin/person_email_restored.txt",
    )
    db.session.flush()


def _tell(person: User, subject: Callable[[], str], template: str, **values) -> None:
    """Email ``person`` in their own language: the subject (made by ``subject``) and the
    message are composed in it, whoever's request this is."""
    with in_language_of(person):
        send_email(
            person.email,
            subject(),
            render_template(
                template,
                user=person,
                contact=current_app.config["CONTACT_EMAIL"],
                **values,
            ),
        )
