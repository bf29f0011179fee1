"""The authorisation matrix: every route of the app, for every role, with the expected answer.

A route added to the app without a row here fails test_every_route_has_a_row. Drafts and
members-only studies answer 404 (not 403) to those who may not see them, so their existence
does not leak; pages that need an account send visitors to sign in (302). A form posted by
someone whose session has ended answers 401 with their text kept (see board/errors.py).
"""

from __future__ import annotations

from datetime import date

import pytest

from board.extensions import db
from board.models import (
    Comment,
    CouncilRequest,
    Report,
    RevisionStatus,
    Status,
    StudyUpdate,
    Visibility,
)
from board.models.base import utcnow
from tests.conftest import csrf_token_from
from tests.factories import ROLES, make_answer, make_question, make_study, make_user

OK, MOVED, FOUND, BAD, UNAUTHORISED, FORBIDDEN, MISSING, INVALID = (
    200,
    301,
    302,
    400,
    401,
    403,
    404,
    422,
)

# Who is who: see the world fixture in conftest.py. "author" and "colleague" belong to the
# council that wrote the studies; "outsider" and "moderator" to another council.
EVERYONE = dict.fromkeys(ROLES, OK)


def answers(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


SIGNED_IN_ONLY = answers(OK, visitor=FOUND)
MODERATORS_ONLY = answers(FORBIDDEN, visitor=FOUND, moderator=OK, admin=OK)
ADMINS_ONLY = answers(FORBIDDEN, visitor=FOUND, admin=OK)
# Seen by everyone signed in and verified, and moderators: members-only content.
MEMBERS = answers(OK, visitor=MISSING, unverified=MISSING)
# A draft: its council's members only.
COUNCIL_ONLY = answers(MISSING, author=OK, colleague=OK)

# (method, rule) -> (path template, form data, expected answer per role). Paths are filled from
# the studies made by the ``places`` fixture.
MATRIX = {
    ("GET", "/"): ("/", None, EVERYONE),
    ("GET", "/healthz"): ("/healthz", None, EVERYONE),
    ("GET", "/readyz"): ("/readyz", None, EVERYONE),
    # The statement and notices linked from every page's footer.
    ("GET", "/accessibility"): ("/accessibility", None, EVERYONE),
    ("GET", "/privacy"): ("/privacy", None, EVERYONE),
    ("GET", "/cookies"): ("/cookies", None, EVERYONE),
    ("GET", "/contact"): ("/contact", None, EVERYONE),
    # The header's language switch: anyone, back to the page (303); signed in, a POST.
    ("GET", "/language/<code>"): ("/language/cy?next=/", None, answers(303)),
    ("POST", "/language/<code>"): ("/language/cy", {"next": "/"}, answers(303)),
    ("GET", "/static/<path:filename>"): ("/static/css/app.css", None, EVERYONE),
    ("GET", "/topics/<slug>"): ("/topics/cyber-security", None, EVERYONE),
    ("GET", "/councils/<slug>"): ("/councils/{council}", None, EVERYONE),
    # The id alone redirects to the address with the title's slug.
    ("GET", "/studies/<int:study_id>"): ("/studies/{published}", None, answers(MOVED)),
    ("GET", "/studies/<int:study_id>/<slug>"): ("/studies/{members}/{members_slug}", None, MEMBERS),
    # A council's own studies: not for accounts without a council.
    ("GET", "/studies/mine"): (
        "/studies/mine",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("GET", "/studies/new"): (
        "/studies/new",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN, moderator=OK, admin=FORBIDDEN),
    ),
    ("POST", "/studies/new"): (
        "/studies/new",
        {},
        answers(INVALID, visitor=UNAUTHORISED, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("POST", "/studies/preview"): (
        "/studies/preview",
        {"text": "*hi*"},
        answers(OK, visitor=FORBIDDEN, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("GET", "/studies/<int:study_id>/edit"): (
        "/studies/{draft}/edit",
        None,
        answers(MISSING, visitor=FOUND, author=OK, colleague=OK),
    ),
    ("POST", "/studies/<int:study_id>/edit"): (
        "/studies/{draft}/edit",
        {},
        answers(MISSING, visitor=UNAUTHORISED, author=INVALID, colleague=INVALID),
    ),
    ("POST", "/studies/<int:study_id>/submit"): (
        "/studies/{draft}/submit",
        {},
        answers(MISSING, author=FOUND, colleague=FOUND),
    ),
    # A study in review is seen by its council and moderators only.
    ("POST", "/studies/<int:study_id>/withdraw"): (
        "/studies/{submitted}/withdraw",
        {},
        answers(MISSING, author=FOUND, colleague=FOUND, moderator=FORBIDDEN, admin=FORBIDDEN),
    ),
    # Open data: feeds, sitemap and robots.
    ("GET", "/feeds/latest.atom"): ("/feeds/latest.atom?topic=cyber-security", None, EVERYONE),
    ("GET", "/feeds/questions.atom"): (
        "/feeds/questions.atom?topic=cyber-security",
        None,
        EVERYONE,
    ),
    ("GET", "/robots.txt"): ("/robots.txt", None, EVERYONE),
    ("GET", "/sitemap.xml"): ("/sitemap.xml", None, EVERYONE),
    ("GET", "/sitemaps/pages.xml"): ("/sitemaps/pages.xml", None, EVERYONE),
    ("GET", "/sitemaps/studies-<int(max=42950):number>.xml"): (
        "/sitemaps/studies-1.xml",
        None,
        EVERYONE,
    ),
    # Administration: admins only.
    ("GET", "/admin"): ("/admin", None, ADMINS_ONLY),
    # Administration: councils.
    ("GET", "/admin/councils"): ("/admin/councils", None, ADMINS_ONLY),
    ("GET", "/admin/councils/new"): ("/admin/councils/new", None, ADMINS_ONLY),
    # An empty form: the admin is shown what is missing.
    ("POST", "/admin/councils/new"): (
        "/admin/councils/new",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("GET", "/admin/councils/<int:council_id>/edit"): (
        "/admin/councils/{council_id}/edit",
        None,
        ADMINS_ONLY,
    ),
    ("POST", "/admin/councils/<int:council_id>/edit"): (
        "/admin/councils/{council_id}/edit",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("GET", "/admin/councils/<int:council_id>/retire"): (
        "/admin/councils/{council_id}/retire",
        None,
        ADMINS_ONLY,
    ),
    ("POST", "/admin/councils/<int:council_id>/retire"): (
        "/admin/councils/{council_id}/retire",
        {"reason": "Merged"},
        answers(FORBIDDEN, visitor=FOUND, admin=FOUND),
    ),
    ("POST", "/admin/councils/<int:council_id>/reinstate"): (
        "/admin/councils/{council_id}/reinstate",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=FOUND),
    ),
    ("GET", "/admin/councils/import"): ("/admin/councils/import", None, ADMINS_ONLY),
    # No file: the admin is asked for one.
    ("POST", "/admin/councils/import"): (
        "/admin/councils/import",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    # Administration: council requests.
    ("GET", "/admin/council-requests"): ("/admin/council-requests", None, ADMINS_ONLY),
    ("GET", "/admin/council-requests/<int:request_id>"): (
        "/admin/council-requests/{council_request}",
        None,
        ADMINS_ONLY,
    ),
    # An empty decision is refused with the form again (422); only admins get that far.
    ("POST", "/admin/council-requests/<int:request_id>/approve"): (
        "/admin/council-requests/{council_request}/approve",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("POST", "/admin/council-requests/<int:request_id>/join"): (
        "/admin/council-requests/{council_request}/join",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("POST", "/admin/council-requests/<int:request_id>/decline"): (
        "/admin/council-requests/{council_request}/decline",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    # Asking for one's council: people without one (the world's unverified person has not
    # confirmed their address yet, so is told to; sending the form is refused until then).
    ("GET", "/account/council-request"): (
        "/account/council-request",
        None,
        answers(FORBIDDEN, visitor=FOUND, unverified=OK),
    ),
    ("POST", "/account/council-request"): (
        "/account/council-request",
        {},
        answers(FORBIDDEN, visitor=FOUND),
    ),
    # Administration: people.
    ("GET", "/admin/people"): ("/admin/people", None, ADMINS_ONLY),
    ("GET", "/admin/people/<int:user_id>"): ("/admin/people/{waiting}", None, ADMINS_ONLY),
    # Forms sent empty: an admin is shown what is missing (restoring an account that is not
    # suspended is refused with a message on the person's page).
    ("POST", "/admin/people/<int:user_id>/role"): (
        "/admin/people/{waiting}/role",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("POST", "/admin/people/<int:user_id>/council"): (
        "/admin/people/{waiting}/council",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("POST", "/admin/people/<int:user_id>/suspend"): (
        "/admin/people/{waiting}/suspend",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    ("POST", "/admin/people/<int:user_id>/restore"): (
        "/admin/people/{waiting}/restore",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=FOUND),
    ),
    # Administration: topics.
    ("GET", "/admin/topics"): ("/admin/topics", None, ADMINS_ONLY),
    ("GET", "/admin/topics/<slug>/edit"): ("/admin/topics/cyber-security/edit", None, ADMINS_ONLY),
    ("POST", "/admin/topics/<slug>/edit"): (
        "/admin/topics/cyber-security/edit",
        {},
        answers(FORBIDDEN, visitor=FOUND, admin=INVALID),
    ),
    # Open data: the API.
    ("GET", "/api"): ("/api", None, EVERYONE),
    ("GET", "/api/v1/studies"): ("/api/v1/studies?topic=data-and-research", None, EVERYONE),
    ("GET", "/api/v1/studies/<int:study_id>"): ("/api/v1/studies/{published}", None, EVERYONE),
    ("GET", "/api/v1/studies.csv"): ("/api/v1/studies.csv", None, EVERYONE),
    ("GET", "/api/v1/topics"): ("/api/v1/topics", None, EVERYONE),
    ("GET", "/api/v1/councils"): ("/api/v1/councils", None, EVERYONE),
    ("GET", "/api/v1/openapi.json"): ("/api/v1/openapi.json", None, EVERYONE),
    ("GET", "/api/v1/questions"): ("/api/v1/questions?topic=data-and-research", None, EVERYONE),
    ("GET", "/api/v1/questions/<int:question_id>"): (
        "/api/v1/questions/{question}",
        None,
        EVERYONE,
    ),
    # Moderation.
    ("GET", "/moderation"): ("/moderation", None, MODERATORS_ONLY),
    ("GET", "/moderation/log"): ("/moderation/log", None, MODERATORS_ONLY),
    ("GET", "/moderation/members"): ("/moderation/members", None, MODERATORS_ONLY),
    ("POST", "/moderation/members/<int:user_id>/verify"): (
        "/moderation/members/{waiting}/verify",
        {"council": "{council_id}"},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    # The review page and its one decision form.
    ("GET", "/moderation/studies/<int:study_id>"): (
        "/moderation/studies/{submitted}",
        None,
        MODERATORS_ONLY,
    ),
    ("POST", "/moderation/studies/<int:study_id>/decision"): (
        "/moderation/studies/{submitted}/decision",
        {"decision": "approve"},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    (
        "POST",
        "/moderation/studies/<int:study_id>/"
        "<any(approve, 'request-changes', reject, unpublish):decision>",
    ): (
        "/moderation/studies/{submitted}/approve",
        {},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    # Discussion: verified members (and moderators) of any council; an ended session keeps the
    # comment's text (401).
    ("POST", "/studies/<int:study_id>/comments"): (
        "/studies/{published}/comments",
        {"body": "Useful, thanks"},
        answers(FOUND, visitor=UNAUTHORISED, unverified=FORBIDDEN),
    ),
    ("GET", "/comments/<int:comment_id>/reply"): (
        "/comments/{comment}/reply",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN),
    ),
    # A comment is edited by its author only (the author's, here).
    ("GET", "/comments/<int:comment_id>/edit"): (
        "/comments/{comment}/edit",
        None,
        answers(FORBIDDEN, visitor=FOUND, author=OK),
    ),
    ("GET", "/comments/<int:comment_id>/delete"): (
        "/comments/{comment}/delete",
        None,
        answers(FORBIDDEN, visitor=FOUND, author=OK),
    ),
    ("POST", "/comments/<int:comment_id>/edit"): (
        "/comments/{comment}/edit",
        {"body": "Edited"},
        answers(FORBIDDEN, visitor=FOUND, author=FOUND),
    ),
    ("POST", "/comments/<int:comment_id>/delete"): (
        "/comments/{comment}/delete",
        {},
        answers(FORBIDDEN, visitor=FOUND, author=FOUND),
    ),
    # Reactions speak for a council: verified members only.
    ("POST", "/studies/<int:study_id>/useful"): (
        "/studies/{published}/useful",
        {},
        answers(FOUND, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("POST", "/studies/<int:study_id>/tried-too"): (
        "/studies/{published}/tried-too",
        {},
        answers(FOUND, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("GET", "/reports/new"): (
        "/reports/new?target=study:{published}",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN),
    ),
    ("POST", "/reports"): (
        "/reports",
        {"target": "study:{published}", "reason": "spam"},
        answers(FOUND, unverified=FORBIDDEN),
    ),
    ("GET", "/moderation/reports"): ("/moderation/reports", None, MODERATORS_ONLY),
    ("POST", "/moderation/reports/<int:report_id>/resolve"): (
        "/moderation/reports/{report}/resolve",
        {},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    ("GET", "/moderation/comments/<int:comment_id>/<any(hide, restore):action>"): (
        "/moderation/comments/{comment}/hide",
        None,
        MODERATORS_ONLY,
    ),
    ("POST", "/moderation/comments/<int:comment_id>/<any(hide, restore):action>"): (
        "/moderation/comments/{comment}/hide",
        {"reason": "Off topic"},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    ("GET", "/notifications"): ("/notifications", None, SIGNED_IN_ONLY),
    ("POST", "/notifications/preferences"): ("/notifications/preferences", {}, answers(FOUND)),
    ("POST", "/notifications/read"): ("/notifications/read", {}, answers(FOUND)),
    ("GET", "/auth/login"): ("/auth/login", None, answers(FOUND, visitor=OK)),
    ("POST", "/auth/login"): ("/auth/login", {}, answers(FOUND, visitor=INVALID)),
    ("GET", "/auth/register"): ("/auth/register", None, answers(FOUND, visitor=OK)),
    ("POST", "/auth/register"): ("/auth/register", {}, answers(FOUND, visitor=INVALID)),
    ("POST", "/auth/logout"): ("/auth/logout", {}, answers(FOUND)),
    ("GET", "/auth/reset"): ("/auth/reset", None, EVERYONE),
    ("POST", "/auth/reset"): ("/auth/reset", {"email": "a@b.example"}, EVERYONE),
    ("GET", "/auth/reset/<token>"): ("/auth/reset/not-a-token", None, answers(BAD)),
    ("POST", "/auth/reset/<token>"): ("/auth/reset/not-a-token", {}, answers(BAD)),
    ("GET", "/auth/check-email"): ("/auth/check-email", None, EVERYONE),
    ("GET", "/auth/confirm/<token>"): ("/auth/confirm/not-a-token", None, answers(BAD)),
    ("POST", "/auth/confirm/resend"): ("/auth/confirm/resend", {}, answers(FOUND)),
    # Your account: the devices signed in as you, and your password.
    ("GET", "/account"): ("/account", None, SIGNED_IN_ONLY),
    ("POST", "/account/sessions/sign-out-others"): (
        "/account/sessions/sign-out-others",
        {},
        answers(FOUND),
    ),
    ("GET", "/account/password"): ("/account/password", None, SIGNED_IN_ONLY),
    ("POST", "/account/password"): ("/account/password", {}, answers(INVALID, visitor=FOUND)),
    # Your account: profile, email address, preferences, your data, and deleting the account.
    ("GET", "/account/profile"): ("/account/profile", None, SIGNED_IN_ONLY),
    ("POST", "/account/profile"): ("/account/profile", {}, answers(INVALID, visitor=FOUND)),
    ("GET", "/account/email"): ("/account/email", None, SIGNED_IN_ONLY),
    ("POST", "/account/email"): ("/account/email", {}, answers(INVALID, visitor=FOUND)),
    # The emailed link works signed in or not, as the registration link does.
    ("GET", "/account/email/confirm/<token>"): (
        "/account/email/confirm/not-a-token",
        None,
        answers(BAD),
    ),
    ("GET", "/account/preferences"): ("/account/preferences", None, SIGNED_IN_ONLY),
    ("POST", "/account/preferences"): ("/account/preferences", {}, answers(FOUND)),
    ("GET", "/account/data"): ("/account/data", None, SIGNED_IN_ONLY),
    ("POST", "/account/data"): ("/account/data", {}, SIGNED_IN_ONLY),
    ("GET", "/account/delete"): ("/account/delete", None, SIGNED_IN_ONLY),
    # The only admin may not leave the service without one (409).
    ("POST", "/account/delete"): (
        "/account/delete",
        {},
        answers(INVALID, visitor=FOUND, admin=409),
    ),
    ("GET", "/account/deleted"): ("/account/deleted", None, EVERYONE),
    # Follow-up prompts: "What happened next?", for the study's council's verified members.
    ("GET", "/studies/<int:study_id>/follow-up"): (
        "/studies/{published}/follow-up",
        None,
        answers(FORBIDDEN, visitor=FOUND, author=OK, colleague=OK),
    ),
    ("POST", "/studies/<int:study_id>/follow-up/no-change"): (
        "/studies/{published}/follow-up/no-change",
        {},
        answers(FORBIDDEN, visitor=FOUND, author=FOUND, colleague=FOUND),
    ),
    # Follows: anyone signed in with a confirmed address ("unverified" has not confirmed theirs);
    # a study only once published, and only by those who may read it.
    ("POST", "/follows"): (
        "/follows",
        {"target": "study:{published}"},
        answers(FOUND, unverified=FORBIDDEN),
    ),
    # Someone's own follows only: anyone else's answer as if there were none.
    ("POST", "/follows/<int:follow_id>/delete"): (
        "/follows/999999/delete",
        {},
        answers(MISSING, visitor=FOUND),
    ),
    ("GET", "/account/following"): ("/account/following", None, SIGNED_IN_ONLY),
    ("POST", "/account/following"): (
        "/account/following",
        {"frequency": "daily"},
        answers(FOUND),
    ),
    ("POST", "/account/following/<int:follow_id>/name"): (
        "/account/following/999999/name",
        {},
        answers(MISSING, visitor=FOUND),
    ),
    ("GET", "/account/following/search"): (
        "/account/following/search?outcome=did-not-work",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN),
    ),
    ("POST", "/account/following/search"): (
        "/account/following/search?outcome=did-not-work",
        {"name": "Failures"},
        answers(FOUND, visitor=UNAUTHORISED, unverified=FORBIDDEN),
    ),
    # Updates ("six months on"): the study's council writes them; a members-only study's are
    # not found by those who may not read it. The update is one sent back for changes.
    ("GET", "/studies/<int:study_id>/updates/new"): (
        "/studies/{published}/updates/new",
        None,
        answers(FORBIDDEN, visitor=FOUND, author=OK, colleague=OK),
    ),
    ("POST", "/studies/<int:study_id>/updates/new"): (
        "/studies/{published}/updates/new",
        {},
        answers(FORBIDDEN, visitor=UNAUTHORISED, author=INVALID, colleague=INVALID),
    ),
    ("GET", "/studies/<int:study_id>/updates/<int:update_id>/edit"): (
        "/studies/{members}/updates/{update}/edit",
        None,
        answers(FORBIDDEN, visitor=MISSING, unverified=MISSING, author=OK, colleague=OK),
    ),
    ("POST", "/studies/<int:study_id>/updates/<int:update_id>/edit"): (
        "/studies/{members}/updates/{update}/edit",
        {},
        answers(FORBIDDEN, visitor=MISSING, unverified=MISSING, author=INVALID, colleague=INVALID),
    ),
    ("POST", "/studies/<int:study_id>/updates/<int:update_id>/withdraw"): (
        "/studies/{members}/updates/{update}/withdraw",
        {},
        answers(FORBIDDEN, visitor=FOUND, unverified=MISSING, author=FOUND, colleague=FOUND),
    ),
    ("GET", "/moderation/updates/<int:update_id>"): (
        "/moderation/updates/{update}",
        None,
        MODERATORS_ONLY,
    ),
    ("POST", "/moderation/updates/<int:update_id>/decision"): (
        "/moderation/updates/{update}/decision",
        {},
        answers(FORBIDDEN, visitor=FOUND, moderator=INVALID, admin=INVALID),
    ),
    # Questions: anyone reads public ones; verified members of a council ask; members-only
    # ones are not found by those who may not see them.
    ("GET", "/questions"): ("/questions?topic=cyber-security", None, EVERYONE),
    ("GET", "/questions/new"): (
        "/questions/new",
        None,
        answers(OK, visitor=FOUND, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("POST", "/questions/new"): (
        "/questions/new",
        {},
        answers(INVALID, visitor=UNAUTHORISED, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    # The id alone redirects to the address with the question's slug.
    ("GET", "/questions/<int:question_id>"): ("/questions/{question}", None, answers(MOVED)),
    ("GET", "/questions/<int:question_id>/<slug>"): (
        "/questions/{members_question}/{members_question_slug}",
        None,
        MEMBERS,
    ),
    # Hiding and restoring questions and answers: moderators, not of the writer's council (the
    # question and the answer are the "here" council's; the moderator is from "there").
    ("GET", "/moderation/questions/<int:question_id>/<any(hide, restore):action>"): (
        "/moderation/questions/{question}/hide",
        None,
        MODERATORS_ONLY,
    ),
    ("POST", "/moderation/questions/<int:question_id>/<any(hide, restore):action>"): (
        "/moderation/questions/{question}/hide",
        {"reason": "Off topic"},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    ("GET", "/moderation/answers/<int:answer_id>/<any(hide, restore):action>"): (
        "/moderation/answers/{answer}/hide",
        None,
        MODERATORS_ONLY,
    ),
    ("POST", "/moderation/answers/<int:answer_id>/<any(hide, restore):action>"): (
        "/moderation/answers/{answer}/hide",
        {"reason": "Off topic"},
        answers(FORBIDDEN, visitor=FOUND, moderator=FOUND, admin=FOUND),
    ),
    # Answers: verified members of a council answer (an ended session keeps the text: 401);
    # the asker's council marks "This helped" (not the answerer's own answer, here the
    # outsider's); only the answer's author writes it up as a case study.
    ("POST", "/questions/<int:question_id>/answers"): (
        "/questions/{question}/answers",
        {"body": "We tried this"},
        answers(FOUND, visitor=UNAUTHORISED, unverified=FORBIDDEN, admin=FORBIDDEN),
    ),
    ("POST", "/questions/<int:question_id>/answers/<int:answer_id>/helpful"): (
        "/questions/{question}/answers/{outsider_answer}/helpful",
        {},
        answers(FORBIDDEN, visitor=FOUND, author=FOUND, colleague=FOUND),
    ),
    ("POST", "/questions/<int:question_id>/answers/<int:answer_id>/write-up"): (
        "/questions/{question}/answers/{outsider_answer}/write-up",
        {},
        answers(FORBIDDEN, visitor=FOUND, outsider=FOUND),
    ),
    # Digests: the signed token is the authority, signed in or not; a bad one is not found.
    ("GET", "/unsubscribe/<token>"): ("/unsubscribe/not-a-token", None, answers(MISSING)),
    ("POST", "/unsubscribe/<token>"): ("/unsubscribe/not-a-token", {}, answers(MISSING)),
}

# POST routes a mail client posts to without cookies or a CSRF token (RFC 8058 one-click
# unsubscribe): the signed token in the path is the authority (tests/digests).
CSRF_EXEMPT = {"/unsubscribe/<token>"}


@pytest.fixture
def places(app, world):
    """Studies of the world's "here" council in each state that matters, and who to verify."""
    with app.app_context():
        author = world.people.author
        studies = {
            "published": make_study(world.here, author),
            "members": make_study(world.here, author, visibility=Visibility.MEMBERS),
            "draft": make_study(world.here, author, status=Status.DRAFT),
            "submitted": make_study(world.here, author, status=Status.SUBMITTED),
        }
        db.session.commit()
        comment = Comment(case_study_id=studies["published"].id, author_id=author.id, body="Hi")
        db.session.add(comment)
        db.session.flush()
        report = Report(
            reporter_id=world.people.outsider.id,
            target_type="comment",
            target_id=comment.id,
            reason="spam",
        )
        db.session.add(report)
        # Confirmed their address, which is on no council's domain: waits for a moderator.
        waiting = make_user(None, verified=False)
        waiting.email_confirmed_at = utcnow()
        # Administration: council requests. A request waiting for an admin.
        asking = make_user(None, verified=False, name="Rhys Requester")
        asking.email_confirmed_at = utcnow()
        council_request = CouncilRequest(
            requester_id=asking.id,
            council_name="Anyshire Council",
            website="https://www.anyshire.gov.uk",
            requester_role="Digital officer",
            email_domain="example.org",
        )
        db.session.add(council_request)
        # Updates: one of the members-only study, sent back to its council for changes.
        study_update = StudyUpdate(
            study_id=studies["members"].id,
            author_id=author.id,
            happened_on=date(2026, 3, 1),
            body="We switched it off.",
            status=RevisionStatus.CHANGES_REQUESTED,
            decision_note="Say why.",
        )
        db.session.add(study_update)
        # Questions: a public one and a members-only one from "here", and an answer.
        question = make_question(author, "Has any council tried this?", topics=["cyber-security"])
        members_question = make_question(
            author, "A members-only question?", visibility=Visibility.MEMBERS
        )
        # Its answers: a colleague's (moderated from "there"), and the outsider's, which the
        # author's council marks "This helped" and only the outsider writes up.
        answer = make_answer(question, world.people.colleague)
        outsider_answer = make_answer(question, world.people.outsider)
        db.session.commit()
        values = {name: study.id for name, study in studies.items()}
        values.update(
            question=question.id,
            members_question=members_question.id,
            members_question_slug="a-members-only-question",
            answer=answer.id,
            outsider_answer=outsider_answer.id,
        )
        values.update(
            members_slug=studies["members"].slug,
            council=world.here.slug,
            council_id=world.here.id,
            waiting=waiting.id,
            comment=comment.id,
            report=report.id,
            council_request=council_request.id,
            update=study_update.id,
        )
        return values


def test_every_route_has_a_row(app):
    routes = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert routes - MATRIX.keys() == set(), "routes without a row in the authorisation matrix"
    assert MATRIX.keys() - routes == set(), "rows for routes that no longer exist"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "rule"), list(MATRIX))
def test_who_may_do_what(client, as_role, places, role, method, rule):
    template, data, expected = MATRIX[(method, rule)]
    as_role(role)
    path = template.format(**places)
    if method == "GET":
        response = client.get(path)
    else:
        token = csrf_token_from(client.get("/").get_data(as_text=True))
        form = {key: value.format(**places) for key, value in data.items()}
        response = client.post(path, data={"csrf_token": token, **form})
    response.close()  # a static file's response holds the file open
    assert response.status_code == expected[role], (
        f"{method} {path} as {role}: {response.status_code}, expected {expected[role]}"
    )


# The role that may use each state-changing route, so that only the token can refuse it.
ALLOWED_FIRST = ["author", "moderator", "admin", "outsider", "visitor"]


def _tables_snapshot(app) -> dict[str, int]:
    from sqlalchemy import func, select, text

    with app.app_context():
        counts = {
            table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables
        }
        counts["board_version"] = db.session.scalar(text("SELECT version FROM board_version"))
        return counts


@pytest.mark.parametrize(
    "rule", [rule for method, rule in MATRIX if method == "POST" and rule not in CSRF_EXEMPT]
)
def test_every_state_change_needs_a_csrf_token(app, client, as_role, places, rule):
    """Every POST route in the app (test_every_route_has_a_row keeps the list complete) refuses
    a request without a valid token, as someone allowed to use it, and changes nothing."""
    template, data, expected = MATRIX[("POST", rule)]
    role = next(role for role in ALLOWED_FIRST if expected[role] not in (FORBIDDEN, MISSING))
    as_role(role)
    path = template.format(**places)
    form = {key: value.format(**places) for key, value in data.items()}
    before = _tables_snapshot(app)
    for token in (None, "not-the-token"):
        sent = dict(form) if token is None else {**form, "csrf_token": token}
        response = client.post(path, data=sent)
        assert response.status_code == 400, f"POST {path} as {role}: {response.status_code}"
        htmx = client.post(path, data=form, headers={"HX-Request": "true", "X-CSRFToken": "x"})
        assert htmx.status_code == 400
    assert _tables_snapshot(app) == before


# The routes whose blueprint checks who may come in before any view runs.
GUARDED = ("/admin", "/moderation")


@pytest.mark.parametrize(
    "rule", [rule for method, rule in MATRIX if method == "POST" and rule.startswith(GUARDED)]
)
def test_a_refused_token_shows_nobody_a_page_they_may_not_open(app, client, as_role, places, rule):
    """A form posted with a bad token is shown again with what was typed, to someone who may
    use it; to anyone else (a member posting to an admin's form, a visitor to a moderator's) the
    answer says only that the session expired: the form's page, with whatever it shows about
    its target, is not theirs to see. (The token is checked before the blueprint's own check of
    who may come in; that check still runs before the form is shown again.)"""
    template, data, expected = MATRIX[("POST", rule)]
    refused = [role for role in ROLES if expected[role] in (FOUND, FORBIDDEN, MISSING)]
    path = template.format(**places)
    form = {key: value.format(**places) for key, value in data.items()}
    for role in refused:
        as_role(role)
        response = client.post(path, data={**form, "csrf_token": "not-the-token"})
        html = response.get_data(as_text=True)
        assert response.status_code == 400, f"POST {path} as {role}: {response.status_code}"
        assert "Your session expired" in html, f"POST {path} as {role} showed its page"
        client.post("/auth/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
