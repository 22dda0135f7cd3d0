"""Before/after for an extractor change: a git revision's `scraper/extract/` against the working tree's,
side by side in one process, same pages, alternating passes (plus the parse-only floor).

    uv run python -m bench.extract_ab [--rev HEAD] [--rounds 7]

The old package is written from `git show REV:scraper/extract/*.py` into a temporary folder under
another name, so both versions import at once. It also checks that both give identical records.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser

from bench.pages import Page, fixture_pages, scale_pages
from bench.report import save, spread_cell, table
from scraper.extract import extract_article

REPO = Path(__file__).resolve().parents[1]


def load_revision(rev: str, into: Path) -> Callable[..., object]:
    """The extract_article of `rev`, imported as package `extract_at_rev`."""
    package = into / "extract_at_rev"
    package.mkdir()
    listing = ["git", "ls-tree", "--name-only", f"{rev}:scraper/extract"]
    files = subprocess.run(listing, cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
    for name in files:
        if not name.endswith(".py"):
            continue
        source = subprocess.run(
            ["git", "show", f"{rev}:scraper/extract/{name}"], cwd=REPO, check=True, capture_output=True, text=True
        ).stdout
        (package / name).write_text(source.replace("scraper.extract", "extract_at_rev"), encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("extract_at_rev").extract_article  # type: ignore[no-any-return]


def rate(func: Callable[[Page], object], pages: Sequence[Page]) -> float:
    started = time.perf_counter()
    for page in pages:
        func(page)
    return len(pages) / (time.perf_counter() - started)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rev", default="HEAD")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--scale-pages", type=int, default=200)
    args = parser.parse_args(argv)
    pages = fixture_pages() + scale_pages(args.scale_pages)
    with tempfile.TemporaryDirectory() as tmp:
        old_extract = load_revision(args.rev, Path(tmp))
        tools: dict[str, Callable[[Page], object]] = {
            f"extractor at {args.rev}": lambda p: old_extract(p.raw, url=p.url, fetched_at=p.fetched_at),
            "extractor in the working tree": lambda p: extract_article(p.raw, url=p.url, fetched_at=p.fetched_at),
            "selectolax parse-only": lambda p: LexborHTMLParser(p.text).root,
        }
        names = list(tools)
        same = all(
            old_extract(p.raw, url=p.url, fetched_at=p.fetched_at).to_dict()  # type: ignore[attr-defined]
            == extract_article(p.raw, url=p.url, fetched_at=p.fetched_at).to_dict()
            for p in pages
        )
        rates: dict[str, list[float]] = {name: [] for name in names}
        for number in range(args.rounds):
            for name in names[number % 3 :] + names[: number % 3]:
                rates[name].append(rate(tools[name], pages))
    old, new, floor = (rates[n] for n in names)
    print(f"### {len(pages)} pages, {args.rounds} rounds; identical records: {same}")
    print(table(["extractor", "pages/s median (min–max)"], [[n, spread_cell(rates[n])] for n in names]))
    speedup = [b / a for a, b in zip(old, new, strict=True)]
    floor_ratio = [f / b for b, f in zip(new, floor, strict=True)]
    print(f"speed-up per round: {spread_cell(speedup, 2)}; floor ÷ new per round: {spread_cell(floor_ratio, 2)}")
    print(f"median ms per page: before {1000 / statistics.median(old):.2f}, after {1000 / statistics.median(new):.2f}")
    save("extract_ab", {"rev": args.rev, "pages": len(pages), "identical": same, "rates": rates})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
