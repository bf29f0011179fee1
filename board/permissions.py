"""Every "may this person do this to that" rule, named as a question.

Views ask these before calling a service, templates ask them before offering a button, and the
authorisation matrix (tests/test_authorisation.py) checks the answers route by route. ``user``
is the signed-in person, or None / an anonymous user for a visitor.
"""

from __future__ import annotations

from datetime import timedelta

from board.lifecycle import (
    DECISIONS,
    EDITABLE,
    Action,
    allows,
    awaiting_review,
    subject_of,
)
from board.models import CaseStudy, Comment, Report, ReportTarget, Status, User, Visibility
from board.models.base import utcnow

# Authors may correct a comment for this long after posting it.
COMMENT_EDIT_WINDOW = timedelta(minutes=15)


# People ------------------------------------------------------------------------------------


def is_signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def can_moderate(user: User | None) -> bool:
    return is_signed_in(user) and user.is_moderator


def can_administer(user: User | None) -> bool:
    """Admins run the service: councils, people and their roles, topics."""
    return is_signed_in(user) and user.is_admin


def can_see_members_only(user: User | None) -> bool:
    """Verified members of any council, and moderators, read members-only studies."""
    return is_signed_in(user) and (user.is_verified or user.is_moderator)


def can_take_part(user: User | None) -> bool:
    """Verified members of a council, and moderators, comment and report."""
    return is_signed_in(user) and (user.is_verified or user.is_moderator)


def can_write_studies(user: User | None) -> bool:
    """Verified members of a council may write up their council's experiments."""
    return is_signed_in(user) and user.is_verified


# Reading -----------------------------------------------------------------------------------


def can_view_study(study: CaseStudy, user: User | None) -> bool:
    """Who may open a study page: anyone for a published public study; verified members for a
    members-only one. Before it is published, its council's members see it, and moderators once
    it has been submitted (a draft stays private to the council)."""
    if study.status is Status.PUBLISHED:
        return study.visibility is Visibility.PUBLIC or can_see_members_only(user)
    if not is_signed_in(user):
        return False
    if belongs_to_council_of(study, user):
        return True
    return user.is_moderator and study.status is not Status.DRAFT


def can_see_comment_text(comment: Comment, user: User | None) -> bool:
    """Hidden comments stay readable to moderators and to their author (who is told why)."""
    if comment.deleted_at is not None:
        return False
    if comment.hidden_at is None:
        return True
    if not is_signed_in(user):
        return False
    return user.is_moderator or comment.author_id == user.id


def can_follow_tried_too_link(own_study: CaseStudy | None, user: User | None) -> bool:
    """A "we tried this too" entry links to the council's own write-up only for those who may
    read it: a members-only study's title is not shown to visitors under a public one."""
    return own_study is not None and own_study.is_published and can_view_study(own_study, user)


def can_link_as_tried_too(own_study: CaseStudy, study: CaseStudy) -> bool:
    """A council may point from ``study`` to its own write-up only when everyone who can read
    ``study`` can read that write-up too: nothing members-only under a public study."""
    if not own_study.is_published or own_study.id == study.id:
        return False
    return own_study.visibility is Visibility.PUBLIC or study.visibility is Visibility.MEMBERS


# A council's own studies ---------------------------------------------------------------------


def belongs_to_council_of(study: CaseStudy, user: User | None) -> bool:
    return can_write_studies(user) and user.council_id == study.council_id


def can_edit(study: CaseStudy, user: User | None) -> bool:
    """Any verified member of the study's council may edit it, except once it is rejected."""
    return belongs_to_council_of(study, user) and study.status in EDITABLE


def can_submit(study: CaseStudy, user: User | None) -> bool:
    return belongs_to_council_of(study, user) and allows(
        subject_of(study, Action.SUBMIT), Action.SUBMIT
    )


def can_withdraw(study: CaseStudy, user: User | None) -> bool:
    """A published study withdraws its open edit if there is one, otherwise itself."""
    return belongs_to_council_of(study, user) and allows(
        subject_of(study, Action.WITHDRAW), Action.WITHDRAW
    )


# Moderation ---------------------------------------------------------------------------------


def has_conflict_of_interest(user: User | None, council_id: int | None) -> bool:
    """A moderator never decides on their own council's work: not its studies or edits, not
    reports about them, not the discussion under them."""
    return is_signed_in(user) and user.council_id is not None and user.council_id == council_id


def can_decide(study: CaseStudy, user: User | None, decision: Action = Action.APPROVE) -> bool:
    """Moderators decide on what is waiting for review, except their own council's."""
    if not can_moderate(user) or has_conflict_of_interest(user, study.council_id):
        return False
    if decision is Action.UNPUBLISH:
        return study.status is Status.PUBLISHED
    pending = awaiting_review(study)
    return decision in DECISIONS and pending is not None and pending.author_id != user.id


def can_unpublish(study: CaseStudy, user: User | None) -> bool:
    return can_decide(study, user, Action.UNPUBLISH)


def can_moderate_comment(comment: Comment, user: User | None) -> bool:
    """Hide or restore a comment: not one under the moderator's own council's study, where
    hiding criticism (or restoring praise) would be their council's call."""
    return can_moderate(user) and not has_conflict_of_interest(user, comment.case_study.council_id)


def can_handle_report(report: Report, target, user: User | None):
    """Resolve a report: moderators, except about their own council's study, question or
    people."""
    if not can_moderate(user):
        return False
    if target is None:  # what was reported is gone: anyone may close the report
        return True
    if report.target_type is ReportTarget.STUDY:
        return not has_conflict_of_interest(user, target.council_id)
    if report.target_type is ReportTarget.QUESTION:
        return can_moderate_question(target, user)
    if report.target_type is ReportTarget.ANSWER:
        return can_moderate_answer(target, user)
    return can_moderate_comment(target, user)


# Discussion ----------------------------------------------------------------------------------


def can_discuss(study: CaseStudy, user: User | None) -> bool:
    """Discussion happens on published studies the person may see (members-only studies have
    members-only discussions, as the study page itself is members-only)."""
    return study.is_published and can_take_part(user) and can_view_study(study, user)


def can_react(study: CaseStudy, user: User | None) -> bool:
    """ "Useful" and "We tried this too" speak for a council: verified members only."""
    return can_discuss(study, user) and user.is_verified


def can_edit_comment(comment: Comment, user: User | None) -> bool:
    return (
        can_take_part(user)
        and comment.author_id == user.id
        and comment.deleted_at is None
        and comment.hidden_at is None
        and utcnow() - comment.created_at <= COMMENT_EDIT_WINDOW
    )


def can_delete_comment(comment: Comment, user: User | None) -> bool:
    return can_take_part(user) and comment.author_id == user.id and comment.deleted_at is None


# Follow-up prompts ---------------------------------------------------------------------------


def can_answer_follow_up(study: CaseStudy, user: User | None) -> bool:
    """ "What happened next?" is asked of, and answered by, the verified members of a published
    study's council."""
    return study.is_published and belongs_to_council_of(study, user)


# Follows ------------------------------------------------------------------------------------


def can_follow(user: User | None) -> bool:
    """Anyone signed in whose address is confirmed follows topics, councils and searches (their
    digest goes to that address); suspended accounts cannot sign in at all."""
    return is_signed_in(user) and user.is_active and user.email_confirmed_at is not None


def can_follow_study(study: CaseStudy, user: User | None) -> bool:
    """A study is followed only once published, and only by those who may read it."""
    return can_follow(user) and study.is_published and can_view_study(study, user)


# Updates ("six months on") -------------------------------------------------------------------


def can_write_update(study: CaseStudy, user: User | None) -> bool:
    """A published study's council tells the board what happened next: its verified members."""
    return study.is_published and belongs_to_council_of(study, user)


def can_decide_update(update, study: CaseStudy, user: User | None) -> bool:
    """Moderators decide on an update as on a revision: not their own council's, nor their own
    writing."""
    return (
        can_moderate(user)
        and not has_conflict_of_interest(user, study.council_id)
        and update.author_id != user.id
    )


# Questions ("Has any council tried...?") --------------------------------------------------------


def can_ask_questions(user: User | None) -> bool:
    """A question speaks for a council, like a study: verified members of a council ask."""
    return can_write_studies(user)


def can_see_question(question, user: User | None) -> bool:
    """Who may open a question: anyone for a public one, verified members (and moderators) for
    a members-only one. A hidden question stays readable to moderators and to its asker, who is
    told why it was hidden."""
    if question.visibility is Visibility.MEMBERS and not can_see_members_only(user):
        return False
    if question.hidden_at is None:
        return True
    return is_signed_in(user) and (user.is_moderator or question.author_id == user.id)


def can_moderate_question(question, user: User | None) -> bool:
    """Hide or restore a question: moderators, except for their own council's question."""
    return can_moderate(user) and not has_conflict_of_interest(user, question.council_id)


def can_moderate_answer(answer, user: User | None) -> bool:
    """Hide or restore an answer: moderators, except for an answer from their own council."""
    return can_moderate(user) and not has_conflict_of_interest(user, answer.council_id)


# Answers to questions ------------------------------------------------------------------------


def can_answer(question, user: User | None) -> bool:
    """An answer speaks for a council ("we tried this"): verified members of a council answer
    questions they can see that are not hidden."""
    return (
        can_write_studies(user) and question.hidden_at is None and can_see_question(question, user)
    )


def can_see_answer_text(answer, user: User | None) -> bool:
    """Hidden answers stay readable to moderators and to their author (who is told why)."""
    if answer.hidden_at is None:
        return True
    return is_signed_in(user) and (user.is_moderator or answer.author_id == user.id)


def can_mark_helpful(question, user: User | None) -> bool:
    """ "This helped" is the asker's council's word: the asker and the verified members of the
    council they asked for, on a question that is not hidden."""
    if not can_write_studies(user) or question.hidden_at is not None:
        return False
    return user.id == question.author_id or user.council_id == question.council_id


def can_mark_answer_helpful(answer, question, user: User | None) -> bool:
    """... of an answer that is not hidden, and never of their own answer (an answer by a
    colleague of the asker may be marked: the asker's council found it helpful)."""
    return (
        can_mark_helpful(question, user)
        and answer.hidden_at is None
        and answer.author_id != user.id
    )


def can_write_up_answer(answer, question, user: User | None) -> bool:
    """ "Write this up as a case study": the answer's author, still a verified member of the
    council they answered for (the draft is that council's), on an answer and question that
    are not hidden."""
    return (
        can_write_studies(user)
        and answer.author_id == user.id
        and user.council_id == answer.council_id
        and answer.hidden_at is None
        and question.hidden_at is None
    )
