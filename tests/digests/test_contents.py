"""What a digest lists: each kind of follow, the window's edges, and what must never appear."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event

from board.digests import services
from board.extensions import db
from board.models import FollowKind, Outcome, Status, Visibility
from board.models.user import DigestFrequency
from tests.digests.helpers import (
    NOW,
    approved_update,
    at,
    comment,
    follow,
    make_member,
    tried_too,
)
from tests.factories import make_council, make_study

IN_WINDOW = at("2026-11-25T09:00")


def digest_for(member, now=NOW):
    follows = services.follows_by_member([member.id]).get(member.id, [])
    return services.build_digest(member, follows, now)


def titles(items):
    return [item.title if hasattr(item, "title") else item.study.title for item in items]


@pytest.fixture
def councils(app):
    with app.app_context():
        here = make_council("Hereshire Council")
        there = make_council("Thereshire Council", council_type="unitary")
        db.session.commit()
        return here.id, there.id


def test_a_first_weekly_digest_starts_at_the_previous_week(app):
    with app.app_context():
        member = make_member(None)
        assert services.window_start(member, NOW) == at("2026-11-16T00:00")
        member.created_at = at("2026-11-20T08:00")
        assert services.window_start(member, NOW) == at("2026-11-20T08:00")
        member.digest_covered_until = at("2026-11-24T06:00")
        assert services.window_start(member, NOW) == at("2026-11-24T06:00")
        member.digest_covered_until = None
        member.created_at = at("2026-01-01T00:00")
        member.digest_frequency = DigestFrequency.DAILY
        assert services.window_start(member, NOW) == at("2026-11-25T00:00")


def test_a_topic_follow_lists_new_studies_on_that_topic(app, councils):
    with app.app_context():
        here = db.session.get(make_council.__globals__["Council"], councils[0])
        member = make_member(here)
        follow(member, FollowKind.TOPIC, slug="cyber-security")
        make_study(here, title="Phishing drill", topics=["cyber-security"], published_at=IN_WINDOW)
        make_study(here, title="Chatbot", topics=["data-and-research"], published_at=IN_WINDOW)
        make_study(
            here,
            title="Old phishing drill",
            topics=["cyber-security"],
            published_at=at("2026-10-01T00:00"),
        )
        digest = digest_for(member)
        assert titles(digest.studies) == ["Phishing drill"]
        item = digest.studies[0]
        assert item.council_name == "Hereshire Council"
        assert item.outcome is Outcome.DID_NOT_WORK
        assert item.link.startswith("http") and item.link.endswith(
            f"/studies/{item.id}/phishing-drill"
        )


def _council(council_id):
    from board.models import Council

    return db.session.get(Council, council_id)


def test_a_council_follow_lists_that_councils_new_studies(app, councils):
    with app.app_context():
        here, there = _council(councils[0]), _council(councils[1])
        member = make_member(here)
        follow(member, FollowKind.COUNCIL, council_id=there.id)
        make_study(there, title="Theirs", published_at=IN_WINDOW)
        make_study(here, title="Ours", published_at=IN_WINDOW)
        assert titles(digest_for(member).studies) == ["Theirs"]


def test_a_saved_search_means_what_the_board_shows(app, councils):
    with app.app_context():
        here, there = _council(councils[0]), _council(councils[1])
        member = make_member(here)
        follow(
            member,
            FollowKind.SEARCH,
            query="topic=cyber-security&outcome=worked&council_type=unitary",
            name="Cyber that worked in unitaries",
        )
        make_study(
            there,
            title="Match",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
            published_at=IN_WINDOW,
        )
        make_study(  # a district council
            here,
            title="Wrong council type",
            topics=["cyber-security"],
            outcome=Outcome.WORKED,
            published_at=IN_WINDOW,
        )
        make_study(
            there,
            title="Wrong outcome",
            topics=["cyber-security"],
            outcome=Outcome.ONGOING,
            published_at=IN_WINDOW,
        )
        assert titles(digest_for(member).studies) == ["Match"]


def test_a_saved_search_with_words_uses_the_boards_search(app, councils):
    with app.app_context():
        here = _council(councils[0])
        member = make_member(here)
        follow(member, FollowKind.SEARCH, query="q=phishing&council=hereshire-council")
        make_study(here, title="Phishing drills for staff", published_at=IN_WINDOW)
        make_study(here, title="Chatbot for bins", published_at=IN_WINDOW)
        make_study(here, title="Phishing drills last year", published_at=at("2026-01-05T00:00"))
        db.session.commit()
        assert titles(digest_for(member).studies) == ["Phishing drills for staff"]


def test_a_study_matching_several_follows_is_listed_once(app, councils):
    with app.app_context():
        here = _council(councils[0])
        member = make_member(here)
        follow(member, FollowKind.TOPIC, slug="cyber-security")
        follow(member, FollowKind.COUNCIL, council_id=here.id)
        follow(member, FollowKind.SEARCH, query="outcome=did-not-work")
        make_study(here, title="Everything", topics=["cyber-security"], published_at=IN_WINDOW)
        digest = digest_for(member)
        assert titles(digest.studies) == ["Everything"]
        assert digest.subject == "Case Board: 1 new case study"


def test_the_window_is_open_at_since_and_closed_at_until(app, councils):
    with app.app_context():
        here = _council(councils[0])
        member = make_member(here, digest_covered_until=at("2026-11-20T00:00"))
        follow(member, FollowKind.COUNCIL, council_id=here.id)
        make_study(here, title="At since", published_at=at("2026-11-20T00:00"))
        make_study(here, title="Just after since", published_at=at("2026-11-20T00:00:01"))
        make_study(here, title="At until", published_at=NOW)
        make_study(here, title="After until", published_at=NOW + timedelta(seconds=1))
        assert titles(digest_for(member).studies) == ["At until", "Just after since"]


def test_members_only_studies_go_only_to_those_who_may_read_them(app, councils):
    with app.app_context():
        here = _council(councils[0])
        verified = make_member(here)
        unverified = make_member(None, verified=False)
        unverified.email_confirmed_at = at("2026-01-01T00:00")
        for member in (verified, unverified):
            follow(member, FollowKind.COUNCIL, council_id=here.id)
            follow(member, FollowKind.SEARCH, query="q=phishing")
        make_study(
            here,
            title="Phishing, members only",
            visibility=Visibility.MEMBERS,
            published_at=IN_WINDOW,
        )
        make_study(here, title="Phishing, public", published_at=IN_WINDOW)
        db.session.commit()
        assert titles(digest_for(verified).studies) == [
            "Phishing, members only",
            "Phishing, public",
        ] or titles(digest_for(verified).studies) == ["Phishing, public", "Phishing, members only"]
        assert titles(digest_for(unverified).studies) == ["Phishing, public"]


@pytest.mark.parametrize(
    "status",
    [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.REJECTED, Status.WITHDRAWN],
)
def test_unpublished_and_withdrawn_studies_never_appear(app, councils, status):
    with app.app_context():
        here = _council(councils[0])
        member = make_member(here)
        follow(member, FollowKind.COUNCIL, council_id=here.id)
        study = make_study(here, title="Not published", status=status)
        # As if it had been published in the window and then withdrawn.
        study.published_at = IN_WINDOW
        follow(member, FollowKind.STUDY, study_id=study.id)
        tried_too(study, member)
        approved_update(study, study.author, IN_WINDOW)
        comment(study, study.author, IN_WINDOW)
        digest = digest_for(member)
        assert digest.is_empty, digest


def test_updates_reach_followers_and_councils_that_tried_it_too(app, councils):
    with app.app_context():
        here, there = _council(councils[0]), _council(councils[1])
        follower = make_member(None, verified=False)
        follower.email_confirmed_at = at("2026-01-01T00:00")
        tried = make_member(there)
        colleague_of_tried = make_member(there)
        stranger = make_member(there)
        stranger.council_id = make_council().id
        study = make_study(
            here, title="Smart bins", outcome=Outcome.ONGOING, published_at=at("2026-03-01T00:00")
        )
        other = make_study(here, title="Other", published_at=at("2026-03-01T00:00"))
        follow(follower, FollowKind.STUDY, study_id=study.id)
        tried_too(study, tried)
        approved_update(study, study.author, IN_WINDOW, new_outcome=Outcome.DID_NOT_WORK)
        approved_update(other, other.author, IN_WINDOW)
        approved_update(study, study.author, at("2026-10-01T00:00"))  # before the window
        pending = approved_update(study, study.author, IN_WINDOW)
        pending.status = "submitted"
        db.session.flush()
        for member in (follower, tried, colleague_of_tried):
            digest = digest_for(member)
            assert titles(digest.updates) == ["Smart bins"], member
            update = digest.updates[0]
            assert update.new_outcome is Outcome.DID_NOT_WORK
            assert update.previous_outcome is Outcome.ONGOING
        assert digest_for(stranger).is_empty
        assert digest_for(follower).subject == "Case Board: 1 update you follow"


def test_new_comments_on_the_members_councils_studies_not_their_own(app, councils):
    with app.app_context():
        here, there = _council(councils[0]), _council(councils[1])
        member = make_member(here)
        outsider = make_member(there)
        ours = make_study(here, title="Ours", published_at=at("2026-03-01T00:00"))
        theirs = make_study(there, title="Theirs", published_at=at("2026-03-01T00:00"))
        comment(ours, outsider, IN_WINDOW)
        comment(ours, outsider, IN_WINDOW + timedelta(hours=1))
        comment(ours, member, IN_WINDOW)  # their own
        comment(ours, outsider, IN_WINDOW, hidden_at=IN_WINDOW)
        comment(ours, outsider, IN_WINDOW, deleted_at=IN_WINDOW)
        comment(ours, outsider, at("2026-10-01T00:00"))  # before the window
        comment(theirs, outsider, IN_WINDOW)
        digest = digest_for(member)
        assert [(item.study.title, item.count) for item in digest.comments] == [("Ours", 2)]
        assert digest.subject == "Case Board: 2 new comments on your council's case studies"


def test_the_subject_counts_each_kind(app, councils):
    digest = services.Digest(since=NOW, until=NOW)
    item = services.StudyItem(id=1, title="A", council_name="C", outcome=Outcome.WORKED)
    digest.studies = [item, item, item]
    digest.updates = [services.UpdateItem(item, IN_WINDOW.date(), None, None)]
    assert digest.subject == "Case Board: 3 new case studies and 1 update you follow"
    digest.comments = [services.CommentsItem(item, 2)]
    assert digest.subject == (
        "Case Board: 3 new case studies, 1 update you follow and 2 new comments on your "
        "council's case studies"
    )


def test_digests_cost_the_same_queries_however_many_members_and_items(app, councils):
    """A window's studies, updates and comments are read once and shared by every member whose
    digest covers it; a saved search costs one query a window; each member's digest then costs
    none, however many follows and items it has."""

    def queries_for(members: int, items: int) -> int:
        with app.app_context():
            here, there = _council(councils[0]), _council(councils[1])
            outsider = make_member(there)
            studies = []
            for number in range(items):
                study = make_study(
                    there,
                    title=f"Phishing {number}",
                    topics=["cyber-security"],
                    published_at=IN_WINDOW,
                )
                studies.append(study)
                approved_update(study, study.author, IN_WINDOW)
                ours = make_study(here, published_at=at("2026-01-01T00:00"))
                comment(ours, outsider, IN_WINDOW)
            people = []
            for _ in range(members):
                member = make_member(here)
                follow(member, FollowKind.TOPIC, slug="cyber-security")
                follow(member, FollowKind.COUNCIL, council_id=there.id)
                follow(member, FollowKind.SEARCH, query="outcome=worked&council=thereshire-council")
                follow(member, FollowKind.SEARCH, query="q=phishing")
                for study in studies:
                    follow(member, FollowKind.STUDY, study_id=study.id)
                people.append(member)
            db.session.commit()
            follows = services.follows_by_member([member.id for member in people])
            windows = services.Windows()
            statements = []

            def record(conn, cursor, statement, *args):
                statements.append(statement)

            event.listen(db.engine, "before_cursor_execute", record)
            try:
                for member in people:
                    digest = services.build_digest(member, follows[member.id], NOW, windows)
                    assert len(digest.studies) == min(items, services.MAX_ITEMS)
                    assert len(digest.updates) == min(items, services.MAX_ITEMS)
                    assert digest.comments
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            db.session.rollback()
            return len(statements)

    few = queries_for(members=1, items=2)
    many = queries_for(members=6, items=services.MAX_ITEMS + 3)
    assert many == few
    # Studies, their topics, updates, "tried too", comments, questions; a council and two saved
    # searches.
    assert few <= 9
