"""Seed the seven topics, in the order the product defines

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 01:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

RESOURCE_PACKS = "https://www.local.gov.uk/our-support/cyber-digital-and-technology"

TOPICS = [
    (
        "digital-inclusion-and-connectivity",
        "Digital inclusion and connectivity",
        "Getting residents online and keeping them there: broadband and mobile coverage, "
        "devices, data poverty, digital skills and assisted digital support.",
    ),
    (
        "smart-places-technology",
        "Smart places technology",
        "Sensors, the internet of things, smart lighting, parking and environmental "
        "monitoring: technology in streets, buildings and public spaces.",
    ),
    (
        "digital-communications",
        "Digital communications",
        "Websites, social media, chatbots, email and text messaging: how councils talk with "
        "residents and businesses online.",
    ),
    (
        "data-and-research",
        "Data and research",
        "Data quality, sharing and governance, analytics, open data and using evidence to "
        "design and improve services.",
    ),
    (
        "cyber-security",
        "Cyber security",
        "Protecting council systems and residents' data: incidents and near misses, training, "
        "phishing, backups and resilience.",
    ),
    (
        "digital-in-social-care",
        "Digital in social care and shielding vulnerable people",
        "Technology-enabled care, remote monitoring, care records and digital support for "
        "people who are shielding or vulnerable.",
    ),
    (
        "digital-political-leadership",
        "Digital political leadership",
        "How councillors lead digital and data transformation: culture, scrutiny, risk "
        "appetite and creating the conditions for good digital work.",
    ),
]

topics_table = sa.table(
    "topics",
    sa.column("slug", sa.String),
    sa.column("name", sa.String),
    sa.column("description", sa.Text),
    sa.column("resource_pack_url", sa.String),
    sa.column("position", sa.Integer),
)


def upgrade():
    op.bulk_insert(
        topics_table,
        [
            {
                "slug": slug,
                "name": name,
                "description": description,
                "resource_pack_url": RESOURCE_PACKS,
                "position": position,
            }
            for position, (slug, name, description) in enumerate(TOPICS, start=1)
        ],
    )


def downgrade():
    op.execute(
        topics_table.delete().where(topics_table.c.slug.in_([slug for slug, _, _ in TOPICS]))
    )
