"""Every payload of the XSS corpus (tests/browser/xss_payloads.py) as an answer, and as the
title of the study attached to it, is shown as text: the answers' HTML carries no script, no
event handler, no javascript: address and no htmx attribute but the page's own."""

from __future__ import annotations

from html.parser import HTMLParser

from board.extensions import db
from tests.answers.conftest import make_answer, make_question
from tests.browser.xss_payloads import PAYLOADS
from tests.factories import make_study

OUR_HTMX = {"hx-post", "hx-target", "hx-swap", "hx-swap-oob"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "iframe", "object", "embed", "svg", "math", "img", "style"):
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if name in ("href", "src", "action", "formaction") and value.startswith(
                ("javascript:", "data:", "vbscript:")
            ):
                self.problems.append(f"{tag} {name}={value}")
            if (name.startswith(("hx-", "data-hx")) and name not in OUR_HTMX) or (
                name == "hx-post" and not value.startswith("/questions/")
            ):
                self.problems.append(f"{tag} {name}")


def test_no_payload_becomes_markup(app, client, as_role, world):
    with app.app_context():
        question = make_question(world.people.author)
        for number, payload in enumerate(PAYLOADS):
            study = make_study(world.there, title=payload[:200] or f"Study {number}")
            make_answer(question, world.people.outsider, body=payload, study_id=study.id)
        db.session.commit()
        question_id = question.id
    for role in ("visitor", "author"):
        if role == "author":
            as_role(role)
        page = client.get(f"/test/questions/{question_id}").text
        answers = page[
            page.index('id="answers"') : page.index("</section>", page.index('id="answers"'))
        ]
        parser = Tags()
        parser.feed(answers)
        assert parser.problems == []
        assert answers.count('class="app-comment app-answer') == len(PAYLOADS)
