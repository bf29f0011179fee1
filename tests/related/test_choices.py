"""Related studies chosen when a study is published (board/related_choices.py): what is chosen
and when, what a page shows of a choice made before the board changed, for whom, and the
command that chooses for studies published without one."""

from __future__ import annotations

import re

from sqlalchemy import select

from board import related, related_choices
from board.case_studies import services
from board.extensions import db
from board.models import CaseStudy, RelatedChoice, Role, Status, Visibility
from tests.factories import make_council, make_study, make_user
from tests.statements import statements_for

CHATBOT = "Chatbot for council tax questions"
CHATBOT_SUMMARY = "We piloted a chatbot that answers council tax questions at night."


def section(html: str) -> str | None:
    found = re.search(r'<section[^>]*aria-labelledby="related-heading".*?</section>', html, re.S)
    return found.group(0) if found else None


def chatbot(council, title: str = CHATBOT, **fields) -> CaseStudy:
    return make_study(council, title=title, summary=CHATBOT_SUMMARY, **fields)


def publish(study: CaseStudy) -> None:
    """Submit ``study`` and have a moderator of another council approve it, as the review
    does."""
    moderator = make_user(make_council(), role=Role.MODERATOR)
    study.status = Status.SUBMITTED
    db.session.flush()
    services.approve(study, moderator)
    db.session.commit()


def choice_of(study_id: int) -> tuple[list[int], list[int]] | None:
    row = db.session.get(RelatedChoice, study_id, populate_existing=True)
    if row is None:
        return None
    return related_choices.chosen_ids(row.for_members), related_choices.chosen_ids(row.for_visitors)


def page_of(study: CaseStudy) -> str:
    return f"/studies/{study.id}/{study.slug}"


def no_full_text_search(statements: list[str]) -> bool:
    return not any(
        "MATCH" in statement or "to_tsquery" in statement or "bm25" in statement
        for statement in statements
    )


# -- choosing ----------------------------------------------------------------------------------


def test_publishing_a_study_chooses_its_related_studies_for_each_audience(app, world):
    with app.app_context(), app.test_request_context("/"):
        public = chatbot(world.there, "Chatbot for council tax arrears")
        secret = chatbot(
            world.there, "Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        make_study(world.there, title="Gritting rota", summary="Snow ploughs went out early.")
        study = chatbot(world.here, status=Status.DRAFT)
        db.session.commit()
        assert choice_of(study.id) is None
        publish(study)
        for_members, for_visitors = choice_of(study.id)
    assert set(for_members[:2]) == {public.id, secret.id}
    assert for_visitors[0] == public.id
    assert secret.id not in for_visitors
    assert study.id not in for_members + for_visitors


def test_the_choice_matches_what_the_search_finds_for_each_audience(app, world):
    with app.app_context(), app.test_request_context("/"):
        for number in range(12):
            chatbot(
                world.there,
                f"Chatbot for council tax, trial {number}",
                visibility=Visibility.MEMBERS if number % 3 == 0 else Visibility.PUBLIC,
            )
        study = chatbot(world.here, status=Status.DRAFT)
        db.session.commit()
        publish(study)
        for_members, for_visitors = choice_of(study.id)
        text = f"{study.title}\n{study.summary}"
        topics = study.topic_ids
        expected_members = related.find_related(
            text, topics, True, study.id, limit=related_choices.RELATED_KEPT
        )
        expected_visitors = related.find_related(
            text, topics, False, study.id, limit=related_choices.RELATED_KEPT
        )
    assert len(for_members) == related_choices.RELATED_KEPT
    assert for_members == [found.id for found in expected_members]
    assert for_visitors == [found.id for found in expected_visitors]


def test_publishing_a_study_puts_it_in_the_lists_of_the_studies_it_finds(app, world):
    with app.app_context(), app.test_request_context("/"):
        older = chatbot(world.there, "Chatbot for council tax arrears", status=Status.DRAFT)
        db.session.commit()
        publish(older)
        assert choice_of(older.id) == ([], [])
        newer = chatbot(world.here, status=Status.DRAFT)
        db.session.commit()
        publish(newer)
        assert choice_of(newer.id) == ([older.id], [older.id])
        assert choice_of(older.id) == ([newer.id], [newer.id])


def test_an_approved_edit_chooses_again(app, world):
    with app.app_context(), app.test_request_context("/"):
        # No "council" in it: PostgreSQL's search column holds the council's name.
        study = make_study(
            world.here,
            title="Chatbot for tax questions",
            summary="We piloted a chatbot that answers tax questions at night.",
            status=Status.DRAFT,
        )
        gritting = make_study(
            world.there,
            title="Gritting rota planned",
            summary="Gritting lorries went out.",
            topics=["smart-places-technology"],
        )
        db.session.commit()
        publish(study)
        assert gritting.id not in choice_of(study.id)[0]
        moderator = make_user(make_council(), role=Role.MODERATOR)
        revision = services.working_copy(study, world.people.author)
        revision.title = "Gritting rota planned by a chatbot"
        revision.summary = "Gritting lorries sent out by a chatbot."
        services.submit_for_review(study, world.people.author)
        services.approve(study, moderator)
        db.session.commit()
        assert choice_of(study.id)[0][0] == gritting.id


def test_choosing_again_replaces_the_list(app, world):
    with app.app_context(), app.test_request_context("/"):
        study = chatbot(world.here)
        db.session.commit()
        related_choices.choose([study.id])
        db.session.commit()
        assert choice_of(study.id) == ([], [])
        other = chatbot(world.there, "Chatbot for council tax arrears")
        db.session.commit()
        related_choices.choose([study.id])
        db.session.commit()
        assert choice_of(study.id) == ([other.id], [other.id])
        assert db.session.scalar(select(db.func.count()).select_from(RelatedChoice)) == 1


def test_a_study_not_published_is_not_chosen_for(app, world):
    with app.app_context():
        draft = chatbot(world.here, status=Status.DRAFT)
        chatbot(world.there, "Chatbot for council tax arrears")
        db.session.commit()
        related_choices.choose([draft.id])
        db.session.commit()
        assert choice_of(draft.id) is None


# -- reading -----------------------------------------------------------------------------------


def test_the_page_shows_the_chosen_studies_without_searching(app, client, world):
    with app.app_context(), app.test_request_context("/"):
        similar = chatbot(world.there, "Chatbot for council tax arrears")
        study = chatbot(world.here, status=Status.DRAFT)
        db.session.commit()
        publish(study)
        page = page_of(study)
        similar_title = similar.title
    statements = statements_for(app, client, page)
    assert no_full_text_search(statements)
    shown = section(client.get(page).text)
    assert shown is not None
    assert similar_title in shown


def test_what_changed_since_the_choice_drops_out(app, client, world, as_role):
    with app.app_context(), app.test_request_context("/"):
        gone = chatbot(world.there, "Chatbot for council tax arrears")
        hidden = chatbot(world.there, "Chatbot for council tax bills")
        deleted = chatbot(world.there, "Chatbot for council tax reminders")
        kept = chatbot(world.there, "Chatbot for council tax refunds")
        study = chatbot(world.here, status=Status.DRAFT)
        db.session.commit()
        publish(study)
        assert set(choice_of(study.id)[1]) == {gone.id, hidden.id, deleted.id, kept.id}
        services.unpublish(gone, make_user(make_council(), role=Role.MODERATOR), "Wrong.")
        hidden.visibility = Visibility.MEMBERS
        db.session.delete(deleted)
        db.session.commit()
        page = page_of(study)
        titles = {
            name: study.title
            for name, study in (("gone", gone), ("hidden", hidden), ("kept", kept))
        }
    visitors = section(client.get(page).text)
    assert titles["kept"] in visitors
    assert titles["gone"] not in visitors
    assert titles["hidden"] not in visitors
    assert "Chatbot for council tax reminders" not in visitors
    as_role("outsider")
    members = section(client.get(page).text)
    assert titles["kept"] in members
    assert titles["hidden"] in members
    assert titles["gone"] not in members


def test_a_visitor_never_sees_a_members_only_study_even_if_a_list_holds_one(app, client, world):
    with app.app_context():
        secret = chatbot(world.there, "Chatbot secrets", visibility=Visibility.MEMBERS)
        study = chatbot(world.here)
        db.session.add(
            RelatedChoice(
                study_id=study.id, for_members=str(secret.id), for_visitors=str(secret.id)
            )
        )
        db.session.commit()
        page = page_of(study)
    html = client.get(page).text
    assert "Chatbot secrets" not in html
    assert section(html) is None


def test_at_most_five_shown_in_the_order_chosen(app, client, world):
    with app.app_context():
        others = [chatbot(world.there, f"Study number {number}") for number in range(7)]
        study = chatbot(world.here)
        chosen = [others[number].id for number in (6, 0, 5, 1, 4, 2, 3)]
        db.session.add(
            RelatedChoice(
                study_id=study.id,
                for_members=",".join(map(str, chosen)),
                for_visitors=",".join(map(str, chosen)),
            )
        )
        db.session.commit()
        page = page_of(study)
        titles = {other.id: other.title for other in others}
    shown = section(client.get(page).text)
    positions = [shown.find(f">{titles[study_id]}<") for study_id in chosen]
    assert all(position > 0 for position in positions[:5])
    assert positions[:5] == sorted(positions[:5])
    assert all(position == -1 for position in positions[5:])


def test_an_empty_choice_shows_no_section_and_reads_no_studies(app, client, world):
    with app.app_context():
        study = chatbot(world.here)
        chatbot(world.there, "Chatbot for council tax arrears")
        db.session.add(RelatedChoice(study_id=study.id, for_members="", for_visitors=""))
        db.session.commit()
        page = page_of(study)
    statements = statements_for(app, client, page)
    assert no_full_text_search(statements)
    assert section(client.get(page).text) is None


def test_a_study_with_nothing_chosen_is_searched_for(app, client, world):
    with app.app_context():
        similar = chatbot(world.there, "Chatbot for council tax arrears")
        study = chatbot(world.here)
        db.session.commit()
        page = page_of(study)
        title = similar.title
    statements = statements_for(app, client, page)
    assert not no_full_text_search(statements)
    assert title in section(client.get(page).text)


def test_the_study_page_reads_as_many_statements_chosen_or_not(app, client, world):
    with app.app_context():
        chatbot(world.there, "Chatbot for council tax arrears")
        searched = chatbot(world.here)
        chosen = chatbot(world.here, "Chatbot for council tax at night")
        db.session.commit()
        related_choices.choose([chosen.id])
        db.session.commit()
        pages = page_of(searched), page_of(chosen)

    def count(page: str) -> int:
        with app.app_context():
            related.forget_kept()
        return len(statements_for(app, client, page))

    assert count(pages[1]) <= count(pages[0])


# -- the command -------------------------------------------------------------------------------


def test_the_command_chooses_for_published_studies_with_nothing_chosen(app, world):
    with app.app_context():
        first = chatbot(world.here)
        second = chatbot(world.there, "Chatbot for council tax arrears")
        draft = chatbot(world.there, "Chatbot for council tax drafts", status=Status.DRAFT)
        db.session.commit()
        first_id, second_id, draft_id = first.id, second.id, draft.id
    runner = app.test_cli_runner()
    result = runner.invoke(args=["related", "choose"])
    assert result.exit_code == 0, result.output
    assert "Related studies chosen for 2 studies." in result.output
    with app.app_context():
        assert choice_of(first_id) == ([second_id], [second_id])
        assert choice_of(second_id) == ([first_id], [first_id])
        assert choice_of(draft_id) is None
    again = runner.invoke(args=["related", "choose"])
    assert "Related studies chosen for 0 studies." in again.output
    everything = runner.invoke(args=["related", "choose", "--all", "--batch-size", "1"])
    assert everything.exit_code == 0, everything.output
    assert "Related studies chosen for 2 studies." in everything.output


def test_the_command_refuses_a_batch_size_under_one(app):
    result = app.test_cli_runner().invoke(args=["related", "choose", "--batch-size", "0"])
    assert result.exit_code != 0
    assert "must be at least 1" in result.output
