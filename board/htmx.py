"""One URL, two responses: the whole page, or only the block HTMX swaps; and, for a swap, where
focus goes and what is announced."""

from __future__ import annotations

import json

from flask import make_response, request
from jinja2_fragments.flask import render_block


def is_htmx_request() -> bool:
    """True for HTMX requests, except history restores, which need the whole page."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def render_page_or_block(template: str, block: str, **context):
    """Render ``template`` whole, or just ``block`` of it for HTMX; caches keep them apart."""
    from flask import render_template

    if is_htmx_request():
        body = render_block(template, block, **context)
    else:
        body = render_template(template, **context)
    response = make_response(body)
    response.vary.add("HX-Request")
    return response


def after_swap(body: str, focus: str, announce: str = ""):
    """An htmx answer that also says, in its HX-Trigger-After-Settle header, which element takes
    focus once the answer is in place (a CSS selector) and what the live region announces.
    static/js/app.js acts on it; the server decides, since only it knows what the answer was."""
    response = make_response(body)
    detail = {"focus": focus, "announce": announce}
    # ASCII JSON: a header carries no other characters safely.
    response.headers["HX-Trigger-After-Settle"] = json.dumps({"app:swapped": detail})
    return response
