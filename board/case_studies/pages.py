"""The study page, rendered by the case-study views and, with a comment that could not be
posted, by the discussion's views."""

from __future__ import annotations

from flask import g, render_template, request
from flask_login import current_user

from board import permissions
from board.case_studies.drawn import (
    related_section,
    study_facts_and_sections,
    visitor_follow_control,
)
from board.case_studies.queries import StudyContents
from board.lifecycle import awaiting_review
from board.models import CaseStudy
from board.related import related_to_study
from board.related_choices import chosen_ids, stored_related
from board.urls import public_url_for


def render_study_page(study: CaseStudy, comment_form=None, **context) -> str:
    """The study page, with its discussion; ``comment_form`` carries a comment that could not
    be posted, with what the person typed."""
    from board.comments.discussion import load_discussion
    from board.comments.drawn import visitors_discussion
    from board.updates.queries import open_update_for_council, timeline_for

    related = related_for(study)
    facts_html, sections_html = study_facts_and_sections(study)
    contents = contents_of(study)
    discussion = load_discussion(
        study,
        current_user,
        comment_form,
        any_comments=contents.any_comments,
        any_tried_too=contents.any_tried_too,
    )
    return render_template(
        "case_studies/show.html",
        study=study,
        study_facts_html=facts_html,
        study_sections_html=sections_html,
        # What a moderator would decide on; only moderators are shown it (and only then are
        # the study's revisions read).
        pending=awaiting_review(study) if permissions.can_moderate(current_user) else None,
        discussion=discussion,
        # A visitor's discussion is the same for every visitor (board/comments/drawn.py).
        visitor_discussion_html=visitors_discussion(discussion),
        # The approved updates and the outcome history, in one query; and, for the study's
        # council, its update still open with the moderators.
        timeline=timeline_for(study, any_approved=contents.any_approved_updates),
        open_update=open_update_for_council(study, current_user),
        # Printed under the study: its lasting address, on PUBLIC_URL whatever the request's
        # host, so a printed copy leads readers to the real service.
        public_address=public_url_for("case_studies.show", study_id=study.id, slug=study.slug),
        # Councils that tried something similar: only under a published study.
        related=related,
        related_html=related_section(related),
        # A visitor's follow control (a link to sign in) is the same for every visitor.
        visitor_follow_html=(
            None if current_user.is_authenticated else visitor_follow_control(study)
        ),
        **context,
    )


def contents_of(study: CaseStudy) -> StudyContents:
    """What the study has of comments, "we tried this too" and approved updates, as read with it
    (load_study); only on a GET, which changes nothing: after a change in the request's own
    transaction (or without that reading) everything is read."""
    contents = g.get("study_contents") if request.method == "GET" else None
    if contents is None or contents.study_id != study.id:
        return StudyContents(study.id, True, True, True)
    return contents


def related_for(study: CaseStudy) -> list:
    """The published studies like this one that the viewer may read: those chosen when it was
    published (board/related_choices.py), read with the study (load_study), or, for a study
    none were chosen for, searched for (board/related.py); none for a study that is not
    published."""
    if not study.is_published:
        return []
    members = permissions.can_see_members_only(current_user)
    choice = g.get("study_related_choice")
    if choice is not None and choice[0] == study.id:
        ids = chosen_ids(choice[1] if members else choice[2])
        if ids is not None:
            return stored_related(ids, members)
    # Kept under the board's change counter, read with the study (load_study) before them; only
    # on a GET, which changes nothing: a page drawn after a change in its own transaction
    # (which might yet roll back) is never kept.
    board_version = g.get("study_board_version") if request.method == "GET" else None
    return related_to_study(study, current_user, board_version)
