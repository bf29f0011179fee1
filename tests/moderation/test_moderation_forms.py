"""The moderators' forms on the Design System: each problem shown at the top and beside its
field, with what was typed kept, without JavaScript."""

from board.extensions import db
from board.models import CaseStudy, Comment, Report, Status
from tests.factories import make_comment, make_report, make_study

LONG = "Too long. " * 600  # 6,000 characters


def _published(app, world, title="Bin sensors nobody read"):
    with app.app_context():
        study = make_study(world.here, world.people.author, title=title)
        db.session.commit()
        return study.id, study.slug


def test_the_study_page_offers_unpublishing_as_a_warning_button(app, client, as_role, world):
    study_id, slug = _published(app, world)
    as_role("moderator")
    html = client.get(f"/studies/{study_id}/{slug}").text
    panel = html[html.index('id="moderation-heading"') :]
    assert 'class="govuk-textarea' in panel and 'name="note"' in panel
    assert "Why are you taking it off the board?" in panel
    assert "govuk-button--warning" in panel and "Unpublish" in panel


def test_unpublishing_without_a_reason_shows_the_problem(app, client, as_role, world, csrf_token):
    study_id, _ = _published(app, world)
    as_role("moderator")
    response = client.post(
        f"/moderation/studies/{study_id}/unpublish",
        data={"note": "   ", "csrf_token": csrf_token("/moderation")},
    )
    assert response.status_code == 422
    html = response.text
    assert "<title>Error: Unpublish: Bin sensors nobody read" in html
    assert 'href="#note">Enter why you are taking it off the board' in html
    assert "govuk-button--warning" in html
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).status is Status.PUBLISHED


def test_a_reason_too_long_is_kept_in_the_form(app, client, as_role, world, csrf_token):
    study_id, _ = _published(app, world)
    as_role("moderator")
    response = client.post(
        f"/moderation/studies/{study_id}/unpublish",
        data={"note": LONG, "csrf_token": csrf_token("/moderation")},
    )
    assert response.status_code == 422
    assert "Keep the reason to 5,000 characters or fewer" in response.text
    assert LONG.strip() in response.text


def test_unpublishing_says_which_study_went(app, client, as_role, world, csrf_token):
    study_id, _slug = _published(app, world)
    as_role("moderator")
    response = client.post(
        f"/moderation/studies/{study_id}/unpublish",
        data={"note": "It names a resident.", "csrf_token": csrf_token("/moderation")},
        follow_redirects=True,
    )
    assert response.request.path.startswith(f"/studies/{study_id}")
    assert "You took “Bin sensors nobody read” off the board." in response.text
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).status is not Status.PUBLISHED


def _reported_comment(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author)
        comment = make_comment(study.id, world.people.outsider, "Rude *words*")
        report = make_report(world.people.colleague, comment)
        db.session.commit()
        return comment.id, report.id


def test_the_reports_page_has_a_form_per_report_with_its_own_ids(app, client, as_role, world):
    _comment_id, report_id = _reported_comment(app, world)
    as_role("moderator")
    html = client.get("/moderation/reports").text
    for field_id in (f"reason-{report_id}", f"keep-open-{report_id}", f"note-{report_id}"):
        assert html.count(f'id="{field_id}"') == 1, field_id
    assert "Reason for hiding it (its author sees this)" in html
    assert "govuk-checkboxes__input" in html
    # The comment is quoted as HTML, not as escaped markup.
    assert '<div class="app-prose app-quote" lang="en"><p>Rude <em>words</em></p>' in html
    assert "&lt;" not in html


def test_the_comment_page_quotes_the_comment_as_html(app, client, as_role, world):
    comment_id, _ = _reported_comment(app, world)
    as_role("moderator")
    html = client.get(f"/moderation/comments/{comment_id}/hide").text
    assert '<div class="app-prose app-quote" lang="en"><p>Rude <em>words</em></p>' in html
    assert "&lt;" not in html


def test_each_person_waiting_has_a_labelled_council_choice(app, client, as_role, world):
    from tests.factories import make_user

    with app.app_context():
        person = make_user(None, email="pat@parish.example", name="Pat Waiting")
        db.session.commit()
        person_id = person.id
    as_role("moderator")
    html = client.get("/moderation/members").text
    assert f'<select class="govuk-select govuk-!-width-full" id="council-{person_id}"' in html
    assert "Council of Pat Waiting" in html
    assert 'Verify<span class="govuk-visually-hidden"> Pat Waiting</span>' in html
    assert '<span class="app-break-anywhere">pat@parish.example</span>' in html
    assert "&lt;" not in html


def test_a_resolution_note_too_long_is_kept_and_shown_beside_its_report(
    app, client, as_role, world, csrf_token
):
    _, report_id = _reported_comment(app, world)
    as_role("moderator")
    note = "n" * 501
    response = client.post(
        f"/moderation/reports/{report_id}/resolve",
        data={"note": note, "csrf_token": csrf_token("/moderation/reports")},
    )
    assert response.status_code == 422
    html = response.text
    assert f'href="#note-{report_id}">Keep the note to 500 characters or fewer' in html
    assert note in html
    with app.app_context():
        assert db.session.get(Report, report_id).resolved_at is None


def test_hiding_without_a_reason_keeps_the_choice_to_keep_reports_open(
    app, client, as_role, world, csrf_token
):
    comment_id, _report_id = _reported_comment(app, world)
    as_role("moderator")
    response = client.post(
        f"/moderation/comments/{comment_id}/hide",
        data={"reason": "", "keep_report_open": "y", "csrf_token": csrf_token("/moderation")},
    )
    assert response.status_code == 422
    html = response.text
    assert 'href="#reason">Enter a reason' in html
    at = html.index('id="keep_report_open"')
    checkbox = html[html.rindex("<input", 0, at) : html.index(">", at)]
    assert "checked" in checkbox
    with app.app_context():
        assert db.session.get(Comment, comment_id).hidden_at is None


def test_hiding_with_the_reports_kept_open(app, client, as_role, world, csrf_token):
    comment_id, report_id = _reported_comment(app, world)
    as_role("moderator")
    client.post(
        f"/moderation/comments/{comment_id}/hide",
        data={"reason": "Rude.", "keep_report_open": "y", "csrf_token": csrf_token("/moderation")},
    )
    with app.app_context():
        assert db.session.get(Comment, comment_id).hidden_at is not None
        assert db.session.get(Report, report_id).resolved_at is None


def test_a_refused_csrf_token_keeps_what_the_moderator_typed(app, client, as_role, world):
    study_id, _ = _published(app, world)
    comment_id, report_id = _reported_comment(app, world)
    as_role("moderator")
    for path, data in [
        (f"/moderation/studies/{study_id}/unpublish", {"note": "It names a resident."}),
        (f"/moderation/comments/{comment_id}/hide", {"reason": "Insults an officer."}),
        (f"/moderation/reports/{report_id}/resolve", {"note": "Spoke to the author."}),
    ]:
        response = client.post(path, data=data)  # no token
        assert response.status_code == 400, path
        assert "Your session expired" in response.text, path
        assert next(iter(data.values())) in response.text, path
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).status is Status.PUBLISHED
        assert db.session.get(Comment, comment_id).hidden_at is None
        assert db.session.get(Report, report_id).resolved_at is None


def test_a_refused_csrf_token_decides_nothing(app, client, as_role, world):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED)
        db.session.commit()
        study_id = study.id
    as_role("moderator")
    assert client.post(f"/moderation/studies/{study_id}/approve").status_code == 400
    response = client.post(
        f"/moderation/studies/{study_id}/decision",
        data={"decision": "request-changes", "changes_note": "Add the cost."},
    )
    assert response.status_code == 400
    assert "Add the cost." in response.text
    with app.app_context():
        assert db.session.get(CaseStudy, study_id).status is Status.SUBMITTED
