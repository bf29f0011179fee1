"""Councils from a CSV file, all at once: ``flask --app wsgi councils import FILE`` and the
admins' import page.

The file's first line names its columns (in any order, in any case):

    name      the council's name (required)
    slug      its page's address (optional: made from the name when blank)
    nation    England, Wales, Scotland or Northern Ireland
    type      county, district, unitary, metropolitan borough, london borough,
              welsh principal area, scottish council area or ni district (or their labels)
    region    optional
    website   the full address, starting https://
    domains   the email domains that join it, separated by spaces or semicolons (may be blank)

A council whose slug is already on the board is updated from its row (its domains become the
row's); any other is added. Every row is checked first: if any is wrong, nothing is changed and
each problem is reported with its line number. A council the file leaves out is left alone.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy.orm import selectinload

from board import audit
from board.admin import council_services as rules
from board.audit import LogAction
from board.extensions import db
from board.models import Council, CouncilDomain, CouncilType, Nation, User

COLUMNS = ("name", "slug", "nation", "type", "region", "website", "domains")
REQUIRED_COLUMNS = ("name", "nation", "type", "website", "domains")
# A UK file has about 400 councils; a file many times that is a mistake.
MAX_ROWS = 5000


def _key(text: str) -> str:
    return "-".join(text.strip().lower().replace("_", " ").split())


NATIONS = {_key(nation.value): nation for nation in Nation} | {
    _key(nation.label): nation for nation in Nation
}
COUNCIL_TYPES = {_key(kind.value): kind for kind in CouncilType} | {
    _key(kind.label): kind for kind in CouncilType
}


@dataclass
class Problem:
    line: int
    message: str

    def __str__(self) -> str:
        if not self.line:
            return self.message
        return _("Line %(line)d: %(problem)s", line=self.line, problem=self.message)


@dataclass
class Row:
    line: int
    details: rules.CouncilDetails
    council: Council | None = None  # the council it updates, when its slug is on the board
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    problems: list[Problem] = field(default_factory=list)
    added: list[Row] = field(default_factory=list)
    updated: list[Row] = field(default_factory=list)
    unchanged: list[Row] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        if self.problems:
            return ngettext(
                "Nothing was imported: the file has %(num)d problem.",
                "Nothing was imported: the file has %(num)d problems.",
                len(self.problems),
            )
        added, updated, unchanged = len(self.added), len(self.updated), len(self.unchanged)
        if self.dry_run:
            return ngettext(
                "Would add %(num)d council, update %(updated)d and leave %(unchanged)d unchanged.",
                "Would add %(num)d councils, update %(updated)d and leave %(unchanged)d unchanged.",
                added,
                updated=updated,
                unchanged=unchanged,
            )
        return ngettext(
            "Added %(num)d council, updated %(updated)d and left %(unchanged)d unchanged.",
            "Added %(num)d councils, updated %(updated)d and left %(unchanged)d unchanged.",
            added,
            updated=updated,
            unchanged=unchanged,
        )


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Excel writes."""
    return data.decode("utf-8-sig")


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Each non-blank row as (line number, column -> value), or the problems with the header."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(0, _("The file is empty: its first line must name the columns"))]
    except csv.Error as error:
        return [], [Problem(1, _("The line cannot be read as CSV (%(error)s)", error=error))]
    names = [_key(name).replace("-", " ") for name in header]
    problems = []
    for name in names:
        if name and name not in COLUMNS:
            problems.append(
                Problem(
                    1,
                    _(
                        "Unknown column “%(name)s”: the columns are %(columns)s",
                        name=name,
                        columns=", ".join(COLUMNS),
                    ),
                )
            )
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problems.append(
            Problem(
                1,
                ngettext(
                    "Missing column: %(columns)s",
                    "Missing columns: %(columns)s",
                    len(missing),
                    columns=", ".join(missing),
                ),
            )
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(
            Problem(1, _("Column named twice: %(columns)s", columns=", ".join(repeated)))
        )
    if problems:
        return [], problems

    rows = []
    line = reader.line_num
    while True:
        start = line + 1
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            problems.append(
                Problem(start, _("The line cannot be read as CSV (%(error)s)", error=error))
            )
            break
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(
                Problem(start, _("The file has more than %(limit)d councils", limit=MAX_ROWS))
            )
            break
        if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
            problems.append(
                Problem(
                    start,
                    _(
                        "%(values)d values, but the first line names %(names)d",
                        values=len(values),
                        names=len(names),
                    ),
                )
            )
            continue
        row = {name: (values[i] if i < len(values) else "") for i, name in enumerate(names) if name}
        rows.append((start, row))
    return rows, problems


def _details(line: int, row: dict[str, str]) -> tuple[rules.CouncilDetails | None, list[str]]:
    """A row's council, or what is wrong with it."""
    wrong = []
    name = " ".join(row.get("name", "").split())
    if not name:
        wrong.append(_("the name is missing"))
    elif len(name) > rules.NAME_LIMIT:
        wrong.append(_("the name is longer than %(limit)d characters", limit=rules.NAME_LIMIT))

    slug = row.get("slug", "").strip().lower() or rules.slug_from_name(name)
    if name and not slug:
        wrong.append(_("no slug given, and the name has no letters or digits to make one"))
    elif slug and rules.slug_problem(slug):
        wrong.append(
            _("slug “%(slug)s”: %(problem)s", slug=slug, problem=rules.slug_problem(slug).lower())
        )

    nation = NATIONS.get(_key(row.get("nation", "")))
    if nation is None:
        given = row.get("nation", "").strip()
        choices = ", ".join(str(n.label) for n in Nation)
        wrong.append(
            _("unknown nation “%(given)s” (one of %(choices)s)", given=given, choices=choices)
            if given
            else _("the nation is missing (one of %(choices)s)", choices=choices)
        )
    council_type = COUNCIL_TYPES.get(_key(row.get("type", "")))
    if council_type is None:
        given = row.get("type", "").strip()
        choices = ", ".join(k.value for k in CouncilType)
        wrong.append(
            _("unknown type “%(given)s” (one of %(choices)s)", given=given, choices=choices)
            if given
            else _("the type is missing (one of %(choices)s)", choices=choices)
        )

    region = " ".join(row.get("region", "").split())
    if len(region) > rules.REGION_LIMIT:
        wrong.append(_("the region is longer than %(limit)d characters", limit=rules.REGION_LIMIT))
    website = row.get("website", "").strip()
    if not website:
        wrong.append(_("the website is missing"))
    elif rules.website_problem(website):
        wrong.append(
            _("website “%(website)s” is not a full address starting https://", website=website)
        )

    domains = rules.split_domains(row.get("domains", ""))
    for domain in domains:
        if rules.domain_problem(domain):
            wrong.append(_("“%(domain)s” is not a domain name", domain=domain))
    if wrong:
        return None, wrong
    return rules.CouncilDetails(
        name=name,
        slug=slug,
        nation=nation,
        council_type=council_type,
        region=region,
        website=website,
        domains=domains,
    ), []


def check(text: str) -> tuple[list[Row], list[Problem]]:
    """Every row of the file checked, against each other and the board; nothing is changed."""
    raw_rows, problems = read_rows(text)
    rows: list[Row] = []
    for line, raw in raw_rows:
        details, wrong = _details(line, raw)
        problems.extend(Problem(line, message) for message in wrong)
        if details is not None:
            rows.append(Row(line, details))

    # Within the file: each slug and each domain once.
    slug_lines: dict[str, int] = {}
    domain_lines: dict[str, int] = {}
    for row in rows:
        first = slug_lines.setdefault(row.details.slug, row.line)
        if first != row.line:
            problems.append(
                Problem(
                    row.line,
                    _(
                        "slug “%(slug)s” is also on line %(line)d",
                        slug=row.details.slug,
                        line=first,
                    ),
                )
            )
        for domain in row.details.domains:
            first = domain_lines.setdefault(domain, row.line)
            if first != row.line:
                problems.append(
                    Problem(
                        row.line,
                        _("domain %(domain)s is also on line %(line)d", domain=domain, line=first),
                    )
                )

    # Against the board: a domain may move between councils the file lists (the file says
    # where each goes), but not away from a council the file leaves out.
    existing = (
        {
            council.slug: council
            for council in db.session.scalars(
                db.select(Council)
                .where(Council.slug.in_(list(slug_lines)))
                .options(selectinload(Council.domains))
            )
        }
        if slug_lines
        else {}
    )
    owners = (
        dict(
            db.session.execute(
                db.select(CouncilDomain.domain, Council)
                .join(Council, Council.id == CouncilDomain.council_id)
                .where(CouncilDomain.domain.in_(list(domain_lines)))
            ).all()
        )
        if domain_lines
        else {}
    )
    for row in rows:
        row.council = existing.get(row.details.slug)
        for domain in row.details.domains:
            owner = owners.get(domain)
            if owner is not None and owner.slug not in slug_lines:
                problems.append(
                    Problem(
                        row.line,
                        _(
                            "domain %(domain)s already joins %(council)s (%(slug)s)",
                            domain=domain,
                            council=owner.name,
                            slug=owner.slug,
                        ),
                    )
                )
        if row.council is not None:
            row.changes = row.details.differences(row.council)
    problems.sort(key=lambda problem: problem.line)
    return rows, problems


def import_councils(text: str, *, dry_run: bool = False, actor: User | None = None) -> ImportResult:
    """Check the file and, unless it has problems or this is a dry run, add and update its
    councils (one COUNCIL_IMPORTED log row each, by ``actor``: the admin who uploaded it, or
    None, the system, from the command line). The caller commits."""
    rows, problems = check(text)
    result = ImportResult(problems=problems, dry_run=dry_run)
    if problems:
        return result
    for row in rows:
        if row.council is None:
            result.added.append(row)
        elif row.changes:
            result.updated.append(row)
        else:
            result.unchanged.append(row)
    if dry_run:
        return result

    # Domains leaving a council go first, so that one moving to another council in the file
    # is never held by two at once.
    for row in result.updated:
        rules.drop_domains(row.council, row.details.domains)
    db.session.flush()
    for row in result.updated:
        rules.apply_details(row.council, row.details)
        audit.record(
            actor,
            LogAction.COUNCIL_IMPORTED,
            row.council.id,
            f"Changed {', '.join(row.changes)} of {row.details.name} from a file",
        )
    for row in result.added:
        row.council = rules.add_council(row.details, actor, LogAction.COUNCIL_IMPORTED)
    db.session.flush()
    return result
