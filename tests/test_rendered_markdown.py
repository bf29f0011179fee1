"""Markdown rendered when it is saved: what is stored, when it is served, and how old HTML is
brought up to date (board/rendering.py)."""

from datetime import timedelta

import pytest
from sqlalchemy import text

from board import sanitize
from board.extensions import db
from board.models import CaseStudy, Comment, Status, StudyRevision
from board.models.base import utcnow
from board.rendering import markdown_models, rerender_stale
from board.sanitize import SANITIZER_VERSION, render_markdown
from tests.browser.xss_payloads import PAYLOADS
from tests.case_studies.test_writing import form_data
from tests.conftest import csrf_token_from
from tests.factories import make_comment, make_study
from tests.test_sanitize import elements_of

SECTIONS = [field for field, _heading in CaseStudy.SECTIONS]


def post(client, path, **data):
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **data})


def load(app, model, row_id):
    with app.app_context():
        return db.session.get(model, row_id)


def only(app, model):
    with app.app_context():
        return db.session.scalars(db.select(model).order_by(model.id)).all()


def assert_stores_its_html(row) -> None:
    assert row.markdown_version == SANITIZER_VERSION
    for field in row.MARKDOWN_FIELDS:
        assert getattr(row, f"{field}_html") == str(render_markdown(getattr(row, field)))


def assert_inert(html: str) -> None:
    assert "<script" not in html.lower()
    for tag, attrs in elements_of(html):
        assert tag in sanitize.ALLOWED_TAGS
        assert not any(name.lower().startswith("on") or name == "style" for name in attrs)
        href = attrs.get("href", "")
        assert href == "" or href.startswith(("http://", "https://", "mailto:"))


@pytest.fixture
def published(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Chatbot that failed",
            challenge="Queues at the **counter**.",
        )
        db.session.commit()
        return study.id


def study_page(client, study_id) -> str:
    response = client.get(f"/studies/{study_id}", follow_redirects=True)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def make_stale(app, table: str, row_id: int, **html) -> None:
    """What a row looks like when its HTML was made by an older sanitiser."""
    with app.app_context():
        columns = ", ".join(f"{name} = :{name}" for name in html)
        db.session.execute(
            text(f"UPDATE {table} SET {columns}, markdown_version = 'old' WHERE id = :id"),  # noqa: S608
            {"id": row_id, **html},
        )
        db.session.commit()


# Saving through the views


def test_a_saved_study_stores_its_html_and_an_edit_replaces_it(app, client, as_role, world):
    as_role("author")
    assert client.post("/studies/new", data=form_data(app, client)).status_code == 302
    (study,) = only(app, CaseStudy)
    assert_stores_its_html(study)
    assert (
        study.what_we_learned_html.strip()
        == "<p>Ask residents <strong>before</strong> buying hardware.</p>"
    )

    path = f"/studies/{study.id}/edit"
    edited = form_data(app, client, path=path, what_we_learned="Ask residents *first*.")
    assert client.post(path, data=edited).status_code == 302
    study = load(app, CaseStudy, study.id)
    assert study.what_we_learned_html.strip() == "<p>Ask residents <em>first</em>.</p>"
    assert_stores_its_html(study)


def test_a_revision_stores_its_html_and_approval_carries_it_to_the_study(
    app, client, sign_in, world, published
):
    sign_in(world.people.colleague)
    path = f"/studies/{published}/edit"
    data = form_data(app, client, path=path, challenge="Queues at the *desk*.", action="submit")
    assert client.post(path, data=data).status_code == 302
    (revision,) = only(app, StudyRevision)
    assert revision.challenge_html.strip() == "<p>Queues at the <em>desk</em>.</p>"
    assert_stores_its_html(revision)
    # The published study keeps its own HTML while the edit is reviewed.
    assert "<strong>counter</strong>" in load(app, CaseStudy, published).challenge_html

    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    sign_in(world.people.moderator)
    assert post(client, f"/moderation/studies/{published}/approve").status_code == 302
    study = load(app, CaseStudy, published)
    assert study.challenge_html.strip() == "<p>Queues at the <em>desk</em>.</p>"
    assert_stores_its_html(study)


def test_a_comment_stores_its_html_through_posting_editing_and_deleting(
    app, client, as_role, published
):
    as_role("author")
    assert (
        post(client, f"/studies/{published}/comments", body="We tried **this**.").status_code == 302
    )
    (comment,) = only(app, Comment)
    assert comment.body_html.strip() == "<p>We tried <strong>this</strong>.</p>"
    assert_stores_its_html(comment)

    assert post(client, f"/comments/{comment.id}/edit", body="We tried *that*.").status_code == 302
    assert load(app, Comment, comment.id).body_html.strip() == "<p>We tried <em>that</em>.</p>"

    assert post(client, f"/comments/{comment.id}/delete").status_code == 302
    deleted = load(app, Comment, comment.id)
    assert deleted.body_html == "" and deleted.markdown_version == SANITIZER_VERSION


def test_hostile_comments_store_nothing_active_and_the_page_shows_what_was_stored(
    app, client, as_role, published
):
    app.config["COMMENT_RATE_LIMIT"] = "1000 per minute"
    as_role("author")
    token = csrf_token_from(client.get("/").get_data(as_text=True))
    for payload in PAYLOADS:
        response = client.post(
            f"/studies/{published}/comments", data={"csrf_token": token, "body": payload}
        )
        assert response.status_code == 302, payload
    stored = only(app, Comment)
    assert [comment.body for comment in stored] == [payload.strip() for payload in PAYLOADS]
    page = study_page(client, published)
    for comment in stored:
        assert comment.markdown_version == SANITIZER_VERSION
        assert_inert(comment.body_html)
        assert comment.body_html in page


def test_hostile_sections_store_nothing_active(app, client, as_role, world):
    app.config["POSTING_RATE_LIMIT"] = "1000 per minute"
    as_role("author")
    assert client.post("/studies/new", data=form_data(app, client)).status_code == 302
    (study,) = only(app, CaseStudy)
    path = f"/studies/{study.id}/edit"
    for first in range(0, len(PAYLOADS), len(SECTIONS)):
        hostile = dict(zip(SECTIONS, PAYLOADS[first : first + len(SECTIONS)], strict=False))
        assert (
            client.post(path, data=form_data(app, client, path=path, **hostile)).status_code == 302
        )
        saved = load(app, CaseStudy, study.id)
        assert saved.markdown_version == SANITIZER_VERSION
        for field in hostile:
            assert_inert(getattr(saved, f"{field}_html"))


# Serving: stored HTML only while it is current


def test_pages_serve_the_stored_html_when_it_is_current(app, client, world, published):
    with app.app_context():
        comment_id = make_comment(published, world.people.outsider, body="Read me").id
        db.session.execute(
            text("UPDATE comments SET body_html = '<p>Stored comment</p>' WHERE id = :id"),
            {"id": comment_id},
        )
        db.session.execute(
            text("UPDATE case_studies SET challenge_html = '<p>Stored section</p>' WHERE id = :id"),
            {"id": published},
        )
        db.session.commit()
    page = study_page(client, published)
    assert "Stored comment" in page and "Read me" not in page
    assert "Stored section" in page and "counter" not in page


def test_html_from_another_sanitiser_is_never_served(app, client, world, published):
    with app.app_context():
        comment_id = make_comment(published, world.people.outsider, body="Fresh **comment**").id
        db.session.commit()
    make_stale(app, "comments", comment_id, body_html="<p>Old comment</p>")
    make_stale(app, "case_studies", published, challenge_html="<p>Old section</p>")

    page = study_page(client, published)
    assert "Old comment" not in page and "Fresh <strong>comment</strong>" in page
    assert "Old section" not in page and "Queues at the <strong>counter</strong>" in page
    # Showing a page writes nothing: the command brings the rows up to date.
    assert load(app, Comment, comment_id).markdown_version == "old"
    assert load(app, CaseStudy, published).markdown_version == "old"


def test_a_new_sanitiser_version_stops_serving_html_stored_before_it(
    app, client, world, published, monkeypatch
):
    """A change to the allow-list changes SANITIZER_VERSION: until the rows are rendered again,
    every page renders their text afresh, under the new rules."""
    with app.app_context():
        db.session.execute(
            text("UPDATE case_studies SET challenge_html = '<p>Made by the old rules</p>'")
        )
        db.session.commit()
    assert "Made by the old rules" in study_page(client, published)
    monkeypatch.setattr(sanitize, "SANITIZER_VERSION", "tightened")
    page = study_page(client, published)
    assert "Made by the old rules" not in page and "<strong>counter</strong>" in page


def test_moderators_and_reporters_see_the_current_html_of_a_comment(
    app, client, as_role, world, published
):
    with app.app_context():
        comment_id = make_comment(published, world.people.outsider, body="Quoted **text**").id
        db.session.commit()
    make_stale(app, "comments", comment_id, body_html="<p>Old quote</p>")
    as_role("moderator")
    for path in (
        f"/reports/new?target=comment:{comment_id}",
        f"/moderation/comments/{comment_id}/hide",
        f"/comments/{comment_id}/reply",
    ):
        page = client.get(path).get_data(as_text=True)
        assert "Quoted <strong>text</strong>" in page and "Old quote" not in page, path


def test_a_study_page_with_current_html_renders_no_markdown(
    app, client, world, published, monkeypatch
):
    with app.app_context():
        for number in range(10):
            make_comment(published, world.people.outsider, body=f"Comment **{number}**")
        db.session.commit()

    def no_rendering(*args, **kwargs):
        raise AssertionError("Markdown was rendered while a page was shown")

    monkeypatch.setattr(sanitize._markdown, "render", no_rendering)
    page = study_page(client, published)
    assert "Comment <strong>9</strong>" in page
    assert "Queues at the <strong>counter</strong>" in page

    # The same page with one row out of date does render, so the check above can fail.
    make_stale(app, "comments", 1, body_html="<p>Old</p>")
    with pytest.raises(AssertionError, match="rendered while a page was shown"):
        client.get(f"/studies/{published}", follow_redirects=True)


def test_a_field_that_is_not_markdown_is_refused(app, world, published):
    study = load(app, CaseStudy, published)
    with pytest.raises(ValueError, match="not a Markdown field"):
        study.rendered("title")


# Rendering again: the command and the function behind it


def test_rerender_brings_old_rows_up_to_date_and_then_has_nothing_to_do(app, world, published):
    with app.app_context():
        comment_ids = [
            make_comment(published, world.people.outsider, body=f"Comment *{n}*").id
            for n in range(3)
        ]
        db.session.commit()
        updated_at = db.session.get(CaseStudy, published).updated_at
    make_stale(app, "comments", comment_ids[0], body_html="<p>Old</p>")
    make_stale(app, "comments", comment_ids[2], body_html="<p>Old</p>")
    make_stale(app, "case_studies", published, challenge_html="<p>Old</p>")

    runner = app.test_cli_runner()
    result = runner.invoke(args=["markdown", "rerender"])
    assert result.exit_code == 0, result.output
    assert "case_studies: 1 rendered" in result.output
    assert "comments: 2 rendered" in result.output
    assert "study_revisions: 0 rendered" in result.output
    for comment_id in comment_ids:
        assert_stores_its_html(load(app, Comment, comment_id))
    study = load(app, CaseStudy, published)
    assert_stores_its_html(study)
    assert study.updated_at == updated_at  # rendering again is not an edit

    again = runner.invoke(args=["markdown", "rerender"])
    assert "case_studies: 0 rendered" in again.output and "comments: 0 rendered" in again.output

    everything = runner.invoke(args=["markdown", "rerender", "--all"])
    assert "case_studies: 1 rendered" in everything.output
    assert "comments: 3 rendered" in everything.output


def test_rerender_refuses_an_empty_batch(app):
    result = app.test_cli_runner().invoke(args=["markdown", "rerender", "--batch-size", "0"])
    assert result.exit_code != 0 and "--batch-size" in result.output


def test_rerender_fills_rows_written_without_the_orm_batch_by_batch(app, world, published):
    """A bulk insert (the benchmark's filler) writes no HTML; small batches still reach every
    row, in order, and only the stale ones."""
    with app.app_context():
        current = make_comment(published, world.people.outsider, body="Already rendered").id
        db.session.execute(
            Comment.__table__.insert(),
            [
                {
                    "case_study_id": published,
                    "author_id": world.people.outsider.id,
                    "body": f"Bulk **{n}**",
                    "created_at": utcnow() - timedelta(minutes=n),
                    "hidden_reason": "",
                }
                for n in range(7)
            ],
        )
        db.session.commit()
        assert rerender_stale(db.session, batch_size=2) == {
            "answers": 0,
            "case_studies": 0,
            "comments": 7,
            "questions": 0,
            "study_revisions": 0,
            "study_updates": 0,
        }
        db.session.expire_all()
        rows = db.session.scalars(db.select(Comment).order_by(Comment.id)).all()
    assert rows[0].id == current
    for row in rows:
        assert_stores_its_html(row)
    assert rows[-1].body_html.strip() == "<p>Bulk <strong>6</strong></p>"


def test_every_model_with_markdown_is_rendered_again():
    assert [model.__tablename__ for model in markdown_models()] == [
        "answers",
        "case_studies",
        "comments",
        "questions",
        "study_revisions",
        "study_updates",
    ]


def test_demo_data_is_stored_rendered(app):
    assert app.test_cli_runner().invoke(args=["demo-data"]).exit_code == 0
    with app.app_context():
        for model in markdown_models():
            rows = db.session.scalars(db.select(model)).all()
            for row in rows:
                assert_stores_its_html(row)
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) > 0


def test_changing_status_alone_does_not_render(app, world, published, monkeypatch):
    def no_rendering(*args, **kwargs):
        raise AssertionError("rendered")

    monkeypatch.setattr(sanitize._markdown, "render", no_rendering)
    with app.app_context():
        study = db.session.get(CaseStudy, published)
        study.status = Status.WITHDRAWN
        db.session.commit()
    assert load(app, CaseStudy, published).status is Status.WITHDRAWN


def test_rerender_keeps_an_edit_made_while_it_renders(app, world, published, monkeypatch):
    with app.app_context():
        comment_id = make_comment(published, world.people.outsider, body="First words").id
        db.session.commit()
    make_stale(app, "comments", comment_id, body_html="<p>Old</p>")
    render = sanitize.render_markdown

    def render_while_someone_edits(source):
        # The author saves new words after the command read the old ones.
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "UPDATE comments SET body = 'Second words', "
                    "body_html = '<p>Second words</p>', markdown_version = :version"
                ),
                {"version": SANITIZER_VERSION},
            )
        return render(source)

    monkeypatch.setattr(sanitize, "render_markdown", render_while_someone_edits)
    with app.app_context():
        rerender_stale(db.session)
    comment = load(app, Comment, comment_id)
    assert comment.body == "Second words"
    assert comment.body_html == "<p>Second words</p>"
