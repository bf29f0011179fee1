"""The lifecycle table (board/lifecycle.py) that permissions and services both read."""

from __future__ import annotations

import pytest

from board.lifecycle import REVISION_TRANSITIONS, STUDY_TRANSITIONS, Action
from board.models import RevisionStatus, Status


def reachable(transitions, start):
    seen, frontier = {start}, [start]
    while frontier:
        state = frontier.pop()
        for (source, _action), target in transitions.items():
            if source == state and target not in seen:
                seen.add(target)
                frontier.append(target)
    return seen


def test_every_study_state_is_reachable_from_a_draft():
    assert reachable(STUDY_TRANSITIONS, Status.DRAFT) == set(Status)


def test_every_revision_state_is_reachable_from_a_draft():
    assert reachable(REVISION_TRANSITIONS, RevisionStatus.DRAFT) == set(RevisionStatus)


@pytest.mark.parametrize("final", [Status.REJECTED])
def test_rejection_is_final(final):
    assert not [key for key in STUDY_TRANSITIONS if key[0] is final]


def test_decisions_apply_only_to_what_is_waiting_for_review():
    for action in (Action.APPROVE, Action.REQUEST_CHANGES, Action.REJECT):
        assert {s for (s, a) in STUDY_TRANSITIONS if a is action} == {Status.SUBMITTED}
        assert {s for (s, a) in REVISION_TRANSITIONS if a is action} == {RevisionStatus.SUBMITTED}


def test_a_published_study_is_never_submitted_again_as_a_whole():
    """Edits of a published study go through a revision; the published version stays live."""
    assert (Status.PUBLISHED, Action.SUBMIT) not in STUDY_TRANSITIONS
