"""Every page of the app, as each kind of person sees it: one inventory for the page checks
(tests/browser/test_every_page.py) and the screenshots (scripts/screenshots.py).

``build_site`` fills a migrated database with the demo board and one study, comment, report
and account in every state a page can show, and returns the values the inventory's paths are
filled from. ``PAGES`` is one line per page: its name (used in file names), its path, who may
see it and what it answers. ``sign_in`` gives a Playwright browser context a session.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from playwright.sync_api import BrowserContext, expect
from werkzeug.serving import make_server

from board.admin import council_request_services as council_requests
from board.auth.services import reset_token
from board.case_studies import services as studies
from board.cli import load_demo_data
from board.comments import services as discussion
from board.digests.services import unsubscribe_token
from board.extensions import db
from board.models import CaseStudy, Council, ReportReason, Role, Status, User, Visibility
from board.models.base import utcnow
from board.seo.routes import MAX_PARTS as SITEMAP_PARTS
from tests.browser.conftest import BufferedResponses
from tests.conftest import csrf_token_from
from tests.factories import PASSWORD, make_council, make_study, make_user

# The people a page is seen by. "member" is a verified member of the council whose studies are
# in every state; "moderator" belongs to another council, so may decide on them.
ROLES = ["visitor", "unverified", "member", "moderator", "admin"]
EMAILS = {
    "unverified": "una.verified@example.org",
    "member": "sam.officer@cardiff.gov.uk",
    "moderator": "mo.derator@kent.gov.uk",
    "admin": "ada.admin@caseboard.example",
}

EVERYONE = tuple(ROLES)
VISITOR = ("visitor",)
SIGNED_IN = ("unverified", "member", "moderator", "admin")
# Verified members and moderators comment, reply and report.
TAKING_PART = ("member", "moderator", "admin")
WRITERS = ("member", "moderator")
MEMBER = ("member",)
MODERATORS = ("moderator", "admin")
ADMIN = ("admin",)


def said(page, english: str) -> str:
    """``english`` as the page says it: the Welsh catalogue's translation on a page in Welsh
    (the Welsh every-page check presses the same buttons)."""
    if page.locator("html").get_attribute("lang") != "cy":
        return english
    return _welsh().gettext(english)


def _welsh():
    from babel.support import Translations

    from scripts.translations import COMPILED

    with COMPILED.open("rb") as file:
        return Translations(file)


def press(button: str, then_see: str) -> Callable:
    """A page reached by pressing a button on another: press it, wait for ``then_see``."""

    def act(page) -> None:
        page.get_by_role("button", name=said(page, button), exact=True).first.click()
        expect(page.locator(then_see).first).to_be_visible()

    return act


SUBMIT_EMPTY = press("Submit for review", ".govuk-error-summary")
PREVIEW = press("Preview", "#preview")
# Administration: people, and topics.
SUSPEND_EMPTY = press("Suspend account", ".govuk-error-summary")


def save_a_bad_link(page) -> None:
    page.get_by_label(said(page, "Resource pack link (optional)")).fill("http://example.org/pack")
    press("Save changes", ".govuk-error-summary")(page)


# Administration: councils.
ADD_COUNCIL_EMPTY = press("Add council", ".govuk-error-summary")
UPLOAD_NOTHING = press("Upload", ".govuk-error-summary")


@dataclass(frozen=True)
class Page:
    name: str
    # Filled from build_site's values: "/studies/{public}" and so on.
    path: str
    roles: tuple[str, ...]
    status: int = 200
    # What to do once the path has loaded, for a page that is a state of another.
    then: Callable | None = None
    # True for a page whose body is the same whoever reads it: only the header changes.
    alike: bool = False


PAGES = [
    # The board and its listings.
    Page("board", "/", EVERYONE),
    Page("board-page-2", "/?page=2", EVERYONE),
    Page("board-filtered", "/?topic=cyber-security&outcome=did-not-work&sort=newest", EVERYONE),
    Page("board-search", "/?q=phishing", EVERYONE),
    Page("topic", "/topics/digital-inclusion-and-connectivity", EVERYONE),
    Page("council", "/councils/cardiff-council", EVERYONE),
    # Studies.
    Page("study-public", "{public}", EVERYONE),
    Page("study-members-only", "{members}", TAKING_PART),
    Page("study-with-comments", "{discussed}", EVERYONE),
    Page("study-pending-revision", "{revised}", EVERYONE),
    Page("study-draft", "{draft}", MEMBER),
    Page("study-in-review", "{submitted}", (*MEMBER, *MODERATORS)),
    Page("study-changes-requested", "{changes_requested}", (*MEMBER, *MODERATORS)),
    # Writing up.
    Page("write-up-new", "/studies/new", WRITERS),
    Page("write-up-errors", "/studies/new", WRITERS, then=SUBMIT_EMPTY),
    Page("write-up-edit", "/studies/{draft_id}/edit", MEMBER),
    Page("write-up-preview", "/studies/{draft_id}/edit", MEMBER, then=PREVIEW),
    Page("write-up-refused", "/studies/new", ("unverified", "admin"), status=403),
    Page("your-councils-studies", "/studies/mine", WRITERS),
    # Discussion.
    Page("reply", "/comments/{comment_id}/reply", TAKING_PART),
    Page("edit-comment", "/comments/{own_comment_id}/edit", MEMBER),
    Page("delete-comment", "/comments/{own_comment_id}/delete", MEMBER),
    Page("report-comment", "/reports/new?target=comment:{comment_id}", TAKING_PART),
    Page("report-study", "/reports/new?target=study:{public_id}", TAKING_PART),
    # The signed-in person's own pages.
    Page("notifications", "/notifications", SIGNED_IN),
    Page("account", "/account", SIGNED_IN),
    Page("change-password", "/account/password", SIGNED_IN),
    Page("account-profile", "/account/profile", SIGNED_IN),
    Page("account-email", "/account/email", SIGNED_IN),
    Page(
        "account-email-errors",
        "/account/email",
        SIGNED_IN,
        then=press("Send the link", ".govuk-error-summary"),
    ),
    Page("account-email-link-invalid", "/account/email/confirm/not-a-token", EVERYONE, 400),
    Page("account-preferences", "/account/preferences", SIGNED_IN),
    Page("account-data", "/account/data", SIGNED_IN),
    # The only admin is told why they cannot delete their account.
    Page("account-delete", "/account/delete", SIGNED_IN),
    Page(
        "account-delete-errors",
        "/account/delete",
        ("unverified", "member", "moderator"),
        then=press("Delete my account", ".govuk-error-summary"),
    ),
    Page("account-deleted", "/account/deleted?kept=yes", EVERYONE, alike=True),
    # Signing in and registering.
    Page("sign-in", "/auth/login", VISITOR),
    Page("register", "/auth/register", VISITOR),
    Page("check-email", "/auth/check-email", EVERYONE, alike=True),
    Page("reset-request", "/auth/reset", EVERYONE, alike=True),
    Page("reset-password", "/auth/reset/{reset_token}", EVERYONE, alike=True),
    Page("reset-link-invalid", "/auth/reset/not-a-token", EVERYONE, 400, alike=True),
    Page("confirm-link-invalid", "/auth/confirm/not-a-token", EVERYONE, 400, alike=True),
    # Moderation.
    # Administration
    Page("admin", "/admin", ADMIN),
    # Administration: councils
    Page("admin-councils", "/admin/councils", ADMIN),
    Page("admin-councils-search", "/admin/councils?q=council", ADMIN),
    Page("admin-council-new", "/admin/councils/new", ADMIN),
    Page("admin-council-new-errors", "/admin/councils/new", ADMIN, then=ADD_COUNCIL_EMPTY),
    Page("admin-council-edit", "/admin/councils/{admin_council_id}/edit", ADMIN),
    Page("admin-council-edit-retired", "/admin/councils/{admin_retired_council_id}/edit", ADMIN),
    Page("admin-council-retire", "/admin/councils/{admin_council_id}/retire", ADMIN),
    Page("admin-council-import", "/admin/councils/import", ADMIN),
    Page("admin-council-import-errors", "/admin/councils/import", ADMIN, then=UPLOAD_NOTHING),
    Page("admin-council-former", "/councils/{admin_retired_council_slug}", EVERYONE, alike=True),
    # Administration: council requests
    Page("admin-council-requests", "/admin/council-requests", ADMIN),
    Page("admin-council-request", "/admin/council-requests/{council_request_id}", ADMIN),
    Page(
        "admin-council-request-errors",
        "/admin/council-requests/{council_request_id}",
        ADMIN,
        then=press("Decline the request", ".govuk-error-summary"),
    ),
    Page(
        "admin-council-request-decided",
        "/admin/council-requests/{declined_council_request_id}",
        ADMIN,
    ),
    Page("council-request", "/account/council-request", ("unverified",)),
    Page(
        "council-request-errors",
        "/account/council-request",
        ("unverified",),
        then=press("Send the request", ".govuk-error-summary"),
    ),
    # Administration: people
    Page("admin-people", "/admin/people", ADMIN),
    Page("admin-people-search", "/admin/people?q=cardiff&role=member", ADMIN),
    Page("admin-person", "/admin/people/{person_id}", ADMIN),
    Page("admin-person-suspended", "/admin/people/{suspended_person_id}", ADMIN),
    Page("admin-person-errors", "/admin/people/{person_id}", ADMIN, then=SUSPEND_EMPTY),
    # Administration: topics
    Page("admin-topics", "/admin/topics", ADMIN),
    Page("admin-topic-edit", "/admin/topics/cyber-security/edit", ADMIN),
    Page("admin-topic-errors", "/admin/topics/cyber-security/edit", ADMIN, then=save_a_bad_link),
    # Moderation
    Page("moderation-queue", "/moderation", MODERATORS),
    Page("review-page", "/moderation/studies/{submitted_id}", MODERATORS),
    Page("review-page-revision", "/moderation/studies/{revised_id}", MODERATORS),
    Page("review-page-own-council", "/moderation/studies/{kent_submitted_id}", ("moderator",)),
    Page("reports", "/moderation/reports", MODERATORS),
    Page("members", "/moderation/members", MODERATORS),
    Page("moderation-log", "/moderation/log", MODERATORS),
    Page("hide-comment", "/moderation/comments/{comment_id}/hide", MODERATORS),
    Page("restore-comment", "/moderation/comments/{hidden_comment_id}/restore", MODERATORS),
    # The statement and notices in every footer, and a page that is not there.
    Page("accessibility", "/accessibility", EVERYONE, alike=True),
    Page("privacy", "/privacy", EVERYONE, alike=True),
    Page("cookies", "/cookies", EVERYONE, alike=True),
    Page("contact", "/contact", EVERYONE, alike=True),
    # Open data
    Page("api", "/api", EVERYONE),
    Page("not-found", "/no-such-page", EVERYONE, 404, alike=True),
    # Follow-up prompts: "What happened next?" about one of the member's council's studies.
    Page("follow-up", "/studies/{revised_id}/follow-up", MEMBER),
    # Follows: what a person follows, their digest, and saving a view of the board as a search.
    Page("account-following", "/account/following", SIGNED_IN),
    Page(
        "follow-search", "/account/following/search?topic=cyber-security&outcome=worked", SIGNED_IN
    ),
    Page(
        "follow-search-errors",
        "/account/following/search?topic=cyber-security&outcome=worked",
        SIGNED_IN,
        then=lambda page: (
            page.get_by_label(said(page, "Name this search")).fill(""),
            press("Follow this search", ".govuk-error-summary")(page),
        ),
    ),
    # Updates ("six months on"): the study with its timeline, the council's form (empty, with
    # errors, and sent back for changes) and the moderators' review page.
    Page("study-with-updates", "{updated_study}", EVERYONE),
    Page("update-new", "/studies/{update_new_study_id}/updates/new", MEMBER),
    Page(
        "update-new-errors",
        "/studies/{update_new_study_id}/updates/new",
        MEMBER,
        then=press("Submit update for review", ".govuk-error-summary"),
    ),
    Page(
        "update-edit",
        "/studies/{update_sent_back_study_id}/updates/{update_sent_back_id}/edit",
        MEMBER,
    ),
    Page("review-update", "/moderation/updates/{update_waiting_id}", MODERATORS),
    # Digests: the one-click unsubscribe link in every digest, signed in or not.
    Page("unsubscribe", "/unsubscribe/{unsubscribe_token}", EVERYONE, alike=True),
    Page(
        "unsubscribed",
        "/unsubscribe/{unsubscribe_token}",
        EVERYONE,
        then=press("Unsubscribe from digests", "h1"),
        alike=True,
    ),
    Page("unsubscribe-link-invalid", "/unsubscribe/not-a-token", EVERYONE, 404, alike=True),
    # Questions to the network: the list (filtered too), a question in each state, asking
    # (empty, with errors, refused), reporting and the moderators' hiding and restoring.
    Page("questions", "/questions", EVERYONE),
    Page("questions-filtered", "/questions?topic=cyber-security&answered=no", EVERYONE),
    Page("question", "{question}", EVERYONE),
    Page("question-members-only", "{members_question}", TAKING_PART),
    Page("question-hidden", "{hidden_question}", (*MEMBER, *MODERATORS)),
    Page("ask", "/questions/new", WRITERS),
    Page(
        "ask-errors",
        "/questions/new",
        WRITERS,
        then=press("Post your question", ".govuk-error-summary"),
    ),
    Page("ask-refused", "/questions/new", ("unverified", "admin"), status=403),
    Page("report-question", "/reports/new?target=question:{question_id}", TAKING_PART),
    Page("report-answer", "/reports/new?target=answer:{answer_id}", TAKING_PART),
    Page("hide-question", "/moderation/questions/{question_id}/hide", MODERATORS),
    Page("restore-question", "/moderation/questions/{hidden_question_id}/restore", MODERATORS),
    Page("hide-answer", "/moderation/answers/{answer_id}/hide", MODERATORS),
    Page("restore-answer", "/moderation/answers/{hidden_answer_id}/restore", MODERATORS),
]

# Roles that can open a page but are left out of its row, and why.
SEEN_AS_ANOTHER = {
    ("admin", "review-page-own-council"): "an admin has no council: it is their review page",
    ("admin", "account-delete-errors"): "the only admin has no form: account-delete says why",
}

# GET routes with no page of their own, and why.
NOT_PAGES = {
    "/healthz": "a JSON answer for the load balancer",
    "/readyz": "a JSON answer for the load balancer: ready to take traffic",
    "/static/<path:filename>": "files, not pages",
    "/studies/<int:study_id>": "redirects to the study's address with its slug",
    "/questions/<int:question_id>": "redirects to the question's address with its slug",
    "/language/<code>": "sets the interface's language and goes back to the page it was on",
    # Open data: the API's answers are JSON and CSV; /api is the page that explains them.
    "/api/v1/studies": "JSON for programs",
    "/api/v1/studies/<int:study_id>": "JSON for programs",
    "/api/v1/studies.csv": "a CSV download",
    "/api/v1/topics": "JSON for programs",
    "/api/v1/councils": "JSON for programs",
    "/api/v1/openapi.json": "the OpenAPI description, JSON",
    "/api/v1/questions": "JSON for programs",
    "/api/v1/questions/<int:question_id>": "JSON for programs",
    # Open data: feeds and what search engines read.
    "/feeds/latest.atom": "an Atom feed, for feed readers",
    "/feeds/questions.atom": "an Atom feed, for feed readers",
    "/robots.txt": "plain text, for crawlers",
    "/sitemap.xml": "XML, for search engines",
    "/sitemaps/pages.xml": "XML, for search engines",
    f"/sitemaps/studies-<int(max={SITEMAP_PARTS}):number>.xml": "XML, for search engines",
}


def pages_for(role: str) -> list[Page]:
    return [page for page in PAGES if role in page.roles]


def cases() -> list[tuple[str, Page]]:
    """Every (role, page) pair, role by role."""
    return [(role, page) for role in ROLES for page in pages_for(role)]


# Each role's header is checked on every page whose body changes with who reads it (the board
# among them), so a page that is the same for everyone is checked signed out and signed in.
CHECKED_AS = ("visitor", "member")


def checked_cases() -> list[tuple[str, Page]]:
    """The (role, page) pairs the page checks open."""
    return [(role, page) for role, page in cases() if not page.alike or role in CHECKED_AS]


def site_config(database_url: str) -> dict:
    """The app's settings for a site built here: many sign-ins from one address are expected."""
    from tests.conftest import base_config

    return {
        **base_config(database_url),
        "LOGIN_RATE_LIMIT": "1000 per minute",
        "LOCKOUT_PER_CLIENT": "1000 per minute",
    }


def _study_url(study: CaseStudy) -> str:
    return f"/studies/{study.id}/{study.slug}"


def build_site(app) -> dict[str, str]:
    """The demo board, the people in ROLES, and a study, comment and report in each state a
    page shows; returns the values PAGES' paths are filled from."""
    with app.test_request_context():  # notifications link to pages: url_for needs a request
        load_demo_data()
        councils = {council.slug: council for council in db.session.scalars(db.select(Council))}
        cardiff, kent = councils["cardiff-council"], councils["kent-county-council"]
        demo = {user.email: user for user in db.session.scalars(db.select(User))}
        unverified = make_user(
            None, verified=False, email=EMAILS["unverified"], name="Una Verified"
        )
        # Confirmed an address on no council's domain: waits for a moderator to verify them.
        unverified.email_confirmed_at = utcnow()
        member = make_user(cardiff, email=EMAILS["member"], name="Sam Officer")
        moderator = make_user(
            kent, role=Role.MODERATOR, email=EMAILS["moderator"], name="Mo Derator"
        )
        admin = make_user(None, role=Role.ADMIN, email=EMAILS["admin"], name="Ada Admin")
        admin.verified_at = utcnow()  # as create-admin makes one: not waiting for verification
        fife_member = demo["aileen.macleod@fife.gov.uk"]
        cardiff_member = demo["gareth.price@cardiff.gov.uk"]

        published = db.select(CaseStudy).where(CaseStudy.status == Status.PUBLISHED)
        public = db.session.scalars(
            published.where(
                CaseStudy.visibility == Visibility.PUBLIC, CaseStudy.council != kent
            ).order_by(CaseStudy.published_at.desc())
        ).first()
        members_only = db.session.scalars(
            published.where(CaseStudy.visibility == Visibility.MEMBERS)
        ).first()
        discussed = db.session.scalars(
            published.where(
                CaseStudy.visibility == Visibility.PUBLIC,
                CaseStudy.council_id.not_in([cardiff.id, kent.id]),
                CaseStudy.id != public.id,
            )
        ).first()

        # Writing: a draft, one in review, one sent back, one approved, one rejected.
        draft = _write(cardiff, member, "Chatbot for council tax questions", submit=False)
        submitted = _write(cardiff, member, "Open data portal for planning applications")
        changes = _write(cardiff, member, "Text reminders for bin collections")
        studies.request_changes(changes, moderator, "Say what the reminders cost per household.")
        approved = _write(cardiff, member, "Digital skills sessions in libraries")
        studies.approve(approved, moderator)
        rejected = _write(cardiff, member, "Blockchain for parking permits")
        studies.reject(rejected, moderator, "A duplicate of an earlier study from this council.")
        # A study of the moderator's own council: the review page says someone else decides.
        kent_submitted = _write(kent, moderator, "Smart bins with fill sensors")

        # A published study with an edit waiting for review.
        revised = db.session.scalars(published.where(CaseStudy.council == cardiff)).first()
        # Its topics are loaded before the revision is made, as the edit form does: loading them
        # midway would flush a half-made revision.
        assert revised.topic_ids
        revision = studies.working_copy(revised, member)
        revision.summary = revised.summary + " Take-up doubled in the second year."
        revision.what_we_learned = (
            revised.what_we_learned + "\n\nA second year showed what a first year could not."
        )
        studies.submit_for_review(revised, member)

        # A discussion: a comment, a reply, the member's own reply (still editable) and a comment
        # a moderator hid, with reports of a comment and of a study.
        comment = discussion.post_comment(
            discussed, fife_member, "We tried something similar in Fife. **Start small.**", None
        )
        discussion.post_comment(
            discussed, cardiff_member, "Did you measure take-up by ward?", comment
        )
        own_comment = discussion.post_comment(
            discussed, member, "Thank you: we are planning the same for next year.", comment
        )
        hidden = discussion.post_comment(discussed, cardiff_member, "Buy our product!", None)
        discussion.file_report(member, comment, ReportReason.PERSONAL_DATA, "Names a resident.")
        discussion.file_report(member, public, ReportReason.OTHER, "Out of date figures.")
        discussion.file_report(fife_member, hidden, ReportReason.SPAM, "")
        discussion.hide_comment(hidden, moderator, "Advertising.", resolve_reports=True)
        # A comment on the member's newly published study: one more notification for them.
        discussion.post_comment(approved, fife_member, "Which libraries did you start in?", None)
        # Administration: council requests. One waiting for an admin, one declined; the
        # unverified person has asked for nothing, so sees the form.
        asking = make_user(None, verified=False, email="rhys.jones@anyshire.gov.uk")
        asking.name, asking.email_confirmed_at = "Rhys Jones", utcnow()
        waiting_request = council_requests.ask(
            asking, "Anyshire Council", "https://www.anyshire.gov.uk", "Digital officer"
        )
        declined_asker = make_user(None, verified=False, email="dee@othershire.gov.uk")
        declined_asker.email_confirmed_at = utcnow()
        declined_request = council_requests.ask(
            declined_asker,
            "Othershire Council",
            "https://othershire.gov.uk",
            "Cabinet member for digital",
        )
        council_requests.decline(declined_request, "We could not find this council.", admin)
        token = reset_token(unverified)
        # Administration: councils. A council that merged into another: retired.
        retired_council = make_council(
            "Former Shire District Council", domain="formershire.gov.uk", retired_at=utcnow()
        )
        db.session.commit()
        return {
            "public": _study_url(public),
            "public_id": str(public.id),
            "members": _study_url(members_only),
            "discussed": _study_url(discussed),
            "revised": _study_url(revised),
            "revised_id": str(revised.id),
            "draft": _study_url(draft),
            "draft_id": str(draft.id),
            "submitted": _study_url(submitted),
            "submitted_id": str(submitted.id),
            "changes_requested": _study_url(changes),
            "kent_submitted_id": str(kent_submitted.id),
            "comment_id": str(comment.id),
            "own_comment_id": str(own_comment.id),
            "hidden_comment_id": str(hidden.id),
            "reset_token": token,
            # Administration: council requests.
            "council_request_id": str(waiting_request.id),
            "declined_council_request_id": str(declined_request.id),
            # Administration: people: a member's page, and a suspended member's.
            **_admin_people_ids(demo),
            # Administration: councils.
            "admin_council_id": str(cardiff.id),
            "admin_retired_council_id": str(retired_council.id),
            "admin_retired_council_slug": retired_council.slug,
            # Updates.
            **_update_ids(cardiff, member, moderator, {approved.id, revised.id}),
            # Digests: the unverified person's unsubscribe link.
            "unsubscribe_token": unsubscribe_token(unverified),
            # Questions.
            **_question_ids(member, moderator, fife_member),
        }


def _question_ids(member, moderator, fife_member) -> dict[str, str]:
    """Questions: a public demo question with an answer, a members-only one with an answer a
    moderator hid, and the member's own question a moderator hid; a report of each kind."""
    from board.models import Question
    from board.questions import services as questions
    from board.questions.links import question_link
    from tests.factories import make_answer

    demo = db.select(Question).where(Question.author_id != member.id).order_by(Question.id)
    public = db.session.scalars(demo.where(Question.visibility == Visibility.PUBLIC)).first()
    members_only = db.session.scalars(
        demo.where(
            Question.visibility == Visibility.MEMBERS, Question.council_id != member.council_id
        )
    ).first()
    answer = make_answer(public, fife_member, "We tried this in Fife: **start small**.")
    hidden_answer = make_answer(members_only, member, "Buy our product!")
    questions.hide_answer(hidden_answer, moderator, "Advertising.")
    hidden = questions.ask_question(
        member, "Who sells the cheapest smart bins?", "Call me.", [1], Visibility.PUBLIC
    )
    questions.hide_question(hidden, moderator, "Advertising.")
    discussion.file_report(fife_member, public, ReportReason.OTHER, "Names a supplier.")
    discussion.file_report(member, answer, ReportReason.PERSONAL_DATA, "")
    db.session.commit()
    return {
        "question": question_link(public),
        "question_id": str(public.id),
        "members_question": question_link(members_only),
        "hidden_question": question_link(hidden),
        "hidden_question_id": str(hidden.id),
        "answer_id": str(answer.id),
        "hidden_answer_id": str(hidden_answer.id),
    }


def _update_ids(cardiff, member, moderator, busy: set[int]) -> dict[str, str]:
    """Updates: a demo study with approved updates (one changed its outcome), a Cardiff study
    to write one for, one waiting for a moderator and one sent back for changes."""
    from datetime import date

    from board.updates import services as updates

    updated = db.session.scalars(
        db.select(CaseStudy)
        .where(CaseStudy.last_update_at.is_not(None), CaseStudy.visibility == Visibility.PUBLIC)
        .order_by(CaseStudy.last_update_at.desc())
    ).first()
    others = db.session.scalars(
        db.select(CaseStudy)
        .where(
            CaseStudy.council == cardiff,
            CaseStudy.status == Status.PUBLISHED,
            CaseStudy.id.not_in(busy),
        )
        .order_by(CaseStudy.id)
    ).all()
    waiting_study, sent_back_study = others[0], others[1]
    month = date.today().replace(day=1)
    waiting = updates.submit(waiting_study, member, month, "We stopped the **pilot**.", None)
    sent_back = updates.submit(sent_back_study, member, month, "It is still going.", None)
    updates.request_changes(sent_back, moderator, "Say what changed since publication.")
    db.session.commit()
    return {
        "updated_study": _study_url(updated),
        "update_new_study_id": str(min(busy)),
        "update_waiting_id": str(waiting.id),
        "update_sent_back_study_id": str(sent_back_study.id),
        "update_sent_back_id": str(sent_back.id),
    }


def _admin_people_ids(demo: dict[str, User]) -> dict[str, str]:
    """Administration: people. A demo member, and a member whose account is suspended."""
    cardiff = demo["gareth.price@cardiff.gov.uk"].council
    suspended = make_user(
        cardiff, email="sid.suspended@cardiff.gov.uk", name="Sid Suspended", active=False
    )
    db.session.commit()
    return {
        "person_id": str(demo["gareth.price@cardiff.gov.uk"].id),
        "suspended_person_id": str(suspended.id),
    }


def _write(council, author, title: str, submit: bool = True) -> CaseStudy:
    """A study written up and (unless ``submit`` is false) submitted, as the form would."""
    study = make_study(
        council,
        author,
        status=Status.DRAFT,
        title=title,
        summary=f"{title}: what we tried, what happened and what we learned.",
        what_we_tried="We ran a **small pilot** for three months.",
        what_we_learned="Ask residents first.",
        topics=["digital-inclusion-and-connectivity", "data-and-research"],
    )
    if submit:
        studies.submit_for_review(study, author)
    return study


def path_of(page: Page, values: dict[str, str]) -> str:
    return page.path.format(**values)


def sign_in(context: BrowserContext, base_url: str, role: str) -> None:
    """Give ``context`` a session as ``role`` through the sign-in form's own POST (a visitor
    stays signed out)."""
    if role == "visitor":
        return
    form = context.request.get(base_url + "/auth/login")
    token = csrf_token_from(form.text())
    answer = context.request.post(
        base_url + "/auth/login",
        form={"email": EMAILS[role], "password": PASSWORD, "csrf_token": token},
        max_redirects=0,
    )
    assert answer.status == 302, f"{role} could not sign in: {answer.status}"


@contextmanager
def serve(app) -> Iterator[str]:
    """Serve ``app`` from a thread on a free loopback port; yield its address."""
    server = make_server("127.0.0.1", 0, BufferedResponses(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()
