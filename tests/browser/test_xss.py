"""Over a hundred hostile payloads in every text field of a case study, of its author, of its
comments, of reports and of moderators' reasons, opened in Chromium: none runs.

The pages are opened with the Content-Security-Policy bypassed, so what is proved here is that
escaping and sanitising alone stop them; the CSP (no inline script) is a second wall, checked in
tests/test_app.py.
"""

from __future__ import annotations

import pytest

from board.extensions import db
from board.models import Comment, ModerationLog, Notification, Report, Role, Status
from board.models.base import utcnow
from tests.browser.xss_payloads import MARKER, PAYLOADS
from tests.factories import PASSWORD, make_council, make_study, make_user

# What no page may contain once user text is in it: inline handlers, script URLs, and elements
# that run or embed code (our own scripts come from /static only).
DANGEROUS_DOM = """() => {
  const found = [];
  for (const element of document.querySelectorAll("*")) {
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\s\\u0000-\\u001f]/g, "").toLowerCase();
      if (name.startsWith("on") || name.startsWith("hx-on") || name === "srcdoc") {
        found.push(`${element.tagName} ${name}`);
      }
      if (["href", "src", "action", "data", "formaction", "xlink:href"].includes(name)
          && /^(javascript|vbscript|data):/.test(value)) {
        found.push(`${element.tagName} ${name}=${attribute.value}`);
      }
    }
  }
  const embedded = "iframe, object, embed, base, meta[http-equiv]";
  for (const element of document.querySelectorAll(embedded)) {
    found.push(element.outerHTML.slice(0, 80));
  }
  for (const script of document.querySelectorAll("script")) {
    if (!script.src || new URL(script.src).pathname.indexOf("/static/") !== 0) {
      found.push(script.outerHTML.slice(0, 80));
    }
  }
  return found;
}"""


# Payloads per study: every field of a study (and of its author) holds the same few.
PER_STUDY = 4


@pytest.fixture
def hostile_board(app):
    """Studies whose title, summary, five sections and author's name and job title are all
    hostile, a few payloads each. Returns the study ids and a member of their council, who may
    edit them."""
    with app.app_context():
        council = make_council("Hostile Input Council")
        moderator = make_user(council, role=Role.MODERATOR, email="mod@hostile.gov.uk")
        ids = []
        for start in range(0, len(PAYLOADS), PER_STUDY):
            chunk = PAYLOADS[start : start + PER_STUDY]
            text = "\n\n".join(chunk)
            one_line = " ".join(chunk)
            author = make_user(council, name=one_line[:120], job_title=chunk[-1][:120])
            study = make_study(
                council,
                author,
                title=one_line[:200],
                summary=one_line[:300],
                challenge=text,
                what_we_tried=text,
                what_happened=text,
                what_we_learned=text,
                what_we_would_do_differently=text,
                status=Status.PUBLISHED,
            )
            ids.append(study.id)
            # Its discussion, a report and a moderator's words carry the same payloads.
            shown = Comment(case_study=study, author=author, body=text)
            hidden = Comment(
                case_study=study, author=author, body=text, hidden_at=utcnow(), hidden_reason=text
            )
            db.session.add_all([shown, hidden])
            db.session.flush()
            db.session.add_all(
                [
                    Report(
                        reporter_id=author.id,
                        target_type="comment",
                        target_id=shown.id,
                        reason="other",
                        details=text,
                    ),
                    ModerationLog(
                        actor_id=author.id,
                        action="comment.hidden",
                        target_type="comment",
                        target_id=hidden.id,
                        reason=text,
                    ),
                    Notification(user_id=moderator.id, subject=one_line[:200], body=text, link="/"),
                ]
            )
        editor = make_user(council, email="editor@hostile.gov.uk")
        db.session.commit()
        return ids, editor.email


@pytest.fixture
def watched_page(browser, live_server):
    """A page with the CSP bypassed that records every dialog and every console MARKER."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    ran: list[str] = []

    def on_dialog(dialog):
        ran.append(f"{dialog.type}: {dialog.message} on {page.url}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on("console", lambda message: MARKER in message.text and ran.append(message.text))
    yield page, ran
    context.close()


def sign_in(page, live_server, email: str) -> None:
    page.goto(live_server + "/auth/login")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/auth/login" not in url)


def visit(page, url: str) -> None:
    page.goto(url, wait_until="load")
    # Give timers, autofocus handlers and animations (SVG onbegin) a moment to fire.
    page.wait_for_timeout(30)
    dangerous = page.evaluate(DANGEROUS_DOM)
    assert dangerous == [], f"{url} has dangerous markup: {dangerous}"


def test_there_are_over_a_hundred_payloads():
    assert len(set(PAYLOADS)) >= 100


def test_no_payload_runs_anywhere_it_is_shown(watched_page, live_server, hostile_board):
    page, ran = watched_page
    ids, editor = hostile_board

    visit(page, live_server + "/")  # titles and summaries
    visit(page, live_server + "/?page=2")
    visit(page, live_server + "/?q=script+alert")  # search results
    visit(page, live_server + "/topics/data-and-research")
    for study_id in ids:
        visit(page, f"{live_server}/studies/{study_id}")

    # The edit form puts every field back into inputs and textareas.
    sign_in(page, live_server, editor)
    for study_id in ids:
        visit(page, f"{live_server}/studies/{study_id}/edit")
    visit(page, live_server + "/")  # as a member too
    page.get_by_role("button", name="Sign out").click()

    # A moderator also sees hidden comments, reports, the log and their notifications.
    sign_in(page, live_server, "mod@hostile.gov.uk")
    for path in ["/moderation/reports", "/moderation/log", "/notifications"]:
        visit(page, live_server + path)
    for study_id in ids:
        visit(page, f"{live_server}/studies/{study_id}")

    assert ran == [], f"hostile input ran: {ran}"


def test_the_payloads_are_shown_as_text(watched_page, live_server, hostile_board):
    """Escaped, not dropped: a reader sees what was written (in the title at least)."""
    page, _ = watched_page
    ids, _ = hostile_board
    page.goto(f"{live_server}/studies/{ids[0]}")
    title = " ".join(PAYLOADS[:PER_STUDY])[:200]
    assert page.get_by_role("heading", level=1).inner_text() == title


@pytest.fixture
def hostile_questions(app):
    """Questions whose title, details and a moderator's reason for hiding are hostile, with
    hostile answers, and reports of both; returns the question ids."""
    from board.models import Answer, Question, Topic

    with app.app_context():
        council = make_council("Hostile Questions Council")
        make_user(council, role=Role.MODERATOR, email="qmod@hostile.gov.uk")
        # The moderator comes from another council, so that they may hide these.
        other = make_council("Neutral Council")
        moderator = make_user(other, role=Role.MODERATOR, email="qmod@neutral.gov.uk")
        topics = list(db.session.scalars(db.select(Topic)))
        ids = []
        for start in range(0, len(PAYLOADS), PER_STUDY):
            chunk = PAYLOADS[start : start + PER_STUDY]
            text = "\n\n".join(chunk)
            one_line = " ".join(chunk)
            author = make_user(council, name=one_line[:120], job_title=chunk[-1][:120])
            hidden = start % (2 * PER_STUDY) != 0
            question = Question(
                author_id=author.id,
                council_id=council.id,
                title=one_line[:199] + "?",
                details=text,
                topics=topics[:2],
                hidden_at=utcnow() if hidden else None,
                hidden_reason=text if hidden else "",
            )
            db.session.add(question)
            db.session.flush()
            ids.append(question.id)
            answer = Answer(
                question_id=question.id, author_id=author.id, council_id=council.id, body=text
            )
            db.session.add(answer)
            db.session.flush()
            for target_type, target_id in (("question", question.id), ("answer", answer.id)):
                db.session.add(
                    Report(
                        reporter_id=moderator.id,
                        target_type=target_type,
                        target_id=target_id,
                        reason="other",
                        details=text,
                    )
                )
        db.session.commit()
        return ids


def test_no_question_payload_runs(watched_page, live_server, hostile_questions):
    page, ran = watched_page
    ids = hostile_questions
    for path in ["/questions", "/questions?page=2", "/questions?topic=cyber-security"]:
        visit(page, live_server + path)
    visit(page, live_server + "/topics/digital-inclusion-and-connectivity")
    for question_id in ids:
        visit(page, f"{live_server}/questions/{question_id}")
    sign_in(page, live_server, "qmod@neutral.gov.uk")
    visit(page, live_server + "/moderation/reports")
    for question_id in ids:
        visit(page, f"{live_server}/questions/{question_id}")  # hidden ones, with the reason
        visit(page, f"{live_server}/moderation/questions/{question_id}/hide")
        visit(page, f"{live_server}/reports/new?target=question:{question_id}")
    assert ran == [], f"hostile input ran: {ran}"
    page.goto(f"{live_server}/questions/{ids[0]}")
    title = " ".join(PAYLOADS[:PER_STUDY])[:199] + "?"
    assert page.get_by_role("heading", level=1).inner_text() == title
