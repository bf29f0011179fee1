"""GET, POST /unsubscribe/<token>: one-click unsubscribe from digests, without signing in.

GET shows a button and changes nothing (mail scanners follow links); POST unsubscribes. A mail
client's one-click (RFC 8058) posts ``List-Unsubscribe=One-Click`` with no cookies and no CSRF
token, so this one view is exempt from CSRF: the signed token is the authority. Links that do
not work are rate limited by network address (guessing is what a limit can slow); good ones are
neither counted nor refused, since a mail provider posts many members' one-clicks (and stale
links) from the same few addresses.
"""

from flask import current_app, render_template, request

from board.digests import bp, services
from board.extensions import csrf, db, limiter


def _unsubscribe_limit() -> str:
    return current_app.config["UNSUBSCRIBE_RATE_LIMIT"]


def _link_works() -> bool:
    # Checked before the limit: a link that works is let through however many did not.
    return services.user_for_unsubscribe(request.view_args["token"]) is not None


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@limiter.limit(
    _unsubscribe_limit,
    deduct_when=lambda response: response.status_code == 404,
    exempt_when=_link_works,
)
@csrf.exempt
def unsubscribe(token: str):
    user = services.user_for_unsubscribe(token)
    if user is None:
        return render_template("digests/unsubscribe_failed.html"), 404
    if request.method == "POST":
        services.unsubscribe(user)
        db.session.commit()
        return render_template("digests/unsubscribed.html")
    return render_template("digests/unsubscribe.html", token=token, email=user.email)
