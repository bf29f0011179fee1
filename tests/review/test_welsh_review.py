"""Independent review of the Welsh interface: caches, the language switch, emails and
notifications, translations as an injection path, Welsh forms, content language and search.

Tests whose docstring starts with "Guards against" each name a fault the Welsh interface once
had, and what it must do instead ("Held").
"""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import quote

import pytest

from board.extensions import db
from board.i18n import COOKIE
from board.models import CaseStudy, Notification, Status, Topic, User, Visibility
from tests.conftest import csrf_token_from
from tests.factories import make_comment, make_study

WELSH_ACCEPT = {"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"}
ENGLISH_ACCEPT = {"Accept-Language": "en-GB,en;q=0.9"}
HOSTILE_TITLE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


def lang_of(html: str) -> str:
    match = re.search(r'<html lang="([^"]+)"', html)
    assert match, "no lang on <html>"
    return match.group(1)


def vary(response) -> str:
    return response.headers.get("Vary", "")


def set_language(app, user_id: int, language: str | None) -> None:
    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()


@pytest.fixture
def studies(app, world):
    """A public English study, a public Welsh one and a members-only Welsh one."""
    with app.app_context():
        english = make_study(
            world.here,
            world.people.author,
            title="Smart parking sensors in the town centre",
            summary="Sensors that told drivers where to park.",
        )
        welsh = make_study(
            world.here,
            world.people.author,
            title="Ysgolion gwledig a band eang",
            summary="Cysylltu ysgolion gwledig yng Ngwynedd.",
            what_we_learned="Siarad gyda'r ysgolion yn gyntaf.",
            language="cy",
        )
        secret = make_study(
            world.there,
            world.people.outsider,
            title="Cyfrinach aelodau yn unig",
            summary="Methiant sensitif i aelodau.",
            visibility=Visibility.MEMBERS,
            language="cy",
        )
        db.session.commit()
        return {"english": english.id, "welsh": welsh.id, "secret": secret.id}


# -- caches: results cache, card memo, shared-cache headers ----------------------------------------


def test_a_welsh_results_block_is_never_served_to_an_english_reader(client, studies):
    welsh = client.get("/?outcome=did-not-work", headers=WELSH_ACCEPT)
    assert lang_of(welsh.text) == "cy"
    english = client.get("/?outcome=did-not-work", headers=ENGLISH_ACCEPT)
    assert lang_of(english.text) == "en-GB"
    assert "Aflwyddiannus" not in english.text and "Ni weithiodd" not in english.text
    assert english.headers.get("ETag") != welsh.headers.get("ETag")
    # htmx fragments too, in both orders.
    for first, second in ((WELSH_ACCEPT, ENGLISH_ACCEPT), (ENGLISH_ACCEPT, WELSH_ACCEPT)):
        one = client.get("/?sort=newest", headers={**first, "HX-Request": "true"})
        two = client.get("/?sort=newest", headers={**second, "HX-Request": "true"})
        assert one.text != two.text
        assert "Accept-Language" in vary(one) and "Accept-Language" in vary(two)
        assert one.headers.get("ETag") != two.headers.get("ETag")


def test_a_members_only_welsh_study_never_reaches_a_visitor_through_the_welsh_cache(
    client, studies, as_role
):
    as_role("author")
    client.set_cookie(COOKIE, "cy")
    member = client.get("/?language=cy")
    assert "Cyfrinach aelodau yn unig" in member.text
    client.delete_cookie("session")
    for headers in (WELSH_ACCEPT, {"HX-Request": "true", **WELSH_ACCEPT}):
        visitor = client.get("/?language=cy", headers=headers)
        assert visitor.status_code == 200
        assert "Cyfrinach aelodau yn unig" not in visitor.text
    client.delete_cookie(COOKIE)
    visitor = client.get("/?language=cy", headers=WELSH_ACCEPT)
    assert "Cyfrinach aelodau yn unig" not in visitor.text
    assert visitor.headers["Cache-Control"].startswith("public")


def test_a_visitor_with_the_cookie_never_gets_a_public_answer(client, studies):
    client.set_cookie(COOKIE, "cy")
    for path in ("/", "/?q=ysgolion", f"/studies/{studies['welsh']}", "/questions", "/cookies"):
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(path, headers=headers, follow_redirects=True)
            assert response.status_code == 200, path
            assert not response.headers["Cache-Control"].startswith("public"), path
    # Even a cookie naming a language the service does not have.
    client.set_cookie(COOKIE, "fr")
    response = client.get("/")
    assert not response.headers["Cache-Control"].startswith("public")


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/?topic=cyber-security",
        "/topics/cyber-security",
        "/councils/hereshire-council",
        "/questions",
        "/accessibility",
        "/privacy",
        "/cookies",
        "/contact",
        "/api",
        "/auth/login",
    ],
)
def test_every_shareable_page_in_the_browsers_language_varies_on_it(client, studies, path):
    for headers in (WELSH_ACCEPT, ENGLISH_ACCEPT, {}):
        response = client.get(path, headers=headers)
        if response.status_code == 200 and response.headers["Cache-Control"].startswith("public"):
            assert "Accept-Language" in vary(response), (path, headers)
            assert response.headers.get("Content-Language") in ("cy", "en-GB")


def test_a_study_page_varies_on_the_browsers_language(client, studies):
    for key in ("english", "welsh"):
        response = client.get(
            f"/studies/{studies[key]}", headers=WELSH_ACCEPT, follow_redirects=True
        )
        assert response.status_code == 200
        if response.headers["Cache-Control"].startswith("public"):
            assert "Accept-Language" in vary(response)


def test_a_revalidation_in_the_other_language_is_not_a_304(client, studies):
    english = client.get("/", headers=ENGLISH_ACCEPT)
    etag = english.headers["ETag"]
    welsh = client.get("/", headers={**WELSH_ACCEPT, "If-None-Match": etag})
    assert welsh.status_code == 200
    assert lang_of(welsh.text) == "cy"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/studies",
        "/api/v1/topics",
        "/api/v1/councils",
        "/api/v1/studies.csv",
        "/api/v1/openapi.json",
        "/feeds/latest.atom",
        "/sitemap.xml",
        "/robots.txt",
    ],
)
def test_open_data_is_english_whatever_the_reader_and_never_varies_on_language(
    app, client, studies, path
):
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "data-and-research"))
        topic.name_cy = "Data ac ymchwil"
        db.session.commit()
    client.set_cookie(COOKIE, "cy")
    response = client.get(path, headers=WELSH_ACCEPT)
    assert response.status_code == 200, path
    assert "Accept-Language" not in vary(response)
    assert response.headers.get("Content-Language") in (None, "en-GB", "en")
    if not path.endswith(".csv"):  # the CSV is streamed: never shared, by design
        assert response.headers["Cache-Control"].startswith("public")
    assert "Data ac ymchwil" not in response.text


def test_the_api_and_feed_keep_a_welsh_studys_own_text(client, studies):
    api = client.get(f"/api/v1/studies/{studies['welsh']}").get_json()
    assert "Ysgolion gwledig a band eang" in str(api)
    assert "Cyfrinach" not in client.get("/api/v1/studies?language=cy").text


# -- the switch ------------------------------------------------------------------------------------


HOSTILE_NEXTS = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\/evil.example",
    "/%5Cevil.example",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/\t/evil.example",
    "/\r\nSet-Cookie: owned=1",
    "/%0d%0aSet-Cookie:%20owned=1",
    "javascript:alert(1)",
    "/\x00/evil.example",
    " //evil.example",
    "/\u3000/evil.example",
    "http:/evil.example",
    "http:evil.example",
    "/.//evil.example",
    "/..//evil.example",
]


@pytest.mark.parametrize("target", HOSTILE_NEXTS)
def test_the_switch_never_leads_off_the_site_nor_injects_a_header(client, target):
    response = client.get(f"/language/cy?next={quote(target, safe='')}")
    assert response.status_code == 303
    location = response.headers["Location"]
    assert "\r" not in location and "\n" not in location
    assert "owned" not in response.headers.get("Set-Cookie", "")
    assert location.startswith("/") and not location.startswith("//")
    assert "\\" not in location and "evil.example" not in location.split("?")[0].split("/")[1:2]
    # A browser resolving the Location stays on this host.
    from urllib.parse import urljoin, urlsplit

    assert urlsplit(urljoin("https://board.example/here", location)).netloc == "board.example"


def test_a_very_long_next_is_not_an_error(client):
    target = "/?q=" + "a" * 20000
    response = client.get(f"/language/cy?next={quote(target, safe='')}")
    assert response.status_code in (303, 414, 400)


def test_the_switch_for_a_path_that_looks_like_another_host_goes_home(client):
    response = client.get("//evil.example/", headers=WELSH_ACCEPT)
    html = response.text
    link = re.search(r'class="govuk-link app-language-switch__link" href="([^"]+)"', html)
    if link:
        href = unescape(link.group(1))
        next_value = re.search(r"next=([^&]*)", href)
        assert next_value is None or not unescape(next_value.group(1)).startswith("%2F%2F")


def test_a_post_switch_without_csrf_changes_nothing_and_get_never_changes_an_account(
    app, client, as_role, world
):
    person = as_role("author")
    assert client.post("/language/cy", data={"next": "/"}).status_code == 400
    client.get("/language/cy?next=/")
    with app.app_context():
        assert db.session.get(User, person.id).language is None


def test_a_signed_in_switch_changes_only_that_persons_language(app, client, as_role, world):
    person = as_role("author")
    set_language(app, world.people.colleague.id, "en")
    token = csrf_token_from(client.get("/").text)
    response = client.post("/language/cy", data={"next": "/questions", "csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, person.id).language == "cy"
        assert db.session.get(User, world.people.colleague.id).language == "en"
        others = db.session.scalars(db.select(User).where(User.id != person.id)).all()
        assert all(other.language != "cy" for other in others)


@pytest.mark.parametrize("code", ["fr", "CY", "cy-GB", "en-GB", "", "cy%00", "..%2F"])
def test_an_unknown_code_is_not_found_and_sets_nothing(client, code):
    response = client.get(f"/language/{code}?next=/")
    assert response.status_code in (404, 308, 301)
    assert COOKIE not in response.headers.get("Set-Cookie", "")


# -- emails and notifications ----------------------------------------------------------------------


def decide(app, client, sign_in, moderator, study_id, decision, field, note):
    sign_in(moderator)
    page = client.get(f"/moderation/studies/{study_id}")
    assert page.status_code == 200
    response = client.post(
        f"/moderation/studies/{study_id}/decision",
        data={"decision": decision, field: note, "csrf_token": csrf_token_from(page.text)},
    )
    assert response.status_code in (302, 303), response.text
    return response


def test_a_welsh_moderators_decision_reaches_an_english_author_in_english(
    app, client, sign_in, world, outbox
):
    set_language(app, world.people.moderator.id, "cy")
    set_language(app, world.people.author.id, "en")
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED)
        db.session.commit()
        study_id = study.id
    client.set_cookie(COOKIE, "cy")
    decide(
        app,
        client,
        sign_in,
        world.people.moderator,
        study_id,
        "request-changes",
        "changes_note",
        "Ychwanegwch y gost.",
    )
    mail = [m for m in outbox if m["To"] == world.people.author.email]
    assert mail, "the author is emailed"
    body = mail[-1].get_content()
    assert "Hello" in body and "Helo" not in body
    with app.app_context():
        note = db.session.scalars(
            db.select(Notification).where(Notification.user_id == world.people.author.id)
        ).all()[-1]
        assert note.language == "en"


def test_an_english_moderators_decision_reaches_a_welsh_author_in_welsh(
    app, client, sign_in, world, outbox
):
    set_language(app, world.people.moderator.id, "en")
    set_language(app, world.people.author.id, "cy")
    with app.app_context():
        study = make_study(world.here, world.people.author, status=Status.SUBMITTED)
        db.session.commit()
        study_id = study.id
    decide(
        app,
        client,
        sign_in,
        world.people.moderator,
        study_id,
        "reject",
        "reject_note",
        "Not about a council experiment.",
    )
    mail = [m for m in outbox if m["To"] == world.people.author.email]
    assert mail
    body = mail[-1].get_content()
    assert "Helo" in body and "Hello" not in body
    with app.app_context():
        note = db.session.scalars(
            db.select(Notification).where(Notification.user_id == world.people.author.id)
        ).all()[-1]
        assert note.language == "cy"


def test_a_hostile_title_in_a_welsh_notification_is_escaped(app, client, sign_in, world, outbox):
    set_language(app, world.people.author.id, "cy")
    with app.app_context():
        study = make_study(world.here, world.people.author, title=HOSTILE_TITLE)
        db.session.commit()
        study_id = study.id
    sign_in(world.people.outsider)
    page = client.get(f"/studies/{study_id}", follow_redirects=True)
    response = client.post(
        f"/studies/{study_id}/comments",
        data={"body": "<b>hi</b>", "csrf_token": csrf_token_from(page.text)},
    )
    assert response.status_code in (200, 201, 302, 303)
    client.delete_cookie("session")
    sign_in(world.people.author)
    html = client.get("/notifications").text
    assert lang_of(html) == "cy"
    assert "<script>alert(1)" not in html and "<img src=x" not in html


# -- translations as an injection path -------------------------------------------------------------


def test_hostile_user_text_is_escaped_on_welsh_pages(app, client, as_role, world):
    with app.app_context():
        evil_council = world.here
        evil_council.name = HOSTILE_TITLE
        study = make_study(
            world.here,
            world.people.author,
            title=HOSTILE_TITLE,
            summary=HOSTILE_TITLE,
            language="cy",
        )
        make_comment(study.id, world.people.colleague, body=HOSTILE_TITLE)
        submitted = make_study(
            world.here, world.people.author, title=HOSTILE_TITLE, status=Status.SUBMITTED
        )
        db.session.commit()
        study_id, submitted_id = study.id, submitted.id
        slug = world.here.slug
    client.set_cookie(COOKIE, "cy")
    pages = [
        "/",
        f"/studies/{study_id}",
        f"/councils/{slug}",
        f"/?q={quote(HOSTILE_TITLE)}",
        f"/?council={quote(HOSTILE_TITLE)}",
        f"/?outcome={quote(HOSTILE_TITLE)}",
        f"/?language={quote(HOSTILE_TITLE)}",
        f"/?sort={quote(HOSTILE_TITLE)}",
    ]
    for path in pages:
        html = client.get(path, follow_redirects=True).text
        assert lang_of(html) == "cy", path
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path
    as_role("moderator")
    for path in ("/moderation", f"/moderation/studies/{submitted_id}", "/moderation/log"):
        html = client.get(path).text
        assert "<script>alert(1)" not in html, path
        assert "<img src=x" not in html, path


def test_no_welsh_translation_adds_markup_to_a_python_string(app):
    """Strings translated in Python (gettext, not a template's trans block) are text: a msgstr
    with markup where the msgid had none would show as literal tags or, if marked safe,
    as markup. None may add a tag."""
    from babel.messages.pofile import read_po

    tag = re.compile(r"<\s*/?\s*[a-zA-Z]")
    with open("board/translations/cy/LC_MESSAGES/messages.po", "rb") as file:
        catalogue = read_po(file)
    python_only = []
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        in_python = all(location.endswith(".py") for location, _ in message.locations)
        if not in_python or any(tag.search(one) for one in ids):
            continue
        if any(tag.search(one or "") for one in strings):
            python_only.append(ids[0])
    assert python_only == []


# -- forms in Welsh --------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["fr", "CY", "cy,en", "<script>", ""])
def test_the_study_language_field_refuses_bad_values_in_welsh_and_keeps_the_text(
    app, client, as_role, bad
):
    from tests.case_studies.test_writing import form_data

    as_role("author")
    client.set_cookie(COOKIE, "cy")
    data = form_data(app, client, title="Teitl a gedwir", language=bad)
    response = client.post("/studies/new", data=data)
    html = response.text
    if bad == "":
        # An empty choice is a missing answer: refused or given the default, never a 500.
        assert response.status_code in (200, 302, 303, 422)
        return
    assert response.status_code == 422, bad
    assert lang_of(html) == "cy"
    assert "Teitl a gedwir" in html
    assert "Select English or Cymraeg" not in html
    assert "<script>" not in html.split("</head>")[1].replace("<script src", "")
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == 0


# -- content language ------------------------------------------------------------------------------


def test_a_welsh_studys_text_is_marked_welsh_in_cards_page_and_related(app, client, studies):
    html = client.get("/", headers=ENGLISH_ACCEPT, follow_redirects=True).text
    assert (
        re.search(r'lang="cy">\s*<a[^>]*>\s*Ysgolion gwledig a band eang', html)
        or re.search(r'lang="cy"[^>]*>[^<]*Ysgolion gwledig a band eang', html)
        or 'lang="cy">\n' in html
    )
    assert re.search(r'lang="cy">\s*Cysylltu ysgolion gwledig', html)
    page = client.get(
        f"/studies/{studies['welsh']}", headers=ENGLISH_ACCEPT, follow_redirects=True
    ).text
    assert re.search(r'<h1[^>]*lang="cy"[^>]*>\s*Ysgolion gwledig a band eang', page)
    # The English study's page lists the Welsh one as related (same topic and council): marked.
    related = client.get(
        f"/studies/{studies['english']}", headers=ENGLISH_ACCEPT, follow_redirects=True
    ).text
    assert re.search(r'id="related".*lang="cy">Ysgolion gwledig a band eang', related, re.S)
    # An English study on a Welsh page is marked English.
    welsh_page = client.get(
        f"/studies/{studies['english']}", headers=WELSH_ACCEPT, follow_redirects=True
    ).text
    assert re.search(r'<h1[^>]*lang="en"[^>]*>\s*Smart parking', welsh_page)


@pytest.mark.parametrize(
    "query",
    [
        "language=cy,en",
        "language=CY",
        "language=cy&language=cy",
        "language=cy&language=en",
        "language=" + "&language=".join(["xx"] * 200),
        "language=%00",
        "language=cy%0aen",
        "language[]=cy",
        "language=" + "c" * 5000,
    ],
)
def test_odd_language_filters_give_a_clear_page(client, studies, query):
    for headers in ({}, {"HX-Request": "true"}, WELSH_ACCEPT):
        response = client.get(f"/?{query}", headers=headers)
        assert response.status_code in (200, 400), query
    feed = client.get(f"/feeds/latest.atom?{query}")
    assert feed.status_code in (200, 400)
    api = client.get(f"/api/v1/studies?{query}")
    assert api.status_code in (200, 400)


def test_the_language_filter_picks_the_right_studies(client, studies):
    welsh = client.get("/?language=cy").text
    assert "Ysgolion gwledig a band eang" in welsh and "Smart parking" not in welsh
    english = client.get("/?language=en").text
    assert "Smart parking" in english and "Ysgolion gwledig" not in english
    upper = client.get("/?language=CY").text
    assert "is not a language" in upper or "Smart parking" in upper


# -- search ----------------------------------------------------------------------------------------


def titles(client, query: str) -> str:
    response = client.get(f"/?q={quote(query)}")
    assert response.status_code == 200, query
    return response.text


def test_welsh_words_find_welsh_studies(client, studies):
    assert "Ysgolion gwledig a band eang" in titles(client, "ysgolion")
    assert "Ysgolion gwledig a band eang" in titles(client, "gwledig")
    assert "Cyfrinach" not in titles(client, "cyfrinach")


def test_a_study_switching_language_is_found_in_its_new_language(app, client, studies):
    with app.app_context():
        study = db.session.get(CaseStudy, studies["english"])
        study.title = "Synwyryddion parcio merched"
        study.language = "cy"
        db.session.commit()
    assert "Synwyryddion parcio merched" in titles(client, "merched")
    assert "Synwyryddion parcio merched" in titles(client, "synwyryddion")
    with app.app_context():
        study = db.session.get(CaseStudy, studies["english"])
        study.language = "en"
        db.session.commit()
    assert "Synwyryddion parcio merched" in titles(client, "synwyryddion")


HOSTILE_QUERIES = [
    "'",
    '"',
    "\\",
    "*",
    "NEAR(",
    "a OR b",
    "-",
    "cy:",
    "!!",
    "&|!",
    ":*",
    "'_cy_'",
    "_cy_",
    "ŵ",
    "Llŷn",
    "ŷ ŵ â",
    "\x00",
    "%",
    "é" * 300,
    "ys" * 400,
    "title:ysgolion",
    "{ysgolion}",
    "^",
    "(",
    ")",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_search_input_is_not_an_error(client, studies, query):
    for headers in ({}, WELSH_ACCEPT, {"HX-Request": "true"}):
        response = client.get(f"/?q={quote(query)}", headers=headers)
        assert response.status_code == 200, query
        assert "Cyfrinach" not in response.text
    assert client.get(f"/api/v1/studies?q={quote(query)}").status_code in (200, 400)


@pytest.mark.parametrize("query", ["²", "_cy_", "¹²³", "½"])
def test_a_search_for_something_no_study_says_finds_nothing(client, studies, query):
    """Guards against: a search whose only word PostgreSQL's parser drops (a superscript
    digit "²", a vulgar fraction) lists every published study as a match. Python keeps "²" as
    a word, plainto_tsquery makes an empty query of it, and `'' && !!'_cy_'` is `!'_cy_'` (the
    empty operand is dropped), which every English study matches; the Welsh arm likewise
    becomes `'_cy_'`, which every Welsh study matches. Before migration 0016 an empty query
    matched nothing. Held: no study matches a word none of them contains."""
    html = titles(client, query)
    assert "Smart parking sensors in the town centre" not in html
    assert "Ysgolion gwledig a band eang" not in html


def test_a_topics_new_welsh_name_shows_at_once_on_a_cached_welsh_board(app, client, studies):
    client.set_cookie(COOKIE, "cy")
    first = client.get("/")
    assert first.status_code == 200
    with app.app_context():
        topic = db.session.scalar(db.select(Topic).where(Topic.slug == "data-and-research"))
        topic.name_cy = "Enw newydd y pwnc"
        db.session.commit()
    again = client.get("/").text
    assert "Enw newydd y pwnc" in again
    client.delete_cookie(COOKIE)
    assert "Enw newydd y pwnc" not in client.get("/", headers=ENGLISH_ACCEPT).text


def test_a_welsh_vowel_with_a_diacritic_finds_the_plain_one_and_back(app, client, world):
    with app.app_context():
        make_study(
            world.here,
            world.people.author,
            title="Gwasanaethau ym Mhen Llŷn",
            summary="Band eang i'r penrhyn.",
            language="cy",
        )
        make_study(
            world.here,
            world.people.author,
            title="Cynllun dwr glan",
            summary="Dŵr yfed.",
            language="cy",
        )
        db.session.commit()
    assert "Gwasanaethau ym Mhen Llŷn" in titles(client, "llyn")
    assert "Gwasanaethau ym Mhen Llŷn" in titles(client, "Llŷn")
    assert "Cynllun dwr glan" in titles(client, "dŵr")


def test_the_feed_takes_the_language_filter_like_the_board(client, studies):
    feed = client.get("/feeds/latest.atom?language=cy").text
    assert "Ysgolion gwledig a band eang" in feed
    assert "Smart parking sensors" not in feed
    assert "Cyfrinach" not in feed


def test_a_welsh_study_is_marked_welsh_in_the_feed(client, studies):
    """Guards against: the Atom feed says xml:lang="en-GB" for the whole feed and nothing on a
    Welsh study's entry, so a feed reader (and its screen reader) reads the Welsh title and
    summary as English. Held: the entry (or its title and summary) carry xml:lang="cy", as
    the pages mark the same text with lang="cy"."""
    feed = client.get("/feeds/latest.atom").text
    entry = re.search(
        r"<entry(?:(?!</entry>).)*Ysgolion gwledig a band eang.*?</entry>", feed, re.S
    )
    assert entry
    assert 'xml:lang="cy"' in entry.group(0)


def test_the_open_data_api_says_which_language_a_study_is_written_in(client, studies):
    """Guards against: the API's study (and the CSV) have no language field, so open-data users
    cannot tell a Welsh study from an English one, nor filter by it as the board can
    (`language=cy`). Held: each study says its language ("en" or "cy")."""
    study = client.get(f"/api/v1/studies/{studies['welsh']}").get_json()
    text = str(study)
    assert "'language': 'cy'" in text or '"language": "cy"' in text


def test_saving_a_search_keeps_its_language_filter(app, client, studies, as_role):
    """Guards against: the board's "save this search" link and the saved query drop the
    `language` filter (board/follows/searches.py canonical_query and describe know nothing of
    it). On `/?language=cy&outcome=did-not-work` the link saves `outcome=did-not-work` only, so
    the digest then sends English studies too, and the description does not say "Welsh".
    Held: the saved search keeps `language=cy` and says so."""
    as_role("author")
    html = client.get("/?language=cy&outcome=did-not-work").text
    link = re.search(r'href="(/account/following/search[^"]*)"', html)
    assert link, "the board offers to save the search"
    assert "language=cy" in unescape(link.group(1))


def test_a_welsh_reader_finds_studies_by_a_topics_welsh_name(app, client, world):
    """Guards against: the search indexes each study's topic names in English only (migration
    0016 indexes topics.name, never name_cy), so on the Welsh board a search for the Welsh
    name the page itself shows for a topic ("Seiberddiogelwch") finds none of its studies,
    while the English name ("cyber security") finds them. Held: a topic's Welsh name finds
    its studies as its English name does."""
    with app.app_context():
        make_study(
            world.here,
            world.people.author,
            title="Phishing drills for staff",
            topics=["cyber-security"],
        )
        welsh_name = db.session.scalar(
            db.select(Topic.name_cy).where(Topic.slug == "cyber-security")
        )
        db.session.commit()
    assert welsh_name
    assert "Phishing drills for staff" in titles(client, "cyber security")
    client.set_cookie(COOKIE, "cy")
    assert welsh_name in client.get("/").text
    assert "Phishing drills for staff" in titles(client, welsh_name)


def test_a_report_filed_in_welsh_reads_in_english_in_an_english_moderators_log(
    app, client, sign_in, world, studies
):
    """Guards against: a report's reason goes into the moderation log as ``reason.label`` in the
    reporter's interface language (board/comments/services.py file_report), while the log page
    (board/moderation/queries.py stored_reason) expects the English label to say it in the
    reader's language. A report filed from the Welsh interface is stored as "Sbam ..." and an
    English moderator's log shows the Welsh words. Held: the log says the reason in the
    reader's language, whoever filed it."""
    from board.models import ModerationLog

    set_language(app, world.people.colleague.id, "cy")
    sign_in(world.people.colleague)
    page = client.get(f"/studies/{studies['english']}", follow_redirects=True)
    response = client.post(
        "/reports",
        data={
            "target": f"study:{studies['english']}",
            "reason": "spam",
            "details": "",
            "csrf_token": csrf_token_from(page.text),
        },
    )
    assert response.status_code in (200, 302, 303)
    with app.app_context():
        stored = db.session.scalars(db.select(ModerationLog.reason)).all()
    assert stored, "the report is logged"
    client.delete_cookie("session")
    client.delete_cookie(COOKIE)
    set_language(app, world.people.moderator.id, "en")
    sign_in(world.people.moderator)
    log = client.get("/moderation/log").text
    assert lang_of(log) == "en-GB"
    assert "Spam or advertising" in log, stored


def test_a_welsh_moderators_flash_escapes_a_hostile_title(app, client, sign_in, world, outbox):
    set_language(app, world.people.moderator.id, "cy")
    with app.app_context():
        study = make_study(
            world.here, world.people.author, status=Status.SUBMITTED, title=HOSTILE_TITLE
        )
        db.session.commit()
        study_id = study.id
    response = decide(
        app, client, sign_in, world.people.moderator, study_id, "approve", "changes_note", ""
    )
    html = client.get(response.headers["Location"]).text
    assert lang_of(html) == "cy"
    assert "app-flash" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_a_visitor_cannot_post_the_switch_without_a_token(client):
    response = client.post("/language/cy", data={"next": "/"})
    assert response.status_code == 400
    assert COOKIE not in response.headers.get("Set-Cookie", "")


def test_a_welsh_word_with_an_unknown_one_finds_the_welsh_study_among_partial_matches(
    client, studies
):
    html = titles(client, "ysgolion qwxzyv")
    assert "Ysgolion gwledig a band eang" in html
    assert "Cyfrinach" not in html


REGISTRATION = {
    "name": "Gwen Hughes",
    "email": "gwen.hughes@example.org",
    "council_role": "councillor",
    "job_title": "Aelod Cabinet",
    "password": "slate harbour kettle violin",
}


def test_registering_in_welsh_emails_in_welsh_and_an_owner_is_told_in_theirs(
    app, client, csrf_token, outbox, world
):
    client.set_cookie(COOKIE, "cy")
    response = client.post(
        "/auth/register", data={**REGISTRATION, "csrf_token": csrf_token("/auth/register")}
    )
    assert response.status_code in (200, 302, 303)
    [welsh] = [m for m in outbox if m["To"] == REGISTRATION["email"]]
    assert "Helo" in welsh.get_content() or "Cadarnhewch" in welsh["Subject"]
    with app.app_context():
        assert (
            db.session.scalar(db.select(User.language).where(User.email == REGISTRATION["email"]))
            == "cy"
        )
    # A Welsh visitor trying an English speaker's address: the owner is told in English.
    set_language(app, world.people.author.id, "en")
    client.post(
        "/auth/register",
        data={
            **REGISTRATION,
            "email": world.people.author.email,
            "csrf_token": csrf_token("/auth/register"),
        },
    )
    [told] = [m for m in outbox if m["To"] == world.people.author.email]
    assert "Someone tried to register" in told["Subject"]
    assert "Helo" not in told.get_content()


def test_a_bad_registration_in_welsh_keeps_what_was_typed(client, csrf_token):
    client.set_cookie(COOKIE, "cy")
    response = client.post(
        "/auth/register",
        data={
            **REGISTRATION,
            "email": "not-an-address",
            "job_title": "Swydd <b>a gedwir</b>",
            "csrf_token": csrf_token("/auth/register"),
        },
    )
    assert response.status_code in (200, 422)
    html = response.text
    assert lang_of(html) == "cy"
    assert "Swydd &lt;b&gt;a gedwir&lt;/b&gt;" in html
    assert "not-an-address" in html
    assert "Enter an email address" not in html


def test_the_digest_command_writes_each_reader_in_their_language(app, outbox):
    """Through the command line (`flask digests send`), a Welsh reader and an English reader
    in one run, with a Welsh saved search: each digest in its reader's language."""
    from board.models import FollowKind
    from tests.digests.helpers import at, follow, make_member
    from tests.factories import make_council

    with app.app_context():
        council = make_council("Hereshire Council")
        gwen = make_member(council, email="gwen@example.org", name="Gwen", language="cy")
        ed = make_member(council, email="ed@example.org", name="Ed", language="en")
        for member in (gwen, ed):
            follow(member, FollowKind.COUNCIL, council_id=council.id)
        make_study(
            council,
            title="Ysgolion <b>gwledig</b>",
            language="cy",
            published_at=at("2026-11-25T09:00"),
        )
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["digests", "send", "--now", "2026-11-26T12:00"])
    assert result.exit_code == 0, result.output
    [welsh] = [m for m in outbox if m["To"] == "gwen@example.org"]
    [english] = [m for m in outbox if m["To"] == "ed@example.org"]
    assert welsh.get_content().startswith("Helo Gwen")
    assert english.get_content().startswith("Hello Ed")
    assert "Helo" not in english.get_content() and "Tachwedd" not in english.get_content()
    assert "Ysgolion <b>gwledig</b>" in english.get_content()


def test_the_api_refuses_a_language_it_does_not_know_as_it_refuses_a_bad_outcome(client, studies):
    """Guards against: the API answers 400 with a problem naming the parameter for a bad
    `outcome` or `nation`, but `language=fr` (or `CY`) is dropped silently
    (board/api/studies.py _invalid_filters does not look at `language`): the answer lists
    studies in every language as though the filter had worked. The Atom feed, which reads
    `filters.ignored`, does answer 400. Held: a 400 naming `language`, like the others."""
    assert client.get("/api/v1/studies?outcome=nope").status_code == 400
    assert client.get("/feeds/latest.atom?language=fr").status_code == 400
    response = client.get("/api/v1/studies?language=fr")
    assert response.status_code == 400
    assert "language" in response.text


def test_a_members_only_welsh_study_is_never_related_for_a_visitor(app, client, studies, world):
    with app.app_context():
        study = db.session.get(CaseStudy, studies["secret"])
        study.what_we_learned = "Ysgolion gwledig a band eang"
        db.session.commit()
    for headers in (WELSH_ACCEPT, ENGLISH_ACCEPT):
        for key in ("english", "welsh"):
            html = client.get(
                f"/studies/{studies[key]}", headers=headers, follow_redirects=True
            ).text
            assert "Cyfrinach" not in html
    client.set_cookie(COOKIE, "cy")
    for path in (
        "/topics/data-and-research",
        "/councils/thereshire-council",
        "/?language=cy&q=methiant",
        f"/studies/{studies['secret']}",
    ):
        response = client.get(path, follow_redirects=True)
        assert "Cyfrinach aelodau yn unig" not in response.text, path
