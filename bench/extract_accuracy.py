"""Extraction accuracy on every fixture page with an expected record, ours beside trafilatura and newspaper4k.

    uv run --group bench python -m bench.extract_accuracy

Columns (a field a tool does not produce is "not supported", never a zero):
- headline, photo credit: exact match after whitespace normalization;
- published_at: the same moment to the minute (the tool's date read in Moscow time when it has no
  offset); "date only" counts the day alone, for tools that give no time;
- body: F1 over words (lower-cased `\\w+` tokens, counted as a multiset), mean over pages;
- quotes: precision and recall of (text) and of (text, speaker) pairs, pooled over pages;
- sidebar: items whose title, time, resolved date and link are all right, over expected items.
"""

from __future__ import annotations

import argparse
import logging
import re
import warnings
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bench.pages import Page, fixture_pages
from bench.report import save, table
from scraper.extract import extract_article
from scraper.extract.text import normalize_space

MSK = ZoneInfo("Europe/Moscow")
WORD = re.compile(r"\w+")
NOT_SUPPORTED = "not supported"


def words(text: str | None) -> Counter[str]:
    return Counter(WORD.findall((text or "").lower()))


def f1(predicted: str | None, expected: str | None) -> float:
    p, e = words(predicted), words(expected)
    if not p and not e:
        return 1.0
    common = sum((p & e).values())
    if not common:
        return 0.0
    precision, recall = common / sum(p.values()), common / sum(e.values())
    return 2 * precision * recall / (precision + recall)


def moment(value: Any) -> datetime | None:
    """A tool's date as an aware datetime in Moscow time (naive values are taken as Moscow time)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=MSK)
    return parsed.astimezone(MSK)


def same_minute(value: Any, expected: str) -> bool:
    got = moment(value)
    return got is not None and got.replace(second=0, microsecond=0) == moment(expected).replace(second=0)  # type: ignore[union-attr]


def same_day(value: Any, expected: str) -> bool:
    got = moment(value)
    text = str(value or "")
    if got is None:
        return False
    # A date-only answer ("2025-12-07") is the day as written, not shifted by a time zone.
    day = got.date() if "T" in text or isinstance(value, datetime) else datetime.fromisoformat(text[:10]).date()
    return day == moment(expected).date()  # type: ignore[union-attr]


# --- what each tool says about a page -----------------------------------------------------------


def ours(page: Page) -> dict[str, Any]:
    record = extract_article(page.raw, url=page.url, fetched_at=page.fetched_at).to_dict()
    return {
        "headline": record["headline"],
        "published_at": record["published_at"],
        "photo_credit": record["photo_credit"],
        "body": record["body"],
        "quotes": record["quotes"],
        "sidebar": record["sidebar"],
    }


def trafilatura_fields(page: Page) -> dict[str, Any]:
    from trafilatura import bare_extraction

    # Ask for the time too (htmldate's output format), and the original (not updated) date.
    doc = bare_extraction(
        page.text,
        url=page.url,
        with_metadata=True,
        date_extraction_params={"original_date": True, "outputformat": "%Y-%m-%dT%H:%M"},
    )
    data = doc.as_dict() if doc is not None and hasattr(doc, "as_dict") else (doc or {})
    return {"headline": data.get("title"), "published_at": data.get("date"), "body": data.get("text")}


def newspaper_fields(page: Page) -> dict[str, Any]:
    from newspaper import Article as NewspaperArticle

    article = NewspaperArticle(page.url, language="ru", fetch_images=False)
    article.download(input_html=page.text)
    article.parse()
    return {"headline": article.title, "published_at": article.publish_date, "body": article.text}


# --- scoring ------------------------------------------------------------------------------------


def score(tool: str, results: Sequence[dict[str, Any]], pages: Sequence[Page]) -> dict[str, Any]:
    n = len(pages)
    out: dict[str, Any] = {"tool": tool}
    expected = [p.expected or {} for p in pages]
    out["headline"] = (
        sum(
            normalize_space(r.get("headline")) == normalize_space(e["headline"])
            for r, e in zip(results, expected, strict=True)
        )
        / n
    )
    out["published_at (minute)"] = (
        sum(same_minute(r.get("published_at"), e["published_at"]) for r, e in zip(results, expected, strict=True)) / n
    )
    out["published (day)"] = (
        sum(same_day(r.get("published_at"), e["published_at"]) for r, e in zip(results, expected, strict=True)) / n
    )
    out["body F1"] = sum(f1(r.get("body"), e["body"]) for r, e in zip(results, expected, strict=True)) / n
    if "photo_credit" in results[0]:
        out["photo credit"] = (
            sum(r["photo_credit"] == e["photo_credit"] for r, e in zip(results, expected, strict=True)) / n
        )
        tp_text = tp_pair = predicted = wanted = 0
        sidebar_right = sidebar_total = 0
        for r, e in zip(results, expected, strict=True):
            got_text = Counter(q["text"] for q in r["quotes"])
            want_text = Counter(q["text"] for q in e["quotes"])
            got_pair = Counter((q["text"], q["speaker"]) for q in r["quotes"])
            want_pair = Counter((q["text"], q["speaker"]) for q in e["quotes"])
            tp_text += sum((got_text & want_text).values())
            tp_pair += sum((got_pair & want_pair).values())
            predicted += len(r["quotes"])
            wanted += len(e["quotes"])
            got_items = Counter(tuple(sorted(item.items())) for item in r["sidebar"])
            want_items = Counter(tuple(sorted(item.items())) for item in e["sidebar"])
            sidebar_right += sum((got_items & want_items).values())
            sidebar_total += len(e["sidebar"])
            # Extra items on a page that has none count against it.
            sidebar_total += max(0, len(r["sidebar"]) - len(e["sidebar"]))
        out["quote text P/R"] = (tp_text / max(predicted, 1), tp_text / max(wanted, 1))
        out["quote text+speaker P/R"] = (tp_pair / max(predicted, 1), tp_pair / max(wanted, 1))
        out["sidebar items"] = sidebar_right / max(sidebar_total, 1)
        out["sidebar pages exact"] = (
            sum(r["sidebar"] == e["sidebar"] for r, e in zip(results, expected, strict=True)) / n
        )
    return out


COLUMNS = (
    "headline",
    "published_at (minute)",
    "published (day)",
    "photo credit",
    "body F1",
    "quote text P/R",
    "quote text+speaker P/R",
    "sidebar items",
    "sidebar pages exact",
)


def fields_behind(ours: dict[str, Any], others: Sequence[dict[str, Any]]) -> list[str]:
    """`tool: column` for every column where another tool scores higher than ours (each number of a P/R
    pair compared on its own; "not supported" is never ahead)."""
    behind = []
    for other in others:
        for column in COLUMNS:
            theirs, mine = other.get(column), ours.get(column)
            if theirs is None:
                continue
            pairs = zip(theirs, mine, strict=True) if isinstance(theirs, tuple) else [(theirs, mine)]
            if any(t > m for t, m in pairs):
                behind.append(f"{other['tool']}: {column}")
    return behind


def cell(value: Any) -> str:
    if value is None:
        return NOT_SUPPORTED
    if isinstance(value, tuple):
        return " / ".join(f"{v:.2f}" for v in value)
    return f"{value:.2f}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--only-ours", action="store_true")
    args = parser.parse_args(argv)
    pages = fixture_pages()
    tools = {"ours": ours}
    if not args.only_ours:
        warnings.filterwarnings("ignore", module="newspaper")
        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        logging.getLogger("htmldate").setLevel(logging.CRITICAL)
        tools.update({"trafilatura": trafilatura_fields, "newspaper4k": newspaper_fields})
    scores = []
    per_page: dict[str, list[dict[str, Any]]] = {}
    for name, tool in tools.items():
        results = [tool(page) for page in pages]
        per_page[name] = [
            {"page": p.name, **{k: str(v)[:200] for k, v in r.items()}} for p, r in zip(pages, results, strict=True)
        ]
        scores.append(score(name, results, pages))
    print(f"### accuracy on {len(pages)} fixture pages with expected records")
    print(table(["tool", *COLUMNS], [[s["tool"], *(cell(s.get(c)) for c in COLUMNS)] for s in scores]))
    if len(scores) > 1:
        behind = fields_behind(scores[0], scores[1:])
        verdict = "MISSED (behind on: " + ", ".join(behind) + ")" if behind else "MET"
        print(f"target ours at least as exact as every other tool on every field it has: {verdict}")
    saved = save("extract_accuracy", {"pages": [p.name for p in pages], "scores": scores, "per_page": per_page})
    print(f"raw numbers: {saved}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
