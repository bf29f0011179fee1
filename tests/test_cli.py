"""The command-line tasks: demo data and creating an administrator."""

from collections import Counter

from board.extensions import db
from board.models import CaseStudy, Council, Outcome, Role, Status, Topic, User


def test_demo_data_fills_an_empty_board(app):
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    # Outside development the passwords are not printed.
    assert "shown only in development" in result.output
    with app.app_context():
        councils = db.session.scalars(db.select(Council)).all()
        studies = db.session.scalars(db.select(CaseStudy)).all()
        assert len(councils) >= 12
        assert {council.nation.value for council in councils} == {
            "england",
            "wales",
            "scotland",
            "northern-ireland",
        }
        assert len({council.council_type for council in councils}) >= 5
        assert len(studies) >= 30
        assert all(study.status is Status.PUBLISHED for study in studies)
        outcomes = Counter(study.outcome for study in studies)
        assert outcomes[Outcome.DID_NOT_WORK] >= 8
        used_topics = {topic.slug for study in studies for topic in study.topics}
        assert used_topics == set(db.session.scalars(db.select(Topic.slug)))
        assert all(len(study.summary) <= 300 and study.what_we_learned for study in studies)
        roles = Counter(user.role for user in db.session.scalars(db.select(User)))
        assert roles[Role.ADMIN] >= 1 and roles[Role.MODERATOR] >= 1 and roles[Role.MEMBER] >= 2


def test_demo_data_prints_passwords_in_development(app):
    app.config["APP_ENV"] = "development"
    result = app.test_cli_runner().invoke(args=["demo-data"])
    assert result.exit_code == 0, result.output
    assert "Demo accounts" in result.output
    assert "admin@caseboard.example" in result.output


def test_demo_data_if_empty_leaves_existing_data_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo-data"])
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(CaseStudy))
    result = runner.invoke(args=["demo-data", "--if-empty"])
    assert result.exit_code == 0
    assert "already has data" in result.output
    assert runner.invoke(args=["demo-data"]).exit_code != 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CaseStudy)) == before


def test_create_admin(app):
    result = app.test_cli_runner().invoke(
        args=["create-admin", "--email", "Chief@Council.example", "--name", "Chief Admin"],
        input="tangerine lighthouse orbit\ntangerine lighthouse orbit\n",
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == "chief@council.example"))
        assert admin.role is Role.ADMIN and admin.password_hash.startswith("$argon2id$")


def test_create_admin_refuses_a_weak_password_and_a_duplicate(app):
    runner = app.test_cli_runner()
    weak = runner.invoke(
        args=["create-admin", "--email", "a@council.example", "--name", "A", "--password", "short"]
    )
    assert weak.exit_code != 0 and "at least 12 characters" in weak.output
    args = ["create-admin", "--email", "a@council.example", "--name", "A"]
    assert runner.invoke(args=[*args, "--password", "tangerine lighthouse orbit"]).exit_code == 0
    again = runner.invoke(args=[*args, "--password", "tangerine lighthouse orbit"])
    assert again.exit_code != 0 and "already exists" in again.output
