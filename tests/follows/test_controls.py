"""Follow and unfollow a topic, a council or a study: with and without htmx, who may, and what
is refused."""

from __future__ import annotations

import pytest

from board.extensions import db
from board.follows.services import MAX_FOLLOWS
from board.models import Follow, FollowKind, Status, Topic, Visibility
from tests.conftest import csrf_token_from
from tests.factories import make_study, make_user
from tests.follows.conftest import follows_of, swapped, topic


@pytest.fixture
def studies(app, world):
    with app.app_context():
        here = world.here
        made = {
            "public": make_study(here, world.people.author, title="Chatbot for council tax"),
            "members": make_study(here, world.people.author, visibility=Visibility.MEMBERS),
            "draft": make_study(here, world.people.author, status=Status.DRAFT),
            "submitted": make_study(here, world.people.author, status=Status.SUBMITTED),
        }
        db.session.commit()
        return {name: (study.id, study.slug) for name, study in made.items()}


def _study_path(studies, name: str) -> str:
    study_id, slug = studies[name]
    return f"/studies/{study_id}/{slug}"


def test_a_visitor_is_offered_a_link_to_sign_in(client, world, studies):
    html = client.get("/topics/cyber-security").text
    assert 'href="/auth/login?next=/topics/cyber-security"' in html
    assert "Sign in to follow this topic" in html
    assert 'id="follow-control"' not in html
    assert "Sign in to follow this council" in client.get(f"/councils/{world.here.slug}").text
    assert "Sign in to follow this case study" in client.get(_study_path(studies, "public")).text


def test_following_a_topic_without_javascript(app, client, world, as_role, post):
    as_role("outsider")
    cyber = topic(app)
    html = client.get("/topics/cyber-security").text
    assert "Follow this topic" in html
    assert f'name="target" value="topic:{cyber.id}"' in html

    response = post("/follows", {"target": f"topic:{cyber.id}", "next": "/topics/cyber-security"})
    assert response.status_code == 302
    assert response.location == "/topics/cyber-security"
    page = client.get("/topics/cyber-security").text
    assert "You are following Cyber security." in page  # the flashed message
    assert "Unfollow this topic" in page
    [follow] = follows_of(app, world.people.outsider)
    assert (follow.kind, follow.target, follow.topic_id) == (
        FollowKind.TOPIC,
        f"topic:{cyber.id}",
        cyber.id,
    )


def test_following_a_topic_with_htmx_swaps_the_control(app, client, world, as_role, post):
    as_role("outsider")
    cyber = topic(app)
    response = post(
        "/follows", {"target": f"topic:{cyber.id}", "next": "/topics/cyber-security"}, htmx=True
    )
    assert response.status_code == 200
    html = response.text
    assert html.lstrip().startswith('<form id="follow-control"')
    assert "<html" not in html
    assert "Unfollow this topic" in html
    assert 'name="next" value="/topics/cyber-security"' in html
    said = swapped(response)
    assert said["focus"] == "#follow-button"
    assert said["announce"].startswith("You are following Cyber security.")
    assert "weekly digest" in said["announce"]

    [follow] = follows_of(app, world.people.outsider)
    undone = post(f"/follows/{follow.id}/delete", {"next": "/topics/cyber-security"}, htmx=True)
    assert undone.status_code == 200
    assert "Follow this topic" in undone.text
    assert swapped(undone) == {
        "focus": "#follow-button",
        "announce": "You are no longer following Cyber security.",
    }
    assert follows_of(app, world.people.outsider) == []


def test_following_a_council_and_a_study(app, client, world, as_role, post, studies):
    as_role("outsider")
    council_page = f"/councils/{world.here.slug}"
    assert "Follow this council" in client.get(council_page).text
    post("/follows", {"target": f"council:{world.here.id}", "next": council_page})
    assert "Unfollow this council" in client.get(council_page).text

    study_id, _ = studies["public"]
    study_page = _study_path(studies, "public")
    assert "Follow this case study" in client.get(study_page).text
    answer = post("/follows", {"target": f"study:{study_id}", "next": study_page}, htmx=True)
    assert "Unfollow this case study" in answer.text
    assert swapped(answer)["announce"].startswith("You are following “Chatbot for council tax”.")
    assert "Unfollow this case study" in client.get(study_page).text
    kinds = [
        (follow.kind, follow.council_id or follow.study_id)
        for follow in follows_of(app, world.people.outsider)
    ]
    assert kinds == [(FollowKind.COUNCIL, world.here.id), (FollowKind.STUDY, study_id)]


def test_unfollowing_without_javascript_goes_back_with_a_message(app, client, world, as_role, post):
    as_role("author")
    cyber = topic(app)
    post("/follows", {"target": f"topic:{cyber.id}"})
    [follow] = follows_of(app, world.people.author)
    response = post(f"/follows/{follow.id}/delete", {"next": "/topics/cyber-security"})
    assert response.status_code == 302
    assert response.location == "/topics/cyber-security"
    page = client.get("/topics/cyber-security").text
    assert "You are no longer following Cyber security." in page
    assert "Follow this topic" in page


def test_following_twice_makes_one_follow(app, client, world, as_role, post):
    as_role("author")
    cyber = topic(app)
    for htmx in (False, True, False):
        response = post("/follows", {"target": f"topic:{cyber.id}"}, htmx=htmx)
        assert response.status_code in (200, 302)
    assert len(follows_of(app, world.people.author)) == 1


def test_members_only_studies_are_not_followed_by_those_who_cannot_read_them(
    app, client, world, post, sign_in, studies
):
    study_id, _ = studies["members"]
    # A visitor is sent to sign in.
    response = post("/follows", {"target": f"study:{study_id}"})
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")
    # Signed in with a confirmed address, but not (yet) a verified member of a council: as if
    # the study were not there.
    with app.app_context():
        waiting = make_user(None, verified=False)
        waiting.email_confirmed_at = waiting.created_at
        db.session.commit()
    sign_in(waiting)
    assert post("/follows", {"target": f"study:{study_id}"}).status_code == 404
    assert post("/follows", {"target": f"study:{study_id}"}, htmx=True).status_code == 404
    assert follows_of(app, waiting) == []
    # A public study they may follow.
    public_id, _ = studies["public"]
    assert post("/follows", {"target": f"study:{public_id}"}).status_code == 302


def test_a_verified_member_may_follow_a_members_only_study(app, world, as_role, post, studies):
    as_role("outsider")
    study_id, _ = studies["members"]
    assert post("/follows", {"target": f"study:{study_id}"}).status_code == 302
    assert len(follows_of(app, world.people.outsider)) == 1


@pytest.mark.parametrize("state", ["draft", "submitted"])
def test_unpublished_studies_cannot_be_followed_even_by_their_council(
    app, client, world, as_role, post, studies, state
):
    as_role("author")
    study_id, _ = studies[state]
    assert post("/follows", {"target": f"study:{study_id}"}).status_code == 404
    assert post("/follows", {"target": f"study:{study_id}"}, htmx=True).status_code == 404
    assert follows_of(app, world.people.author) == []
    # Their own page offers nothing to follow.
    assert "follow-control" not in client.get(_study_path(studies, state)).text


def test_a_visitor_posting_is_sent_to_sign_in_and_back(app, client, world, post):
    cyber = topic(app)
    response = post("/follows", {"target": f"topic:{cyber.id}", "next": "/topics/cyber-security"})
    assert response.status_code == 302
    assert response.location == "/auth/login?next=/topics/cyber-security"
    # With htmx (a session that ended, say) nothing is swapped in: a 401 the page explains.
    assert post("/follows", {"target": f"topic:{cyber.id}"}, htmx=True).status_code == 401


def test_an_unconfirmed_address_cannot_follow(app, client, world, as_role, post):
    as_role("unverified")
    cyber = topic(app)
    assert (
        "Confirm your email address to follow this topic"
        in client.get("/topics/cyber-security").text
    )
    assert post("/follows", {"target": f"topic:{cyber.id}"}).status_code == 403
    assert follows_of(app, world.people.unverified) == []


def test_csrf_is_required(app, client, world, as_role, post):
    as_role("author")
    cyber = topic(app)
    assert post("/follows", {"target": f"topic:{cyber.id}"}, token=False).status_code == 400
    response = client.post(
        "/follows",
        data={"target": f"topic:{cyber.id}", "csrf_token": "not-the-token"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 400
    assert follows_of(app, world.people.author) == []


def test_another_persons_follow_cannot_be_deleted(app, client, world, as_role, post, sign_in):
    as_role("author")
    cyber = topic(app)
    post("/follows", {"target": f"topic:{cyber.id}"})
    [follow] = follows_of(app, world.people.author)
    client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/account").text)})
    sign_in(world.people.outsider)
    assert post(f"/follows/{follow.id}/delete").status_code == 404
    assert post(f"/follows/{follow.id}/delete", htmx=True).status_code == 404
    assert len(follows_of(app, world.people.author)) == 1


@pytest.mark.parametrize(
    ("target", "status"),
    [("", 400), ("planet:1", 400), ("search:q=x", 400), ("topic:abc", 404), ("topic:99999", 404)],
)
def test_what_cannot_be_followed(client, world, as_role, post, target, status):
    as_role("author")
    assert post("/follows", {"target": target}).status_code == status


def test_only_addresses_on_this_site_are_gone_back_to(app, client, world, as_role, post):
    as_role("author")
    cyber = topic(app)
    response = post("/follows", {"target": f"topic:{cyber.id}", "next": "https://evil.example/"})
    assert response.location == "/topics/cyber-security"
    response = post("/follows", {"target": f"topic:{cyber.id}", "next": "//evil.example/"})
    assert response.location == "/topics/cyber-security"


def test_there_is_a_limit_to_how_much_one_person_follows(app, client, world, as_role, post):
    as_role("author")
    with app.app_context():
        person = world.people.author
        db.session.add_all(
            Follow(
                user_id=person.id, kind=FollowKind.SEARCH, target=f"search:q={n}", query=f"q={n}"
            )
            for n in range(MAX_FOLLOWS)
        )
        db.session.commit()
    cyber = topic(app)
    response = post("/follows", {"target": f"topic:{cyber.id}", "next": "/topics/cyber-security"})
    assert response.status_code == 302
    assert (
        f"You are following {MAX_FOLLOWS} things, the most you can"
        in client.get("/topics/cyber-security").text
    )
    htmx = post("/follows", {"target": f"topic:{cyber.id}"}, htmx=True)
    assert htmx.status_code == 422
    assert "the most you can" in htmx.text
    assert 'id="follow-button"' in htmx.text
    assert "the most you can" in swapped(htmx)["announce"]
    assert len(follows_of(app, world.people.author)) == MAX_FOLLOWS


def test_following_is_rate_limited_like_other_posting(app, client, world, as_role, post):
    app.config["POSTING_RATE_LIMIT"] = "2 per hour"
    as_role("author")
    with app.app_context():
        topics = [topic.id for topic in db.session.scalars(db.select(Topic).limit(3))]
    answers = [post("/follows", {"target": f"topic:{topic_id}"}).status_code for topic_id in topics]
    assert answers == [302, 302, 429]
    assert len(follows_of(app, world.people.author)) == 2


def test_the_study_page_offers_its_own_address_to_come_back_to(client, world, as_role, studies):
    as_role("outsider")
    html = client.get(_study_path(studies, "public")).text
    assert f'name="next" value="{_study_path(studies, "public")}"' in html


def test_two_requests_following_at_once_make_one_follow(app, world, monkeypatch):
    """The second insert of the same follow meets the unique constraint: the first one stands,
    and the second request goes on as if it had found it."""
    from board.follows import services

    with app.app_context():
        person = db.session.get(type(world.people.author), world.people.author.id)
        cyber = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        first = services.follow(person, cyber)
        db.session.commit()
        real_find = services.find
        calls = []

        def not_yet_seen(user, target):
            calls.append(target)
            return None if len(calls) == 1 else real_find(user, target)

        monkeypatch.setattr(services, "find", not_yet_seen)
        second = services.follow(person, cyber)
        db.session.commit()
        assert second.id == first.id
    assert len(follows_of(app, world.people.author)) == 1


def test_a_visitors_page_with_the_sign_in_link_stays_shareable(client, world, studies):
    """The link is the same for every visitor and starts no session: a shared cache may keep
    the page (board/http_cache.py)."""
    for path in ("/topics/cyber-security", _study_path(studies, "public")):
        response = client.get(path)
        assert "Sign in to follow" in response.text
        assert response.headers["Cache-Control"].startswith("public")
        assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("kind", ["topic", "council", "study"])
def test_each_kind_is_followed_and_unfollowed(
    app, client, world, as_role, post, studies, kind, htmx
):
    as_role("colleague")
    thing_id, page, noun = {
        "topic": (topic(app).id, "/topics/cyber-security", "topic"),
        "council": (world.there.id, f"/councils/{world.there.slug}", "council"),
        "study": (studies["public"][0], _study_path(studies, "public"), "case study"),
    }[kind]
    followed = post("/follows", {"target": f"{kind}:{thing_id}", "next": page}, htmx=htmx)
    assert followed.status_code == (200 if htmx else 302)
    assert f"Unfollow this {noun}" in (followed.text if htmx else client.get(page).text)
    [follow] = follows_of(app, world.people.colleague)
    assert follow.kind.value == kind
    assert follow.target == f"{kind}:{thing_id}"
    unfollowed = post(f"/follows/{follow.id}/delete", {"next": page}, htmx=htmx)
    assert unfollowed.status_code == (200 if htmx else 302)
    assert f"Follow this {noun}" in (unfollowed.text if htmx else client.get(page).text)
    assert follows_of(app, world.people.colleague) == []
