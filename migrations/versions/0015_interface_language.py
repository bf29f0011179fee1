"""The interface in Welsh: a person's language, and the topics' Welsh names

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 04:00:00

``users.language``: "en" or "cy" once someone chooses the interface's language while signed in
(or on their account's preferences); their emails and digests are written in it. NULL until
then: pages follow the language cookie or the browser, and email is in English.

``topics.name_cy`` and ``topics.description_cy``: each topic's Welsh name and description
(board/translations/GLOSSARY.md), filled here for the seven topics; admins may change them.

``language`` on case studies, their revisions and comments: "en" or "cy", the language the text
is written in (every existing row is English).
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

WELSH_TOPICS = {
    "digital-inclusion-and-connectivity": (
        "Cynhwysiant digidol a chysylltedd",
        "Helpu trigolion i fynd ar-lein ac aros ar-lein: band eang a darpariaeth ffonau "
        "symudol, dyfeisiau, tlodi data, sgiliau digidol a chymorth i ddefnyddio gwasanaethau "
        "digidol.",
    ),
    "smart-places-technology": (
        "Technoleg lleoedd clyfar",
        "Synwyryddion, rhyngrwyd pethau, goleuadau clyfar, parcio a monitro'r amgylchedd: "
        "technoleg mewn strydoedd, adeiladau a mannau cyhoeddus.",
    ),
    "digital-communications": (
        "Cyfathrebu digidol",
        "Gwefannau, cyfryngau cymdeithasol, sgwrsfotiaid, e-bost a negeseuon testun: sut mae "
        "cynghorau'n siarad â thrigolion a busnesau ar-lein.",
    ),
    "data-and-research": (
        "Data ac ymchwil",
        "Ansawdd, rhannu a llywodraethu data, dadansoddeg, data agored a defnyddio tystiolaeth "
        "i gynllunio a gwella gwasanaethau.",
    ),
    "cyber-security": (
        "Seiberddiogelwch",
        "Diogelu systemau'r cyngor a data trigolion: digwyddiadau ac achosion a fu bron â "
        "digwydd, hyfforddiant, gwe-rwydo, copïau wrth gefn a chydnerthedd.",
    ),
    "digital-in-social-care": (
        "Digidol mewn gofal cymdeithasol a gwarchod pobl agored i niwed",
        "Gofal a alluogir gan dechnoleg, monitro o bell, cofnodion gofal a chymorth digidol i "
        "bobl sy'n gwarchod eu hunain neu sy'n agored i niwed.",
    ),
    "digital-political-leadership": (
        "Arweinyddiaeth wleidyddol ddigidol",
        "Sut mae cynghorwyr yn arwain trawsnewid digidol a data: diwylliant, craffu, parodrwydd "
        "i dderbyn risg a chreu'r amodau ar gyfer gwaith digidol da.",
    ),
}

topics = sa.table(
    "topics",
    sa.column("slug", sa.String),
    sa.column("name_cy", sa.String),
    sa.column("description_cy", sa.Text),
)


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN on both databases: no table is rebuilt, so the triggers
    # on topics (search index, the board's change counter) stay as they are.
    op.add_column("users", sa.Column("language", sa.String(length=2), nullable=True))
    op.add_column("topics", sa.Column("name_cy", sa.String(length=120), nullable=True))
    op.add_column("topics", sa.Column("description_cy", sa.Text(), nullable=True))
    for table in ("case_studies", "study_revisions", "comments"):
        op.add_column(
            table,
            sa.Column("language", sa.String(length=2), nullable=False, server_default="en"),
        )
    for slug, (name, description) in WELSH_TOPICS.items():
        op.execute(
            topics.update()
            .where(topics.c.slug == slug)
            .values(name_cy=name, description_cy=description)
        )


def downgrade():
    for table in ("comments", "study_revisions", "case_studies"):
        op.drop_column(table, "language")
    op.drop_column("topics", "description_cy")
    op.drop_column("topics", "name_cy")
    op.drop_column("users", "language")
