"""Found and shared: /robots.txt, /sitemap.xml and its parts, and the tags that describe a page
to search engines and to the link previews of Teams, Slack and social media (meta.py)."""

from flask import Blueprint

bp = Blueprint("seo", __name__)

from board.seo import meta, routes  # noqa: E402, F401
