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
        return f"Line {self.line}: {self.message}" if self.line else self.message


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
            return f"Nothing was imported: the file has {_count(len(self.problems), 'problem')}."
        added, updated, unchanged = len(self.added), len(self.updated), len(self.unchanged)
        if self.dry_run:
            return (
                f"Would add {_count(added, 'council')}, update {updated} "
                f"and leave {unchanged} unchanged."
            )
        return (
            f"Added {_count(added, 'council')}, updated {updated} and left {unchanged} unchanged."
        )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def decode(data: bytes) -> str:
    """The file's text: UTF-8, with or without the byte-order mark Excel writes."""
    return data.decode("utf-8-sig")


def read_rows(text: str) -> tuple[list[tuple[int, dict[str, str]]], list[Problem]]:
    """Each non-blank row as (line number, column -> value), or the problems with the header."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    try:
        header = next(reader)
    except StopIteration:
        return [], [Problem(0, "The file is empty: its first line must name the columns")]
    except csv.Error as error:
        return [], [Problem(1, f"The line cannot be read as CSV ({error})")]
    names = [_key(name).replace("-", " ") for name in header]
    problems = []
    for name in names:
        if name and name not in COLUMNS:
            problems.append(
                Problem(1, f"Unknown column “{name}”: the columns are {', '.join(COLUMNS)}")
            )
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problems.append(
            Problem(1, f"Missing column{'s' if len(missing) > 1 else ''}: {', '.join(missing)}")
        )
    repeated = sorted({name for name in names if name and names.count(name) > 1})
    if repeated:
        problems.append(Problem(1, f"Column named twice: {', '.join(repeated)}"))
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
            problems.append(Problem(start, f"The line cannot be read as CSV ({error})"))
            break
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(Problem(start, f"The file has more than {MAX_ROWS} councils"))
            break
        if len(values) > len(names) and any(v.strip() for v in values[len(names) :]):
            problems.append(
                Problem(start, f"{len(values)} values, but the first line names {len(names)}")
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
        wrong.append("the name is missing")
    elif len(name) > rules.NAME_LIMIT:
        wrong.append(f"the name is longer than {rules.NAME_LIMIT} characters")

    slug = row.get("slug", "").strip().lower() or rules.slug_from_name(name)
    if name and not slug:
        wrong.append("no slug given, and the name has no letters or digits to make one")
    elif slug and rules.slug_problem(slug):
        wrong.append(f"slug “{slug}”: {rules.slug_problem(slug).lower()}")

    nation = NATIONS.get(_key(row.get("nation", "")))
    if nation is None:
        given = row.get("nation", "").strip()
        wrong.append(
            (f"unknown nation “{given}”" if given else "the nation is missing")
            + f" (one of {', '.join(n.label for n in Nation)})"
        )
    council_type = COUNCIL_TYPES.get(_key(row.get("type", "")))
    if council_type is None:
        given = row.get("type", "").strip()
        wrong.append(
            (f"unknown type “{given}”" if given else "the type is missing")
            + f" (one of {', '.join(k.value for k in CouncilType)})"
        )

    region = " ".join(row.get("region", "").split())
    if len(region) > rules.REGION_LIMIT:
        wrong.append(f"the region is longer than {rules.REGION_LIMIT} characters")
    website = row.get("website", "").strip()
    if not website:
        wrong.append("the website is missing")
    elif rules.website_problem(website):
        wrong.append(f"website “{website}” is not a full address starting https://")

    domains = rules.split_domains(row.get("domains", ""))
    for domain in domains:
        if rules.domain_problem(domain):
            wrong.append(f"“{domain}” is not a domain name")
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
            problems.append(Problem(row.line, f"slug “{row.details.slug}” is also on line {first}"))
        for domain in row.details.domains:
            first = domain_lines.setdefault(domain, row.line)
            if first != row.line:
                problems.append(Problem(row.line, f"domain {domain} is also on line {first}"))

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
                    Problem(row.line, f"domain {domain} already joins {owner.name} ({owner.slug})")
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
