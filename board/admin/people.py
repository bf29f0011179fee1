"""People: search, change role or council, suspend and restore.

The list shows deleted accounts too, as "Deleted account" and their number (their names are
erased; the moderation log keeps its entries about them by that number, which the search
finds); nothing about them can be changed.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager

from board.admin import bp, people_services
from board.admin.people_forms import MoveForm, RestoreForm, RoleForm, SuspendForm
from board.admin.people_services import ROLE_LABELS, PeopleError
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db
from board.forms import on_one_line, without_control_characters
from board.models import Council, Role, User

SEARCH_LIMIT = 100


def _search_terms() -> tuple[str, Role | None]:
    """What the list was asked for: words to find (on one line, capped) and a role, if any."""
    words = on_one_line(without_control_characters(request.args.get("q", "")))[:SEARCH_LIMIT]
    try:
        role = Role(request.args.get("role", ""))
    except ValueError:
        role = None
    return words, role


def people_query(words: str = "", role: Role | None = None) -> Select[tuple[User]]:
    """People whose name, email or council's name contains ``words`` (any case), or whose
    number it is, with their council loaded by the same query, by name."""
    query = (
        select(User)
        .outerjoin(User.council)
        .options(contains_eager(User.council))
        .order_by(func.lower(User.name), User.id)
    )
    if words:
        # lower() on both sides rather than ILIKE: the same on SQLite and PostgreSQL. The
        # words are escaped, so a % or _ typed in the box means itself.
        needle = words.lower()
        found = [
            func.lower(User.name).contains(needle, autoescape=True),
            func.lower(User.email).contains(needle, autoescape=True),
            func.lower(Council.name).contains(needle, autoescape=True),
        ]
        if words.isdecimal() and len(words) < 10:
            found.append(User.id == int(words))  # the number the moderation log knows them by
        query = query.where(or_(*found))
    if role is not None:
        query = query.where(User.role == role)
    return query


@bp.get("/people")
def people():
    words, role = _search_terms()
    page = db.paginate(
        people_query(words, role),
        per_page=current_app.config.get("ADMIN_PEOPLE_PER_PAGE", 50),
        error_out=False,
        count=True,
    )
    return render_template(
        "admin/people.html", page=page, words=words, role=role, role_labels=ROLE_LABELS
    )


def _councils(person: User) -> list[Council]:
    """Councils a person may be moved to: the current ones, and their own."""
    return list(
        db.session.scalars(
            select(Council)
            .where(or_(Council.retired_at.is_(None), Council.id == person.council_id))
            .order_by(Council.name)
        )
    )


def _person_page(person: User, status: int = 200, **failed):
    """The person's page, with empty forms except the one that failed (given by name)."""
    councils = _councils(person)
    forms = {
        "role_form": RoleForm(formdata=None, role=person.role.value),
        "move_form": MoveForm(formdata=None, councils=councils, council_id=person.council_id),
        "suspend_form": SuspendForm(formdata=None),
        "restore_form": RestoreForm(formdata=None),
    }
    forms.update(failed)
    failed_form = next(iter(failed.values()), None)
    return render_template(
        "admin/person.html",
        person=person,
        failed_form=failed_form,
        role_labels=ROLE_LABELS,
        is_self=person.id == current_user.id,
        **forms,
    ), status


def _load(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _load_changeable(user_id: int) -> User:
    """The person a form changes: a deleted account has nothing left to change."""
    person = _load(user_id)
    if person.deleted_at is not None:
        abort(404)
    return person


@bp.get("/people/<int:user_id>")
def person(user_id: int):
    return _person_page(_load(user_id))


def _done(person: User, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".person", user_id=person.id))


@bp.post("/people/<int:user_id>/role")
@keeps_input_on_csrf_failure
def change_role(user_id: int):
    person = _load_changeable(user_id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            changed = people_services.change_role(person, Role(form.role.data), current_user)
        except PeopleError as refusal:
            db.session.rollback()
            form.role.errors.append(str(refusal))
        else:
            if not changed:
                return redirect(url_for(".person", user_id=person.id))
            return _done(person, ROLE_CHANGED[person.role] % {"name": person.name})
    return _person_page(person, 422, role_form=form)


# What the admin is told when someone's role has changed, by the new role.
ROLE_CHANGED = {
    Role.MEMBER: _l("%(name)s is now a member. They have been told by email."),
    Role.MODERATOR: _l("%(name)s is now a moderator. They have been told by email."),
    Role.ADMIN: _l("%(name)s is now an admin. They have been told by email."),
}


@bp.post("/people/<int:user_id>/council")
@keeps_input_on_csrf_failure
def move(user_id: int):
    person = _load_changeable(user_id)
    form = MoveForm(councils=_councils(person))
    if form.validate_on_submit():
        council = db.session.get(Council, form.council_id.data)
        try:
            changed = people_services.move(person, council, current_user)
        except PeopleError as refusal:
            db.session.rollback()
            form.council_id.errors.append(str(refusal))
        else:
            if not changed:
                return redirect(url_for(".person", user_id=person.id))
            return _done(
                person,
                _(
                    "%(name)s is now a member of %(council)s. They have been told by email.",
                    name=person.name,
                    council=council.name,
                ),
            )
    return _person_page(person, 422, move_form=form)


@bp.post("/people/<int:user_id>/suspend")
@keeps_input_on_csrf_failure
def suspend(user_id: int):
    person = _load_changeable(user_id)
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            people_services.suspend(person, form.reason.data, current_user)
        except PeopleError as refusal:
            db.session.rollback()
            form.reason.errors.append(str(refusal))
        else:
            return _done(
                person,
                _(
                    "%(name)s's account is suspended: they have been signed out everywhere "
                    "and cannot sign in. They have been told by email.",
                    name=person.name,
                ),
            )
    return _person_page(person, 422, suspend_form=form)


@bp.post("/people/<int:user_id>/restore")
def restore(user_id: int):
    person = _load_changeable(user_id)
    form = RestoreForm()
    if form.validate_on_submit():
        try:
            people_services.restore(person, current_user)
        except PeopleError as refusal:
            db.session.rollback()
            flash(str(refusal), "error")
            return redirect(url_for(".person", user_id=person.id))
        return _done(
            person, _("%(name)s's account is restored: they can sign in again.", name=person.name)
        )
    return _person_page(person, 422, restore_form=form)
