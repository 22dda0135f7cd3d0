"""Crawl benchmarks against the scale mirror: throughput versus Scrapy, incremental cost, scale, reextract.

    uv run --group bench python -m bench.crawl_bench throughput --articles 10000 --concurrency 4 --runs 3
    uv run --group bench python -m bench.crawl_bench incremental --articles 10000
    uv run --group bench python -m bench.crawl_bench scale --articles 100000
    uv run --group bench python -m bench.crawl_bench reextract --db bench/out/scale-100000/archive.db

The mirror is served in this process by scraper.mirror.MirrorServer (127.0.0.1, a free port), so its
request log says exactly which pages each crawler fetched. Each crawler runs as a child process
(`newsarchive crawl --full --delay 0` or bench/scrapy_spider.py), timed by wall clock; its peak RSS is
the child's own `ru_maxrss` from wait4. A mirror that is missing is generated first
(bench/scale_mirror.py). Every run is bounded by --timeout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench import scale_mirror
from bench.report import save, spread, spread_cell, table
from scraper.mirror import MirrorServer

OUT = Path(__file__).resolve().parent / "out"
VENV_BIN = Path(sys.executable).parent


def is_article_path(path: str) -> bool:
    parts = path.split("?")[0].strip("/").split("/")
    return len(parts) == 2 and parts[1].endswith(".html") and parts[1].split("-", 1)[0].isdigit()


@dataclass
class CrawlRun:
    """One crawler process, start to end."""

    tool: str
    seconds: float
    peak_rss_mb: float
    exit_code: int
    requests: int
    article_requests: int
    statuses: dict[str, int]
    articles_stored: int
    db_bytes: int
    warc_bytes: int
    samples: list[dict[str, float]] = field(default_factory=list)
    # Cut off by the time limit: its numbers describe part of a crawl, and no target is judged on them.
    stopped: bool = False

    @property
    def pages_per_s(self) -> float:
        return self.requests / self.seconds if self.seconds > 0 else 0.0

    @property
    def complete(self) -> bool:
        return not self.stopped and self.requests > 0


def ensure_mirror(articles: int) -> Path:
    root = scale_mirror.default_root(articles)
    manifest = root / scale_mirror.MANIFEST
    if not manifest.exists() or json.loads(manifest.read_text())["articles"] != articles:
        print(f"generating the {articles}-article mirror in {root}", flush=True)
        print(json.dumps(scale_mirror.build(root, articles)), flush=True)
    return root


def dir_bytes(path: Path) -> int:
    if not path.exists():
        return 0
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def count_articles(db: Path) -> int:
    if not db.exists():
        return 0
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30) as conn:
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def command_for(tool: str, base_url: str, db: Path, concurrency: int, extra: Sequence[str] = ()) -> list[str]:
    if tool == "ours":
        return [
            str(VENV_BIN / "newsarchive"),
            "crawl",
            "--base-url",
            base_url,
            "--db",
            str(db),
            "--delay",
            "0",
            "--concurrency",
            str(concurrency),
            "--quiet",
            *extra,
        ]
    if tool == "scrapy":
        return [
            sys.executable,
            "-m",
            "bench.scrapy_spider",
            "--base-url",
            base_url,
            "--db",
            str(db),
            "--concurrency",
            str(concurrency),
        ]
    raise ValueError(tool)


def run_crawler(
    tool: str,
    mirror: MirrorServer,
    db: Path,
    *,
    concurrency: int,
    timeout: float,
    extra: Sequence[str] = (),
    sample_every: float = 0.0,
) -> CrawlRun:
    """Run one crawler child against the mirror; stop it at `timeout` seconds."""
    mirror.reset_log()
    cmd = command_for(tool, mirror.base_url, db, concurrency, extra)
    started = time.monotonic()
    child = subprocess.Popen(cmd, cwd=Path(__file__).resolve().parents[1], stdout=subprocess.DEVNULL)
    samples: list[dict[str, float]] = []
    stop_sampling = threading.Event()

    def sample() -> None:
        import psutil

        proc = psutil.Process(child.pid)
        while not stop_sampling.wait(sample_every):
            try:
                rss = proc.memory_info().rss / 2**20
            except psutil.Error:
                return
            log = mirror.requests
            samples.append(
                {
                    "seconds": time.monotonic() - started,
                    "rss_mb": rss,
                    "requests": len(log),
                    "article_requests": sum(1 for r in log if is_article_path(r.path)),
                }
            )

    sampler = threading.Thread(target=sample, daemon=True) if sample_every else None
    if sampler:
        sampler.start()
    deadline = started + timeout
    status = rusage = None
    stopped = False
    while True:
        pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            stopped = True
            _, status, rusage = _stop(child)
            print(f"{tool}: stopped at the {timeout:.0f}s time limit (an incomplete run)", flush=True)
            break
        time.sleep(0.05)
    seconds = time.monotonic() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    stop_sampling.set()
    if sampler:
        sampler.join()
    log = mirror.requests
    statuses: dict[str, int] = {}
    for r in log:
        statuses[str(r.status)] = statuses.get(str(r.status), 0) + 1
    return CrawlRun(
        tool=tool,
        seconds=seconds,
        peak_rss_mb=rusage.ru_maxrss / 1024,
        exit_code=child.returncode,
        requests=len(log),
        article_requests=sum(1 for r in log if is_article_path(r.path)),
        statuses=statuses,
        articles_stored=count_articles(db),
        db_bytes=sum(dir_bytes(db.with_name(db.name + s)) for s in ("", "-wal", "-shm")),
        warc_bytes=dir_bytes(db.parent / "warc"),
        samples=samples,
        stopped=stopped,
    )


def _stop(child: subprocess.Popen[bytes], grace: float = 30.0) -> tuple[int, int, Any]:
    """SIGINT (a crawler's clean stop), then SIGKILL if it has not ended within `grace` seconds."""
    child.send_signal(signal.SIGINT)
    until = time.monotonic() + grace
    while time.monotonic() < until:
        pid, status, rusage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            return pid, status, rusage
        time.sleep(0.05)
    child.kill()
    return os.wait4(child.pid, 0)


def fresh_dir(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# --- 4. throughput --------------------------------------------------------------------------------


def throughput(args: argparse.Namespace) -> dict[str, Any]:
    root = ensure_mirror(args.articles)
    runs: dict[str, list[CrawlRun]] = {tool: [] for tool in args.tools}
    with MirrorServer(root) as mirror:
        for number in range(args.runs):
            order = args.tools if number % 2 == 0 else list(reversed(args.tools))
            for tool in order:
                work = fresh_dir(OUT / f"crawl-{tool}")
                run = run_crawler(
                    tool,
                    mirror,
                    work / "archive.db",
                    concurrency=args.concurrency,
                    timeout=args.timeout,
                    extra=["--full"] if tool == "ours" else (),
                )
                runs[tool].append(run)
                print(
                    f"run {number + 1} {tool}: {run.requests} requests ({run.article_requests} articles) in "
                    f"{run.seconds:.1f}s = {run.pages_per_s:.1f} pages/s, peak RSS {run.peak_rss_mb:.0f} MB, "
                    f"{run.articles_stored} stored, exit {run.exit_code}",
                    flush=True,
                )
    rows = []
    for tool, items in runs.items():
        last = items[-1]
        rows.append(
            [
                tool,
                spread_cell([r.pages_per_s for r in items]),
                spread_cell([r.seconds for r in items]),
                f"{last.requests} ({last.article_requests})",
                last.articles_stored,
                spread_cell([r.peak_rss_mb for r in items], 0),
                f"{last.db_bytes / 2**20:.1f}",
                f"{last.warc_bytes / 2**20:.1f}" if last.warc_bytes else "none written",
            ]
        )
    print(f"\n### full crawl of the {args.articles}-article mirror, concurrency {args.concurrency}, {args.runs} runs")
    print(
        table(
            [
                "crawler",
                "pages/s",
                "seconds",
                "requests (articles)",
                "articles stored",
                "peak RSS MB",
                "archive MB",
                "WARC MB",
            ],
            rows,
        )
    )
    result: dict[str, Any] = {"articles": args.articles, "concurrency": args.concurrency}
    if "ours" in runs and "scrapy" in runs:
        pairs = list(zip(runs["ours"], runs["scrapy"], strict=True))
        if all(o.complete and s.complete for o, s in pairs):
            ratios = [o.pages_per_s / s.pages_per_s for o, s in pairs]
            print(
                f"ours ÷ scrapy pages/s per run: {spread_cell(ratios, 2)}; target >= 1: "
                f"{'MET' if spread(ratios)['median'] >= 1 else 'MISSED'}"
            )
            result["ratio"] = ratios
        else:
            print("target >= 1: NOT JUDGED: a crawl was stopped by --timeout or made no request; rerun with more time")
    result["runs"] = {tool: [vars(r) for r in items] for tool, items in runs.items()}
    return result


# --- 5. incremental -------------------------------------------------------------------------------


def incremental(args: argparse.Namespace) -> dict[str, Any]:
    """A full crawl, a second run with nothing new, then a run after `--new` articles were added."""
    base = ensure_mirror(args.articles)
    root = OUT / f"mirror-{args.articles}-incremental"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(base, root)
    work = fresh_dir(OUT / "crawl-incremental")
    db = work / "archive.db"
    results: dict[str, Any] = {}
    with MirrorServer(root) as mirror:
        steps = [("full crawl", ["--full"]), ("second run, nothing new", []), (f"after {args.new} new articles", [])]
        for name, extra in steps:
            if name.startswith("after"):
                print(json.dumps(scale_mirror.add(root, args.new)), flush=True)
            run = run_crawler("ours", mirror, db, concurrency=args.concurrency, timeout=args.timeout, extra=extra)
            kinds: dict[str, int] = {}
            for r in mirror.requests:
                kind = "article" if is_article_path(r.path) else r.path
                kinds[kind] = kinds.get(kind, 0) + 1
            results[name] = {**vars(run), "by_path": kinds}
            others = {k: v for k, v in kinds.items() if k != "article"}
            print(
                f"{name}: {run.requests} requests, {run.article_requests} article pages, {run.seconds:.1f}s, "
                f"statuses {run.statuses}; other pages: {others if len(others) < 30 else len(others)}",
                flush=True,
            )
    rows = [
        [name, r["requests"], r["article_requests"], r["requests"] - r["article_requests"], f"{r['seconds']:.1f}"]
        for name, r in results.items()
    ]
    print(f"\n### incremental runs on the {args.articles}-article mirror")
    print(table(["run", "requests", "article pages", "other pages", "seconds"], rows))
    second, after = results["second run, nothing new"], results[f"after {args.new} new articles"]
    if all(not r["stopped"] for r in results.values()):
        print(
            f"target second run fetches no article page: {verdict(second['article_requests'] == 0)} "
            f"({second['article_requests']}; other pages {second['requests'] - second['article_requests']})"
        )
        print(
            f"target run after {args.new} new articles fetches exactly {args.new} article pages: "
            f"{verdict(after['article_requests'] == args.new)} ({after['article_requests']})"
        )
    else:
        print("targets NOT JUDGED: a run was stopped by --timeout; rerun with a longer one")
    return {"articles": args.articles, "new": args.new, "runs": results}


def verdict(met: bool) -> str:
    return "MET" if met else "MISSED"


# --- 6. scale -------------------------------------------------------------------------------------


def scale(args: argparse.Namespace) -> dict[str, Any]:
    """One full crawl of the big mirror, sampled every few seconds; then search and export timed."""
    root = ensure_mirror(args.articles)
    work = fresh_dir(OUT / f"scale-{args.articles}")
    db = work / "archive.db"
    with MirrorServer(root) as mirror:
        run = run_crawler(
            "ours",
            mirror,
            db,
            concurrency=args.concurrency,
            timeout=args.timeout,
            extra=["--full"],
            sample_every=args.sample_every,
        )
    print(
        f"crawl: {run.requests} requests ({run.article_requests} articles) in {run.seconds:.1f}s, "
        f"peak RSS {run.peak_rss_mb:.0f} MB, {run.articles_stored} stored, exit {run.exit_code}",
        flush=True,
    )
    milestones = []
    marks = sorted({m for m in args.marks if m < args.articles} | {args.articles})
    for mark in marks:
        hit = next((s for s in run.samples if s["article_requests"] >= mark), None)
        if hit is None:
            continue
        peak = max(s["rss_mb"] for s in run.samples if s["seconds"] <= hit["seconds"])
        milestones.append({"articles": mark, "seconds": hit["seconds"], "peak_rss_mb": peak, "rss_mb": hit["rss_mb"]})
    queries = {}
    newsarchive = str(VENV_BIN / "newsarchive")
    for name, cmd in (
        ("search 'бюджет'", [newsarchive, "search", "бюджет", "--db", str(db), "--limit", "20"]),
        (
            "search 'Курбатов --speaker'",
            [newsarchive, "search", "набережной", "--speaker", "Курбатов", "--db", str(db)],
        ),
        ("export jsonl", [newsarchive, "export", "--db", str(db), "--out", str(work / "export.jsonl")]),
    ):
        started = time.monotonic()
        done = subprocess.run(cmd, capture_output=True, timeout=args.timeout)
        queries[name] = {
            "seconds": time.monotonic() - started,
            "exit": done.returncode,
            "stderr": done.stderr[-300:].decode(),
        }
        print(f"{name}: {queries[name]['seconds']:.2f}s exit {done.returncode}", flush=True)
    rows = [
        [
            m["articles"],
            f"{m['seconds']:.0f}",
            f"{m['seconds'] / m['articles'] * 1000:.1f}",
            f"{m['rss_mb']:.0f}",
            f"{m['peak_rss_mb']:.0f}",
        ]
        for m in milestones
    ]
    print(f"\n### scale: full crawl of the {args.articles}-article mirror, concurrency {args.concurrency}")
    print(table(["articles fetched", "seconds", "ms per article", "RSS MB then", "peak RSS MB so far"], rows))
    if run.stopped or len(milestones) < len(marks):
        print("targets NOT JUDGED: the crawl was stopped by --timeout before the last mark")
    elif len(milestones) > 1:
        first, last = milestones[0], milestones[-1]
        growth = (last["seconds"] / last["articles"]) / (first["seconds"] / first["articles"])
        rss = [m["rss_mb"] for m in milestones]
        peak = run.peak_rss_mb  # the kernel's ru_maxrss: the true peak, not a sample
        print(
            f"target time linear (ms per article at the last mark ÷ at the first <= 1.2): "
            f"{verdict(growth <= 1.2)} ({growth:.2f})"
        )
        print(f"target peak RSS < 300 MB: {verdict(peak < 300)} ({peak:.0f} MB, ru_maxrss)")
        print(
            f"target RSS flat (RSS at the marks within 20% of each other): "
            f"{verdict(max(rss) <= 1.2 * min(rss))} ({min(rss):.0f}–{max(rss):.0f} MB)"
        )
    else:
        print("targets NOT JUDGED: one mark only; pass --marks with at least two sizes below --articles")
    per_article = (run.db_bytes + run.warc_bytes) / max(run.articles_stored, 1)
    print(
        f"archive {run.db_bytes / 2**20:.0f} MB + WARC {run.warc_bytes / 2**20:.0f} MB for {run.articles_stored} "
        f"articles = {per_article / 1024:.1f} KiB per article ({run.db_bytes / max(run.articles_stored, 1) / 1024:.1f} "
        "KiB archive only)"
    )
    return {"articles": args.articles, "run": vars(run), "milestones": milestones, "queries": queries}


# --- 7. reextract ---------------------------------------------------------------------------------


def reextract(args: argparse.Namespace) -> dict[str, Any]:
    db = Path(args.db)
    if not db.is_file():
        raise SystemExit(f"no archive at {db}: run `python -m bench.crawl_bench scale` first, or pass --db")
    cmd = [str(VENV_BIN / "newsarchive"), "reextract", "--db", str(db)]
    with tempfile.TemporaryFile() as stdout, tempfile.TemporaryFile() as stderr:
        started = time.monotonic()
        child = subprocess.Popen(cmd, stdout=stdout, stderr=stderr)  # files, not pipes: nothing can fill up
        _, status, rusage = os.wait4(child.pid, 0)
        seconds = time.monotonic() - started
        stdout.seek(0)
        stderr.seek(0)
        out, err = stdout.read().decode(), stderr.read().decode()
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"reextract failed (exit {os.waitstatus_to_exitcode(status)}): {err.strip()[-500:]}")
    articles = count_articles(db)
    print(
        f"reextract: {seconds:.1f}s for {articles} articles = {articles / seconds:.0f} articles/s, "
        f"peak RSS {rusage.ru_maxrss / 1024:.0f} MB, exit {os.waitstatus_to_exitcode(status)}"
    )
    print(out.strip(), err.strip()[-500:])
    return {"seconds": seconds, "articles": articles, "peak_rss_mb": rusage.ru_maxrss / 1024, "summary": out}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="what", required=True)
    for name in ("throughput", "incremental", "scale"):
        p = sub.add_parser(name)
        p.add_argument("--articles", type=int, default=100_000 if name == "scale" else 10_000)
        p.add_argument("--concurrency", type=int, default=4)
        p.add_argument("--timeout", type=float, default=3600, help="seconds before a crawler is stopped")
    sub.choices["throughput"].add_argument("--runs", type=int, default=3)
    sub.choices["throughput"].add_argument("--tools", nargs="+", default=["ours", "scrapy"])
    sub.choices["incremental"].add_argument("--new", type=int, default=50)
    sub.choices["scale"].add_argument("--sample-every", type=float, default=5.0)
    sub.choices["scale"].add_argument("--marks", type=int, nargs="+", default=[10_000, 25_000, 50_000, 100_000])
    p = sub.add_parser("reextract")
    p.add_argument("--db", required=True)
    args = parser.parse_args(argv)
    result = {"throughput": throughput, "incremental": incremental, "scale": scale, "reextract": reextract}[args.what](
        args
    )
    suffix = f"-{args.articles}" if hasattr(args, "articles") else ""
    print(f"raw numbers: {save(f'crawl_{args.what}{suffix}', {'args': vars(args), **result})}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
