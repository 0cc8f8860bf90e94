"""Print the demo content's handouts to PDF: scripts/demo_materials/*.html -> practices/demo/materials/.

The demo exchange file (practices/demo/kb-demo.json) refers to these PDFs from its practices'
``materials``; ``kb_import`` stores them as Wagtail documents. Each HTML page here is one
handout (bookmarks, checklists, a reader card, a chair's script...) written for A4 and printed
by Debian's Chromium through Playwright:

    apt-get install chromium          # once; Playwright's own browser download is not needed
    .venv/bin/python scripts/make_demo_materials.py            # all handouts
    .venv/bin/python scripts/make_demo_materials.py bookmark-three-questions-fi   # one

CHROMIUM=/path/to/chromium picks another browser. The output is reproducible: Chromium writes
the print time and a random document ID into every PDF, so both are replaced by fixed values
(the ID derived from the file's content) of the same length, which keeps the PDF's byte offsets
valid. A handout that comes out larger than MAX_BYTES stops the run: the demo ships them in git.
"""

import hashlib
import os
import re
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "scripts" / "demo_materials"
OUTPUT = ROOT / "practices" / "demo" / "materials"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
MAX_BYTES = 100_000
# The date every handout claims to be made on (PDF date format; same length as Chromium's).
FIXED_DATE = b"D:20260601120000+00'00'"

PDF_DATE = re.compile(rb"D:\d{14}[+-]\d\d'\d\d'")
PDF_ID = re.compile(rb"/ID \[<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>\]")


def make_reproducible(pdf: bytes) -> bytes:
    """The same handout gives the same bytes whenever it is printed."""
    pdf = PDF_DATE.sub(FIXED_DATE, pdf)
    match = PDF_ID.search(pdf)
    if match is None:
        return pdf
    digest = hashlib.sha256(pdf[: match.start()] + pdf[match.end() :]).hexdigest().upper()
    first, second = match.group(1), match.group(2)
    new_id = b"/ID [<%s> <%s>]" % (
        digest[: len(first)].encode(),
        digest[: len(second)].encode(),
    )
    return pdf[: match.start()] + new_id + pdf[match.end() :]


def handouts(names: list[str]) -> list[Path]:
    pages = sorted(p for p in SOURCES.glob("*.html") if not p.name.startswith("_"))
    if not names:
        return pages
    chosen = [p for p in pages if p.stem in names]
    unknown = set(names) - {p.stem for p in chosen}
    if unknown:
        sys.exit(f"no handout named {', '.join(sorted(unknown))} in {SOURCES}")
    return chosen


def print_handouts(pages: list[Path]) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        for source in pages:
            page.goto(source.as_uri())
            page.emulate_media(media="print")
            pdf = make_reproducible(
                page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            )
            if len(pdf) > MAX_BYTES:
                sys.exit(f"{source.name} printed to {len(pdf)} bytes, more than {MAX_BYTES}")
            target = OUTPUT / f"{source.stem}.pdf"
            target.write_bytes(pdf)
            print(f"{target.relative_to(ROOT)}  {len(pdf) // 1024} KB")
        browser.close()


if __name__ == "__main__":
    print_handouts(handouts(sys.argv[1:]))
