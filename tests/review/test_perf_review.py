"""Review of what pages keep per process or in the results cache (board/comments/drawn.py,
board/case_studies/drawn.py, board/related.py, board/i18n.py, the search and filter statements
kept per shape, the written-out header): one app, several viewers and languages in a row."""

from __future__ import annotations

import re
from datetime import timedelta

from flask import render_template_string
from flask_babel import gettext

from board.extensions import db
from board.i18n import in_language_of
from board.models import CaseStudy, Comment, Council, Outcome, Topic, User, Visibility
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_comment, make_council, make_study, make_user
from tests.related.test_related import chatbot_study, section

NONCE = re.compile(r'nonce="[^"]*"')


def page(client, path: str, **kwargs) -> str:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, path
    return NONCE.sub('nonce=""', response.get_data(as_text=True))


def signed_in(app, person):
    """A client of its own, signed in as ``person``. (Not the ``client`` fixture: pytest-flask
    opens it in a ``with`` block, which keeps its last request's app context pushed, so another
    client's request in the same test would share its ``g``, and so its signed-in user.)"""
    client = app.test_client()
    token = csrf_token_from(client.get("/auth/login").text)
    response = client.post(
        "/auth/login", data={"email": person.email, "password": PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302
    return client


def welsh_client(app):
    client = app.test_client()
    client.set_cookie("board_language", "cy")
    return client


def study_path(study) -> str:
    return f"/studies/{study.id}/{study.slug}"


def test_hidden_comment_seen_by_a_moderator_is_not_handed_to_others(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author)
        comment = make_comment(study.id, world.people.colleague, "Secret rude words")
        comment.hidden_at = utcnow()
        comment.hidden_reason = "Unkind"
        db.session.commit()
        path, comment_id = study_path(study), comment.id
    html = page(signed_in(app, world.people.moderator), path)
    assert "Secret rude words" in html
    assert "Restore" in html
    for client in (app.test_client(), signed_in(app, world.people.outsider)):
        html = page(client, path)
        assert "Secret rude words" not in html
        assert "Unkind" not in html
        assert "Restore" not in html
        assert "/moderation/" not in html
    # Restored: everyone sees it at once, with no moderator's links.
    with app.app_context():
        db.session.get(Comment, comment_id).hidden_at = None
        db.session.commit()
    html = page(app.test_client(), path)
    assert "Secret rude words" in html
    assert "moderation" not in html.split(f'id="comment-{comment_id}"')[1].split("</li>")[0]


def test_edit_links_only_for_the_author_and_only_within_the_window(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author)
        comment = make_comment(study.id, world.people.colleague, "Fresh words")
        db.session.commit()
        path, comment_id = study_path(study), comment.id
    edit = f"/comments/{comment_id}/edit"
    client = signed_in(app, world.people.colleague)
    assert edit in page(client, path)
    other = signed_in(app, world.people.outsider)
    html = page(other, path)
    assert "Fresh words" in html
    assert edit not in html
    assert f"/comments/{comment_id}/delete" not in html
    # The window closes: the same comment, the same author, no edit link any more.
    with app.app_context():
        db.session.get(Comment, comment_id).created_at = utcnow() - timedelta(minutes=16)
        db.session.commit()
    html = page(client, path)
    assert edit not in html
    assert f"/comments/{comment_id}/delete" in html
    # Edited: the new text at once, for everyone.
    with app.app_context():
        changed = db.session.get(Comment, comment_id)
        changed.body = "Second thoughts"
        changed.edited_at = utcnow()
        db.session.commit()
    for viewer in (client, other, app.test_client()):
        html = page(viewer, path)
        assert "Second thoughts" in html
        assert "Fresh words" not in html


def test_members_only_related_study_never_reaches_a_visitor_after_a_member(app, world):
    with app.app_context():
        source = chatbot_study(world)
        secret = chatbot_study(
            world, title="Chatbot for council tax secrets", visibility=Visibility.MEMBERS
        )
        public = chatbot_study(world, title="Chatbot for council tax bills")
        db.session.commit()
        paths = [study_path(source), study_path(public)]
        secret_id, public_id = secret.id, public.id
    member = signed_in(app, world.people.outsider)
    for path in paths:
        assert "council tax secrets" in (section(page(member, path)) or "")
        assert "council tax secrets" not in page(app.test_client(), path)
    # Unpublished (withdrawn to draft): gone for the member at once too.
    with app.app_context():
        db.session.get(CaseStudy, secret_id).published_at = None
        from board.models import Status

        db.session.get(CaseStudy, secret_id).status = Status.DRAFT
        db.session.get(CaseStudy, public_id).visibility = Visibility.MEMBERS
        db.session.commit()
    html = page(member, paths[0])
    assert "council tax secrets" not in html
    assert "council tax bills" in (section(html) or "")
    assert "council tax bills" not in page(app.test_client(), paths[0])


def test_languages_in_a_row_give_each_its_own_page(app, world):
    with app.app_context():
        source = chatbot_study(world)
        chatbot_study(world, title="Chatbot for council tax bills")
        comment = make_comment(source.id, world.people.outsider, "We tried it")
        comment.hidden_at = utcnow()
        comment.hidden_reason = "x"
        reply = make_comment(source.id, world.people.author, "A reply")
        reply.parent_id = comment.id
        make_comment(source.id, world.people.outsider, "Visible one")
        db.session.commit()
        paths = [
            study_path(source),
            "/",
            "/topics/data-and-research",
            "/?q=chatbot",
            "/?topic=data-and-research",
        ]
    first_english = {p: page(app.test_client(), p) for p in paths}
    first_welsh = {p: page(welsh_client(app), p) for p in paths}
    for p in paths:
        assert 'lang="cy"' in first_welsh[p].split(">", 2)[1], p
        assert first_english[p] != first_welsh[p]
        assert "Allgofnodi" not in first_english[p]
        assert page(app.test_client(), p) == first_english[p], p
        assert page(welsh_client(app), p) == first_welsh[p], p
        assert page(app.test_client(), p, headers={"HX-Request": "true"}) == page(
            app.test_client(), p, headers={"HX-Request": "true"}
        )
    assert "Cafodd y sylw hwn ei guddio gan gymedrolwr." in first_welsh[paths[0]]
    assert "This comment was hidden by a moderator." not in first_welsh[paths[0]]
    assert "Cafodd y sylw hwn" not in first_english[paths[0]]


def test_renames_and_changes_show_at_once(app, world):
    with app.app_context():
        source = chatbot_study(world, topics=["data-and-research"])
        make_comment(source.id, world.people.outsider, "Hello there")
        db.session.commit()
        path, study_id, council_id = study_path(source), source.id, world.here.id
    for client in (app.test_client(), welsh_client(app)):
        page(client, path)
        page(client, "/")
    with app.app_context():
        db.session.get(Council, council_id).name = "Renamedshire Council"
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "data-and-research"))
        topic.name_en = "Numbers and facts"
        topic.name_cy = "Rhifau a ffeithiau"
        db.session.get(CaseStudy, study_id).outcome = Outcome.WORKED
        db.session.get(User, world.people.outsider.id).name = "Otto Renamed"
        db.session.commit()
    english = page(app.test_client(), path)
    for text in ("Renamedshire Council", "Numbers and facts", "Otto Renamed"):
        assert text in english, text
    assert "Otto Outsider" not in english
    assert "Rhifau a ffeithiau" in page(welsh_client(app), path)
    board = page(app.test_client(), "/")
    assert "Renamedshire Council" in board
    assert "Rhifau a ffeithiau" in page(welsh_client(app), "/")
    # And back: English after Welsh shows no Welsh name.
    for path_ in (path, "/", "/?topic=data-and-research"):
        html = page(app.test_client(), path_)
        assert "Rhifau a ffeithiau" not in html and "Numbers and facts" in html, path_


def test_two_searches_and_filters_in_a_row_each_get_their_own(app, world):
    with app.app_context():
        make_study(world.here, title="Kiosk in the library", summary="Kiosk.")
        make_study(world.here, title="Gritting rota", summary="Snow ploughs.")
        make_study(
            world.here,
            title="Kiosk members secret",
            summary="Kiosk.",
            visibility=Visibility.MEMBERS,
        )
        db.session.commit()
    client = signed_in(app, world.people.outsider)
    html = page(client, "/?q=kiosk")
    assert "Kiosk members secret" in html
    visitor = app.test_client()
    html = page(visitor, "/?q=kiosk")
    assert "Kiosk in the library" in html
    assert "Kiosk members secret" not in html
    html = page(visitor, "/?q=gritting")
    assert "Gritting rota" in html
    assert "Kiosk in the library" not in html
    assert "Kiosk members secret" not in page(visitor, "/?q=secret")
    assert "Kiosk members secret" not in page(visitor, "/?topic=data-and-research")
    assert "Kiosk members secret" in page(client, "/?topic=data-and-research")


def test_emails_keep_their_reader_language_after_the_page_used_gettext(app, world):
    with app.app_context():
        welsh_reader = make_user(world.here, name="Welsh reader", language="cy")
        english_reader = make_user(world.here, name="English reader", language="en")
        db.session.commit()
    # Each request context outside any other app context, as a request has its own.

    def both() -> tuple[str, str]:
        """The templates' _() (board/i18n.py) and Flask-Babel's own gettext, now."""
        return render_template_string("{{ _('Sign out') }}"), str(gettext("Sign out"))

    cy, en = ("Allgofnodi", "Allgofnodi"), ("Sign out", "Sign out")
    with app.test_request_context("/", headers={"Cookie": "board_language=cy"}):
        assert both() == cy
        with in_language_of(english_reader):
            assert both() == en
        assert both() == cy
        with in_language_of(welsh_reader):
            assert both() == cy
        assert both() == cy
    with app.test_request_context("/"):
        assert both() == en
        with in_language_of(welsh_reader):
            assert both() == cy
            with in_language_of(english_reader):
                assert both() == en
            assert both() == cy
        assert both() == en


def test_the_author_of_a_hidden_comment_after_a_moderator_sees_the_note_not_the_links(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author)
        comment = make_comment(study.id, world.people.colleague, "My own words")
        comment.hidden_at = utcnow()
        comment.hidden_reason = "Off topic"
        db.session.commit()
        path = study_path(study)
    assert "Restore" in page(signed_in(app, world.people.moderator), path)
    html = page(signed_in(app, world.people.colleague), path)
    assert "My own words" in html and "Off topic" in html
    assert "Restore" not in html and "/moderation/" not in html
    # The job title shown or not, in the study's facts: at once.
    with app.app_context():
        author = db.session.get(User, world.people.author.id)
        author.job_title = "Head of kiosks"
        author.show_job_title = True
        db.session.commit()
    assert "Head of kiosks" in page(app.test_client(), path)
    with app.app_context():
        db.session.get(User, world.people.author.id).show_job_title = False
        db.session.commit()
    assert "Head of kiosks" not in page(app.test_client(), path)


def test_header_escapes_the_name_keeps_sign_out_and_visitors_get_no_cookie(app, world):
    visitor = app.test_client().get("/")
    assert "Set-Cookie" not in visitor.headers
    with app.app_context():
        person = make_user(world.here, name='<script>alert("x")</script> & Co')
        db.session.commit()
    html = signed_in(app, person).get("/").text
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html and "&amp; Co" in html
    form = html.split('action="/auth/logout"')[1].split("</form>")[0]
    assert re.search(r'name="csrf_token" value="[^"]+"', form)
    # A visitor after the member: no name, no form, no cookie.
    after = app.test_client().get("/")
    assert "Set-Cookie" not in after.headers
    assert "&amp; Co" not in after.text and "/auth/logout" not in after.text


def test_one_person_switching_back_and_forth_gets_each_language_whole(app, world):
    with app.app_context():
        source = chatbot_study(world)
        chatbot_study(world, title="Chatbot for council tax bills")
        make_comment(source.id, world.people.outsider, "Visible one")
        db.session.commit()
        paths = [study_path(source), "/", "/?q=chatbot"]
    member = signed_in(app, world.people.colleague)
    # The sign-in's message (written in English when it was given) shown and gone first.
    assert "Signed in as Colin Colleague." in page(member, "/")
    for path in paths:
        seen = {}
        for code in ("cy", "en", "cy", "en"):
            assert member.get(f"/language/{code}?next={path}").status_code == 303
            html = page(member, path)
            html = re.sub(r'value="[^"]+"|"X-CSRFToken": "[^"]+"', "", html)
            assert html.split(">", 2)[1].startswith(
                '\n<html lang="cy"' if code == "cy" else '\n<html lang="en'
            )
            assert ("Allgofnodi" in html) == (code == "cy")
            assert ("Sign out" in html) == (code == "en")
            assert seen.setdefault(code, html) == html, (path, code)


SECURITY = [
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cross-Origin-Opener-Policy",
    "Permissions-Policy",
]


def test_headers_written_in_one_pass_are_each_there_once(app, world):
    with app.app_context():
        study = make_study(world.here, world.people.author)
        db.session.commit()
        path = study_path(study)
    member = signed_in(app, world.people.colleague)
    answers = {
        "visitor": app.test_client().get(path),
        "visitor 404": app.test_client().get("/studies/999999"),
        "visitor https": app.test_client().get(path, base_url="https://localhost"),
        "visitor HEAD": app.test_client().head("/"),
        "redirect": app.test_client().get("/language/cy?next=/"),
        "welsh": welsh_client(app).get("/"),
        "member": member.get(path),
        "fragment": app.test_client().get(
            "/?topic=data-and-research", headers={"HX-Request": "true"}
        ),
    }
    for name, response in answers.items():
        for header in SECURITY:
            assert len(response.headers.getlist(header)) == 1, (name, header)
        hsts = response.headers.getlist("Strict-Transport-Security")
        assert len(hsts) == (1 if name == "visitor https" else 0), name
        assert len(response.headers.getlist("Cache-Control")) == 1, name
    shared = app.config["SHARED_CACHE_MAX_AGE"]
    for name in ("visitor", "visitor HEAD", "fragment"):
        assert answers[name].headers["Cache-Control"] == f"public, max-age=0, s-maxage={shared}"
        assert "Set-Cookie" not in answers[name].headers
    assert "HX-Request" in answers["fragment"].headers.get("Vary", "")
    for name in ("welsh", "member", "redirect"):
        assert "public" not in answers[name].headers["Cache-Control"], name
    # A visitor's page after the Welsh one and the member's: shareable and English again.
    after = app.test_client().get(path)
    assert after.headers["Cache-Control"] == f"public, max-age=0, s-maxage={shared}"
    assert after.text.split(">", 2)[1].startswith('\n<html lang="en')
    assert "Set-Cookie" not in after.headers


def test_filters_and_searches_of_one_shape_in_a_row_each_get_their_own(app, world):
    """Statements kept per shape (board/browse/queries.py, board/search.py): the same shape with
    other values, alternating audiences, in both orders, gives each request its own studies."""
    from board.models import CouncilType, Nation
    from tests.browse.test_filters import shown_titles

    data, smart = "data-and-research", "smart-places-technology"
    rows = [
        # title, council, topics, outcome, language, members only
        ("Alpha kiosk ploughs", "here", [data], Outcome.WORKED, "en", False),
        ("Bravo ciosg ploughs", "wales", [smart], Outcome.DID_NOT_WORK, "cy", False),
        ("Charlie kiosk ploughs", "here", [data, smart], Outcome.ONGOING, "en", True),
        ("Delta ciosg ploughs", "wales", [data], Outcome.WORKED, "cy", True),
    ]
    with app.app_context():
        councils = {
            "here": world.here,
            "wales": make_council(
                "Cymru Council",
                nation=Nation.WALES,
                council_type=CouncilType.WELSH_PRINCIPAL_AREA,
            ),
        }
        for title, council, topics, outcome, language, members in rows:
            make_study(
                councils[council],
                title=title,
                summary=title + ".",
                topics=topics,
                outcome=outcome,
                language=language,
                visibility=Visibility.MEMBERS if members else Visibility.PUBLIC,
            )
        db.session.commit()
    wanted = {
        f"/?topic={data}": lambda r: data in r[2],
        f"/?topic={smart}": lambda r: smart in r[2],
        f"/?topic={data}&topic={smart}": lambda r: True,
        "/?outcome=worked": lambda r: r[3] is Outcome.WORKED,
        "/?outcome=did-not-work": lambda r: r[3] is Outcome.DID_NOT_WORK,
        "/?council=hereshire-council": lambda r: r[1] == "here",
        "/?council=cymru-council": lambda r: r[1] == "wales",
        "/?nation=wales": lambda r: r[1] == "wales",
        "/?nation=england": lambda r: r[1] == "here",
        "/?language=cy": lambda r: r[4] == "cy",
        "/?language=en": lambda r: r[4] == "en",
        f"/?topic={data}&outcome=worked": lambda r: data in r[2] and r[3] is Outcome.WORKED,
        f"/?topic={smart}&outcome=ongoing": lambda r: smart in r[2] and r[3] is Outcome.ONGOING,
        "/?q=alpha": lambda r: r[0].startswith("Alpha"),
        "/?q=bravo": lambda r: r[0].startswith("Bravo"),
        "/?q=kiosk+ploughs": lambda r: "kiosk" in r[0],
        "/?q=ciosg+ploughs": lambda r: "ciosg" in r[0],
    }
    member = signed_in(app, world.people.outsider)
    visitor = app.test_client()
    for order in (list(wanted), list(reversed(wanted))):
        for path in order:
            for who, client in (("member", member), ("visitor", visitor)):
                for headers in ({}, {"HX-Request": "true"}):
                    titles = set(shown_titles(page(client, path, headers=headers)))
                    expected = {
                        r[0] for r in rows if wanted[path](r) and (who == "member" or not r[5])
                    }
                    assert titles == expected, (path, who, headers)


def test_a_members_only_study_page_seen_by_a_member_is_not_shown_to_a_visitor(app, world):
    with app.app_context():
        study = make_study(
            world.here,
            world.people.author,
            title="Quiet members study",
            visibility=Visibility.MEMBERS,
        )
        comment = make_comment(study.id, world.people.colleague, "Members talk")
        db.session.commit()
        path, study_id, comment_id = study_path(study), study.id, comment.id
    member = signed_in(app, world.people.outsider)
    assert "Members talk" in page(member, path)
    for client in (app.test_client(), welsh_client(app)):
        response = client.get(path)
        assert response.status_code != 200
        assert "Members talk" not in response.text
        assert "Quiet members study" not in response.text
    # Made public: the visitor sees it at once; the comment deleted: gone at once for both.
    with app.app_context():
        db.session.get(CaseStudy, study_id).visibility = Visibility.PUBLIC
        db.session.commit()
    assert "Members talk" in page(app.test_client(), path)
    with app.app_context():
        db.session.get(Comment, comment_id).deleted_at = utcnow()
        db.session.commit()
    assert "Members talk" not in page(app.test_client(), path)
    assert "Members talk" not in page(member, path)
