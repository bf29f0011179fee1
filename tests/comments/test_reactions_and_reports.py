"""Reactions ("Useful", "We tried this too") and reports to moderators."""

import threading

import pytest

from board.extensions import db
from board.models import (
    CaseStudy,
    Comment,
    ModerationLog,
    Notification,
    Report,
    Status,
    TriedToo,
    UsefulMark,
)
from tests.conftest import csrf_token_from
from tests.factories import (
    PASSWORD,
    ROLES,
    make_comment,
    make_report,
    make_study,
    make_user,
)


def token(client, path="/") -> str:
    return csrf_token_from(client.get(path).get_data(as_text=True))


def post(client, path, headers=None, **data):
    return client.post(path, data={"csrf_token": token(client), **data}, headers=headers or {})


@pytest.fixture
def study(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, title="Smart bins")
        db.session.commit()
        return study.id


def useful_state(app, study_id) -> tuple[int, int]:
    with app.app_context():
        count = db.session.get(CaseStudy, study_id).useful_count
        marks = db.session.scalar(
            db.select(db.func.count())
            .select_from(UsefulMark)
            .where(UsefulMark.case_study_id == study_id)
        )
        return count, marks


REACTING = {"author", "colleague", "outsider", "moderator"}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_mark_useful(app, client, as_role, study, role):
    as_role(role)
    response = post(client, f"/studies/{study}/useful")
    expected = 302 if role in REACTING else {"visitor": 302, "unverified": 403, "admin": 403}[role]
    assert response.status_code == expected
    assert useful_state(app, study) == ((1, 1) if role in REACTING else (0, 0))


def test_useful_toggles_and_htmx_gets_the_control(app, client, as_role, study):
    as_role("outsider")
    headers = {"HX-Request": "true"}
    first = post(client, f"/studies/{study}/useful", headers=headers)
    assert first.status_code == 200 and 'aria-pressed="true"' in first.text
    assert "1 member found this useful" in first.text and "<html" not in first.text
    second = post(client, f"/studies/{study}/useful", headers=headers)
    assert 'aria-pressed="false"' in second.text and "0 members found" in second.text
    assert useful_state(app, study) == (0, 0)


def test_the_board_sorts_by_most_useful(app, client, as_role, world, study):
    with app.app_context():
        make_study(world.there, title="Less useful study")
        db.session.commit()
    as_role("outsider")
    post(client, f"/studies/{study}/useful")
    page = client.get("/?sort=useful").text
    assert page.index("Smart bins") < page.index("Less useful study")


def test_concurrent_marks_never_count_twice(app, world, study):
    """Many members at once, and one member's double click: the counter always equals the
    marks, and nobody has two."""
    with app.app_context():
        members = [make_user(world.there, email=f"member{n}@there.example") for n in range(6)]
        db.session.commit()
        people = [(member.email, member.id) for member in members]
    clients = []
    for email, _ in people:
        client = app.test_client()
        response = client.post(
            "/auth/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token(client, "/auth/login")},
        )
        assert response.status_code == 302
        clients.append((client, token(client)))
    # Every member once, and the first member four more times at the same moment.
    jobs = clients + [clients[0]] * 4
    barrier = threading.Barrier(len(jobs))
    answers = []

    def mark(client, csrf):
        barrier.wait()
        answers.append(
            client.post(f"/studies/{study}/useful", data={"csrf_token": csrf}).status_code
        )

    threads = [threading.Thread(target=mark, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(answers) == len(jobs) and set(answers) <= {302}
    count, marks = useful_state(app, study)
    assert count == marks
    with app.app_context():
        per_member = db.session.execute(
            db.select(UsefulMark.user_id, db.func.count())
            .where(UsefulMark.case_study_id == study)
            .group_by(UsefulMark.user_id)
        ).all()
    assert all(times == 1 for _, times in per_member)
    # The five other members each marked once and nobody unmarked them.
    assert {user for user, _ in per_member} >= {user_id for _, user_id in people[1:]}


def test_the_unique_constraint_refuses_a_second_mark(app, world, study):
    from sqlalchemy.exc import IntegrityError

    with app.app_context():
        for _ in range(2):
            db.session.add(UsefulMark(case_study_id=study, user_id=world.people.outsider.id))
        with pytest.raises(IntegrityError):
            db.session.commit()


def test_we_tried_this_too_with_a_link_to_our_own_write_up(app, client, as_role, world, study):
    with app.app_context():
        ours = make_study(world.there, title="Our bin sensor pilot")
        draft = make_study(world.there, title="Our unfinished draft", status=Status.DRAFT)
        db.session.commit()
        ours_id, draft_id = ours.id, draft.id
    as_role("outsider")
    page = client.get(f"/studies/{study}/smart-bins").text
    assert "Our bin sensor pilot" in page and "Our unfinished draft" not in page
    response = post(client, f"/studies/{study}/tried-too", own_study=str(ours_id))
    assert response.status_code == 302
    page = client.get(f"/studies/{study}/smart-bins").text
    assert "Councils that tried this too" in page
    assert "Thereshire Council" in page and f"/studies/{ours_id}/our-bin-sensor-pilot" in page
    # Undo; a draft of the council is not a choice.
    post(client, f"/studies/{study}/tried-too")
    post(client, f"/studies/{study}/tried-too", own_study=str(draft_id))
    with app.app_context():
        entries = db.session.scalars(db.select(TriedToo)).all()
        assert [(entry.council_id, entry.own_study_id) for entry in entries] == [
            (world.there.id, None)
        ]


def test_tried_too_needs_a_council(app, client, as_role, study):
    for role, expected in [("unverified", 403), ("admin", 403)]:
        as_role(role)
        assert post(client, f"/studies/{study}/tried-too").status_code == expected
        client.post("/auth/logout", data={"csrf_token": token(client)})


def test_a_member_reports_a_comment_and_moderators_are_told(app, client, as_role, world, study):
    with app.app_context():
        comment = Comment(
            case_study_id=study, author_id=world.people.author.id, body="Call Jo on 07700 900123"
        )
        db.session.add(comment)
        db.session.commit()
        comment_id = comment.id
    as_role("outsider")
    form = client.get(f"/reports/new?target=comment:{comment_id}")
    assert form.status_code == 200 and "07700 900123" in form.text
    missing = post(client, "/reports", target=f"comment:{comment_id}", reason="other", details="")
    assert missing.status_code == 422 and "Tell the moderators what is wrong" in missing.text
    response = post(
        client,
        "/reports",
        target=f"comment:{comment_id}",
        reason="personal-data",
        details="A phone number",
    )
    assert response.status_code == 302
    with app.app_context():
        report = db.session.scalars(db.select(Report)).one()
        told = db.session.scalars(
            db.select(Notification.user_id).where(Notification.subject.like("New report%"))
        ).all()
        log = db.session.scalars(db.select(ModerationLog.action)).all()
    assert report.reason.value == "personal-data" and report.reporter_id == world.people.outsider.id
    assert set(told) == {world.people.moderator.id, world.people.admin.id}
    assert log == ["report.filed"]


@pytest.mark.parametrize(("role", "expected"), [("visitor", 302), ("unverified", 403)])
def test_only_members_report(app, client, as_role, study, role, expected):
    as_role(role)
    assert client.get(f"/reports/new?target=study:{study}").status_code == expected
    response = post(client, "/reports", target=f"study:{study}", reason="spam")
    assert response.status_code == expected


def test_reports_cannot_name_what_the_reporter_cannot_see(app, client, as_role, world):
    with app.app_context():
        draft = make_study(world.here, status=Status.DRAFT).id
        db.session.commit()
    as_role("outsider")
    assert post(client, "/reports", target=f"study:{draft}", reason="spam").status_code == 404
    assert post(client, "/reports", target="user:1", reason="spam").status_code == 400


def test_moderators_see_hide_and_resolve_reports(app, client, sign_in, world, study):
    with app.app_context():
        comment = make_comment(study, world.people.author, "Buy cheap pills")
        report = make_report(world.people.outsider, comment)
        db.session.commit()
        comment_id, report_id = comment.id, report.id
    sign_in(world.people.colleague)
    assert client.get("/moderation/reports").status_code == 403
    client.post("/auth/logout", data={"csrf_token": token(client)})
    sign_in(world.people.moderator)
    page = client.get("/moderation/reports").text
    assert "Buy cheap pills" in page and "Spam or advertising" in page
    post(
        client,
        f"/moderation/comments/{comment_id}/hide",
        reason="Advertising",
        next="/moderation/reports",
    )
    post(client, f"/moderation/reports/{report_id}/resolve", note="Hidden")
    again = post(client, f"/moderation/reports/{report_id}/resolve", note="Twice")
    assert again.status_code == 302
    page = client.get("/moderation/reports").text
    assert "No open reports." in page and "Recently resolved" in page
    with app.app_context():
        actions = db.session.scalars(
            db.select(ModerationLog.action).order_by(ModerationLog.id)
        ).all()
    assert actions == ["comment.hidden", "report.resolved"]


@pytest.mark.parametrize("keep_open", [False, True])
def test_hiding_a_reported_comment_resolves_its_report_unless_kept_open(
    app, client, sign_in, world, study, keep_open
):
    with app.app_context():
        comment = make_comment(study, world.people.author, "Spam")
        report = make_report(world.people.outsider, comment)
        db.session.commit()
        comment_id, report_id = comment.id, report.id
    sign_in(world.people.moderator)
    assert "Keep the report open" in client.get("/moderation/reports").text
    extra = {"keep_report_open": "yes"} if keep_open else {}
    post(client, f"/moderation/comments/{comment_id}/hide", reason="Advertising", **extra)
    with app.app_context():
        report = db.session.get(Report, report_id)
        actions = db.session.scalars(
            db.select(ModerationLog.action).order_by(ModerationLog.id)
        ).all()
        assert db.session.get(Comment, comment_id).hidden_at is not None
        if keep_open:
            assert report.resolved_at is None
            assert actions == ["comment.hidden"]
        else:
            assert report.resolved_at is not None
            assert report.resolution == "Comment hidden: Advertising"
            assert actions == ["comment.hidden", "report.resolved"]
