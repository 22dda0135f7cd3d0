"""Extraction speed, one process, the same pages for every tool: pages per second, side by side.

    uv run --group bench python -m bench.extract_speed [--rounds 5] [--scale-pages 200]

Tools: our `extract_article` (every field, from the page's bytes: charset decoding included), the
record floor (the same parse plus building the known record: no search),
trafilatura `bare_extraction(with_metadata=True)`, newspaper4k `Article.download(input_html).parse()`
(both from already-decoded text), and selectolax/lexbor parse-only as the floor. Each round times one
pass of every tool over all pages, in a rotating order; the table gives median (min–max) over rounds
and the per-round ratios. Targets: ours >= 30x trafilatura, and >= 1/3 of the parse-only floor.

Also: the publication date, regex fast path (`parse_fast`) versus dateparser, microseconds per date.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time
import warnings
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from selectolax.lexbor import LexborHTMLParser

from bench.pages import Page, fixture_pages, scale_pages
from bench.report import fmt, save, spread, spread_cell, table
from scraper.encoding import markup_for_parser
from scraper.extract import extract_article
from scraper.extract.article import content_hash
from scraper.extract.dates import parse_fast, parse_with_dateparser
from scraper.models import Article

Tool = Callable[[Page], object]


def ours(page: Page) -> Article:
    return extract_article(page.raw, url=page.url, fetched_at=page.fetched_at)


def floor(page: Page) -> object:
    return LexborHTMLParser(page.text).root


def record_floor(pages: Sequence[Page]) -> Tool:
    """Parse the page as ours does (from bytes, charset included) and build its record from values known
    in advance, content hash included: what any extractor giving this record through selectolax costs
    before it searches for anything. Ours minus this is the cost of finding the fields."""
    records = {page.name: ours(page).to_dict() for page in pages}

    def build(page: Page) -> object:
        tree = LexborHTMLParser(markup_for_parser(page.raw, None, "windows-1251"))
        record = records[page.name]
        content_hash(record["headline"], record["body"])
        return tree.root, Article.from_dict(record)

    return build


def competitors() -> dict[str, Tool]:
    """trafilatura and newspaper4k, imported here so the module loads without the bench group."""
    warnings.filterwarnings("ignore", module="newspaper")
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
    logging.getLogger("newspaper").setLevel(logging.CRITICAL)
    try:
        from newspaper import Article as NewspaperArticle
        from trafilatura import bare_extraction
    except ImportError as exc:
        raise SystemExit(
            f"{exc.name} is not installed: run with the bench group (uv run --group bench python -m "
            "bench.extract_speed), or pass --only-ours"
        ) from None

    def trafilatura(page: Page) -> object:
        return bare_extraction(page.text, url=page.url, with_metadata=True)

    def newspaper4k(page: Page) -> object:
        article = NewspaperArticle(page.url, language="ru", fetch_images=False)
        article.download(input_html=page.text)
        article.parse()
        return article

    return {"trafilatura": trafilatura, "newspaper4k": newspaper4k}


def time_pass(tool: Tool, pages: Sequence[Page]) -> float:
    started = time.perf_counter()
    for page in pages:
        tool(page)
    return time.perf_counter() - started


def run_pages(tools: dict[str, Tool], pages: Sequence[Page], rounds: int) -> dict[str, list[float]]:
    """Pages per second of every tool in every round (tools in rotating order)."""
    for tool in tools.values():  # warm-up: imports, caches, lazy settings
        for page in pages[:5]:
            tool(page)
    names = list(tools)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for number in range(rounds):
        order = names[number % len(names) :] + names[: number % len(names)]
        for name in order:
            rates[name].append(len(pages) / time_pass(tools[name], pages))
    return rates


DATE_TEXTS = (
    "07 декабря 2025, 16:16",
    "18 августа 2025, 10:05",
    "Сегодня, 11:20",
    "Вчера, 22:36",
    "1 марта 2026 г., 09:00",
    "05.03.2026, 10:00",
)


def date_disagreements() -> list[tuple[str, str, str]]:
    """(text, fast path, dateparser) where the two read a date differently (also warms dateparser up)."""
    tz = ZoneInfo("Europe/Moscow")
    fetched = datetime(2026, 3, 5, 17, 0, tzinfo=tz)
    out = []
    for text in DATE_TEXTS:
        fast, slow = parse_fast(text, fetched, tz), parse_with_dateparser(text, fetched, tz)
        if fast != slow:
            out.append((text, str(fast), str(slow)))
    return out


def run_dates(rounds: int) -> dict[str, list[float]]:
    """Microseconds per date for the fast path and for dateparser, same texts."""
    tz = ZoneInfo("Europe/Moscow")
    fetched = datetime(2026, 3, 5, 17, 0, tzinfo=tz)
    result: dict[str, list[float]] = {"parse_fast": [], "dateparser": []}
    for _ in range(rounds):
        for name, func, repeat in (("parse_fast", parse_fast, 2000), ("dateparser", parse_with_dateparser, 50)):
            started = time.perf_counter()
            for _ in range(repeat):
                for text in DATE_TEXTS:
                    func(text, fetched, tz)
            result[name].append((time.perf_counter() - started) / (repeat * len(DATE_TEXTS)) * 1e6)
    return result


def ratio_cell(numerator: list[float], denominator: list[float]) -> str:
    ratios = [a / b for a, b in zip(numerator, denominator, strict=True)]
    return spread_cell(ratios, 2)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--scale-pages", type=int, default=200, help="scale-mirror pages besides the fixtures")
    parser.add_argument("--only-ours", action="store_true", help="our extractor and the floor only (no bench group)")
    args = parser.parse_args(argv)
    sets = {"fixtures": fixture_pages(), "scale": scale_pages(args.scale_pages)}
    sets["all"] = sets["fixtures"] + sets["scale"]
    tools: dict[str, Tool] = {
        "ours": ours,
        "record floor (parse + build the record, no search)": record_floor(sets["all"]),
        "selectolax parse-only": floor,
    }
    if not args.only_ours:
        tools.update(competitors())
    results: dict[str, dict[str, list[float]]] = {}
    for set_name, pages in sets.items():
        if set_name == "all":
            continue
        results[set_name] = run_pages(tools, pages, args.rounds)
    # The combined set's rate per round: total pages over total time of both sets.
    combined: dict[str, list[float]] = {}
    n_fix, n_scale = len(sets["fixtures"]), len(sets["scale"])
    for name in tools:
        combined[name] = [
            (n_fix + n_scale) / (n_fix / a + n_scale / b)
            for a, b in zip(results["fixtures"][name], results["scale"][name], strict=True)
        ]
    results["all"] = combined
    disagreements = date_disagreements()
    dates = run_dates(args.rounds)

    for set_name in ("fixtures", "scale", "all"):
        rates = results[set_name]
        rows = []
        for name in tools:
            row = [name, spread_cell(rates[name]), ratio_cell(rates["ours"], rates[name])]
            rows.append(row)
        print(f"\n### {set_name}: {len(sets[set_name])} pages, {args.rounds} rounds")
        print(table(["tool", "pages/s median (min–max)", "ours ÷ tool, per round"], rows))
    print("\n### dates, µs per date")
    print(
        table(
            ["parser", "µs/date median (min–max)"],
            [[name, spread_cell(values, 2)] for name, values in dates.items()],
        )
    )
    speedup = statistics.median(d / f for d, f in zip(dates["dateparser"], dates["parse_fast"], strict=True))
    print(f"dateparser ÷ fast path: {fmt(speedup)}x; texts: {', '.join(DATE_TEXTS)}")
    for text, fast, slow in disagreements:
        print(f"read differently: {text!r}: fast path {fast}, dateparser {slow}")
    all_rates = results["all"]
    verdicts = {}
    if "trafilatura" in all_rates:
        ratio = statistics.median(a / b for a, b in zip(all_rates["ours"], all_rates["trafilatura"], strict=True))
        verdicts["ours >= 30x trafilatura"] = (ratio, ratio >= 30)
    floor_ratio = statistics.median(
        f / a for a, f in zip(all_rates["ours"], all_rates["selectolax parse-only"], strict=True)
    )
    verdicts["floor within 3x of ours"] = (floor_ratio, floor_ratio <= 3)
    print()
    for target, (value, met) in verdicts.items():
        print(f"target {target}: {'MET' if met else 'MISSED'} ({value:.2f})")
    saved = save(
        "extract_speed",
        {
            "pages": {k: len(v) for k, v in sets.items()},
            "rates": results,
            "rate_spread": {s: {t: spread(v) for t, v in r.items()} for s, r in results.items()},
            "dates_us": dates,
            "date_disagreements": disagreements,
            "targets": {k: {"value": v, "met": m} for k, (v, m) in verdicts.items()},
        },
    )
    print(f"raw numbers: {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
