"""Parts of the study page drawn once for what they show, and reused: the study's facts and
sections (templates/macros/studies.html), the related studies (case_studies/_related.html) and
a visitor's "follow" control (follows/_study_follow.html).

Each part is a function of a few values and of the interface's language, so it is kept under a
key made of every value it shows (listed with each key below, read from the same attributes the
template reads) and the application's root (its links): an edit, a new outcome, a renamed
council or topic, a language switch is a new key, drawn afresh. Nothing needs invalidating.
The first two do not depend on who is looking: who may read the study and which related studies
they may see were decided before (load_study, board/related.py), and the related studies' values
are part of that part's key, so a visitor's list and a member's are different keys. The follow
control is kept only as a visitor sees it (a link to sign in, the same for every visitor); a
member's is drawn for them on every request.

The stores are per application (so per process) and bounded: when one holds MAX_DRAWN entries it
is emptied and filled again. tests/case_studies/test_drawn.py holds each part to what its
template draws.
"""

from __future__ import annotations

from flask import current_app, request
from flask_login import current_user
from markupsafe import Markup

from board.i18n import current_language
from board.models import CaseStudy

# A study's facts and sections are a few kilobytes: a few tens of megabytes a worker at most.
MAX_DRAWN = 2048


def _store(name: str) -> dict:
    return current_app.extensions.setdefault(name, {})


def _keep(store: dict, key: tuple, draw) -> Markup:
    html = store.get(key)
    if html is None:
        html = Markup(draw())  # noqa: S704  (drawn by a template)
        if len(store) >= MAX_DRAWN:
            store.clear()
        store[key] = html
    return html


def facts_key(study: CaseStudy) -> tuple:
    """Everything study_facts(study) shows: the council (its page's slug and its name), the
    outcome, the topics (slugs and names, in the interface's language), the dates, the cost,
    who may read it, its writer's name and job title (if shown) and when it was published."""
    council = study.council
    author = study.author
    return (
        (council.slug, council.name) if council else None,
        study.outcome,
        tuple((topic.slug, topic.name) for topic in study.topics),
        study.started_on,
        study.ended_on,
        study.cost_band,
        study.visibility,
        (author.name, author.show_job_title, author.job_title),
        study.published_at,
    )


def sections_key(study: CaseStudy) -> tuple:
    """Everything study_sections(study) shows: the language the study is written in and each
    section's HTML (None for an empty section)."""
    return (
        study.language,
        tuple(
            str(study.rendered(field)) if getattr(study, field) else None
            for field, _heading in study.SECTIONS
        ),
    )


def study_facts_and_sections(study: CaseStudy) -> tuple[Markup, Markup]:
    """study_facts(study) and study_sections(study), as the study page draws them."""
    shared = (current_language(), request.script_root)
    macros = None

    def module():
        nonlocal macros
        if macros is None:
            macros = current_app.jinja_env.get_template("macros/studies.html").module
        return macros

    facts = _keep(
        _store("drawn_study_facts"),
        (*shared, facts_key(study)),
        lambda: module().study_facts(study),
    )
    sections = _keep(
        _store("drawn_study_sections"),
        (*shared, sections_key(study)),
        lambda: module().study_sections(study),
    )
    return facts, sections


def related_section(related: list) -> Markup:
    """case_studies/_related.html for ``related`` (board/related.py RelatedStudy values: all
    that the section shows of each)."""
    key = (current_language(), request.script_root, tuple(related))
    template = "case_studies/_related.html"
    return _keep(
        _store("drawn_related_section"),
        key,
        lambda: current_app.jinja_env.get_template(template).render(related=related),
    )


def visitor_follow_control(study: CaseStudy) -> Markup:
    """follows/_study_follow.html as a visitor (anyone not signed in) sees it: its key is the
    study's address (id and slug), the application's root and the interface's language."""
    if current_user.is_authenticated:
        raise ValueError("drawn only for visitors")
    key = (current_language(), request.script_root, study.id, study.slug, study.is_published)
    template = "follows/_study_follow.html"
    return _keep(
        _store("drawn_visitor_follow"),
        key,
        lambda: current_app.jinja_env.get_template(template).render(
            study=study, current_user=current_user
        ),
    )


STORES = (
    "drawn_study_facts",
    "drawn_study_sections",
    "drawn_related_section",
    "drawn_visitor_follow",
)


def forget_drawn() -> None:
    """Empty this application's stores (tests use it)."""
    for name in STORES:
        current_app.extensions.pop(name, None)
