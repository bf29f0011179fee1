"""Answers: writing one (with a study attached), "This helped", and writing it up as a study.

Every route works as a plain form post and, with htmx, swaps only what changed and says where
focus goes and what is announced (``after_swap``). The question page includes
templates/questions/_answers.html with ``answers_context(question, current_user)`` merged into
its context.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from board import permissions
from board.errors import keeps_input_on_csrf_failure
from board.extensions import db, limiter, login_manager
from board.htmx import after_swap, is_htmx_request
from board.models import Answer, CaseStudy, Question, User
from board.questions import answer_services as services
from board.questions import bp
from board.questions.answer_forms import (
    BOTH_CHOSEN,
    NO_SUCH_STUDY,
    NOT_A_STUDY_ADDRESS,
    AnswerForm,
    answer_form,
    study_id_from_address,
)
from board.rate_limits import per_person, posting_limit


def question_url(question_id: int, anchor: str = "") -> str:
    """The question's page (``questions.show``), at ``anchor`` if given."""
    url = url_for("questions.show", question_id=question_id)
    return url + (f"#{anchor}" if anchor else "")


# What the page shows ------------------------------------------------------------------------------


@dataclass
class AnswerView:
    """One answer as ``viewer`` sees it: the attached study and the write-up only if they may
    read them (otherwise nothing says there is one), and what they may do with it."""

    answer: Answer
    study: CaseStudy | None
    write_up: CaseStudy | None
    can_mark_helpful: bool
    can_write_up: bool


def answer_view(answer: Answer, question: Question, viewer: User | None) -> AnswerView:
    study = answer.study
    if study is not None and not (study.is_published and permissions.can_view_study(study, viewer)):
        study = None
    can_write_up = permissions.can_write_up_answer(answer, question, viewer)
    write_up = answer.write_up
    # Its author (and their council) follows the draft; everyone else sees it once published.
    if write_up is not None and not (
        (can_write_up or write_up.is_published) and permissions.can_view_study(write_up, viewer)
    ):
        write_up = None
    return AnswerView(
        answer=answer,
        study=study,
        write_up=write_up,
        can_mark_helpful=permissions.can_mark_answer_helpful(answer, question, viewer),
        can_write_up=can_write_up,
    )


def answers_context(question: Question, viewer, form: AnswerForm | None = None) -> dict:
    """What templates/questions/_answers.html needs to show ``question``'s answers to
    ``viewer``, in two queries however many answers there are: the answers with their authors,
    councils and studies, and (for someone who may answer) their council's studies to attach.

    Answers are shown oldest first and stay in that order; helpful ones are marked, not moved.
    ``form`` is an answer form that could not be posted, with what was typed."""
    answers = [
        answer_view(answer, question, viewer)
        for answer in db.session.scalars(services.answers_query(question.id)).unique()
        if permissions.can_see_answer_text(answer, viewer)
    ]
    can_answer = permissions.can_answer(question, viewer)
    if form is None and can_answer:
        form = answer_form(services.own_published_studies(viewer.council_id), formdata=None)
    return {
        "question": question,
        "answers": answers,
        "answer_count_shown": len(answers),
        "can_answer": can_answer,
        "answer_form": form if can_answer else None,
        "answer_question_url": question_url(question.id),
    }


@bp.app_template_global()
def question_for_study(study: CaseStudy):
    """The question a study was written up to answer, for the study page ("Written in answer
    to: ..."): its title and address, or None when there is none the viewer may see."""
    question = services.written_in_answer_to(study, current_user)
    if question is None:
        return None
    return SimpleNamespace(title=question.title, url=question_url(question.id))


# Loading ------------------------------------------------------------------------------------------


def _load_question(question_id: int) -> Question:
    question = db.session.get(Question, question_id)
    if question is None or not permissions.can_see_question(question, current_user):
        abort(404)
    return question


def _load_answer(question: Question, answer_id: int) -> Answer:
    answer = db.session.get(Answer, answer_id)
    if (
        answer is None
        or answer.question_id != question.id
        or not permissions.can_see_answer_text(answer, current_user)
    ):
        abort(404)
    return answer


# Answering ----------------------------------------------------------------------------------------


def _attached_study(form: AnswerForm) -> CaseStudy | None:
    """The study the form attaches, or None; a problem goes on the address field (whose text
    stays), and the caller sees it in ``form.other_study.errors``."""
    own_id, address = form.own_study.data or 0, form.other_study.data or ""
    if own_id and address:
        form.other_study.errors = [BOTH_CHOSEN]
        return None
    if own_id:
        # Offered in the list, so published and the member's own council's.
        return services.readable_study(own_id, current_user)
    if not address:
        return None
    study_id = study_id_from_address(address)
    if study_id is None:
        form.other_study.errors = [NOT_A_STUDY_ADDRESS]
        return None
    study = services.readable_study(study_id, current_user)
    if study is None:
        form.other_study.errors = [NO_SUCH_STUDY]
    return study


def _form_response(question: Question, form: AnswerForm, status: int, **context):
    """The form again, with what was typed and why it was not posted: in place for htmx, or a
    page of its own without JavaScript."""
    values = {"question": question, "answer_form": form, **context}
    if is_htmx_request():
        return render_template("questions/_answer_form.html", **values), status
    values["answer_question_url"] = question_url(question.id)
    return render_template("questions/answer_error.html", **values), status


@bp.post("/questions/<int:question_id>/answers")
@limiter.limit(posting_limit, key_func=per_person)
@keeps_input_on_csrf_failure
def add_answer(question_id: int):
    question = _load_question(question_id)
    signed_in = current_user.is_authenticated
    council_id = current_user.council_id if signed_in else None
    form = answer_form(services.own_published_studies(council_id))
    if not signed_in:
        # The session ended while they wrote: keep the text and say how to carry on.
        return _form_response(question, form, 401, session_expired=True)
    if not permissions.can_answer(question, current_user):
        abort(403)
    valid = form.validate_on_submit()
    # The study is checked whatever else is wrong, so that every problem is listed at once.
    study = None if form.own_study.errors or form.other_study.errors else _attached_study(form)
    if not valid or form.other_study.errors:
        return _form_response(question, form, 422)
    try:
        answer = services.post_answer(question, current_user, form.body.data, study)
    except services.AnswerError as error:
        db.session.rollback()
        form.body.errors = [str(error)]
        return _form_response(question, form, 422)
    db.session.commit()
    if is_htmx_request():
        fresh = answer_form(services.own_published_studies(current_user.council_id), formdata=None)
        body = render_template(
            "questions/_answer_posted.html",
            question=question,
            item=answer_view(answer, question, current_user),
            answer_form=fresh,
            answer_count_shown=services.visible_answer_count(question.id, current_user),
        )
        return after_swap(body, focus=f"#answer-{answer.id}", announce=_("Answer posted"))
    flash(_("Your answer has been posted."), "success")
    return redirect(question_url(question.id, f"answer-{answer.id}"))


# "This helped" ------------------------------------------------------------------------------------


def _helpful_words(marked: bool, question: Question) -> str:
    if marked:
        return _("Marked as helpful. The question shows as answered.")
    if question.answered_at is None:
        return _("No longer marked as helpful. The question no longer shows as answered.")
    return _("No longer marked as helpful.")


@bp.post("/questions/<int:question_id>/answers/<int:answer_id>/helpful")
@limiter.limit(posting_limit, key_func=per_person)
def helpful(question_id: int, answer_id: int):
    question = _load_question(question_id)
    answer = _load_answer(question, answer_id)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_mark_answer_helpful(answer, question, current_user):
        abort(403)
    marked = services.toggle_helpful(answer, question, current_user)
    db.session.commit()
    words = _helpful_words(marked, question)
    if is_htmx_request():
        item = answer_view(answer, question, current_user)
        body = render_template("questions/_helpful.html", question=question, item=item)
        return after_swap(body, focus=f"#helpful-button-{answer.id}", announce=words)
    flash(words, "success")
    return redirect(question_url(question.id, f"answer-{answer.id}"))


# "Write this up as a case study" ------------------------------------------------------------------


@bp.post("/questions/<int:question_id>/answers/<int:answer_id>/write-up")
@limiter.limit(posting_limit, key_func=per_person)
def write_up(question_id: int, answer_id: int):
    question = _load_question(question_id)
    answer = _load_answer(question, answer_id)
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if not permissions.can_write_up_answer(answer, question, current_user):
        abort(403)
    try:
        study, made = services.write_up(answer, question, current_user)
    except services.AnswerError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(question_url(question.id, f"answer-{answer.id}"))
    db.session.commit()
    if made:
        flash(
            _(
                "A draft case study has been made from your answer. Check the title, add what "
                "happened and what you learned, then submit it for review."
            ),
            "success",
        )
    else:
        flash(_("Your answer has already been written up as a case study. Here it is."), "success")
    if permissions.can_edit(study, current_user):
        return redirect(url_for("case_studies.edit", study_id=study.id))
    return redirect(url_for("case_studies.show", study_id=study.id, slug=study.slug))
