"""Asking, listing and showing questions. The list filters by topic like the board: one GET
form that works without JavaScript, and with htmx swaps only the results, pushes the tidy URL
and says (``after_swap``) where focus goes and what is announced."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from jinja2_fragments.flask import render_block

from board import permissions
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.htmx import after_swap, is_htmx_request
from board.models import Question, Topic, Visibility
from board.questions import bp, queries, services
from board.questions.answers import answers_context
from board.questions.forms import QuestionForm
from board.questions.links import question_link, question_slug
from board.questions.queries import load_question
from board.rate_limits import per_person, posting_limit
from board.related import related_studies

# The id of the list's filter form: a change in it keeps focus where it is and the new count is
# announced; a page link moves focus to the results' heading.
FILTER_FORM_ID = "question-filters"


def all_topics() -> list[Topic]:
    return list(db.session.scalars(db.select(Topic).order_by(Topic.position)))


def question_count(total: int) -> str:
    return ngettext("%(count)s question", "%(count)s questions", total, count=format_number(total))


def _list_url(args: dict) -> str:
    """/questions with the query string ``args`` (None left out, lists repeated)."""
    items = [
        (name, item)
        for name, value in args.items()
        for item in (value if isinstance(value, list | tuple) else [value])
        if item is not None
    ]
    base = url_for("questions.index")
    return base + ("?" + urlencode(items, safe="!$'()*,/:;?@") if items else "")


@bp.get("/questions")
def index():
    topics = all_topics()
    filters = queries.parse_filters(request.args, topics)
    results = db.paginate(
        queries.questions_query(filters, current_user),
        page=filters.page,
        per_page=20,
        error_out=False,
    )
    place = ", ".join(topic.name for topic in filters.topics)
    if place and results.page > 1:
        title = _(
            "Questions to councils: %(topics)s (page %(page)d)", topics=place, page=results.page
        )
    elif place:
        title = _("Questions to councils: %(topics)s", topics=place)
    elif results.page > 1:
        title = _("Questions to councils (page %(page)d)", page=results.page)
    else:
        title = _("Questions to councils")
    canonical = _list_url(filters.to_args())
    htmx = is_htmx_request()
    context = dict(
        filters=filters,
        results=results,
        topics=topics,
        list_url=_list_url,
        page_title=title,
        canonical=canonical,
        htmx=htmx,
        count=question_count(results.total or 0),
    )
    if htmx:
        from_form = request.headers.get("HX-Trigger") == FILTER_FORM_ID
        body = render_block("questions/index.html", "results", **context)
        if from_form:
            # Focus stays on the box just ticked; the new count is said.
            response = after_swap(body, focus="", announce=context["count"])
        else:
            response = after_swap(body, focus="#results-heading")
        response.headers["HX-Push-Url"] = canonical
    else:
        response = make_response(render_template("questions/index.html", **context))
    response.vary.add("HX-Request")
    response.vary.add("HX-Trigger")
    return response


def _render_form(form: QuestionForm, status: int = 200, **context):
    return render_template("questions/new.html", form=form, **context), status


@bp.route("/questions/new", methods=["GET", "POST"])
@limiter.limit(posting_limit, key_func=per_person, methods=["POST"])
@keeps_input_on_csrf_failure
def new():
    form = QuestionForm(topic_choices=all_topics())
    if not current_user.is_authenticated:
        if request.method == "POST":
            # The session ended while they wrote: keep the text and say how to carry on.
            return _render_form(form, 401, session_expired=True)
        return login_manager.unauthorized()
    if not permissions.can_ask_questions(current_user):
        return render_template("questions/cannot_ask.html"), 403
    if request.method == "GET":
        return _render_form(form)
    if not form.validate_on_submit():
        return _render_form(form, 422)
    question = services.ask_question(
        current_user,
        form.title.data,
        form.details.data,
        form.topics.data,
        Visibility(form.visibility.data),
    )
    db.session.commit()
    flash(
        _(
            "Your question has been posted. Councils that have tried something similar can "
            "now answer it."
        ),
        "success",
    )
    return redirect(question_link(question))


@bp.get("/questions/<int:question_id>")
@bp.get("/questions/<int:question_id>/<slug>")
def show(question_id: int, slug: str | None = None):
    question = load_question(question_id)
    canonical_slug = question_slug(question)
    if slug != canonical_slug:
        canonical = url_for(".show", question_id=question.id, slug=canonical_slug)
        query = quote(request.query_string, safe="!$&'()*+,/:;=?@[]~%")
        return redirect(f"{canonical}?{query}" if query else canonical, 301)
    related = related_studies(
        question.title + " " + question.details,
        [topic.id for topic in question.topics],
        current_user,
    )
    # The answers' context names the question too (templates/questions/_answers.html).
    context = {**answers_context(question, current_user), "question": question}
    return render_template("questions/show.html", related=related, **context)


@bp.app_template_global()
def topic_open_questions(topic: Topic) -> list[Question]:
    """A topic page's open questions that the viewer may see (one query, made per request:
    the topic's intro is outside the board's results cache)."""
    return list(db.session.scalars(queries.open_questions_on_topic(topic.id, current_user)))


bp.add_app_template_global(question_slug, "question_slug")
