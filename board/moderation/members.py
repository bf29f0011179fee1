"""Verifying members whose address is on no council domain (/moderation/members)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from board import audit
from board.audit import LogAction
from board.extensions import db
from board.i18n import in_language_of
from board.models import Council, User
from board.models.base import utcnow
from board.moderation import bp
from board.moderation.forms import VerifyMemberForm
from board.notifications.services import notify


def waiting_members_query():
    """Confirmed addresses not yet tied to a council, oldest first."""
    return (
        db.select(User)
        .where(User.verified_at.is_(None), User.email_confirmed_at.is_not(None), User.active)
        .order_by(User.created_at)
    )


def verify_member(person: User, council: Council, moderator: User) -> None:
    person.council_id = council.id
    person.verified_at = utcnow()
    audit.record(
        moderator, LogAction.MEMBER_VERIFIED, person.id, f"Verified as a member of {council.name}"
    )
    with in_language_of(person):
        notify(
            person,
            _("You are now a member of %(council)s on Case Board", council=council.name),
            _(
                "You can now write up your council's experiments and read members-only case "
                "studies."
            ),
            url_for("case_studies.mine"),
        )
    db.session.flush()


def _councils() -> list[Council]:
    # A retired council takes no new members.
    return list(
        db.session.scalars(
            db.select(Council).where(Council.retired_at.is_(None)).order_by(Council.name)
        )
    )


@bp.get("/members")
def members():
    return render_template(
        "moderation/members.html",
        people=db.session.scalars(waiting_members_query()).all(),
        form=VerifyMemberForm(councils=_councils(), formdata=None),
    )


@bp.post("/members/<int:user_id>/verify")
def verify(user_id: int):
    person = db.get_or_404(User, user_id)
    if person.verified_at is not None or person.email_confirmed_at is None:
        abort(404)
    form = VerifyMemberForm(councils=_councils())
    council = db.session.get(Council, form.council_id.data) if form.validate_on_submit() else None
    if council is None:
        # One choice, nothing typed to lose: the page again, with the problem in a banner that
        # takes focus.
        flash(_("Choose %(name)s's council before verifying them.", name=person.name), "error")
        return redirect(url_for(".members"))
    verify_member(person, council, current_user)
    db.session.commit()
    flash(
        _(
            "%(name)s is now a verified member of %(council)s.",
            name=person.name,
            council=council.name,
        ),
        "success",
    )
    return redirect(url_for(".members"))
