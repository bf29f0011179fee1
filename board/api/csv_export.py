"""The CSV of a filtered view: one row per published public study, streamed.

Rows are read in keyset batches of BATCH_SIZE and written out batch by batch, so a whole
topic (15,000 studies at 100,000) never sits in memory. The file starts with a UTF-8 byte
order mark: Excel, which most people will open it in, otherwise reads UTF-8 as Windows-1252
and mangles "£" and Welsh names such as "Ynys Môn"; other spreadsheets and Python's
``encoding="utf-8-sig"`` skip it.

A spreadsheet runs a cell that starts with "=", "+", "-" or "@" as a formula (and some treat a
leading tab or carriage return the same), so a title like ``=HYPERLINK(...)`` could act on the
reader's machine. Such a cell is written with a single quote in front, which spreadsheets show
as text (OWASP's advice for CSV injection).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC

from board.api.studies import LICENCE, StudiesQuery, batches

BATCH_SIZE = 500
BYTE_ORDER_MARK = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER = (
    "id",
    "title",
    "url",
    "council",
    "nation",
    "council type",
    "topics",
    "outcome",
    "cost band",
    "published",
    "updated",
    "useful count",
    "summary",
    "licence",
    "language",
)


def neutralised(value) -> str:
    """``value`` as a cell no spreadsheet runs as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _when(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


LICENCE_CELL = f"{LICENCE['name']} ({LICENCE['url']})"


def _row(study: dict, label) -> list:
    """One study's cells. The text people typed (the title, the summary, a council's name) is
    neutralised; the rest is ours (numbers, our addresses, our labels, dates) and starts with
    none of FORMULA_STARTS. ``label`` gives an outcome's, a cost band's, a nation's or a council
    type's label."""
    council = study["council"]
    return [
        study["id"],
        neutralised(study["title"]),
        study["url"],
        neutralised(council["name"]),
        label(council["nation"]),
        label(council["council_type"]),
        "; ".join(topic.name for topic in study["topics"]),
        label(study["outcome"]),
        label(study["cost_band"]),
        _when(study["published_at"]),
        _when(study["updated_at"]),
        study["useful_count"],
        neutralised(study["summary"]),
        LICENCE_CELL,
        study["language"],
    ]


def lines(query: StudiesQuery, batch_size: int | None = None) -> Iterator[str]:
    """The file, a batch of rows at a time: a header row first, then each study."""
    batch_size = batch_size or BATCH_SIZE
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    yield BYTE_ORDER_MARK + buffer.getvalue()
    # Each label looked up once a file: an enum's label translates every one of its values, four
    # times a row, which was most of a whole topic's file. The file is in one language.
    labels: dict = {}

    def label(value) -> str:
        text = labels.get(value)
        if text is None:
            text = labels[value] = value.label
        return text

    for batch in batches(query, batch_size):
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(_row(study, label) for study in batch)
        yield buffer.getvalue()
