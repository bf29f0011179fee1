"""Councils that tried something similar (board/related.py): which studies, in what order, for
whom, and in how many queries."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, text

from board import related
from board.extensions import db
from board.models import CaseStudy, Outcome, Status, Topic, Visibility
from board.related import related_studies, telling_words
from tests.factories import make_council, make_study

CHATBOT = "Chatbot for council tax questions"
CHATBOT_SUMMARY = "We piloted a chatbot that answers council tax questions at night."


def ids_of(studies) -> list[int]:
    return [study.id for study in studies]


def topic_ids(*slugs: str) -> list[int]:
    return list(db.session.scalars(db.select(Topic.id).where(Topic.slug.in_(slugs))))


def chatbot_study(world, **fields):
    fields.setdefault("title", CHATBOT)
    fields.setdefault("summary", CHATBOT_SUMMARY)
    return make_study(world.here, world.people.author, **fields)


def unrelated_study(world, number: int, **fields):
    return make_study(
        world.there,
        world.people.outsider,
        title=fields.pop("title", f"Gritting rota number {number}"),
        summary=fields.pop("summary", "Snow ploughs went out earlier in the winter."),
        topics=fields.pop("topics", ["smart-places-technology"]),
        **fields,
    )


def statements_of(call) -> tuple[object, list[str]]:
    """What ``call`` returns, and the statements it ran (inside an app context)."""
    seen: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        result = call()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def count_statements(app, call) -> tuple[object, int]:
    result, seen = statements_of(call)
    return result, len(seen)


# -- which studies -----------------------------------------------------------------------------


def test_only_published_studies_and_never_the_study_itself(app, world):
    with app.app_context():
        source = chatbot_study(world)
        published = chatbot_study(world, title="Chatbot for council tax bills")
        others = {
            status: chatbot_study(world, status=status)
            for status in Status
            if status is not Status.PUBLISHED
        }
        db.session.commit()
        found = related_studies(
            f"{source.title} {source.summary}", source.topic_ids, world.people.moderator, source.id
        )
        assert ids_of(found) == [published.id]
        assert source.id not in ids_of(found)
        assert not set(ids_of(found)) & {study.id for study in others.values()}


def test_a_study_unpublished_or_withdrawn_after_publishing_drops_out(app, world):
    with app.app_context():
        source = chatbot_study(world)
        hidden = chatbot_study(world, title="Chatbot for tax")
        withdrawn = chatbot_study(world, title="Chatbot for tax questions")
        kept = chatbot_study(world, title="Chatbot for questions")
        db.session.commit()
        text_ = f"{source.title} {source.summary}"
        before = related_studies(text_, [], None, source.id)
        assert set(ids_of(before)) == {hidden.id, withdrawn.id, kept.id}
        # A moderator's "unpublish" sends a study back for changes; its council may withdraw it.
        hidden.status = Status.CHANGES_REQUESTED
        withdrawn.status = Status.WITHDRAWN
        db.session.commit()
        assert ids_of(related_studies(text_, [], None, source.id)) == [kept.id]


@pytest.mark.parametrize(
    ("role", "sees"),
    [
        ("visitor", False),
        ("unverified", False),
        ("author", True),
        ("outsider", True),
        ("moderator", True),
        ("admin", True),
    ],
)
def test_members_only_studies_only_for_verified_members_and_moderators(app, world, role, sees):
    with app.app_context():
        source = chatbot_study(world)
        members_only = chatbot_study(
            world, title="Chatbot for council tax arrears", visibility=Visibility.MEMBERS
        )
        public = chatbot_study(world, title="Chatbot for business rates")
        db.session.commit()
        viewer = getattr(world.people, role)
        viewer = db.session.merge(viewer) if viewer is not None else None
        found = ids_of(related_studies(f"{source.title} {source.summary}", [], viewer, source.id))
        assert public.id in found
        assert (members_only.id in found) is sees


def test_at_most_five(app, world):
    with app.app_context():
        for number in range(8):
            chatbot_study(world, title=f"Chatbot for council tax, part {number}")
        db.session.commit()
        assert len(related_studies(CHATBOT, topic_ids("data-and-research"), None)) == 5


# -- in what order -----------------------------------------------------------------------------


def test_text_similarity_beats_unrelated_newer_studies(app, world):
    with app.app_context():
        similar = chatbot_study(world, topics=["digital-communications"])
        for number in range(6):
            # Newer, and sharing the source's topic, but about something else.
            unrelated_study(world, number, topics=["cyber-security"])
        db.session.commit()
        found = related_studies(
            "Council tax chatbot\nA chatbot to answer council tax questions out of hours.",
            topic_ids("cyber-security"),
            None,
        )
        assert ids_of(found)[0] == similar.id


def test_a_closer_text_ranks_first(app, world):
    with app.app_context():
        loose = chatbot_study(world, title="Chatbot for parking permits", summary="A chatbot.")
        close = chatbot_study(world)
        also_loose = chatbot_study(world, title="Answering tax letters", summary="By post.")
        db.session.commit()
        found = related_studies(f"{CHATBOT}\n{CHATBOT_SUMMARY}", [], None)
        assert ids_of(found)[0] == close.id
        assert set(ids_of(found)) == {loose.id, close.id, also_loose.id}


def test_shared_topics_help(app, world):
    with app.app_context():
        other_topic = chatbot_study(world, title="Chatbot for parking", topics=["cyber-security"])
        same_topic = chatbot_study(
            world, title="Chatbot for parking", topics=["digital-communications"]
        )
        # The newest, so that text alone would put it first among equals.
        newest = chatbot_study(world, title="Chatbot for parking", topics=["cyber-security"])
        db.session.commit()
        found = related_studies("Parking chatbot", topic_ids("digital-communications"), None)
        assert ids_of(found)[0] == same_topic.id
        assert set(ids_of(found)) == {other_topic.id, same_topic.id, newest.id}


def test_topics_fill_in_when_the_text_finds_fewer_than_five(app, world):
    with app.app_context():
        similar = chatbot_study(world, topics=["cyber-security"])
        by_topic = [
            unrelated_study(world, number, topics=["data-and-research"]) for number in range(6)
        ]
        elsewhere = unrelated_study(world, 99, topics=["digital-political-leadership"])
        db.session.commit()
        found = ids_of(related_studies(CHATBOT, topic_ids("data-and-research"), None))
        assert found[0] == similar.id
        assert len(found) == 5
        assert set(found[1:]) <= {study.id for study in by_topic}
        # The newest first among the topic's studies.
        assert found[1:] == sorted(found[1:], reverse=True)
        assert elsewhere.id not in found


def test_a_question_like_text_works(app, world):
    with app.app_context():
        similar = chatbot_study(world)
        for number in range(3):
            unrelated_study(world, number)
        db.session.commit()
        question = (
            "Has anyone used a chatbot for council tax?\n"
            "We get hundreds of calls a week about council tax bills and wonder whether a "
            "chatbot on the website would take some of them. What did it cost?"
        )
        assert ids_of(related_studies(question, [], None))[0] == similar.id


def test_empty_text_works(app, world):
    with app.app_context():
        by_topic = unrelated_study(world, 1, topics=["data-and-research"])
        db.session.commit()
        assert related_studies("", [], None) == []
        assert related_studies("  the and of  ", [], None) == []
        assert ids_of(related_studies("", topic_ids("data-and-research"), None)) == [by_topic.id]


def test_query_syntax_in_the_text_is_only_words(app, world):
    with app.app_context():
        similar = chatbot_study(world)
        db.session.commit()
        for weird in [
            'chatbot" OR "*',
            "NEAR(chatbot tax) AND NOT title:x",
            "chatbot & !tax | (questions:*",
            "chatbot ' ; DROP TABLE case_studies; --",
            "chatbot\u00a0café naïve 東京",
        ]:
            assert ids_of(related_studies(weird, [], None)) == [similar.id], weird


def test_a_word_in_most_studies_is_not_searched_for(app, world, monkeypatch):
    with app.app_context():
        for number in range(4):
            unrelated_study(world, number, title=f"Library opening hours {number}")
        chatbot_study(world, title="Library chatbot")
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE case_studies"))
        monkeypatch.setattr(related, "COMMON_WORD_STUDIES", 3)
        assert telling_words("Library chatbot", db.engine.dialect.name) == ["chatbot"]
        monkeypatch.setattr(related, "COMMON_WORD_STUDIES", 5000)
        assert telling_words("Library chatbot", db.engine.dialect.name) == ["chatbot", "library"]
        # The rarest first, as long as the studies holding them stay within the budget.
        monkeypatch.setattr(related, "MATCH_BUDGET", 4)
        assert telling_words("Library chatbot", db.engine.dialect.name) == ["chatbot"]
        assert telling_words("Library", db.engine.dialect.name) == ["library"]


# -- in how many queries -----------------------------------------------------------------------


@pytest.mark.parametrize("studies", [3, 30])
def test_a_constant_number_of_queries(app, world, studies):
    with app.app_context():
        for number in range(studies):
            chatbot_study(world, title=f"Chatbot for council tax, part {number}")
        db.session.commit()
        topics = topic_ids("data-and-research")
        asked = f"{CHATBOT}\n{CHATBOT_SUMMARY}"
        found, statements = count_statements(app, lambda: related_studies(asked, topics, None))
        assert len(found) == min(studies, 5)
        # The words' counts; the five (and their councils) of the candidates.
        assert statements == 2
        # Nothing to look for: nothing read.
        _, statements = count_statements(app, lambda: related_studies("", [], None))
        assert statements == 0
        # Topics only: the five of the candidates.
        _, statements = count_statements(app, lambda: related_studies("", topics, None))
        assert statements == 1


def test_visitors_and_members_asking_the_same_see_what_each_may_read(app, world):
    with app.app_context():
        source = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax arrears", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        asked = (f"{source.title} {source.summary}", source.topic_ids)
        member = db.session.merge(world.people.outsider)
        assert secret.id not in ids_of(related_studies(*asked, None, source.id))
        assert secret.id in ids_of(related_studies(*asked, member, source.id))
        assert secret.id not in ids_of(related_studies(*asked, None, source.id))
        # Made public: visitors see it at once.
        secret.visibility = Visibility.PUBLIC
        db.session.commit()
        assert secret.id in ids_of(related_studies(*asked, None, source.id))


# -- the study page ----------------------------------------------------------------------------


def section(html: str) -> str | None:
    found = re.search(r'<section class="app-related[^"]*".*?</section>', html, re.S)
    return found.group(0) if found else None


def test_the_study_page_shows_the_section(app, client, world):
    with app.app_context():
        source = chatbot_study(world)
        other_council = make_council("Elsewhere Borough Council")
        similar = make_study(
            other_council,
            title="Chatbot for council tax arrears",
            summary="A chatbot for <b>tax</b> questions.",
            outcome=Outcome.WORKED,
        )
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
        link = f'href="/studies/{similar.id}/{similar.slug}"'
    html = client.get(page).text
    related_html = section(html)
    assert related_html is not None
    heading = "Councils that tried something similar"
    assert f'<h2 class="govuk-heading-l" id="related-heading">{heading}</h2>' in related_html
    assert link in related_html
    assert "Chatbot for council tax arrears" in related_html
    assert "Elsewhere Borough Council" in related_html
    assert re.search(r'<strong class="govuk-tag [^"]*">\s*Worked\s*</strong>', related_html)
    assert f'href="{page}"' not in related_html


def test_no_section_when_nothing_is_related(app, client, world):
    with app.app_context():
        source = chatbot_study(world, topics=["cyber-security"])
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
    html = client.get(page).text
    assert section(html) is None
    assert "Councils that tried something similar" not in html


def test_a_drafts_page_has_no_section(app, client, world, as_role):
    with app.app_context():
        draft = chatbot_study(world, status=Status.DRAFT)
        chatbot_study(world, title="Chatbot for council tax arrears")
        db.session.commit()
        page = f"/studies/{draft.id}/{draft.slug}"
    as_role("author")
    response = client.get(page)
    assert response.status_code == 200
    assert "Councils that tried something similar" not in response.text


def test_the_page_leaves_members_only_studies_out_for_visitors(app, client, world, as_role):
    with app.app_context():
        source = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"
        title = secret.title
    assert title not in client.get(page).text
    as_role("outsider")
    assert title in section(client.get(page).text)


def test_the_studys_page_reads_a_constant_number_of_statements(app, client, world):
    with app.app_context():
        source = chatbot_study(world)
        db.session.commit()
        page = f"/studies/{source.id}/{source.slug}"

    def statements() -> int:
        with app.app_context():
            engine = db.engine
            # Each time as a new process would: nothing kept (the words' counts are kept for a
            # while, and would spare the second request a statement).
            related.forget_kept()
        seen = []

        def record(conn, cursor, statement, parameters, context, executemany):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", record)
        try:
            assert client.get(page).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(seen)

    with app.app_context():
        for number in range(2):
            chatbot_study(world, title=f"Chatbot for tax, part {number}")
        db.session.commit()
    few = statements()
    with app.app_context():
        for number in range(10):
            make_study(make_council(), title=f"Chatbot for tax, part {number}")
        db.session.commit()
    assert statements() == few
    with app.app_context():
        assert db.session.get(CaseStudy, source.id) is not None


def test_postgresql_looks_for_common_words_among_the_newest_studies(app, world, monkeypatch):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL's search in two parts")
        studies = [chatbot_study(world, title=f"Chatbot number {n}") for n in range(6)]
        db.session.commit()
        db.session.execute(text("ANALYZE case_studies"))
        newest = max(study.id for study in studies)
        monkeypatch.setattr(related, "PG_ROWS_READ", 0)
        monkeypatch.setattr(related, "PG_NEWEST_STUDIES", 3)
        found = ids_of(related_studies("Chatbot", [], None))
        assert found == [newest, newest - 1, newest - 2]
        monkeypatch.setattr(related, "PG_NEWEST_STUDIES", 1000)
        assert len(related_studies("Chatbot", [], None)) == 5
