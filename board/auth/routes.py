from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from board.auth import bp, lockout, services, sessions
from board.auth.forms import LoginForm, NewPasswordForm, RegistrationForm, ResetRequestForm
from board.auth.passwords import password_weakness, verify_password
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.i18n import LANGUAGES, current_language, remember_choice
from board.models import User
from board.security import is_safe_redirect


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    # Signed in only while this browser's session row exists (board/auth/sessions.py).
    return sessions.user_for_request(user_id)


@bp.before_app_request
def _note_session_activity() -> None:
    # Load the user before the view, so that the occasional "last seen" write commits alone.
    if request.endpoint == "static" or sessions.SESSION_KEY not in session:
        return
    if current_user.is_authenticated:
        sessions.note_activity()


login_manager.login_view = "auth.login"
login_manager.login_message = _l("Sign in to continue.")
login_manager.login_message_category = "info"
# The message is made when it is shown, in the language of that page.
login_manager.localize_callback = str


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/register", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def register():
    """Registrations are limited per address inside the view (board/auth/lockout.py), so that a
    refusal keeps what was typed and says how long to wait."""
    if current_user.is_authenticated:
        return redirect(url_for("browse.board"))
    form = RegistrationForm()
    if not form.is_submitted():
        return render_template("auth/register.html", form=form)
    wait = lockout.failed_registrations_wait()
    if wait:
        return _registration_refused(
            form,
            _(
                "There have been too many attempts to register from your network. "
                "Try again in %(wait)s.",
                wait=lockout.wait_in_words(wait),
            ),
        )
    if not form.validate():
        lockout.record_failed_registration()
        return render_template("auth/register.html", form=form), 422
    wait = lockout.registrations_wait()
    if wait:
        return _registration_refused(
            form,
            _(
                "Too many accounts have been registered from your network. Try again in %(wait)s.",
                wait=lockout.wait_in_words(wait),
            ),
        )
    services.register(
        services.NewAccount(
            name=form.name.data,
            email=form.email.data,
            password=form.password.data,
            council_role=form.council_role.data,
            job_title=form.job_title.data,
            # The language they registered in: their emails are written in it.
            language=current_language(),
        )
    )
    # Counted whether or not the address already had an account: the answer is the same.
    lockout.record_registration()
    db.session.commit()
    return redirect(url_for("auth.check_email"))


def _registration_refused(form: RegistrationForm, message: str):
    # Everything typed comes back but the password (a password field is never filled in).
    return render_template("auth/register.html", form=form, refusal=message), 429


@bp.get("/check-email")
def check_email():
    return render_template("auth/check_email.html")


@bp.get("/confirm/<token>")
def confirm(token: str):
    try:
        user = services.confirm_email(token)
    except services.ConfirmationError as error:
        return render_template("auth/confirm_failed.html", message=str(error)), 400
    db.session.commit()
    if user.is_verified:
        flash(
            _(
                "Your email address is confirmed and you have joined %(council)s.",
                council=user.council.name,
            ),
            "success",
        )
    else:
        flash(
            _(
                "Your email address is confirmed. A moderator will check which council you "
                "belong to; until then you can read but not post."
            ),
            "success",
        )
    return redirect(url_for("auth.login") if not current_user.is_authenticated else "/")


@bp.post("/confirm/resend")
@login_required
def resend_confirmation():
    # Counted per account (REGISTER_RESEND_LIMIT): colleagues behind one office address do not
    # share a budget, and the answer says how long to wait rather than a bare 429.
    wait = lockout.resends_wait(current_user.id)
    if wait:
        flash(
            _(
                "You have asked for the link several times already. Check your spam folder, or "
                "ask again in %(wait)s.",
                wait=lockout.wait_in_words(wait),
            ),
            "error",
        )
    else:
        if current_user.email_confirmed_at is None:
            services.send_confirmation(current_user)
            lockout.record_resend(current_user.id)
            db.session.commit()  # the email leaves once this commits
        flash(_("We have sent you a new confirmation link."), "success")
    return redirect(url_for("browse.board"))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@keeps_input_on_csrf_failure
def login():
    next_url = request.args.get("next")
    if current_user.is_authenticated:
        return redirect(next_url if is_safe_redirect(next_url) else url_for("browse.board"))
    form = LoginForm()
    if form.validate_on_submit():
        email = services.normalise_email(form.email.data)
        wait = lockout.locked_for(email)
        if wait:
            form.email.errors.append(
                _(
                    "There have been too many failed attempts to sign in to this account. Wait "
                    "%(wait)s and try again, or reset your password",
                    wait=lockout.wait_in_words(wait),
                )
            )
        else:
            user = services.authenticate(form.email.data, form.password.data)
            if user is not None:
                sessions.sign_in(user)
                db.session.commit()
                flash(_("Signed in as %(name)s.", name=user.name), "success")
                return redirect(next_url if is_safe_redirect(next_url) else url_for("browse.board"))
            suspended = db.session.scalar(
                db.select(User).where(
                    User.email == email, User.active.is_(False), User.deleted_at.is_(None)
                )
            )
            if suspended is not None and verify_password(
                suspended.password_hash, form.password.data
            ):
                # Only someone who knows the password learns that the account is suspended.
                form.email.errors.append(
                    _(
                        "Your account has been suspended. To ask about it, email %(address)s",
                        address=current_app.config["CONTACT_EMAIL"],
                    )
                )
            else:
                lockout.record_failure(email)
                # One message for an unknown address and a wrong password: nobody learns who
                # is here.
                form.email.errors.append(_("Enter a correct email address and password"))
    status = 422 if form.errors else 200
    return render_template("auth/login.html", form=form, next_url=next_url), status


def _reset_limit() -> str:
    return current_app.config["RESET_RATE_LIMIT"]


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@keeps_input_on_csrf_failure
def request_reset():
    form = ResetRequestForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        db.session.commit()  # the email leaves once this commits
        # The same answer whether or not the address has an account.
        return render_template("auth/reset_sent.html", email=form.email.data)
    status = 422 if form.errors else 200
    return render_template("auth/reset_request.html", form=form), status


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset_password(token: str):
    try:
        user = services.user_for_reset(token)
    except services.ResetError as error:
        return render_template("auth/reset_failed.html", reason=str(error)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        weakness = password_weakness(form.password.data, user.email, user.name)
        if weakness:
            form.password.errors.append(weakness)
        else:
            services.reset_password(user, form.password.data)
            # Whoever had the old password may have signed in with it: every session ends,
            # this browser's too.
            sessions.end_every_session(user)
            db.session.commit()
            sessions.forget()
            flash(_("Your password has been changed. Sign in with your new password."), "success")
            return redirect(url_for(".login"))
    status = 422 if form.errors else 200
    return render_template("auth/reset_password.html", form=form), status


@bp.post("/logout")
def logout():
    # Signed out, the pages stay in the language the account chose.
    language = getattr(current_user, "language", None)
    sessions.sign_out()
    db.session.commit()
    flash(_("You have signed out."), "success")
    response = redirect(url_for("browse.board"))
    if language in LANGUAGES:
        remember_choice(response, language)
    return response
