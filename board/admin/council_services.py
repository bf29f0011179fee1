"""The rules for a council's details, shared by the admin pages and the CSV import, and the
changes an admin makes to councils: each one written to the moderation log.

A council's slug is part of its page's address; its email domains decide who joins it, so each
domain belongs to one council at most.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import func, select

from board import audit
from board.audit import LogAction
from board.extensions import db
from board.models import CaseStudy, Council, CouncilDomain, CouncilType, Nation, User
from board.models.base import utcnow

SLUG_LIMIT = 80
NAME_LIMIT = 160
REGION_LIMIT = 80
WEBSITE_LIMIT = 255
DOMAIN_LIMIT = 253

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
# One label of a domain name: letters, digits and inner hyphens, at most 63 characters.
DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# The separators between domains: spaces, line breaks, commas and semicolons.
DOMAIN_SEPARATORS = re.compile(r"[\s,;]+")


def slug_from_name(name: str) -> str:
    """ "Ynys Môn County Council" -> "ynys-mon-county-council": accents dropped, anything but a
    letter or digit a hyphen."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:SLUG_LIMIT].strip("-")


def slug_problem(slug: str) -> str | None:
    if len(slug) > SLUG_LIMIT:
        return _("The slug must be %(limit)d characters or fewer", limit=SLUG_LIMIT)
    if not SLUG_PATTERN.fullmatch(slug):
        return _("The slug must be lowercase letters, digits and hyphens, like north-hereshire")
    return None


def normalise_domain(text: str) -> str:
    """A domain as stored: lower case, without a leading "@" or a trailing dot."""
    domain = text.strip().lower().removeprefix("@").rstrip(".")
    return domain


def domain_problem(domain: str) -> str | None:
    """Why ``domain`` (normalised) is not an email domain name, if it is not."""
    labels = domain.split(".")
    if (
        len(domain) > DOMAIN_LIMIT
        or len(labels) < 2
        or not all(DOMAIN_LABEL.fullmatch(label) for label in labels)
        or not labels[-1].isalpha()
    ):
        return _(
            "“%(domain)s” is not a domain name: enter one like hereshire.gov.uk", domain=domain
        )
    return None


def split_domains(text: str) -> list[str]:
    """The domains in ``text`` (separated by spaces, lines, commas or semicolons), normalised,
    each once, in the order given."""
    seen: dict[str, None] = {}
    for part in DOMAIN_SEPARATORS.split(text or ""):
        if part.strip():
            seen.setdefault(normalise_domain(part), None)
    return list(seen)


def website_problem(website: str) -> str | None:
    if len(website) > WEBSITE_LIMIT:
        return _("The website address must be %(limit)d characters or fewer", limit=WEBSITE_LIMIT)
    parts = urlsplit(website)
    host = parts.hostname or ""
    if parts.scheme != "https" or domain_problem(host) or " " in website:
        return _(
            "Enter the website as a full address starting https://, like "
            "https://www.hereshire.gov.uk"
        )
    return None


def domain_owners(domains: Iterable[str], except_council_id: int | None = None) -> dict[str, str]:
    """Of ``domains``, those another council already has: domain -> that council's name."""
    domains = list(domains)
    if not domains:
        return {}
    query = (
        select(CouncilDomain.domain, Council.name)
        .join(Council, Council.id == CouncilDomain.council_id)
        .where(CouncilDomain.domain.in_(domains))
    )
    if except_council_id is not None:
        query = query.where(CouncilDomain.council_id != except_council_id)
    return dict(db.session.execute(query).all())


def council_with_slug(slug: str) -> Council | None:
    return db.session.scalar(select(Council).where(Council.slug == slug))


@dataclass
class CouncilDetails:
    """Everything an admin (or a file) says about a council."""

    name: str
    slug: str
    nation: Nation
    council_type: CouncilType
    region: str
    website: str
    domains: list[str]

    def differences(self, council: Council) -> list[str]:
        """The names of the details that differ from ``council``'s."""
        changed = [
            label
            for label, mine, theirs in (
                ("name", self.name, council.name),
                ("slug", self.slug, council.slug),
                ("nation", self.nation, council.nation),
                ("type", self.council_type, council.council_type),
                ("region", self.region, council.region),
                ("website", self.website, council.website),
            )
            if mine != theirs
        ]
        if sorted(self.domains) != sorted(d.domain for d in council.domains):
            changed.append("domains")
        return changed


def _set_details(council: Council, details: CouncilDetails) -> None:
    council.name = details.name
    council.slug = details.slug
    council.nation = details.nation
    council.council_type = details.council_type
    council.region = details.region
    council.website = details.website


def drop_domains(council: Council, keep: Iterable[str]) -> None:
    """Remove the council's domains that are not in ``keep`` (the rest stay as they are: a
    domain deleted and added again in one flush would meet itself in the unique index)."""
    kept = set(keep)
    council.domains = [domain for domain in council.domains if domain.domain in kept]


def add_domains(council: Council, domains: Iterable[str]) -> None:
    have = {domain.domain for domain in council.domains}
    council.domains.extend(CouncilDomain(domain=domain) for domain in domains if domain not in have)


def apply_details(council: Council, details: CouncilDetails) -> None:
    """Give ``council`` the details, its dropped domains removed before new ones are added."""
    _set_details(council, details)
    drop_domains(council, details.domains)
    db.session.flush()
    add_domains(council, details.domains)
    db.session.flush()


def add_council(details: CouncilDetails, actor: User | None, action=LogAction.COUNCIL_ADDED):
    council = Council()
    _set_details(council, details)
    add_domains(council, details.domains)
    db.session.add(council)
    db.session.flush()
    audit.record(
        actor,
        action,
        council.id,
        f"Added {council.name}" + (" from a file" if action is LogAction.COUNCIL_IMPORTED else ""),
    )
    return council


def change_council(
    council: Council, details: CouncilDetails, actor: User | None, action=LogAction.COUNCIL_EDITED
) -> list[str]:
    """Apply ``details``; return what changed (nothing logged when nothing did)."""
    changed = details.differences(council)
    if not changed:
        return []
    apply_details(council, details)
    audit.record(actor, action, council.id, f"Changed {', '.join(changed)} of {council.name}")
    return changed


def retire_council(council: Council, actor: User, reason: str = "") -> None:
    if council.retired_at is not None:
        return
    council.retired_at = utcnow()
    audit.record(actor, LogAction.COUNCIL_RETIRED, council.id, reason or f"Retired {council.name}")
    db.session.flush()


def reinstate_council(council: Council, actor: User) -> None:
    if council.retired_at is None:
        return
    council.retired_at = None
    audit.record(actor, LogAction.COUNCIL_REINSTATED, council.id, f"Reinstated {council.name}")
    db.session.flush()


# -- the list ----------------------------------------------------------------------------------


def members_count_query():
    """Verified members per council, in one grouped query (a subquery to join)."""
    return (
        select(User.council_id, func.count(User.id).label("members"))
        .where(User.council_id.is_not(None), User.verified_at.is_not(None))
        .where(User.deleted_at.is_(None))
        .group_by(User.council_id)
        .subquery()
    )


def studies_count_query():
    """Case studies (in any state) per council, in one grouped query (a subquery to join)."""
    return (
        select(CaseStudy.council_id, func.count(CaseStudy.id).label("studies"))
        .group_by(CaseStudy.council_id)
        .subquery()
    )


def councils_list_query(text: str = ""):
    """Councils by name with their members and studies counted; those whose name or slug
    contains ``text``, in any case, when it is given."""
    members = members_count_query()
    studies = studies_count_query()
    query = (
        select(
            Council,
            func.coalesce(members.c.members, 0).label("members"),
            func.coalesce(studies.c.studies, 0).label("studies"),
        )
        .outerjoin(members, members.c.council_id == Council.id)
        .outerjoin(studies, studies.c.council_id == Council.id)
        .order_by(Council.name, Council.id)
    )
    lowered = text.strip().lower()
    if lowered:
        query = query.where(
            func.lower(Council.name).contains(lowered, autoescape=True)
            | func.lower(Council.slug).contains(lowered, autoescape=True)
        )
    return query
