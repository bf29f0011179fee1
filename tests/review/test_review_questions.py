"""Questions and answers from outside: who may do what, what each path shows, odd input, and
people acting at the same moment."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import event, select

from board.extensions import db
from board.models import (
    Answer,
    CaseStudy,
    Notification,
    OutboxMessage,
    Question,
    Report,
    Status,
    User,
    Visibility,
)
from board.models.base import utcnow
from tests.answers.conftest import post, sign_out, token
from tests.factories import make_answer, make_question, make_study

SECRET = "Zanzibar budgeting trial"
MEMBERS_STUDY = "Quokka members write-up"


def on_postgresql(app) -> bool:
    with app.app_context():
        return db.engine.dialect.name == "postgresql"


@pytest.fixture
def asked(app, world):
    """The author's (Hereshire) public question with the outsider's (Thereshire) answer."""
    with app.app_context():
        question = make_question(world.people.author, title="Has any council tried drones?")
        answer = make_answer(question, world.people.outsider, body="We flew some.")
        question.answer_count = 1
        db.session.commit()
        return question.id, answer.id


# Authorisation ------------------------------------------------------------------------------


def test_another_councils_member_cannot_mark_this_helped(app, client, as_role, world, asked):
    question_id, answer_id = asked
    with app.app_context():
        mine = make_answer(db.session.get(Question, question_id), world.people.moderator)
        db.session.commit()
        mine_id = mine.id
    as_role("outsider")
    for target in (answer_id, mine_id):
        response = post(client, f"/questions/{question_id}/answers/{target}/helpful")
        assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Question, question_id).answered_at is None


def test_an_answerer_cannot_write_up_someone_elses_answer(app, client, as_role, asked):
    question_id, answer_id = asked
    for role in ("author", "colleague", "moderator"):
        as_role(role)
        response = post(client, f"/questions/{question_id}/answers/{answer_id}/write-up")
        assert response.status_code == 403, role
        sign_out(client)
    with app.app_context():
        assert db.session.get(Answer, answer_id).write_up_id is None


@pytest.mark.parametrize("role", ["visitor", "unverified", "suspended"])
def test_visitors_unverified_and_suspended_accounts_cannot_ask_or_answer(
    app, client, as_role, sign_in, world, asked, role
):
    question_id, _ = asked
    if role == "suspended":
        sign_in(world.people.colleague)
        with app.app_context():
            db.session.get(User, world.people.colleague.id).active = False
            db.session.commit()
    else:
        as_role(role)
    csrf = token(client)
    asked_now = client.post(
        "/questions/new",
        data={"csrf_token": csrf, "title": "Sneaky?", "topics": "1", "visibility": "public"},
    )
    answered = client.post(
        f"/questions/{question_id}/answers", data={"csrf_token": csrf, "body": "Sneaky"}
    )
    assert asked_now.status_code in (302, 401, 403) and answered.status_code in (302, 401, 403)
    if asked_now.status_code == 302:
        assert "/auth/login" in asked_now.headers["Location"]
    with app.app_context():
        assert db.session.scalar(select(Question).where(Question.title == "Sneaky?")) is None
        assert db.session.scalar(select(Answer).where(Answer.body == "Sneaky")) is None


def test_a_moderator_cannot_hide_their_own_councils_question_or_answer(
    app, client, as_role, world, asked
):
    _question_id, answer_id = asked
    with app.app_context():
        theirs = make_question(world.people.outsider)  # Thereshire, the moderator's council
        db.session.commit()
        theirs_id = theirs.id
    as_role("moderator")
    data = {"reason": "Not allowed"}
    assert post(client, f"/moderation/questions/{theirs_id}/hide", **data).status_code == 403
    assert post(client, f"/moderation/answers/{answer_id}/hide", **data).status_code == 403
    with app.app_context():
        assert db.session.get(Question, theirs_id).hidden_at is None
        assert db.session.get(Answer, answer_id).hidden_at is None


# What each path shows -------------------------------------------------------------------------


@pytest.fixture
def members_only(app, world):
    """A members-only question with an answer attaching a members-only study, and a public
    write-up of that answer."""
    with app.app_context():
        question = make_question(
            world.people.author,
            title=f"Has any council tried a {SECRET}?",
            topics=["data-and-research"],
            visibility=Visibility.MEMBERS,
        )
        study = make_study(world.there, visibility=Visibility.MEMBERS, title=MEMBERS_STUDY)
        write_up = make_study(world.there, title="Public write-up of a secret")
        make_answer(
            question, world.people.outsider, body="Secret answer", study_id=study.id
        ).write_up_id = write_up.id
        question.answer_count = 1
        db.session.commit()
        return question.id, write_up.id


def test_a_members_only_question_reaches_no_visitor_by_any_path(app, client, members_only):
    question_id, write_up_id = members_only
    client.get("/auth/login")
    assert client.get(f"/questions/{question_id}").status_code == 404
    for path in (
        "/questions",
        "/questions?topic=data-and-research",
        "/topics/data-and-research",
        "/api/v1/questions",
        "/feeds/questions.atom",
        f"/studies/{write_up_id}",
    ):
        response = client.get(path, headers={"HX-Request": "true"} if "?" in path else {})
        if response.status_code in (301, 302):
            response = client.get(response.headers["Location"])
        assert response.status_code == 200, path
        assert SECRET not in response.text and MEMBERS_STUDY not in response.text, path
    assert client.get(f"/api/v1/questions/{question_id}").status_code == 404


def test_a_hidden_question_reaches_no_member_by_any_path(app, client, as_role, members_only):
    question_id, write_up_id = members_only
    with app.app_context():
        db.session.get(Question, question_id).hidden_at = utcnow()
        db.session.commit()
    as_role("colleague")
    assert client.get(f"/questions/{question_id}").status_code == 404
    for path in ("/questions", "/topics/data-and-research", f"/studies/{write_up_id}"):
        response = client.get(path, follow_redirects=True)
        assert response.status_code == 200 and SECRET not in response.text, path


@pytest.mark.parametrize(
    "change",
    [
        {"visibility": Visibility.MEMBERS},
        {"status": Status.CHANGES_REQUESTED},
        {"status": Status.WITHDRAWN},
    ],
    ids=["members-only", "unpublished", "withdrawn"],
)
def test_an_attached_study_that_changes_vanishes_for_those_who_may_not_read_it(
    app, client, as_role, world, asked, change
):
    question_id, answer_id = asked
    title = "Attached drone study"
    with app.app_context():
        study = make_study(world.there, title=title)
        db.session.get(Answer, answer_id).study_id = study.id
        db.session.commit()
        study_id = study.id
    client.get("/auth/login")
    assert title in client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert title in client.get(f"/api/v1/questions/{question_id}").text
    with app.app_context():
        study = db.session.get(CaseStudy, study_id)
        for name, value in change.items():
            setattr(study, name, value)
        db.session.commit()
    assert title not in client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert title not in client.get(f"/api/v1/questions/{question_id}").text
    if "status" in change:
        as_role("colleague")  # a member of another council
        assert title not in client.get(f"/questions/{question_id}", follow_redirects=True).text


# Odd input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "topic=no-such-topic",
        "page=-1",
        "page=99999999999999999999",
        "answered=maybe",
        "topic=data-and-research&topic=data-and-research&answered=no&answered=yes",
        "page=1&page=2",
        "topic=%00",
    ],
)
def test_odd_question_list_addresses_never_fail(client, asked, query):
    for headers in ({}, {"HX-Request": "true"}):
        assert client.get(f"/questions?{query}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/questions?{query}").status_code in (200, 400)
    assert client.get(f"/feeds/questions.atom?{query}").status_code in (200, 400, 404)


@pytest.mark.parametrize(
    ("title", "stored"),
    [
        ("Has any council\r\ntried drones?", "Has any council tried drones?"),
        ("Drones without a question mark", "Drones without a question mark"),
        ("هل جربت أي مجلس الطائرات؟ 🚁 ‮evil", None),
    ],
)
def test_odd_titles_are_kept_or_refused_without_failing(app, client, as_role, title, stored):
    as_role("author")
    response = post(
        client, "/questions/new", title=title, topics="data-and-research", visibility="public"
    )
    if response.status_code == 422:
        assert title.split("\r")[0][:10] in response.text
        return
    assert response.status_code == 302
    with app.app_context():
        question = db.session.scalar(select(Question).order_by(Question.id.desc()))
        assert question.title == (stored or title.strip())
        assert "\n" not in question.title


def test_a_title_over_200_characters_is_refused_and_kept(app, client, as_role):
    as_role("author")
    title = "Has any council tried " + "x" * 200 + "?"
    response = post(
        client, "/questions/new", title=title, topics="data-and-research", visibility="public"
    )
    assert response.status_code == 422
    assert "200 characters or fewer" in response.text and title in response.text


def test_markdown_with_raw_html_and_script_links_is_sanitised(app, client, as_role, asked):
    question_id, _ = asked
    body = (
        "<script>alert(1)</script><img src=x onerror=alert(2)> [click](javascript:alert(3)) "
        '<a href="javascript:alert(4)">x</a>'
    )
    as_role("colleague")
    assert post(client, f"/questions/{question_id}/answers", body=body).status_code == 302
    page = client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert "<script>alert" not in page and "<img" not in page
    assert 'href="javascript' not in page.lower()
    api = client.get(f"/api/v1/questions/{question_id}").get_json()
    html = api["answers"][-1]["body"]["html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


@pytest.mark.parametrize(
    "address",
    [
        "https://evil.example/studies/{id}",
        "//evil.example/studies/{id}",
        "{draft}",
        "99999999999999999999999",
        "/studies/99999999999999999999",
        "javascript:alert(1)",
    ],
)
def test_an_attached_study_address_elsewhere_or_unreadable_is_refused_and_kept(
    app, client, as_role, world, asked, address
):
    question_id, _ = asked
    with app.app_context():
        study = make_study(world.there)
        draft = make_study(world.there, status=Status.DRAFT)
        db.session.commit()
        address = address.format(id=study.id, draft=draft.id)
    as_role("colleague")
    response = post(
        client, f"/questions/{question_id}/answers", body="Look here", other_study=address
    )
    assert response.status_code == 422
    assert "Look here" in response.text
    with app.app_context():
        assert db.session.scalar(select(Answer).where(Answer.body == "Look here")) is None


# CSRF -------------------------------------------------------------------------------------------


def test_every_new_post_refuses_a_missing_csrf_token(app, client, as_role, world, asked):
    question_id, answer_id = asked
    with app.app_context():
        mine = make_answer(db.session.get(Question, question_id), world.people.colleague)
        db.session.commit()
        mine_id = mine.id
    as_role("colleague")
    for path, data in (
        ("/questions/new", {"title": "No token?", "topics": "data-and-research"}),
        (f"/questions/{question_id}/answers", {"body": "No token"}),
        (f"/questions/{question_id}/answers/{answer_id}/helpful", {}),
        (f"/questions/{question_id}/answers/{mine_id}/write-up", {}),
    ):
        response = client.post(path, data=data)
        assert response.status_code in (400, 403, 422), path
    with app.app_context():
        assert db.session.get(Answer, answer_id).helpful_at is None
        assert db.session.get(Answer, mine_id).write_up_id is None
        assert db.session.scalar(select(Answer).where(Answer.body == "No token")) is None


# The write-up end to end --------------------------------------------------------------------------


def test_a_published_write_up_tells_the_asker_exactly_once(
    app, client, as_role, sign_in, world, outbox, asked
):
    question_id, answer_id = asked
    as_role("outsider")
    response = post(client, f"/questions/{question_id}/answers/{answer_id}/write-up")
    assert response.status_code == 302
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        study = answer.write_up
        assert study.council_id == world.there.id and study.status is Status.DRAFT
        assert study.what_we_tried == "We flew some." and study.title == "Drones"
        study_id = study.id
    assert (
        f"/questions/{question_id}"
        in client.get(f"/studies/{study_id}", follow_redirects=True).text
    )
    # Submitted, then published by a moderator from elsewhere; unpublished and published again.
    from board.case_studies import services as study_services

    with app.test_request_context():
        study = db.session.get(CaseStudy, study_id)
        study.summary = study.summary or "Summary"
        study.what_we_learned = "Learned"
        study.status = Status.SUBMITTED
        study.submitted_at = utcnow()
        moderator = make_user_in(world.here)
        study_services.approve(study, moderator)
        db.session.commit()
        for _ in range(2):
            study = db.session.get(CaseStudy, study_id)
            study.status = Status.SUBMITTED
            db.session.commit()
            study_services.approve(db.session.get(CaseStudy, study_id), moderator)
            db.session.commit()
        told = db.session.scalars(
            select(Notification).where(Notification.user_id == world.people.author.id)
        ).all()
    assert len(told) == 1
    with app.app_context():
        queued = db.session.scalars(
            select(OutboxMessage.subject).where(
                OutboxMessage.to_address == world.people.author.email
            )
        ).all()
    assert len([subject for subject in queued if "wrote up its answer" in subject]) == 1


def make_user_in(council):
    from board.models import Role
    from tests.factories import make_user

    return make_user(council, role=Role.MODERATOR)


def test_a_write_up_the_asker_may_not_read_tells_them_nothing(app, world, outbox, members_only):
    question_id, _ = members_only
    from board.case_studies import services as study_services

    with app.test_request_context():
        asker = db.session.get(User, world.people.author.id)
        asker.verified_at = None  # no longer a member: members-only studies are closed to them
        answer = db.session.scalar(select(Answer).where(Answer.question_id == question_id))
        study = make_study(
            world.there, status=Status.SUBMITTED, visibility=Visibility.MEMBERS, title="Secret"
        )
        answer.write_up_id = study.id
        study_services.approve(study, make_user_in(world.here))
        db.session.commit()
        assert not db.session.scalars(
            select(Notification).where(Notification.user_id == asker.id)
        ).all()


# People acting at the same moment ---------------------------------------------------------------


def in_threads(app, work, count):
    """Run ``work(i)`` in ``count`` threads at once, each in its own app context."""
    barrier = threading.Barrier(count)
    errors = []

    def run(i):
        with app.app_context():
            try:
                barrier.wait()
                work(i)
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors


def test_ten_people_answering_at_once_are_all_counted(app, world, asked):
    if not on_postgresql(app):
        pytest.skip("SQLite runs one writer at a time")
    from board.questions import answer_services
    from tests.factories import make_user

    question_id, _ = asked
    with app.app_context():
        people = [make_user(world.there).id for _ in range(10)]
        db.session.commit()

    def answer(i):
        question = db.session.get(Question, question_id)
        answer_services.post_answer(question, db.session.get(User, people[i]), f"Answer {i}")
        db.session.commit()

    in_threads(app, answer, 10)
    with app.app_context():
        assert db.session.get(Question, question_id).answer_count == 11


def test_marking_and_unmarking_at_once_leaves_answered_right(app, world, asked):
    """One member unmarks the helpful answer while another marks a second one: the question
    has a helpful answer at the end, so it is answered."""
    if not on_postgresql(app):
        pytest.skip("SQLite runs one writer at a time")
    from board.questions import answer_services

    question_id, first_id = asked
    with app.app_context():
        question = db.session.get(Question, question_id)
        second_id = make_answer(question, world.people.moderator).id
        first = db.session.get(Answer, first_id)
        first.helpful_at, first.helpful_by_id = utcnow(), world.people.author.id
        question.answered_at = utcnow()
        db.session.commit()

    marked = threading.Event()
    go = threading.Event()
    errors = []

    def mark():
        with app.app_context():
            try:
                question = db.session.get(Question, question_id)
                answer = db.session.get(Answer, second_id)
                answer_services.toggle_helpful(
                    answer, question, db.session.get(User, world.people.author.id)
                )
                marked.set()
                go.wait(10)
                db.session.commit()
            except Exception as error:
                errors.append(error)
                marked.set()
            finally:
                db.session.remove()

    def unmark():
        with app.app_context():
            try:
                question = db.session.get(Question, question_id)
                answer = db.session.get(Answer, first_id)
                answer_services.toggle_helpful(
                    answer, question, db.session.get(User, world.people.colleague.id)
                )
                db.session.commit()
            except Exception as error:
                errors.append(error)
            finally:
                db.session.remove()

    first_thread = threading.Thread(target=mark)
    first_thread.start()
    marked.wait(10)
    second_thread = threading.Thread(target=unmark)
    second_thread.start()
    time.sleep(0.5)
    go.set()
    first_thread.join(20)
    second_thread.join(20)
    assert not errors, errors
    with app.app_context():
        assert db.session.get(Answer, first_id).helpful_at is None
        assert db.session.get(Answer, second_id).helpful_at is not None
        assert db.session.get(Question, question_id).answered_at is not None


def test_writing_up_twice_at_once_makes_one_draft(app, world, asked):
    if not on_postgresql(app):
        pytest.skip("SQLite runs one writer at a time")
    from board.questions import answer_services

    question_id, answer_id = asked
    with app.app_context():
        before = db.session.scalar(select(db.func.count()).select_from(CaseStudy))
    made = []

    def write(_):
        answer = db.session.get(Answer, answer_id)
        question = db.session.get(Question, question_id)
        study, _made = answer_services.write_up(
            answer, question, db.session.get(User, answer.author_id)
        )
        db.session.commit()
        made.append(study.id)

    in_threads(app, write, 2)
    with app.app_context():
        after = db.session.scalar(select(db.func.count()).select_from(CaseStudy))
        assert after == before + 1
        assert len(set(made)) == 1 == len({db.session.get(Answer, answer_id).write_up_id})


def test_hiding_a_helpful_answer_unanswers_its_question(app, client, as_role, world, asked):
    question_id, answer_id = asked
    as_role("author")
    post(client, f"/questions/{question_id}/answers/{answer_id}/helpful")
    with app.app_context():
        assert db.session.get(Question, question_id).answered_at is not None
    sign_out(client)
    with app.app_context():
        from board.models import Role
        from tests.factories import make_council, make_user

        mod = make_user(make_council("Elsewhere Council"), role=Role.MODERATOR)
        db.session.commit()
    from tests.factories import PASSWORD

    client.post(
        "/auth/login",
        data={"email": mod.email, "password": PASSWORD, "csrf_token": token(client)},
    )
    response = post(client, f"/moderation/answers/{answer_id}/hide", reason="Off topic")
    assert response.status_code == 302
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.answered_at is None and question.answer_count == 0
    sign_out(client)
    client.get("/auth/login")
    listed = client.get("/questions?answered=no").text
    assert "Has any council tried drones?" in listed


# Query counts -----------------------------------------------------------------------------------


def count_queries(app, client, path):
    statements = []

    def record(*args):
        statements.append(args[2])

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        response = client.get(path, follow_redirects=True)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert response.status_code == 200
    return len(statements)


def test_the_question_page_list_and_api_do_not_grow_with_rows(app, client, as_role, world):
    with app.app_context():
        one = make_question(world.people.author)
        make_answer(one, world.people.outsider, study_id=make_study(world.there).id)
        many = make_question(world.people.author)
        for _ in range(30):
            make_answer(many, world.people.outsider, study_id=make_study(world.there).id)
        db.session.commit()
        one_id, many_id = one.id, many.id
    as_role("colleague")
    few = count_queries(app, client, f"/questions/{one_id}")
    assert count_queries(app, client, f"/questions/{many_id}") == few
    assert count_queries(app, client, f"/api/v1/questions/{many_id}") == count_queries(
        app, client, f"/api/v1/questions/{one_id}"
    )
    list_few = count_queries(app, client, "/questions")
    api_few = count_queries(app, client, "/api/v1/questions")
    with app.app_context():
        for _ in range(30):
            make_question(world.people.outsider, topics=["data-and-research", "cyber-security"])
        db.session.commit()
    assert count_queries(app, client, "/questions") == list_few
    assert count_queries(app, client, "/api/v1/questions") == api_few


def first_holds_then_second(app, first, second):
    """Run ``first`` up to its commit, start ``second`` while ``first`` holds its changes, then
    let ``first`` commit; both must finish without error."""
    ready, go, errors = threading.Event(), threading.Event(), []

    def run(work, wait):
        with app.test_request_context():
            try:
                work()
                if wait:
                    ready.set()
                    go.wait(10)
                db.session.commit()
            except Exception as error:
                errors.append(error)
                ready.set()
            finally:
                db.session.remove()

    one = threading.Thread(target=run, args=(first, True))
    one.start()
    ready.wait(10)
    two = threading.Thread(target=run, args=(second, False))
    two.start()
    time.sleep(0.5)
    go.set()
    one.join(20)
    two.join(20)
    assert not errors, errors


def test_hiding_one_helpful_answer_while_another_is_marked_leaves_it_answered(app, world, asked):
    if not on_postgresql(app):
        pytest.skip("SQLite runs one writer at a time")
    from board.models import Role
    from board.questions import answer_services, services
    from tests.factories import make_council, make_user

    question_id, first_id = asked
    with app.app_context():
        question = db.session.get(Question, question_id)
        second_id = make_answer(question, world.people.moderator).id
        first = db.session.get(Answer, first_id)
        first.helpful_at = question.answered_at = utcnow()
        question.answer_count = 2
        elsewhere = make_user(make_council("Elsewhere Council"), role=Role.MODERATOR).id
        db.session.commit()

    def mark():
        answer_services.toggle_helpful(
            db.session.get(Answer, second_id),
            db.session.get(Question, question_id),
            db.session.get(User, world.people.author.id),
        )

    def hide():
        services.hide_answer(
            db.session.get(Answer, first_id), db.session.get(User, elsewhere), "Off topic"
        )

    first_holds_then_second(app, mark, hide)
    with app.app_context():
        question = db.session.get(Question, question_id)
        assert question.answered_at is not None and question.answer_count == 1


def test_hiding_an_answer_while_another_is_posted_counts_the_new_one(app, world, asked):
    if not on_postgresql(app):
        pytest.skip("SQLite runs one writer at a time")
    from board.models import Role
    from board.questions import answer_services, services
    from tests.factories import make_council, make_user

    question_id, first_id = asked
    with app.app_context():
        elsewhere = make_user(make_council("Elsewhere Council"), role=Role.MODERATOR).id
        db.session.commit()

    def answer():
        answer_services.post_answer(
            db.session.get(Question, question_id),
            db.session.get(User, world.people.colleague.id),
            "A new answer",
        )

    def hide():
        services.hide_answer(
            db.session.get(Answer, first_id), db.session.get(User, elsewhere), "Off topic"
        )

    first_holds_then_second(app, answer, hide)
    with app.app_context():
        assert db.session.get(Question, question_id).answer_count == 1


HUGE = "99999999999999999999"


def test_huge_ids_are_not_found_anywhere(client, as_role, asked):
    question_id, _answer_id = asked
    as_role("moderator")
    for path in (
        f"/questions/{HUGE}",
        f"/api/v1/questions/{HUGE}",
        f"/moderation/questions/{HUGE}/hide",
        f"/moderation/answers/{HUGE}/hide",
    ):
        assert client.get(path).status_code == 404, path
    for path in (
        f"/questions/{HUGE}/answers",
        f"/questions/{question_id}/answers/{HUGE}/helpful",
        f"/questions/{question_id}/answers/{HUGE}/write-up",
        f"/moderation/answers/{HUGE}/hide",
    ):
        assert post(client, path, body="x", reason="x").status_code == 404, path


@pytest.mark.parametrize(
    "query", ["limit=-1", "limit=abc", "cursor=%00%ff", "cursor=" + "A" * 500, "topic=nope"]
)
def test_odd_api_list_parameters_are_a_400_not_a_500(client, asked, query):
    assert client.get(f"/api/v1/questions?{query}").status_code in (200, 400)


def test_a_hidden_answer_reaches_no_one_else_by_any_path(app, client, as_role, world, asked):
    question_id, answer_id = asked
    with app.app_context():
        answer = db.session.get(Answer, answer_id)
        answer.body, answer.hidden_at, answer.hidden_reason = SECRET, utcnow(), "Rude"
        db.session.get(Question, question_id).answer_count = 0
        db.session.commit()
    for role in ("visitor", "colleague"):
        as_role(role)
        page = client.get(f"/questions/{question_id}", follow_redirects=True).text
        assert SECRET not in page and "Rude" not in page, role
        htmx = client.get(f"/questions/{question_id}", headers={"HX-Request": "true"})
        assert SECRET not in htmx.text
        assert SECRET not in client.get(f"/api/v1/questions/{question_id}").text
        assert post(
            client, f"/questions/{question_id}/answers/{answer_id}/helpful"
        ).status_code in (
            302,
            401,
            404,
        )
        sign_out(client)
    with app.app_context():
        assert db.session.get(Answer, answer_id).helpful_at is None
    as_role("outsider")  # its author reads it, with the reason
    page = client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert SECRET in page and "Rude" in page


def test_related_studies_on_a_public_question_leave_out_members_only_ones(
    app, client, as_role, world
):
    with app.app_context():
        question = make_question(
            world.people.author, title="Has any council tried wombat counting sensors?"
        )
        make_study(
            world.there,
            title="Wombat counting sensors in parks",
            visibility=Visibility.MEMBERS,
            summary="Wombat counting sensors",
        )
        make_study(world.there, title="Wombat counting sensors draft", status=Status.DRAFT)
        db.session.commit()
        question_id = question.id
    page = client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert "Wombat counting sensors in parks" not in page
    assert "Wombat counting sensors draft" not in page
    as_role("colleague")  # a member reads the members-only one there
    page = client.get(f"/questions/{question_id}", follow_redirects=True).text
    assert "Wombat counting sensors in parks" in page


def test_hiding_and_reporting_refuse_a_missing_csrf_token(app, client, as_role, asked):
    question_id, _answer_id = asked
    as_role("moderator")  # Thereshire; the question is Hereshire's
    response = client.post(f"/moderation/questions/{question_id}/hide", data={"reason": "x"})
    assert response.status_code in (400, 403, 422)
    response = client.post("/reports", data={"target": f"question:{question_id}", "reason": "spam"})
    assert response.status_code in (400, 403, 422)
    with app.app_context():
        assert db.session.get(Question, question_id).hidden_at is None
        assert not db.session.scalars(select(Report)).all()


def test_a_members_only_answer_cannot_be_reached_through_the_report_form(
    app, client, as_role, members_only
):
    question_id, _ = members_only
    with app.app_context():
        answer_id = db.session.scalar(select(Answer.id).where(Answer.question_id == question_id))
    as_role("unverified")
    for target in (f"question:{question_id}", f"answer:{answer_id}"):
        response = client.get(f"/reports/new?target={target}")
        assert response.status_code in (403, 404) and SECRET not in response.text
        assert "Secret answer" not in response.text


@pytest.mark.parametrize("odd", ["\x0b", "\x0c", "\x1f", "\x00", "\u2028", "\ufffe"])
def test_control_characters_in_a_question_never_break_the_feed_or_pages(app, client, as_role, odd):
    as_role("author")
    title = f"Has any council tried{odd} drones?"
    details = f"Some{odd} details"
    response = post(
        client,
        "/questions/new",
        title=title,
        details=details,
        topics="data-and-research",
        visibility="public",
    )
    assert response.status_code in (302, 422)
    sign_out(client)
    for path in ("/questions", "/feeds/questions.atom", "/api/v1/questions"):
        assert client.get(path).status_code == 200, path
    feed = client.get("/feeds/questions.atom")
    from xml.etree import ElementTree

    ElementTree.fromstring(feed.data)  # noqa: S314 - the feed this test just made


@pytest.mark.parametrize("value", ["abc", "-1", HUGE, "{theirs}", "{draft}"])
def test_an_own_study_choice_not_offered_is_refused_and_kept(
    app, client, as_role, world, asked, value
):
    question_id, _ = asked
    with app.app_context():
        theirs = make_study(world.there, visibility=Visibility.MEMBERS)
        draft = make_study(world.here, status=Status.DRAFT)
        db.session.commit()
        value = value.format(theirs=theirs.id, draft=draft.id)
    as_role("colleague")
    response = post(
        client, f"/questions/{question_id}/answers", body="Chosen badly", own_study=value
    )
    assert response.status_code == 422 and "Chosen badly" in response.text


def test_a_hidden_public_question_leaves_the_api_feed_and_lists(app, client, as_role, asked):
    question_id, _ = asked
    title = "Has any council tried drones?"
    client.get("/auth/login")
    for path in ("/api/v1/questions", "/feeds/questions.atom", "/questions"):
        assert title in client.get(path).text, path
    with app.app_context():
        db.session.get(Question, question_id).hidden_at = utcnow()
        db.session.commit()
    for path in ("/api/v1/questions", "/feeds/questions.atom", "/questions"):
        assert title not in client.get(path).text, path
    assert client.get(f"/api/v1/questions/{question_id}").status_code == 404
    assert client.get(f"/questions/{question_id}").status_code == 404
