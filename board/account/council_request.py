"""Asking for one's council to be added (/account/council-request): for a signed-in person
whose council is not on the board. An admin decides (board/admin/council_requests.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from board.account import bp
from board.account.council_request_forms import CouncilRequestForm
from board.admin import council_request_services as council_requests
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter
from board.rate_limits import per_person


def _request_limit() -> str:
    return current_app.config["COUNCIL_REQUEST_RATE_LIMIT"]


@bp.app_template_global()
def may_ask_for_council() -> bool:
    """Whether the signed-in person is offered "Your council is not listed?"."""
    return council_requests.may_ask(current_user)


@bp.route("/council-request", methods=["GET", "POST"])
@login_required
@limiter.limit(_request_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def council_request():
    if not council_requests.may_ask(current_user):
        abort(403)
    waiting = council_requests.waiting_request_of(current_user)
    if waiting is not None:
        # One request at a time: the one waiting is shown, and nothing new is made.
        return render_template("account/council_request_waiting.html", waiting=waiting)
    if current_user.email_confirmed_at is None:
        # The request's domain comes from the address, so the address must be theirs.
        if request.method == "POST":
            abort(403)
        return render_template("account/council_request_confirm_first.html")
    form = CouncilRequestForm()
    if form.validate_on_submit():
        council_requests.ask(
            current_user, form.council_name.data, form.website.data, form.role.data
        )
        db.session.commit()
        flash(
            _(
                "You have asked for %(council)s to be added. We will email you when an admin "
                "has decided.",
                council=form.council_name.data,
            ),
            "success",
        )
        return redirect(url_for(".council_request"))
    status = 422 if form.errors else 200
    return render_template(
        "account/council_request.html",
        form=form,
        declined=council_requests.last_declined_request_of(current_user),
    ), status
