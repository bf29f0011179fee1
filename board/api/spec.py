"""The OpenAPI 3.1 description, generated: paths from the app's URL map, parameters and
answers from the marshmallow schemas that serialise them (board/api/schemas.py), summaries
from each view's docstring. apispec writes the document; nothing here is hand-written JSON.

A view takes part by being decorated with ``@operation(...)``, which records its query
schema and answers on the function; ``build`` walks the API blueprint's routes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app

from board.api.schemas import ProblemSchema
from board.licence import LICENCE_NAME, LICENCE_URL

OPENAPI_VERSION = "3.1.0"
API_VERSION = "1.0.0"
JSON = "application/json"
PROBLEM = "application/problem+json"
_SPEC = "_openapi_operation"
# Werkzeug's "<int:study_id>" is OpenAPI's "{study_id}".
_VARIABLE = re.compile(r"<(?:(?P<converter>[^:<>]+):)?(?P<name>[^<>]+)>")
_PATH_TYPES = {"int": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}}


def operation(
    *,
    answer: type | None = None,
    query: type | None = None,
    media_type: str = JSON,
    missing: bool | str = False,
    tag: str = "Open data",
) -> Callable:
    """Describe a GET view: its query schema, its answer's schema (or, with ``media_type``,
    what else it sends) and whether it can answer 404 (``missing``: True, or what a 404
    means for it when that is not a study)."""

    def record(view: Callable) -> Callable:
        setattr(
            view,
            _SPEC,
            {
                "answer": answer,
                "query": query,
                "media_type": media_type,
                "missing": missing,
                "tag": tag,
            },
        )
        return view

    return record


def _problem(description: str) -> dict:
    return {"description": description, "content": {PROBLEM: {"schema": "Problem"}}}


def _operation(view: Callable, variables: list[tuple[str, str]]) -> dict:
    meta = getattr(view, _SPEC)
    summary, _, description = (view.__doc__ or "").strip().partition("\n")
    parameters = [
        {
            "in": "path",
            "name": name,
            "required": True,
            "schema": _PATH_TYPES.get(converter, {"type": "string"}),
        }
        for converter, name in variables
    ]
    if meta["query"] is not None:
        parameters.append({"in": "query", "schema": meta["query"]})
    if meta["answer"] is not None:
        content = {meta["media_type"]: {"schema": meta["answer"]}}
    else:
        content = {meta["media_type"]: {"schema": {"type": "string"}}}
    responses = {
        "200": {"description": "OK", "content": content},
        "429": _problem("Too many requests from your address: wait (see Retry-After)."),
        "500": _problem("Something went wrong on our side."),
    }
    if meta["media_type"] == JSON:
        responses["304"] = {"description": "Not modified since the ETag you sent."}
    if meta["query"] is not None:
        responses["400"] = _problem("A query parameter has a value the API cannot use.")
    if meta["missing"] or variables:
        missing = meta["missing"]
        responses["404"] = _problem(
            missing if isinstance(missing, str) else "No published public study has this id."
        )
    return {
        "summary": summary.strip(),
        "description": " ".join(description.split()),
        "tags": [meta["tag"]],
        "parameters": parameters,
        "responses": responses,
    }


def build(topic_slugs: list[str]) -> dict:
    """The OpenAPI document of the API blueprint's views. The topics' slugs, which are data,
    are listed as the values ``topic`` takes."""
    public_url = current_app.config["PUBLIC_URL"].rstrip("/")
    spec = APISpec(
        title="Case Board open data",
        version=API_VERSION,
        openapi_version=OPENAPI_VERSION,
        plugins=[MarshmallowPlugin()],
        info={
            "description": "Published public case studies from UK councils: what they tried, "
            "what happened and what they learned; and the public questions councils ask one "
            "another, with their answers. Read-only; no key needed. See "
            f"{public_url}/api.",
            "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
        },
        servers=[{"url": public_url}],
    )
    spec.components.schema("Problem", schema=ProblemSchema)
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = current_app.view_functions[rule.endpoint]
        if not hasattr(view, _SPEC):
            continue
        variables = [
            (match["converter"] or "default", match["name"])
            for match in _VARIABLE.finditer(rule.rule)
        ]
        path = _VARIABLE.sub(lambda match: "{" + match["name"] + "}", rule.rule)
        spec.path(path=path, operations={"get": _operation(view, variables)})
    document = spec.to_dict()
    _list_topics(document, topic_slugs)
    return document


def _list_topics(document: dict, topic_slugs: list[str]) -> None:
    """Give every ``topic`` query parameter the current topics' slugs as its values."""
    for path in document["paths"].values():
        for parameter in path["get"].get("parameters", []):
            if parameter["in"] == "query" and parameter["name"] == "topic":
                parameter["schema"]["items"]["enum"] = ["", *topic_slugs]
                parameter["explode"] = True
                parameter["style"] = "form"
