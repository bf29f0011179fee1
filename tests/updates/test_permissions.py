"""Who may write an update, and who may decide on one."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import RevisionStatus, Role, Status, StudyUpdate, Visibility
from tests.factories import make_study, make_user
from tests.updates.helpers import (
    decide,
    get_update,
    new_update,
    post_form,
    published_study,
    waiting_update,
)


def count_updates(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(StudyUpdate))


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("visitor", 302),  # to sign in
        ("unverified", 403),
        ("outsider", 403),  # another council's member
        ("moderator", 403),  # of another council
        ("admin", 403),  # belongs to no council
        ("author", 200),
        ("colleague", 200),
    ],
)
def test_only_the_study_councils_verified_members_may_write_one(
    app, client, as_role, world, role, expected
):
    study_id = published_study(app, world)
    as_role(role)
    response = client.get(f"/studies/{study_id}/updates/new")
    assert response.status_code == expected
    if role == "visitor":
        assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ["unverified", "outsider", "moderator"])
def test_a_refused_post_stores_nothing(app, client, as_role, world, role):
    study_id = published_study(app, world)
    as_role(role)
    assert new_update(client, study_id).status_code == 403
    assert count_updates(app) == 0


def test_a_visitors_post_keeps_what_they_typed(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("visitor")
    response = new_update(client, study_id, body="Long story of what happened")
    assert response.status_code == 401
    assert "Long story of what happened" in response.text
    assert "You have been signed out" in response.text
    assert count_updates(app) == 0


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SUBMITTED, Status.CHANGES_REQUESTED])
def test_an_unpublished_study_has_no_updates_page(app, client, as_role, world, status):
    with app.app_context():
        study = make_study(world.here, world.people.author, status=status)
        db.session.commit()
        study_id = study.id
    as_role("author")
    assert client.get(f"/studies/{study_id}/updates/new").status_code == 404
    assert new_update(client, study_id).status_code == 404


def test_a_members_only_study_is_invisible_to_those_who_may_not_read_it(
    app, client, as_role, world
):
    study_id = published_study(app, world, visibility=Visibility.MEMBERS)
    as_role("visitor")
    assert client.get(f"/studies/{study_id}/updates/new").status_code == 404
    as_role("unverified")
    assert client.get(f"/studies/{study_id}/updates/new").status_code == 404


def test_a_missing_study_or_an_update_of_another_study_is_not_found(app, client, as_role, world):
    _, update_id = waiting_update(app, world)
    other = published_study(app, world)
    as_role("colleague")
    assert client.get("/studies/99999/updates/new").status_code == 404
    assert client.get(f"/studies/{other}/updates/{update_id}/edit").status_code == 404
    response = post_form(client, f"/studies/{other}/updates/{update_id}/withdraw")
    assert response.status_code == 404
    assert get_update(app, update_id).status is RevisionStatus.SUBMITTED


def test_another_council_cannot_withdraw_or_edit_an_update(app, client, as_role, world):
    study_id, update_id = waiting_update(app, world, status=RevisionStatus.CHANGES_REQUESTED)
    as_role("outsider")
    assert post_form(client, f"/studies/{study_id}/updates/{update_id}/withdraw").status_code == 403
    assert client.get(f"/studies/{study_id}/updates/{update_id}/edit").status_code == 403
    assert get_update(app, update_id).status is RevisionStatus.CHANGES_REQUESTED


def test_another_council_cannot_tell_which_updates_exist(app, client, as_role, world):
    """An update in review is the council's business: another council's member gets the same
    answer whether the update exists or not."""
    study_id, update_id = waiting_update(app, world, status=RevisionStatus.CHANGES_REQUESTED)
    as_role("outsider")
    for number in (update_id, update_id + 1000):
        assert client.get(f"/studies/{study_id}/updates/{number}/edit").status_code == 403
        response = post_form(client, f"/studies/{study_id}/updates/{number}/withdraw")
        assert response.status_code == 403


def test_the_add_an_update_link_is_for_the_councils_members_only(app, client, as_role, world):
    study_id = published_study(app, world)
    as_role("outsider")
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "Add an update" not in page
    client.post("/auth/logout", data={"csrf_token": _token(client)})
    as_role("colleague")
    page = client.get(f"/studies/{study_id}", follow_redirects=True).text
    assert "Add an update" in page and f"/studies/{study_id}/updates/new" in page


def _token(client):
    from tests.conftest import csrf_token_from

    return csrf_token_from(client.get("/").text)


# Moderators ----------------------------------------------------------------------------------


def test_only_moderators_open_the_review_page(app, client, as_role, world):
    _, update_id = waiting_update(app, world)
    as_role("outsider")
    assert client.get(f"/moderation/updates/{update_id}").status_code == 403
    assert decide(client, update_id, "approve").status_code == 403
    assert get_update(app, update_id).status is RevisionStatus.SUBMITTED


def test_a_moderator_never_decides_on_their_own_councils_update(app, client, sign_in, world):
    with app.app_context():
        # A moderator of the study's own council.
        own = make_user(world.here, role=Role.MODERATOR, email="mod@hereshire.gov.uk")
        db.session.commit()
    _, update_id = waiting_update(app, world)
    sign_in(own)
    page = client.get(f"/moderation/updates/{update_id}").text
    assert "moderator from another council decides" in page
    assert "Save decision" not in page
    assert decide(client, update_id, "approve").status_code == 403
    assert get_update(app, update_id).status is RevisionStatus.SUBMITTED


def test_a_moderator_never_decides_on_their_own_writing(app, client, sign_in, world):
    """A moderator who wrote an update (for their own council) never reviews it, even were
    they not of that council: their writing is refused on its own."""
    from board.models import User
    from board.permissions import can_decide_update
    from tests.updates.helpers import make_update

    study_id = published_study(app, world)
    with app.app_context():
        writer = make_user(world.here, role=Role.MODERATOR)
        update = make_update(study_id, writer)
        db.session.commit()
        update_id, writer_id = update.id, writer.id
    with app.app_context():
        update = db.session.get(StudyUpdate, update_id)
        writer = db.session.get(User, writer_id)
        assert not can_decide_update(update, update.study, writer)
        writer.council_id = world.there.id  # moved councils since: still their own writing
        assert not can_decide_update(update, update.study, writer)
        assert can_decide_update(
            update, update.study, db.session.get(User, world.people.moderator.id)
        )
        db.session.commit()
    sign_in(writer)
    page = client.get(f"/moderation/updates/{update_id}").text
    assert "You wrote this" in page and "Save decision" not in page
    assert decide(client, update_id, "approve").status_code == 403
    assert get_update(app, update_id).status is RevisionStatus.SUBMITTED


def test_the_review_page_links_to_the_study_and_escapes_its_title(app, client, as_role, world):
    study_id = published_study(app, world, title="<b>Bold</b> & brave")
    _, update_id = waiting_update(app, world, study_id=study_id)
    as_role("moderator")
    page = client.get(f"/moderation/updates/{update_id}").text
    assert f'<a class="govuk-link" href="/studies/{study_id}/b-bold-b-brave" lang="en">' in page
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; brave</a>" in page
    assert "<b>Bold</b>" not in page
