from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from board.account import bp, devices
from board.account.forms import ChangePasswordForm
from board.auth import lockout, sessions
from board.auth.passwords import hash_password, password_weakness, verify_password
from board.extensions import db


@bp.get("")
@login_required
def index():
    rows = sessions.devices(current_user)
    signed_in = [
        {
            "device": devices.describe(row.user_agent),
            "user_agent": row.user_agent,
            "started": devices.uk_time(row.created_at),
            "last_seen": devices.uk_time(row.last_seen_at),
            "this_device": sessions.is_this_browser(row),
        }
        for row in rows
    ]
    return render_template("account/index.html", signed_in=signed_in)


@bp.post("/sessions/sign-out-others")
@login_required
def sign_out_others():
    ended = sessions.end_other_sessions(current_user)
    db.session.commit()
    if ended:
        flash(f"You have signed out of {ended} other device{'s' if ended != 1 else ''}.", "success")
    else:
        flash("You were not signed in on any other device.", "success")
    return redirect(url_for(".index"))


def _current_password_problem(password: str) -> str | None:
    """Why ``password`` is not accepted as the signed-in person's current password, if it is
    not. A wrong one counts with failed sign-ins, so a borrowed session cannot guess it here."""
    email = current_user.email
    wait = lockout.locked_for(email)
    if wait:
        return (
            "There have been too many failed attempts to sign in to this account. Wait "
            f"{lockout.wait_in_words(wait)} and try again"
        )
    if not verify_password(current_user.password_hash, password):
        lockout.record_failure(email)
        return "Your current password is not correct"
    return None


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.is_submitted():
        valid = form.validate()
        # Every problem at once: a weak new password and a wrong current one are both shown.
        if form.password.data and not form.password.errors:
            weakness = password_weakness(form.password.data, current_user.email, current_user.name)
            if weakness:
                form.password.errors.append(weakness)
                valid = False
        if form.current_password.data and not form.csrf_token.errors:
            problem = _current_password_problem(form.current_password.data)
            if problem:
                form.current_password.errors.append(problem)
                valid = False
        if valid:
            current_user.password_hash = hash_password(form.password.data)
            lockout.clear(current_user.email)
            # Whoever else knew the old password may be signed in with it.
            sessions.end_other_sessions(current_user)
            db.session.commit()
            flash(
                "Your password has been changed, and you have been signed out on every other "
                "device.",
                "success",
            )
            return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("account/password.html", form=form), status
