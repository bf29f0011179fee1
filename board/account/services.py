"""Changes a person makes to their own account: profile, email address, preferences, and
deleting the account. Each changes state, writes the moderation log where the issue asks,
queues mail, and flushes; the request commits once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from limits import parse_many
from sqlalchemy import delete, func, or_, select, update

from board import audit
from board.admin import people_services
from board.audit import LogAction
from board.auth import lockout, sessions
from board.auth.services import council_for_email, join_council_of_address, normalise_email
from board.extensions import db, limiter
from board.follows import services as follow_services
from board.i18n import LANGUAGES, in_language_of
from board.mail import send_email
from board.models import (
    Answer,
    CaseStudy,
    Comment,
    CouncilRequest,
    CouncilRequestStatus,
    Notification,
    OutboxMessage,
    Question,
    Role,
    TriedToo,
    UsefulMark,
    User,
)
from board.models.base import utcnow
from board.urls import public_url_for

EMAIL_CHANGE_SALT = "change-email"
# The notice to the old address; deleting an account follows these to the addresses it had.
CHANGE_NOTICE_SUBJECT = _l("Someone asked to change the email address of your Case Board account")
# What a deleted person is called wherever their name showed: beside a kept comment it reads
# "Former member, <council>".
FORMER_MEMBER = "Former member"
# Put in the place of a deleted person's name in other people's notifications and mail.
FORMER_MEMBER_IN_TEXT = "A former member"
# Unusable as an Argon2 hash: no password ever matches it.
UNUSABLE_PASSWORD_HASH = "!deleted"  # noqa: S105  (not a password: no hash looks like it)


# --- Profile ---------------------------------------------------------------------------------


def update_profile(user: User, name: str, job_title: str, show_job_title: bool) -> None:
    user.name = name
    user.job_title = job_title
    user.show_job_title = show_job_title
    db.session.flush()


# --- Email address ---------------------------------------------------------------------------


class EmailChangeError(Exception):
    """A link to confirm a new address that cannot be used, with a message for its reader."""


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=EMAIL_CHANGE_SALT)


def _address_fingerprint(user: User) -> str:
    """Carried in the link: once the address changes (this link used, or another one), every
    link made before stops working. The address and when it was confirmed, so that changing
    to B and back to A does not bring an old link to B back to life."""
    confirmed = user.email_confirmed_at.isoformat() if user.email_confirmed_at else ""
    return hashlib.sha256(f"{user.email}|{confirmed}".encode()).hexdigest()[:20]


def email_change_token(user: User, new_email: str) -> str:
    return _serializer().dumps(
        {"user": user.id, "email": new_email, "from": _address_fingerprint(user)}
    )


def email_change_max_age() -> int:
    return current_app.config["EMAIL_CHANGE_MAX_AGE"]


def email_in_use(email: str, by_other_than: User) -> bool:
    return (
        db.session.scalar(
            select(User.id).where(User.email == normalise_email(email), User.id != by_other_than.id)
        )
        is not None
    )


def _email_changes(user_id: int):
    # Per account: each request sends two emails, one of them to an address nobody confirmed.
    config = current_app.config["EMAIL_CHANGE_RATE_LIMIT"]
    return [(limit, ("email-change", str(user_id))) for limit in parse_many(config)]


def email_changes_wait(user: User) -> int:
    """0 while ``user`` may ask for another change of address; otherwise seconds to wait."""
    wait = 0
    for limit, scope in _email_changes(user.id):
        if not limiter.limiter.test(limit, *scope):
            reset_at, _ = limiter.limiter.get_window_stats(limit, *scope)
            wait = max(wait, int(reset_at - lockout.now()) + 1)
    return wait


def request_email_change(user: User, new_email: str) -> None:
    """Email a confirmation link to ``new_email`` and tell the current address that a change
    was asked for. Nothing changes until the link is opened."""
    new_email = normalise_email(new_email)
    for limit, scope in _email_changes(user.id):
        limiter.limiter.hit(limit, *scope)
    hours = email_change_max_age() // 3600
    link = public_url_for("account.confirm_email_change", token=email_change_token(user, new_email))
    joins = council_for_email(new_email)
    # Both are written to the person asking, in their language.
    with in_language_of(user):
        send_email(
            new_email,
            _("Confirm your new email address for Case Board"),
            render_template(
                "account/email/confirm_change.txt", user=user, link=link, hours=hours, joins=joins
            ),
        )
        send_email(
            user.email,
            str(CHANGE_NOTICE_SUBJECT),
            render_template("account/email/change_requested.txt", user=user, new_email=new_email),
        )


def apply_email_change(token: str) -> User:
    """Change the address a link was sent to confirm; raise EmailChangeError if it cannot."""
    not_valid = _("This link is not valid. Check you copied all of it.")
    try:
        payload = _serializer().loads(token, max_age=email_change_max_age())
    except SignatureExpired as error:
        raise EmailChangeError(
            _("This link has expired. Ask to change your email address again.")
        ) from error
    except BadSignature as error:
        raise EmailChangeError(not_valid) from error
    user = db.session.get(User, payload.get("user"))
    new_email = payload.get("email")
    if user is None or not user.is_active or user.deleted_at is not None or not new_email:
        raise EmailChangeError(not_valid)
    if payload.get("from") != _address_fingerprint(user):
        raise EmailChangeError(
            _(
                "This link has already been used, or your email address has changed since it "
                "was sent. Ask to change your email address again if you need to."
            )
        )
    if email_in_use(new_email, user):
        raise EmailChangeError(
            _("That email address is now used by another account, so yours has not changed.")
        )
    old_email = user.email
    user.email = new_email
    user.email_confirmed_at = utcnow()
    join_council_of_address(user)
    lockout.clear(old_email)
    db.session.flush()
    return user


# --- Preferences -----------------------------------------------------------------------------


def update_preferences(user: User, email_on_comments: bool, language: str | None = None) -> None:
    user.email_on_comments = email_on_comments
    if language in LANGUAGES:
        user.language = language
    db.session.flush()


# --- Deleting an account ---------------------------------------------------------------------


class DeletionRefused(Exception):
    """The account cannot be deleted now, with the reason for its owner."""


REQUEST_CLOSED_ON_DELETION = "Closed: the person who asked deleted their account"
ONLY_ADMIN = _l(
    "You are the only admin. Ask someone to become an admin before you delete your account, so "
    "that the service is not left without one."
)


def is_last_admin(user: User) -> bool:
    if user.role is not Role.ADMIN:
        return False
    others = db.session.scalar(
        select(func.count())
        .select_from(User)
        .where(people_services.is_active_admin(), User.id != user.id)
    )
    return not others


@dataclass(frozen=True)
class Deleted:
    council_name: str | None
    comments_kept: bool


def delete_account(user: User, keep_comments: bool) -> Deleted:
    """Erase ``user``'s personal data in place and end every session.

    The row stays (as id, council, role at the council and dates) so that kept comments read
    "Former member, <council>", the studies they wrote stay with their council and the
    moderation log still points at an account. Everything that is theirs alone goes: marks,
    notifications, sessions, mail to them. Their name is taken out of other people's
    notifications and mail.
    """
    if user.role is Role.ADMIN:
        # Decided by the database as it writes, as for an admin's change of role: two admins,
        # the only two, deleting their accounts at once leave one of them an admin.
        people_services.lock_admins_and(user)
        if not people_services.keep_an_admin(user, role=Role.MEMBER, active=False):
            raise DeletionRefused(str(ONLY_ADMIN))
    old_email, old_name = user.email, user.name
    now = utcnow()

    if not keep_comments:
        for comment in db.session.scalars(
            select(Comment).where(Comment.author_id == user.id, Comment.deleted_at.is_(None))
        ):
            # As a member deleting one comment: replies keep their place under a placeholder.
            comment.deleted_at = now
            comment.body = ""
        delete_questions_of(user)

    # "Useful" marks come off their studies' counts, as unmarking would.
    marked = db.session.execute(
        select(UsefulMark.case_study_id, func.count())
        .where(UsefulMark.user_id == user.id)
        .group_by(UsefulMark.case_study_id)
    ).all()
    for study_id, count in marked:
        db.session.execute(
            update(CaseStudy)
            .where(CaseStudy.id == study_id)
            .values(useful_count=CaseStudy.useful_count - count, updated_at=CaseStudy.updated_at)
            .execution_options(synchronize_session=False)
        )
    db.session.execute(delete(UsefulMark).where(UsefulMark.user_id == user.id))
    db.session.execute(delete(TriedToo).where(TriedToo.user_id == user.id))
    db.session.execute(delete(Notification).where(Notification.user_id == user.id))
    # What they followed, and their digest (the row stays, so the cascade never fires).
    follow_services.forget_follows(user)
    # A council they asked for stays asked for (and decided): their words for their role go,
    # and a request still waiting is closed, so that no admin approves it for nobody.
    for waiting in db.session.scalars(
        select(CouncilRequest).where(
            CouncilRequest.requester_id == user.id,
            CouncilRequest.status == CouncilRequestStatus.WAITING,
        )
    ):
        waiting.status = CouncilRequestStatus.DECLINED
        waiting.decline_reason = REQUEST_CLOSED_ON_DELETION
        waiting.decided_at = now
        audit.record(
            None, LogAction.COUNCIL_REQUEST_DECLINED, waiting.id, REQUEST_CLOSED_ON_DELETION
        )
    db.session.execute(
        update(CouncilRequest)
        .where(CouncilRequest.requester_id == user.id)
        .values(requester_role="")
        .execution_options(synchronize_session=False)
    )
    sessions.end_every_session(user)
    # Mail to them, sent or not, at this address and those they had before, and any mail that
    # names one of them.
    addresses = _addresses_used(old_email)
    for address in addresses:
        db.session.execute(
            delete(OutboxMessage).where(
                or_(
                    func.lower(OutboxMessage.to_address) == address,
                    OutboxMessage.body.contains(address, autoescape=True),
                    OutboxMessage.subject.contains(address, autoescape=True),
                )
            )
        )
    _take_name_out_of_others_messages(old_name)

    user.name = FORMER_MEMBER
    user.email = f"deleted-{user.id}@deleted.invalid"
    user.job_title = ""
    user.show_job_title = False
    user.password_hash = UNUSABLE_PASSWORD_HASH
    user.email_on_comments = False
    user.active = False
    user.role = Role.MEMBER
    user.deleted_at = now
    lockout.clear(old_email)
    # No name and no address in the log: the id is what it keeps.
    audit.record(
        user,
        LogAction.MEMBER_DELETED_ACCOUNT,
        user.id,
        "Comments kept as from a former member" if keep_comments else "Comments deleted",
    )
    db.session.flush()
    council = user.council
    return Deleted(council_name=council.name if council else None, comments_kept=keep_comments)


def _change_notice_subjects() -> list[str]:
    """The notice's subject in each language it may have been sent in."""
    subjects = []
    for code in LANGUAGES:
        with force_locale(code):
            subjects.append(str(CHANGE_NOTICE_SUBJECT))
    return subjects


def _addresses_used(email: str) -> set[str]:
    """``email`` and the addresses the account had before it: each change of address told the
    old one, in a message that names the new one."""
    subjects = _change_notice_subjects()
    addresses = {email}
    to_follow = [email]
    while to_follow:
        address = to_follow.pop()
        earlier = db.session.scalars(
            select(func.lower(OutboxMessage.to_address)).where(
                OutboxMessage.subject.in_(subjects),
                OutboxMessage.body.contains(address, autoescape=True),
            )
        )
        for found in earlier:
            if found not in addresses:
                addresses.add(found)
                to_follow.append(found)
    return addresses


def _take_name_out_of_others_messages(name: str) -> None:
    """Other people were told "<name> commented on …": their copies now say a former member."""
    if not name.strip():
        return
    for model in (Notification, OutboxMessage):
        for column in (model.subject, model.body):
            replaced = func.replace(column, name, FORMER_MEMBER_IN_TEXT)
            length = getattr(column.type, "length", None)
            if length:  # a longer replacement must still fit the column
                replaced = func.substr(replaced, 1, length)
            db.session.execute(
                update(model)
                .where(column.contains(name, autoescape=True))
                .values({column.key: replaced})
                .execution_options(synchronize_session=False)
            )


def delete_questions_of(user: User) -> None:
    """A person's questions go with their comments: one nobody has answered is deleted; one
    that has answers keeps its title, which the answers reply to, and loses its details."""
    for question in db.session.scalars(select(Question).where(Question.author_id == user.id)):
        if question.answer_count == 0 and not db.session.scalar(
            select(Answer.id).where(Answer.question_id == question.id).limit(1)
        ):
            db.session.delete(question)
        else:
            question.details = ""
