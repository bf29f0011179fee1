"""Follow and unfollow a topic, a council or a study (a form that, with htmx, swaps itself);
save a view of the board as a search; and /account/following, where a person sees and manages
everything they follow and chooses their digest."""

from __future__ import annotations

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.converters import parse_id
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.follows import bp, queries, searches, services
from board.follows.forms import DigestForm, SearchNameForm
from board.htmx import after_swap, is_htmx_request
from board.models import CaseStudy, Council, DigestFrequency, Follow, FollowKind, Topic
from board.rate_limits import per_person, posting_limit
from board.security import is_safe_redirect

FOLLOWING_PAGE = "follows.following"
# What each kind of thing is called in the control's words ("Follow this topic").
NOUNS = {
    FollowKind.TOPIC: "topic",
    FollowKind.COUNCIL: "council",
    FollowKind.STUDY: "case study",
}


# The control on topic, council and study pages -------------------------------------------------


@bp.app_template_global()
def follow_of(target: str) -> Follow | None:
    """The signed-in person's follow of ``target`` ("topic:3"), for the control's state."""
    if not permissions.can_follow(current_user):
        return None
    return services.find(current_user, target)


@bp.app_template_global()
def follow_search_url(filters) -> str | None:
    """The board's "Get emails about this search" link, for its current filters."""
    return searches.search_link(filters)


def _thing(kind: FollowKind, thing_id: int | None) -> Topic | Council | CaseStudy:
    """The topic, council or study a follow form names, or 404 (a study also when the person
    may not read it or it is not published: its existence stays private)."""
    model = {FollowKind.TOPIC: Topic, FollowKind.COUNCIL: Council, FollowKind.STUDY: CaseStudy}
    thing = db.session.get(model[kind], thing_id) if thing_id is not None else None
    if thing is None:
        abort(404)
    if kind is FollowKind.STUDY and not permissions.can_follow_study(thing, current_user):
        abort(404)
    return thing


def _parse_target(value: str) -> tuple[FollowKind, int | None]:
    kind, _colon, number = (value or "").partition(":")
    if kind not in NOUNS:
        abort(400)
    return FollowKind(kind), parse_id(number)


def _name_of(thing: Topic | Council | CaseStudy) -> str:
    return f"“{thing.title}”" if isinstance(thing, CaseStudy) else thing.name


def _page_of(thing: Topic | Council | CaseStudy) -> str:
    if isinstance(thing, Topic):
        return url_for("browse.topic", slug=thing.slug)
    if isinstance(thing, Council):
        return url_for("browse.council", slug=thing.slug)
    return url_for("case_studies.show", study_id=thing.id, slug=thing.slug)


def _next_url(fallback: str) -> str:
    wanted = request.form.get("next", "")
    return wanted if is_safe_redirect(wanted) else fallback


def _control(kind: FollowKind, thing, follow: Follow | None, next_url: str, error: str = ""):
    """The control again, for htmx to put in place of the one that was pressed."""
    return render_template(
        "follows/_control.html",
        follow_target=services.target_of(thing),
        follow_noun=NOUNS[kind],
        follow_row=follow,
        follow_next=next_url,
        follow_error=error,
    )


def _digest_words() -> str:
    frequency = current_user.digest_frequency
    if frequency is DigestFrequency.NONE:
        return _(
            "You have turned your digest off: choose one on the page that lists what you follow."
        )
    if frequency is DigestFrequency.DAILY:
        return _("It will be in your daily digest email.")
    return _("It will be in your weekly digest email.")


def _sign_in_first():
    """A visitor (whose session ended, say) is sent to sign in, then back to the page."""
    if is_htmx_request():
        abort(401)
    return redirect(url_for("auth.login", next=_next_url(url_for("browse.board"))))


@bp.post("/follows")
@limiter.limit(posting_limit, key_func=per_person)
def follow():
    if not current_user.is_authenticated:
        return _sign_in_first()
    if not permissions.can_follow(current_user):
        abort(403)
    kind, thing_id = _parse_target(request.form.get("target", ""))
    thing = _thing(kind, thing_id)
    next_url = _next_url(_page_of(thing))
    name = _name_of(thing)
    try:
        made = services.follow(current_user, thing)
    except services.FollowError as error:
        db.session.rollback()
        if is_htmx_request():
            body = _control(kind, thing, None, next_url, error=str(error))
            response = after_swap(body, focus="#follow-button", announce=str(error))
            response.status_code = 422
            return response
        flash(str(error), "error")
        return redirect(next_url)
    db.session.commit()
    said = _("You are following %(name)s.", name=name) + " " + _digest_words()
    if is_htmx_request():
        body = _control(kind, thing, made, next_url)
        return after_swap(body, focus="#follow-button", announce=said)
    flash(said, "success")
    return redirect(next_url)


def _own_follow(follow_id: int) -> Follow:
    """One of the signed-in person's follows; 404 for anyone else's, as for one that is gone."""
    follow = db.session.get(Follow, follow_id)
    if follow is None or follow.user_id != current_user.id:
        abort(404)
    return follow


@bp.post("/follows/<int:follow_id>/delete")
@limiter.limit(posting_limit, key_func=per_person)
def unfollow(follow_id: int):
    if not current_user.is_authenticated:
        return _sign_in_first()
    follow = _own_follow(follow_id)
    kind = follow.kind
    said = None
    if kind is FollowKind.SEARCH:
        thing, name = None, f"“{follow.name}”"
    else:
        thing_id = {
            FollowKind.TOPIC: follow.topic_id,
            FollowKind.COUNCIL: follow.council_id,
            FollowKind.STUDY: follow.study_id,
        }[kind]
        model = {FollowKind.TOPIC: Topic, FollowKind.COUNCIL: Council}.get(kind, CaseStudy)
        thing = db.session.get(model, thing_id)
        if thing is None:
            said = _("You are no longer following it.")
        elif kind is FollowKind.STUDY and not permissions.can_follow_study(thing, current_user):
            # Unpublished or members-only since: its title is not for this person any more.
            said = _("You are no longer following the case study.")
        else:
            name = _name_of(thing)
    services.unfollow(follow)
    db.session.commit()
    if said is None:
        said = _("You are no longer following %(name)s.", name=name)
    next_url = _next_url(url_for(FOLLOWING_PAGE))
    if is_htmx_request() and thing is not None:
        body = _control(kind, thing, None, next_url)
        return after_swap(body, focus="#follow-button", announce=said)
    flash(said, "success")
    return redirect(next_url)


def _with_query(address: str, query: str) -> str:
    return f"{address}?{query}" if query else address


# Saved searches ----------------------------------------------------------------------------------


def _refuse_follower():
    """None when the signed-in person may follow; otherwise why not (sign in first, or 403)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_follow(current_user):
        abort(403)
    return None


@bp.route("/account/following/search", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def save_search():
    signed_out = request.method == "POST" and not current_user.is_authenticated
    if not signed_out:
        refused = _refuse_follower()
        if refused:
            return refused
    filters = searches.read_filters(request.args)
    query = searches.canonical_query(filters)
    problem = ""
    if filters.council_error:
        problem = _(
            "%(error)s on the board before saving this search: a saved search follows one "
            "council, or all of them.",
            error=filters.council_error,
        )
    elif len(query) > searches.MAX_QUERY_LENGTH:
        problem = _("This search is too long to save. Use fewer or shorter search words.")
    # Signed out since the page was opened: the page again, with the name they typed.
    existing = None if signed_out else services.find(current_user, services.search_target(query))
    if request.method == "GET":
        form = SearchNameForm(formdata=None, name=searches.default_name(filters))
    else:
        form = SearchNameForm()
    if signed_out:
        form.validate()
    elif request.method == "POST" and not problem and form.validate():
        follow, new = services.save_search(current_user, query, form.name.data)
        db.session.commit()
        if new:
            said = _("You are following “%(name)s”.", name=follow.name)
            flash(said + " " + _digest_words(), "success")
        else:
            flash(_("You already follow this search, as “%(name)s”.", name=follow.name), "success")
        return redirect(url_for(FOLLOWING_PAGE))
    status = 422 if form.errors or (problem and request.method == "POST") else 200
    return render_template(
        "follows/save_search.html",
        session_expired=signed_out,
        form=form,
        filters=filters,
        described=searches.describe(filters),
        problem=problem,
        existing=existing,
        board_url=_with_query(url_for("browse.board"), query),
        save_url=_with_query(url_for("follows.save_search"), query),
    ), 401 if signed_out else status


# /account/following ----------------------------------------------------------------------------


def _following_page(digest_form=None, rename_forms=None, status: int = 200):
    grouped = queries.follows_of(current_user)
    if digest_form is None:
        digest_form = DigestForm(formdata=None, frequency=current_user.digest_frequency.value)
    rename_forms = rename_forms or {}
    for item in grouped[FollowKind.SEARCH]:
        follow = item.follow
        if follow.id not in rename_forms:
            rename_forms[follow.id] = SearchNameForm(
                formdata=None, prefix=f"search-{follow.id}", name=follow.name
            )
    errors = [form for form in [digest_form, *rename_forms.values()] if form.errors]
    return render_template(
        "follows/following.html",
        grouped=grouped,
        kinds=list(FollowKind),
        digest_form=digest_form,
        rename_forms=rename_forms,
        form_in_error=errors[0] if errors else None,
        may_follow=permissions.can_follow(current_user),
    ), status


@bp.route("/account/following", methods=["GET", "POST"])
@keeps_input_on_csrf_failure
def following():
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if request.method == "GET":
        return _following_page()
    form = DigestForm()
    if not form.validate():
        return _following_page(digest_form=form, status=422)
    frequency = DigestFrequency(form.frequency.data)
    services.set_digest_frequency(current_user, frequency)
    db.session.commit()
    if frequency is DigestFrequency.NONE:
        flash(_("You will not get digest emails."), "success")
    elif frequency is DigestFrequency.DAILY:
        flash(_("You will get a daily digest email when there is news."), "success")
    else:
        flash(_("You will get a weekly digest email when there is news."), "success")
    return redirect(url_for(FOLLOWING_PAGE))


@bp.post("/account/following/<int:follow_id>/name")
@keeps_input_on_csrf_failure
def rename(follow_id: int):
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    follow = _own_follow(follow_id)
    if follow.kind is not FollowKind.SEARCH:
        abort(404)
    form = SearchNameForm(prefix=f"search-{follow.id}")
    if not form.validate():
        return _following_page(rename_forms={follow.id: form}, status=422)
    services.rename(follow, form.name.data)
    db.session.commit()
    flash(_("Your saved search is now called “%(name)s”.", name=follow.name), "success")
    return redirect(url_for(FOLLOWING_PAGE, _anchor=f"follow-{follow.id}"))
