from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, refresh
from flask_login import current_user, login_required

from board.account import bp, data_export, devices, services
from board.account.forms import (
    ChangeEmailForm,
    ChangePasswordForm,
    DeleteAccountForm,
    PreferencesForm,
    ProfileForm,
)
from board.auth import lockout, sessions
from board.auth.passwords import hash_password, password_weakness, verify_password
from board.extensions import db
from board.i18n import LANGUAGES, current_language, remember_choice


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
    return render_template("account/index.html", signed_in=signed_in, language_names=LANGUAGES)


@bp.post("/sessions/sign-out-others")
@login_required
def sign_out_others():
    ended = sessions.end_other_sessions(current_user)
    db.session.commit()
    if ended:
        flash(
            ngettext(
                "You have signed out of %(num)d other device.",
                "You have signed out of %(num)d other devices.",
                ended,
            ),
            "success",
        )
    else:
        flash(_("You were not signed in on any other device."), "success")
    return redirect(url_for(".index"))


def _current_password_problem(password: str) -> str | None:
    """Why ``password`` is not accepted as the signed-in person's current password, if it is
    not. A wrong one counts with failed sign-ins, so a borrowed session cannot guess it here."""
    email = current_user.email
    wait = lockout.locked_for(email)
    if wait:
        return _(
            "There have been too many failed attempts to sign in to this account. Wait "
            "%(wait)s and try again",
            wait=lockout.wait_in_words(wait),
        )
    if not verify_password(current_user.password_hash, password):
        lockout.record_failure(email)
        return _("Your current password is not correct")
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
                _(
                    "Your password has been changed, and you have been signed out on every "
                    "other device."
                ),
                "success",
            )
            return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("account/password.html", form=form), status


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def profile():
    # Filled from the account only to show it: a sent form says everything itself.
    form = ProfileForm(obj=current_user if request.method == "GET" else None)
    if form.validate_on_submit():
        services.update_profile(
            current_user, form.name.data, form.job_title.data, form.show_job_title.data
        )
        db.session.commit()
        flash(_("Your name and job title have been saved."), "success")
        return redirect(url_for(".index"))
    status = 422 if form.errors else 200
    return render_template("account/profile.html", form=form), status


@bp.route("/email", methods=["GET", "POST"])
@login_required
def change_email():
    form = ChangeEmailForm()
    status = 200
    if form.is_submitted():
        valid = form.validate()
        if form.email.data and not form.email.errors:
            problem = _new_email_problem(form.email.data)
            if problem:
                form.email.errors.append(problem)
                valid = False
        if form.current_password.data and not form.csrf_token.errors:
            problem = _current_password_problem(form.current_password.data)
            if problem:
                form.current_password.errors.append(problem)
                valid = False
        wait = services.email_changes_wait(current_user)
        if valid and wait:
            form.email.errors.append(
                _(
                    "You have asked to change your email address several times already. Try "
                    "again in %(wait)s",
                    wait=lockout.wait_in_words(wait),
                )
            )
            valid = False
            status = 429
        if valid:
            services.request_email_change(current_user, form.email.data)
            db.session.commit()  # both emails leave once this commits
            return render_template(
                "account/email_sent.html", new_email=services.normalise_email(form.email.data)
            )
        status = status if status != 200 else 422
    council = current_user.council
    return render_template("account/email.html", form=form, council=council), status


def _new_email_problem(email: str) -> str | None:
    email = services.normalise_email(email)
    if email == current_user.email:
        return _("This is already your email address. Enter a different one")
    if services.email_in_use(email, current_user):
        return _("Another account uses this email address. Enter a different one")
    return None


@bp.get("/email/confirm/<token>")
def confirm_email_change(token: str):
    """Opening the emailed link changes the address, as opening a registration link confirms
    one (board/auth/routes.py)."""
    try:
        user = services.apply_email_change(token)
    except services.EmailChangeError as error:
        return render_template("account/email_failed.html", message=str(error)), 400
    db.session.commit()
    flash(_("Your email address is now %(email)s.", email=user.email), "success")
    if current_user.is_authenticated and current_user.id == user.id:
        return redirect(url_for(".index"))
    return redirect(url_for("auth.login"))


@bp.route("/preferences", methods=["GET", "POST"])
@login_required
def preferences():
    form = PreferencesForm(obj=current_user if request.method == "GET" else None)
    if request.method == "GET" and not current_user.language:
        # Nobody chose yet: the language the pages are in now is the one offered.
        form.language.data = current_language()
    if form.validate_on_submit():
        services.update_preferences(
            current_user, form.email_on_comments.data, language=form.language.data
        )
        db.session.commit()
        # The pages change language at once, this message too; the cookie the header's switch
        # sets says the same, so signing out keeps it.
        refresh()
        flash(_("Your preferences have been saved."), "success")
        response = redirect(url_for(".index"))
        if current_user.language:
            remember_choice(response, current_user.language)
        return response
    status = 422 if form.errors else 200
    return render_template("account/preferences.html", form=form), status


@bp.get("/data")
@login_required
def data():
    return render_template("account/data.html")


@bp.post("/data")
@login_required
def download_data():
    # A POST with the CSRF token: a page elsewhere cannot make the browser fetch the file.
    response = Response(data_export.as_json(current_user), mimetype="application/json")
    filename = f"case-board-my-data-{date.today().isoformat()}.json"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.route("/delete", methods=["GET", "POST"])
@login_required
def delete():
    form = DeleteAccountForm()
    refusal = None
    if services.is_last_admin(current_user):
        refusal = str(services.ONLY_ADMIN)
    elif form.is_submitted():
        valid = form.validate()
        if form.current_password.data and not form.csrf_token.errors:
            problem = _current_password_problem(form.current_password.data)
            if problem:
                form.current_password.errors.append(problem)
                valid = False
        if valid:
            try:
                deleted = services.delete_account(current_user, form.comments.data == "keep")
            except services.DeletionRefused as refused:
                # The other admin stepped down (or deleted their account) a moment ago.
                db.session.rollback()
                refusal = str(refused)
                return render_template("account/delete.html", form=form, refusal=refusal), 409
            sessions.forget()
            db.session.commit()
            return redirect(
                url_for(
                    ".deleted",
                    kept="yes" if deleted.comments_kept else "no",
                )
            )
    status = 422 if form.errors else (409 if refusal and form.is_submitted() else 200)
    return render_template("account/delete.html", form=form, refusal=refusal), status


@bp.get("/deleted")
def deleted():
    return render_template("account/deleted.html", comments_kept=request.args.get("kept") == "yes")
