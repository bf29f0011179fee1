"""The Welsh catalogue's chores (board/translations/README.md), behind the make targets:

    python -m scripts.translations extract   # the strings in the code -> messages.pot
    python -m scripts.translations update    # messages.pot -> cy/LC_MESSAGES/messages.po
    python -m scripts.translations compile   # messages.po -> messages.mo, which the app reads
    python -m scripts.translations fold      # parts/*.po into messages.po, then remove them

``parts/`` holds translations written for several areas of the app at once, one file each, so
that two translators never edit the same file; ``compile`` reads them under the catalogue (a
string the catalogue has translated wins) and ``fold`` moves them into it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "board" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
WELSH = TRANSLATIONS / "cy" / "LC_MESSAGES" / "messages.po"
COMPILED = WELSH.with_suffix(".mo")
PARTS = TRANSLATIONS / "parts"
PYBABEL = Path(sys.executable).parent / "pybabel"
# gettext and ngettext are found by default; these are the lazy forms used where a string is
# defined before any request (form labels, enum labels).
KEYWORDS = ["-k", "_l", "-k", "lazy_gettext", "-k", "lazy_ngettext:1,2"]


def extract(output: Path = TEMPLATE) -> None:
    subprocess.run(  # noqa: S603  (our own pybabel, fixed arguments)
        [
            str(PYBABEL),
            "-q",
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            *KEYWORDS,
            "--no-wrap",
            "--sort-by-file",
            "--project",
            "Case Board",
            "--copyright-holder",
            "Case Board",
            "-o",
            str(output),
            # The project's root: babel.cfg's patterns (board/**.py, templates/**.html) are
            # paths from the folder searched, so naming board/ and templates/ here matched none.
            ".",
        ],
        cwd=ROOT,
        check=True,
    )


UPDATE_OPTIONS = ["-l", "cy", "--no-wrap", "--no-fuzzy-matching", "--ignore-obsolete"]


def update() -> None:
    if not WELSH.exists():
        subprocess.run(  # noqa: S603
            [PYBABEL, "-q", "init", "-i", TEMPLATE, "-d", TRANSLATIONS, "-l", "cy", "--no-wrap"],
            check=True,
        )
        return
    subprocess.run(  # noqa: S603
        [PYBABEL, "-q", "update", "-i", TEMPLATE, "-d", TRANSLATIONS, *UPDATE_OPTIONS],
        check=True,
    )


def read(path: Path) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale="cy")


def _translated(message) -> bool:
    if isinstance(message.string, tuple | list):
        return all(message.string)
    return bool(message.string)


def with_parts(catalog: Catalog) -> Catalog:
    """The catalogue with every translation from parts/ that it lacks."""
    for part in sorted(PARTS.glob("*.po")) if PARTS.exists() else []:
        for message in read(part):
            if not message.id:
                continue
            current = catalog.get(message.id)
            if current is None:
                catalog.add(message.id, message.string)
            elif not _translated(current) and _translated(message):
                current.string = message.string
                current.flags.discard("fuzzy")
    return catalog


def compile_catalogue() -> None:
    catalog = with_parts(read(WELSH)) if WELSH.exists() else with_parts(Catalog(locale="cy"))
    COMPILED.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the catalogue, then put in its place at once: the test runs' processes
    # compile it at the same moment, and none may read a half-written file.
    with tempfile.NamedTemporaryFile(dir=COMPILED.parent, suffix=".mo", delete=False) as file:
        try:
            write_mo(file, catalog)
        except BaseException:
            os.unlink(file.name)
            raise
    os.chmod(file.name, 0o644)  # as a file written plainly would be
    os.replace(file.name, COMPILED)


def fold() -> None:
    catalog = with_parts(read(WELSH))
    with WELSH.open("wb") as file:
        write_po(file, catalog, width=0, sort_by_file=True)
    for part in PARTS.glob("*.po"):
        part.unlink()


def main(argv: list[str]) -> int:
    commands = {
        "extract": extract,
        "update": update,
        "compile": compile_catalogue,
        "fold": fold,
    }
    if len(argv) != 1 or argv[0] not in commands:
        print(f"usage: python -m scripts.translations {{{','.join(commands)}}}", file=sys.stderr)
        return 2
    commands[argv[0]]()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
