"""Questions in the digest: new questions on followed topics, and questions still unanswered
seven days on for the councils that have published on their topics; each once, never the
member's own, never hidden ones, members-only ones only to those who may read them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, event, func, select

from board.digests import services
from board.extensions import db
from board.models import Council, FollowKind, Question, Status, User, Visibility
from board.models.user import DigestFrequency
from tests.digests.helpers import NOW, at, follow, make_member
from tests.factories import make_council, make_study, make_user
from tests.question_rows import make_answer, make_question

# The first weekly digest at NOW covers (2026-11-16 00:00, NOW]; a daily one (2026-11-25, NOW].
IN_WINDOW = at("2026-11-25T09:00")
# Asked on 17 November: its seventh day, 24 November, is in the weekly window.
WEEK_AGO = at("2026-11-17T10:00")


def digest_for(member, now=NOW):
    follows = services.follows_by_member([member.id]).get(member.id, [])
    return services.build_digest(member, follows, now)


def titles(items) -> list[str]:
    return [item.title for item in items]


def unanswered_titles(digest) -> dict[str, list[str]]:
    return {group.topic_name: titles(group.questions) for group in digest.unanswered}


def sent_to(outbox, email):
    return [message for message in outbox if message["To"] == email]


@pytest.fixture
def councils(app):
    """Hereshire asks; Thereshire has published on cyber security; Elsewhere has not."""
    with app.app_context():
        here = make_council("Hereshire Council")
        there = make_council("Thereshire Council")
        elsewhere = make_council("Elsewhere Council")
        make_study(there, topics=["cyber-security"], published_at=at("2026-01-01T00:00"))
        make_study(elsewhere, topics=["cyber-security"], status=Status.DRAFT)
        asker = make_user(here, name="Quinn Asker", digest_frequency=DigestFrequency.NONE)
        db.session.commit()
        return here.id, there.id, elsewhere.id, asker.id


def _setup(councils):
    here, there, elsewhere, asker = (
        db.session.get(Council, councils[0]),
        db.session.get(Council, councils[1]),
        db.session.get(Council, councils[2]),
        db.session.get(User, councils[3]),
    )
    return here, there, elsewhere, asker


def test_a_new_question_goes_to_members_who_follow_its_topics(app, councils):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        member = make_member(there)
        follow(member, FollowKind.TOPIC, slug="cyber-security")
        follow(member, FollowKind.TOPIC, slug="data-and-research")
        both = make_question(
            asker,
            "Phishing data?",
            topics=["cyber-security", "data-and-research"],
            created_at=IN_WINDOW,
        )
        make_question(
            asker, "Newer one", topics=["cyber-security"], created_at=IN_WINDOW + timedelta(hours=1)
        )
        make_question(
            asker, "Not followed", topics=["smart-places-technology"], created_at=IN_WINDOW
        )
        make_question(
            asker, "Too old", topics=["cyber-security"], created_at=at("2026-10-01T00:00")
        )
        make_question(
            asker, "Too new", topics=["cyber-security"], created_at=NOW + timedelta(hours=1)
        )
        db.session.commit()
        digest = digest_for(member)
        # Each once, newest first, though it is on two topics followed.
        assert titles(digest.questions) == ["Newer one", "Phishing data?"]
        item = digest.questions[1]
        assert item.council_name == "Hereshire Council"
        base = app.config["PUBLIC_URL"].rstrip("/")
        assert item.link == f"{base}/questions/{both.id}/phishing-data"
        assert item.asked_on == "25 November 2026"
        assert not digest.is_empty
        assert digest.subject == "Case Board: 2 new questions on topics you follow"


def test_never_the_members_own_question_nor_a_hidden_one(app, councils):
    with app.app_context():
        here, _, _, asker = _setup(councils)
        me = make_member(here)
        follow(me, FollowKind.TOPIC, slug="cyber-security")
        make_question(me, "My own question", topics=["cyber-security"], created_at=IN_WINDOW)
        make_question(
            asker,
            "Hidden question",
            topics=["cyber-security"],
            created_at=IN_WINDOW,
            hidden_at=NOW,
            hidden_reason="Spam",
        )
        make_question(
            asker, "Colleague's question", topics=["cyber-security"], created_at=IN_WINDOW
        )
        db.session.commit()
        assert titles(digest_for(me).questions) == ["Colleague's question"]


def test_members_only_questions_reach_verified_members_only(app, councils):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        verified = make_member(there)
        unverified = make_member(None, verified=False)
        unverified.email_confirmed_at = at("2026-01-01T00:00")
        for member in (verified, unverified):
            follow(member, FollowKind.TOPIC, slug="cyber-security")
        make_question(
            asker,
            "For members",
            topics=["cyber-security"],
            visibility=Visibility.MEMBERS,
            created_at=IN_WINDOW,
        )
        make_question(
            asker,
            "For everyone",
            topics=["cyber-security"],
            created_at=IN_WINDOW - timedelta(hours=1),
        )
        db.session.commit()
        assert titles(digest_for(verified).questions) == ["For members", "For everyone"]
        assert titles(digest_for(unverified).questions) == ["For everyone"]


def test_a_week_unanswered_goes_to_councils_that_published_on_its_topics(app, councils):
    with app.app_context():
        here, there, elsewhere, asker = _setup(councils)
        helper = make_member(there)  # follows nothing: the council's studies are enough
        unverified = make_member(there, verified=False)
        colleague = make_member(here)
        other = make_member(elsewhere)  # only a draft on the topic
        make_question(asker, "Phishing drills?", topics=["cyber-security"], created_at=WEEK_AGO)
        make_question(
            asker,
            "Smart bins?",
            topics=["smart-places-technology"],
            created_at=WEEK_AGO,
        )
        # Six days old: not yet.
        make_question(
            asker, "Too soon", topics=["cyber-security"], created_at=NOW - timedelta(days=6)
        )
        db.session.commit()
        digest = digest_for(helper)
        assert unanswered_titles(digest) == {"Cyber security": ["Phishing drills?"]}
        assert digest.questions == []
        assert digest.subject == ("Case Board: 1 unanswered question your council could help with")
        for nobody in (unverified, colleague, other):
            assert digest_for(nobody).unanswered == []
            assert digest_for(nobody).is_empty


def test_not_once_it_has_an_answer_but_a_hidden_answer_is_none(app, councils):
    with app.app_context():
        _, there, elsewhere, asker = _setup(councils)
        helper = make_member(there)
        answered = make_question(asker, "Answered", topics=["cyber-security"], created_at=WEEK_AGO)
        make_answer(answered, make_user(elsewhere))
        hidden_only = make_question(
            asker, "Only a hidden answer", topics=["cyber-security"], created_at=WEEK_AGO
        )
        make_answer(hidden_only, make_user(elsewhere), hidden_at=NOW, hidden_reason="Spam")
        make_question(
            asker, "Hidden question", topics=["cyber-security"], created_at=WEEK_AGO, hidden_at=NOW
        )
        db.session.commit()
        assert unanswered_titles(digest_for(helper)) == {"Cyber security": ["Only a hidden answer"]}


def test_members_only_unanswered_questions_only_to_those_who_may_read_them(app, councils):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        helper = make_member(there)
        make_question(
            asker,
            "For members",
            topics=["cyber-security"],
            visibility=Visibility.MEMBERS,
            created_at=WEEK_AGO,
        )
        db.session.commit()
        assert unanswered_titles(digest_for(helper)) == {"Cyber security": ["For members"]}


def test_a_question_on_several_topics_is_listed_once_under_the_first(app, councils):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        make_study(there, topics=["digital-communications"], published_at=at("2026-02-01T00:00"))
        helper = make_member(there)
        follow(helper, FollowKind.TOPIC, slug="cyber-security")
        make_question(
            asker,
            "Both topics",
            topics=["digital-communications", "cyber-security"],
            created_at=WEEK_AGO,
        )
        make_question(asker, "Comms only", topics=["digital-communications"], created_at=WEEK_AGO)
        db.session.commit()
        # (The window also holds both as asked in it: shown once, as asking for help.)
        digest = digest_for(helper)
        assert unanswered_titles(digest) == {
            "Digital communications": ["Both topics", "Comms only"]
        }
        assert digest.questions == []


def test_each_question_reaches_each_member_once_daily_or_weekly(app, councils, outbox):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        weekly = make_member(there, DigestFrequency.WEEKLY, email="weekly@example.org")
        daily = make_member(there, DigestFrequency.DAILY, email="daily@example.org")
        for member in (weekly, daily):
            follow(member, FollowKind.TOPIC, slug="cyber-security")
        # Asked on Wednesday 18 November: new to both; a week later, unanswered, it asks help.
        question = make_question(
            asker, "Phishing drills?", topics=["cyber-security"], created_at=at("2026-11-18T10:00")
        )
        question_id = question.id
        db.session.commit()
        # Every day at noon from 19 November to 9 December.
        day = at("2026-11-19T12:00")
        while day <= at("2026-12-09T12:00"):
            services.send_digests(day)
            day += timedelta(days=1)
        recorded = db.session.get(Question, question_id).unanswered_digest_at
    for email in ("weekly@example.org", "daily@example.org"):
        bodies = [message.get_content() for message in sent_to(outbox, email)]
        new = [body for body in bodies if "New questions on topics you follow" in body]
        helping = [body for body in bodies if "Can your council help?" in body]
        assert len(new) == 1, email
        assert len(helping) == 1, email
        assert "Can your council help? Unanswered questions on Cyber security\n" in helping[0]
        assert f"/questions/{question_id}/" in helping[0]
        assert "Asked by Hereshire Council on 18 November 2026, no answers yet" in helping[0]
    # The daily reader heard on the seventh day; recorded then.
    assert recorded == at("2026-11-25T12:00")


def test_no_help_asked_when_answered_before_the_digest(app, councils, outbox):
    with app.app_context():
        _, there, elsewhere, asker = _setup(councils)
        make_member(there, DigestFrequency.WEEKLY, email="weekly@example.org")
        question = make_question(
            asker, "Phishing drills?", topics=["cyber-security"], created_at=WEEK_AGO
        )
        make_answer(question, make_user(elsewhere, digest_frequency=DigestFrequency.NONE))
        db.session.commit()
        report = services.send_digests(NOW)
        assert db.session.get(Question, question.id).unanswered_digest_at is None
    assert sent_to(outbox, "weekly@example.org") == []
    assert report.empty >= 1


def test_the_email_lists_both_sections_with_links(app, councils, outbox):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        member = make_member(there, email="reader@example.org")
        follow(member, FollowKind.TOPIC, slug="data-and-research")
        new = make_question(asker, "Data sharing?", created_at=IN_WINDOW)
        old = make_question(
            asker, "Phishing drills?", topics=["cyber-security"], created_at=WEEK_AGO
        )
        db.session.commit()
        services.send_digests(NOW)
        base = app.config["PUBLIC_URL"].rstrip("/")
        ids = new.id, old.id
    [message] = sent_to(outbox, "reader@example.org")
    assert message["Subject"] == (
        "Case Board: 1 new question on topics you follow and 1 unanswered question your "
        "council could help with"
    )
    body = message.get_content()
    assert (
        "New questions on topics you follow\n----------------------------------\n\n"
        "Data sharing?\nAsked by Hereshire Council on 25 November 2026\n"
        f"{base}/questions/{ids[0]}/data-sharing\n"
    ) in body
    heading = "Can your council help? Unanswered questions on Cyber security"
    assert f"{heading}\n{'-' * len(heading)}\n\nPhishing drills?\n" in body
    assert f"{base}/questions/{ids[1]}/phishing-drills\n" in body
    assert body.index("New questions") < body.index("Can your council help?")


def test_more_than_ten_are_counted(app, councils):
    with app.app_context():
        _, there, _, asker = _setup(councils)
        member = make_member(there)
        follow(member, FollowKind.TOPIC, slug="data-and-research")
        for number in range(services.MAX_ITEMS + 2):
            make_question(asker, f"New {number}", created_at=IN_WINDOW)
            make_question(asker, f"Old {number}", topics=["cyber-security"], created_at=WEEK_AGO)
        db.session.commit()
        digest = digest_for(member)
        assert len(digest.questions) == services.MAX_ITEMS
        assert digest.more_questions == 2
        assert sum(len(group.questions) for group in digest.unanswered) == services.MAX_ITEMS
        assert digest.more_unanswered == 2
        assert digest.unanswered_count == services.MAX_ITEMS + 2


def test_questions_cost_the_same_queries_however_many_members_and_questions(app, councils):
    def queries_for(members: int, questions: int) -> int:
        with app.app_context():
            _, there, _, asker = _setup(councils)
            for number in range(questions):
                make_question(
                    asker,
                    f"New {members}-{number}",
                    topics=["cyber-security", "data-and-research"],
                    created_at=IN_WINDOW,
                )
                make_question(
                    asker, f"Old {members}-{number}", topics=["cyber-security"], created_at=WEEK_AGO
                )
            people = []
            for _ in range(members):
                member = make_member(there)
                follow(member, FollowKind.TOPIC, slug="data-and-research")
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
                    assert digest.questions and digest.unanswered
            finally:
                event.remove(db.engine, "before_cursor_execute", record)
            db.session.rollback()
            return len(statements)

    few = queries_for(members=1, questions=2)
    many = queries_for(members=8, questions=15)
    assert many == few
    # The window's studies, topics, updates and comments (no "tried too": no updates), its
    # questions, and which councils published on the unanswered ones' topics.
    assert few <= 6


def test_the_digest_bench_adds_questions_and_councils_are_asked(tmp_path, monkeypatch):
    from bench import digests as bench_digests
    from bench import fill
    from bench.run import bench_app
    from board.models import OutboxMessage

    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    app = bench_app(url)
    fill.prepare_database(app, 300)
    monkeypatch.setattr(bench_digests, "MEMBERS", 200)
    monkeypatch.setattr(bench_digests, "QUESTIONS", 60)
    engine = create_engine(url)
    with engine.connect() as connection:
        newest = connection.scalar(select(func.max(services.CaseStudy.published_at)))
    engine.dispose()
    now = datetime.fromisoformat(str(newest)).replace(tzinfo=UTC) + timedelta(hours=1)
    counts = bench_digests.add_digest_members(url, now)
    assert counts["questions"] == 60
    assert counts["questions_unanswered_a_week_on"] > 0
    with app.app_context():
        report = services.send_digests(now, batch_size=50)
        assert report.failed == 0 and report.sent > 0
        bodies = [
            row.body for row in db.session.scalars(select(OutboxMessage)) if row.body is not None
        ]
        assert any("New questions on topics you follow" in body for body in bodies)
        assert any("Can your council help?" in body for body in bodies)
        asked = db.session.scalar(
            select(func.count(Question.id)).where(Question.unanswered_digest_at.is_not(None))
        )
        assert asked > 0
