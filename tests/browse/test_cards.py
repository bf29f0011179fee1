"""Result cards are drawn once for what they show: any change to what a card shows draws it
again, and the store of drawn cards never lets one audience see another's studies."""

from sqlalchemy import update

from board.browse import cards
from board.extensions import db
from board.models import CaseStudy, Council, Topic, Visibility
from tests.conftest import csrf_token_from
from tests.factories import make_council, make_study, make_user


def board_without_cache(client) -> str:
    """The board's HTML with its results block drawn afresh (the cards may come from the store)."""
    with client.application.app_context():
        from board.browse.cache import results_cache

        results_cache.clear()
    response = client.get("/")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_every_change_to_what_a_card_shows_draws_the_card_again(app, client):
    with app.app_context():
        council = make_council("Cardshire Council")
        study = make_study(council, title="Parking sensors we switched off", useful_count=2)
        db.session.commit()
        study_id, council_id = study.id, council.id
    html = board_without_cache(client)
    assert "Parking sensors we switched off" in html
    assert "2 members found this useful" in html

    changes = [
        (update(CaseStudy).values(title="Parking sensors, take two"), "Parking sensors, take two"),
        (update(CaseStudy).values(summary="We learned to ask first."), "We learned to ask first."),
        (update(CaseStudy).values(useful_count=3), "3 members found this useful"),
        (
            update(Council).where(Council.id == council_id).values(name="New Cardshire"),
            "New Cardshire",
        ),
    ]
    for change, shown in changes:
        with app.app_context():
            if change.table is CaseStudy.__table__:
                change = change.where(CaseStudy.id == study_id)
            db.session.execute(change)
            db.session.commit()
        assert shown in board_without_cache(client), shown


def test_a_renamed_topic_shows_on_the_cards(app, client):
    with app.app_context():
        make_study(make_council("Topicshire Council"), topics=["cyber-security"])
        db.session.commit()
    assert "Cyber security" in board_without_cache(client)
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        old_name = topic.name
        topic.name = "Cyber resilience"
        db.session.commit()
    try:
        assert "Cyber resilience" in board_without_cache(client)
    finally:
        with app.app_context():
            topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
            topic.name = old_name
            db.session.commit()


def test_a_card_drawn_for_a_member_never_reaches_a_visitor(app, client, sign_in):
    with app.app_context():
        council = make_council("Privateshire Council", domain="privateshire.gov.uk")
        make_study(council, title="Members only rota pilot", visibility=Visibility.MEMBERS)
        make_study(council, title="Public rota pilot")
        member = make_user(council)
        db.session.commit()
    sign_in(member)
    member_html = board_without_cache(client)
    assert "Members only rota pilot" in member_html
    signed_out = client.post("/auth/logout", data={"csrf_token": csrf_token_from(member_html)})
    assert signed_out.status_code == 302
    visitor_html = board_without_cache(client)
    assert "Public rota pilot" in visitor_html
    assert "Members only rota pilot" not in visitor_html


def test_the_store_stays_within_its_bound(app, client, monkeypatch):
    monkeypatch.setattr(cards, "MAX_CARDS", 3)
    cards.forget_cards()
    with app.app_context():
        council = make_council("Boundshire Council")
        for number in range(7):
            make_study(council, title=f"Bounded pilot {number}")
        db.session.commit()
    html = board_without_cache(client)
    for number in range(7):
        assert f"Bounded pilot {number}" in html
    assert len(cards._cards) <= 3


def test_a_card_is_drawn_in_the_language_of_the_page_that_shows_it(app, client):
    """The cards' topic names and labels come in the interface's language; a card drawn for
    one language is never shown in the other, and a renamed Welsh topic shows at once."""
    with app.app_context():
        make_study(make_council("Ieithshire Council"), topics=["cyber-security"])
        db.session.commit()
    english = board_without_cache(client)
    assert "Cyber security</a>" in english
    assert "Seiberddiogelwch" not in english

    client.set_cookie("board_language", "cy")
    welsh = board_without_cache(client)
    assert "Seiberddiogelwch</a>" in welsh
    assert 'app-outcome-tag">Heb weithio</strong>' in welsh
    assert "Cyber security</a>" not in welsh
    assert 'app-outcome-tag">Did not work</strong>' not in welsh
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "cyber-security"))
        topic.name_cy = "Diogelwch seiber"
        db.session.commit()
    assert "Diogelwch seiber</a>" in board_without_cache(client)

    client.set_cookie("board_language", "en")
    english_again = board_without_cache(client)
    assert "Cyber security</a>" in english_again
    assert 'app-outcome-tag">Did not work</strong>' in english_again
    assert "Diogelwch seiber" not in english_again
