"""Make the PostgreSQL database DATABASE_URL names when it does not exist yet (make serve).

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/caseboard \\
        python -m scripts.create_database

Connects to the server's "postgres" database as the same user. Any other kind of URL (SQLite
makes its file itself) is left alone.
"""

from __future__ import annotations

import os
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from board.config import normalise_database_url


def main() -> int:
    url = make_url(normalise_database_url(os.environ.get("DATABASE_URL", "")))
    if not url.drivername.startswith("postgresql") or not url.database:
        return 0
    server = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not exists:
            name = url.database.replace('"', '""')
            connection.execute(text(f'CREATE DATABASE "{name}"'))
            print(f"Created the database {url.database}")
    server.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
