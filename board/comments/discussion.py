"""Everything the discussion under a study shows, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from wtforms.fields.choices import SelectChoice

from board.comments import queries, rules
from board.comments.forms import CommentForm, TriedTooForm
from board.comments.queries import Thread
from board.extensions import db
from board.models import CaseStudy, TriedToo, User


@dataclass
class Discussion:
    study: CaseStudy
    threads: list[Thread]
    tried_too: list[TriedToo]
    can_discuss: bool
    can_react: bool
    marked_useful: bool = False
    tried_by_me: bool = False
    comment_form: CommentForm | None = None
    tried_too_form: TriedTooForm | None = None
    count: int = 0
    hidden: set[int] = field(default_factory=set)


def load_discussion(
    study: CaseStudy, viewer: User | None, comment_form: CommentForm | None = None
) -> Discussion:
    comments = db.session.scalars(queries.comments_query(study.id)).unique().all()
    tried_too = db.session.scalars(queries.tried_too_query(study.id)).unique().all()
    discussion = Discussion(
        study=study,
        threads=queries.threads(comments),
        tried_too=tried_too,
        can_discuss=rules.can_discuss(study, viewer),
        can_react=rules.can_react(study, viewer),
        count=sum(1 for comment in comments if rules.can_see_comment_text(comment, viewer)),
    )
    if discussion.can_discuss or comment_form is not None:
        # Also when the session ended mid-comment: the text comes back with the form.
        discussion.comment_form = comment_form or CommentForm(formdata=None)
    if discussion.can_react:
        discussion.marked_useful = (
            db.session.scalar(queries.has_marked_useful(study.id, viewer.id)) is not None
        )
        discussion.tried_by_me = any(entry.user_id == viewer.id for entry in tried_too)
        discussion.tried_too_form = tried_too_form(study, viewer)
    return discussion


def tried_too_form(study: CaseStudy, viewer: User) -> TriedTooForm:
    form = TriedTooForm(formdata=None)
    own = db.session.execute(queries.council_published_studies(viewer.council_id, study.id)).all()
    form.own_study.choices = [SelectChoice(0, "No link")] + [
        SelectChoice(row.id, row.title) for row in own
    ]
    return form
