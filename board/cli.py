"""Command-line tasks: ``flask --app wsgi demo-data`` and ``flask --app wsgi create-admin``."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from pathlib import Path

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask, current_app
from flask.cli import with_appcontext

from board import councils_cli, mail_cli, markdown_cli, related_cli
from board.auth.passwords import hash_password, password_weakness
from board.extensions import db
from board.models import (
    CaseStudy,
    CostBand,
    Council,
    CouncilDomain,
    CouncilRole,
    CouncilType,
    Nation,
    Outcome,
    Question,
    RevisionStatus,
    Role,
    Status,
    StudyUpdate,
    Topic,
    User,
    Visibility,
)
from board.models.base import utcnow


def init_app(app: Flask) -> None:
    app.cli.add_command(demo_data)
    app.cli.add_command(create_admin)
    mail_cli.init_app(app)
    markdown_cli.init_app(app)
    councils_cli.init_app(app)
    related_cli.init_app(app)


def _month(value: str | None) -> date | None:
    if not value:
        return None
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def load_demo_data() -> list[tuple[str, str, str]]:
    """Add the demo councils, people and studies; return (email, role, password) per person."""
    from board import demo_content

    now = utcnow()
    councils: dict[str, Council] = {}
    for entry in demo_content.COUNCILS:
        council = Council(
            slug=entry["slug"],
            name=entry["name"],
            nation=Nation(entry["nation"]),
            region=entry["region"],
            council_type=CouncilType(entry["council_type"]),
            website=entry["website"],
            domains=[CouncilDomain(domain=domain) for domain in entry["domains"]],
        )
        councils[council.slug] = council
        db.session.add(council)

    accounts = []
    authors: dict[str, User] = {}
    for person in demo_content.PEOPLE:
        password = secrets.token_urlsafe(12)
        user = User(
            email=person["email"],
            name=person["name"],
            password_hash=hash_password(password),
            role=Role(person["role"]),
            council=councils.get(person["council"]) if person["council"] else None,
            council_role=CouncilRole(person["council_role"]),
            job_title=person["job_title"],
            email_confirmed_at=now,
            verified_at=now,
        )
        db.session.add(user)
        accounts.append((user.email, person["role"], password))
        if user.council is not None:
            authors.setdefault(person["council"], user)

    topics = {topic.slug: topic for topic in db.session.scalars(db.select(Topic))}
    for entry in demo_content.STUDIES:
        council = councils[entry["council"]]
        author = authors.get(entry["council"]) or _team_account(council, now)
        authors[entry["council"]] = author
        published_at = now - timedelta(days=entry["days_ago"])
        db.session.add(
            CaseStudy(
                title=entry["title"],
                summary=entry["summary"],
                language=entry.get("language", "en"),
                council=council,
                author=author,
                outcome=Outcome(entry["outcome"]),
                challenge=entry["challenge"],
                what_we_tried=entry["what_we_tried"],
                what_happened=entry["what_happened"],
                what_we_learned=entry["what_we_learned"],
                what_we_would_do_differently=entry["what_we_would_do_differently"],
                started_on=_month(entry["started"]),
                ended_on=_month(entry["ended"]),
                cost_band=CostBand(entry["cost_band"]),
                visibility=Visibility(entry["visibility"]),
                status=Status.PUBLISHED,
                useful_count=entry["useful"],
                topics=[topics[slug] for slug in entry["topics"]],
                created_at=published_at - timedelta(days=3),
                updated_at=published_at,
                submitted_at=published_at - timedelta(days=2),
                published_at=published_at,
            )
        )
    db.session.flush()
    _add_demo_updates(demo_content.UPDATES, authors)
    _add_demo_questions(demo_content.QUESTIONS, authors, topics, now)
    db.session.flush()
    return accounts


def _add_demo_questions(entries, authors: dict[str, User], topics: dict, now) -> None:
    """Questions asked by demo councils' people, shown at once as a verified member's are."""
    for entry in entries:
        author = authors[entry["council"]]
        db.session.add(
            Question(
                author=author,
                council_id=author.council_id,
                title=entry["title"],
                details=entry["details"],
                visibility=Visibility(entry["visibility"]),
                topics=[topics[slug] for slug in entry["topics"]],
                created_at=now - timedelta(days=entry["days_ago"]),
            )
        )


def _add_demo_updates(entries, authors: dict[str, User]) -> None:
    """Approved updates of demo studies, applied as a moderator's approval applies them: the
    outcome moves on, and the study records when it was last updated."""
    studies = {
        study.title: study
        for study in db.session.scalars(
            db.select(CaseStudy).where(CaseStudy.title.in_([entry["study"] for entry in entries]))
        )
    }
    for entry in entries:
        study = studies[entry["study"]]
        approved_at = study.published_at + timedelta(days=entry["after_days"])
        outcome = Outcome(entry["outcome"]) if entry["outcome"] else None
        db.session.add(
            StudyUpdate(
                study=study,
                author=authors[study.council.slug],
                happened_on=approved_at.date().replace(day=1),
                body=entry["body"],
                new_outcome=outcome,
                previous_outcome=study.outcome,
                status=RevisionStatus.APPROVED,
                decision_note="",
                submitted_at=approved_at - timedelta(days=1),
                published_at=approved_at,
            )
        )
        if outcome is not None:
            study.outcome = outcome
        study.last_update_at = max(study.last_update_at or approved_at, approved_at)


def _team_account(council: Council, now) -> User:
    """An author for councils with no demo person: the council's digital team, no password."""
    return User(
        email=f"digital.team@{council.domains[0].domain}",
        name=f"Digital team, {council.name}",
        # A hash of a random secret nobody knows: the account cannot be signed in to.
        password_hash=hash_password(secrets.token_urlsafe(32)),
        council=council,
        council_role=CouncilRole.OFFICER,
        job_title="Digital services team",
        email_confirmed_at=now,
        verified_at=now,
    )


@click.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when the board already has councils.")
@with_appcontext
def demo_data(if_empty: bool) -> None:
    """Load demo councils, people, published case studies and questions."""
    if db.session.scalar(db.select(Council.id).limit(1)) is not None:
        if if_empty:
            click.echo("The database already has data; demo data not loaded.")
            return
        raise click.ClickException("The database already has data; demo data not loaded.")
    accounts = load_demo_data()
    db.session.commit()
    click.echo("Demo data loaded: councils, people and case studies.")
    if current_app.config["APP_ENV"] != "development":
        click.echo("Passwords are shown only in development (APP_ENV=development).")
        return
    lines = [f"{role:10} {email:45} {password}" for email, role, password in accounts]
    accounts_file = Path(current_app.instance_path) / "demo-accounts.txt"
    accounts_file.write_text("\n".join(lines) + "\n")
    accounts_file.chmod(0o600)
    click.echo(f"Demo accounts (also saved to {accounts_file}):")
    for line in lines:
        click.echo("  " + line)


@click.command("create-admin")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@with_appcontext
def create_admin(email: str, name: str, password: str) -> None:
    """Create an administrator account (for production set-up)."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as error:
        raise click.BadParameter(str(error), param_hint="--email") from error
    weakness = password_weakness(password, email, name)
    if weakness:
        raise click.BadParameter(weakness, param_hint="--password")
    if db.session.scalar(db.select(User.id).where(User.email == email)) is not None:
        raise click.ClickException(f"An account for {email} already exists.")
    now = utcnow()
    db.session.add(
        User(
            email=email,
            name=name.strip(),
            password_hash=hash_password(password),
            role=Role.ADMIN,
            council_role=CouncilRole.OFFICER,
            job_title="Administrator",
            email_confirmed_at=now,
            verified_at=now,
        )
    )
    db.session.commit()
    click.echo(f"Administrator {email} created.")
