"""/account/following: everything a person follows, by kind, with Unfollow and rename; the
digest choice; and a query count that does not grow with the number of follows."""

from __future__ import annotations

import re
from html import unescape

from board.extensions import db
from board.follows import services
from board.models import DigestFrequency, Follow, Status, Topic, User, Visibility
from tests.factories import make_council, make_study
from tests.follows.conftest import follows_of
from tests.statements import statements_for


def _follow_some(app, person_id: int, count: int) -> None:
    """``count`` follows of each kind for the person."""
    with app.app_context():
        person = db.session.get(User, person_id)
        topics = db.session.scalars(db.select(Topic).order_by(Topic.position)).all()
        for number in range(count):
            council = make_council()
            study = make_study(council, title=f"Study {number}")
            services.follow(person, topics[number % len(topics)])
            services.follow(person, council)
            services.follow(person, study)
            services.save_search(
                person, f"topic=cyber-security&council={council.slug}", f"Search {number}"
            )
        db.session.commit()


def test_everything_followed_is_listed_by_kind(app, client, world, as_role):
    as_role("author")
    _follow_some(app, world.people.author.id, 1)
    html = unescape(client.get("/account/following").text)
    headings = re.findall(r'<h2 class="govuk-heading-m" id="following-\w+">([^<]+)</h2>', html)
    assert headings == ["Topics", "Councils", "Case studies", "Saved searches"]
    assert 'href="/topics/' in html
    assert 'href="/councils/testshire-council-' in html
    assert ">Study 0</a>" in html
    assert ">Search 0</a>" in html
    assert 'href="/?topic=cyber-security&council=testshire-council-' in html
    assert "Cyber security; Testshire Council" in html
    raw = client.get("/account/following").text
    assert raw.count('Unfollow<span class="govuk-visually-hidden"> ') == 4
    assert 'Unfollow<span class="govuk-visually-hidden"> Study 0</span>' in raw
    assert "Following since" in html


def test_nothing_followed_says_how_to_follow(client, world, as_role):
    as_role("author")
    html = unescape(client.get("/account/following").text)
    assert "You do not follow anything yet." in html


def test_the_query_count_does_not_grow_with_the_number_of_follows(app, client, world, as_role):
    as_role("author")
    _follow_some(app, world.people.author.id, 1)

    def statements() -> int:
        return len(statements_for(app, client, "/account/following"))

    few = statements()
    _follow_some(app, world.people.author.id, 12)
    assert len(follows_of(app, world.people.author)) == 46  # seven topics, 13 of the rest
    assert statements() == few


def test_a_study_no_longer_readable_is_listed_without_its_title(app, client, world, as_role):
    as_role("outsider")
    with app.app_context():
        study = make_study(world.here, title="Secret plans")
        services.follow(db.session.get(User, world.people.outsider.id), study)
        study.status = Status.DRAFT
        study.visibility = Visibility.MEMBERS
        db.session.commit()
    html = client.get("/account/following").text
    assert "Secret plans" not in html
    assert "A case study you can no longer see" in html


def test_unfollowing_from_the_page_comes_back_to_it(app, client, world, as_role, post):
    as_role("author")
    _follow_some(app, world.people.author.id, 1)
    follow = follows_of(app, world.people.author)[0]
    response = post(f"/follows/{follow.id}/delete", {"next": "/account/following"})
    assert response.location == "/account/following"
    assert "You are no longer following" in client.get("/account/following").text
    assert len(follows_of(app, world.people.author)) == 3


def test_the_digest_choice_is_saved(app, client, world, as_role, post):
    as_role("author")
    html = client.get("/account/following").text
    assert re.search(r'value="weekly"\s+checked', html)
    assert "Daily" in html and "No digest" in html
    assert "A digest lists the case studies newly published" in html
    response = post("/account/following", {"frequency": "daily"})
    assert response.status_code == 302
    assert "You will get a daily digest email" in client.get("/account/following").text
    with app.app_context():
        assert (
            db.session.get(User, world.people.author.id).digest_frequency is DigestFrequency.DAILY
        )
    assert re.search(r'value="daily"\s+checked', client.get("/account/following").text)
    post("/account/following", {"frequency": "none"})
    with app.app_context():
        assert db.session.get(User, world.people.author.id).digest_frequency is DigestFrequency.NONE


def test_a_missing_or_unknown_digest_choice_is_explained(app, client, world, as_role, post):
    as_role("author")
    for sent in ({}, {"frequency": "hourly"}):
        response = post("/account/following", sent)
        assert response.status_code == 422
        assert response.text.count("Choose how often you want a digest email") == 2
        assert "<title>Error: What you follow" in response.text
    with app.app_context():
        assert (
            db.session.get(User, world.people.author.id).digest_frequency is DigestFrequency.WEEKLY
        )


def test_renaming_a_saved_search(app, client, world, as_role, post):
    as_role("author")
    _follow_some(app, world.people.author.id, 1)
    search = follows_of(app, world.people.author)[-1]
    field = f"search-{search.id}-name"
    assert f'id="{field}"' in client.get("/account/following").text
    response = post(f"/account/following/{search.id}/name", {field: "  Council security  "})
    assert response.status_code == 302
    assert response.location == f"/account/following#follow-{search.id}"
    with app.app_context():
        assert db.session.get(Follow, search.id).name == "Council security"


def test_a_bad_new_name_is_explained_and_kept(app, client, world, as_role, post):
    as_role("author")
    _follow_some(app, world.people.author.id, 1)
    search = follows_of(app, world.people.author)[-1]
    field = f"search-{search.id}-name"
    typed = "y" * 130
    response = post(f"/account/following/{search.id}/name", {field: typed})
    assert response.status_code == 422
    html = response.text
    assert "govuk-error-summary" in html
    assert f'href="#{field}"' in html
    assert html.count("The name must be 120 characters or fewer") == 2
    assert f'value="{typed}"' in html
    empty = post(f"/account/following/{search.id}/name", {field: ""})
    assert "Enter a name for this search" in empty.text
    with app.app_context():
        assert db.session.get(Follow, search.id).name == "Search 0"


def test_only_ones_own_saved_searches_are_renamed(app, client, world, as_role, post):
    _follow_some(app, world.people.colleague.id, 1)
    theirs = follows_of(app, world.people.colleague)
    as_role("author")
    search = theirs[-1]
    field = f"search-{search.id}-name"
    assert post(f"/account/following/{search.id}/name", {field: "Mine now"}).status_code == 404
    # Other kinds have no name to change.
    _follow_some(app, world.people.author.id, 1)
    topic = follows_of(app, world.people.author)[0]
    answer = post(f"/account/following/{topic.id}/name", {f"search-{topic.id}-name": "x"})
    assert answer.status_code == 404


def test_a_visitor_is_sent_to_sign_in(client, world):
    response = client.get("/account/following")
    assert response.status_code == 302
    assert response.location.startswith("/auth/login")


def test_the_account_page_links_to_it(client, world, as_role):
    as_role("author")
    html = client.get("/account").text
    assert 'href="/account/following"' in html
    assert "Your digest: weekly." in html


def test_names_are_shown_as_text(app, client, world, as_role, post):
    as_role("author")
    post("/account/following/search?outcome=worked", {"name": '<b>Bold</b> "quoted"'})
    raw = client.get("/account/following").text
    assert "<b>Bold</b>" not in raw
    assert "&lt;b&gt;Bold&lt;/b&gt;" in raw


def test_unfollowing_a_study_no_longer_readable_does_not_say_its_title(
    app, client, world, as_role, post
):
    as_role("outsider")
    with app.app_context():
        study = make_study(world.here, title="Secret plans")
        services.follow(db.session.get(User, world.people.outsider.id), study)
        study.status = Status.DRAFT
        db.session.commit()
    [follow] = follows_of(app, world.people.outsider)
    response = post(f"/follows/{follow.id}/delete", {"next": "/account/following"})
    assert response.location == "/account/following"
    html = client.get("/account/following").text
    assert "Secret plans" not in html
    assert "You are no longer following the case study." in html
    assert follows_of(app, world.people.outsider) == []


def test_unfollow_buttons_ignore_a_double_click(app, client, world, as_role):
    """A second press would find the follow gone (a 404 page): the button takes one."""
    as_role("author")
    _follow_some(app, world.people.author.id, 1)
    html = client.get("/account/following").text
    buttons = re.findall(r"<button[^>]*>\s*Unfollow", html)
    assert len(buttons) == 4
    assert all('data-prevent-double-click="true"' in button for button in buttons)
