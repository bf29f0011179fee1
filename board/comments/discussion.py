"""Everything the discussion under a study shows, loaded in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from board import permissions
from board.comments import queries
from board.comments.drawn import drawn_threads
from board.comments.forms import CommentForm, TriedTooForm
from board.comments.queries import Thread
from board.extensions import db
from board.models import CaseStudy, Council, TriedToo, User


@dataclass
class CouncilTried:
    """One council that tried this too, with the write-ups its members pointed at."""

    council: Council
    own_studies: list[CaseStudy] = field(default_factory=list)


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

    councils_tried: list[CouncilTried] = field(default_factory=list)

    def drawn(self, viewer, can_discuss: bool, take_part: bool, moderate: bool) -> list:
        """Each thread's markup for ``viewer``, as the comment_item macro draws it
        (board/comments/drawn.py keeps what each comment shows)."""
        return drawn_threads(self.threads, viewer, can_discuss, take_part, moderate)


def councils_that_tried(entries: list[TriedToo], viewer: User | None) -> list[CouncilTried]:
    """Each council once, in the order they first said so however many of its members said it,
    with the write-ups they linked that ``viewer`` may read."""
    by_council: dict[int, CouncilTried] = {}
    for entry in entries:
        group = by_council.setdefault(entry.council_id, CouncilTried(entry.council))
        own = entry.own_study
        if permissions.can_follow_tried_too_link(own, viewer) and own not in group.own_studies:
            group.own_studies.append(own)
    return list(by_council.values())


def load_reactions(study: CaseStudy, viewer: User | None, any_tried_too: bool = True) -> Discussion:
    """The reactions part alone: what the "We tried this too" control needs after a change.
    ``any_tried_too`` False (read with the study) spares reading none."""
    tried_too = []
    if any_tried_too:
        tried_too = db.session.scalars(queries.TRIED_TOO, {"study_id": study.id}).unique().all()
    discussion = Discussion(
        study=study,
        threads=[],
        tried_too=tried_too,
        can_discuss=permissions.can_discuss(study, viewer),
        can_react=permissions.can_react(study, viewer),
        councils_tried=councils_that_tried(tried_too, viewer),
    )
    if discussion.can_react:
        discussion.marked_useful = (
            db.session.scalar(queries.has_marked_useful(study.id, viewer.id)) is not None
        )
        discussion.tried_by_me = any(entry.user_id == viewer.id for entry in tried_too)
        discussion.tried_too_form = tried_too_form(study, viewer)
    return discussion


def load_discussion(
    study: CaseStudy,
    viewer: User | None,
    comment_form: CommentForm | None = None,
    any_comments: bool = True,
    any_tried_too: bool = True,
) -> Discussion:
    """Everything the discussion shows; ``any_comments`` or ``any_tried_too`` False (read with
    the study, board/case_studies/pages.py) spares the statement that would find none."""
    discussion = load_reactions(study, viewer, any_tried_too)
    comments = queries.shown_comments(study) if any_comments else []
    discussion.threads = queries.threads(comments)
    discussion.count = visible_count(comments, viewer)
    if discussion.can_discuss or comment_form is not None:
        # Also when the session ended mid-comment: the text comes back with the form.
        discussion.comment_form = comment_form or CommentForm(formdata=None)
    return discussion


def visible_count(comments: list, viewer: User | None) -> int:
    """How many of ``comments`` ``viewer`` can read: the number the discussion's heading gives."""
    return sum(1 for comment in comments if permissions.can_see_comment_text(comment, viewer))


def count_for(study: CaseStudy, viewer: User | None) -> int:
    return visible_count(queries.shown_comments(study), viewer)


def tried_too_form(study: CaseStudy, viewer: User) -> TriedTooForm:
    form = TriedTooForm(formdata=None)
    own = db.session.execute(queries.linkable_council_studies(viewer.council_id, study)).all()
    form.own_study.choices = [SelectChoice(0, _("No link"))] + [
        SelectChoice(row.id, row.title) for row in own
    ]
    return form
