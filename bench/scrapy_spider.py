"""The Scrapy project a user would write instead of `newsarchive crawl --full`: the crawl benchmark's rival.

    uv run --group bench python -m bench.scrapy_spider --base-url http://127.0.0.1:PORT --db PATH [--concurrency 4]

It fetches the pages our full crawl fetches (robots.txt, `/rss.xml`, the sitemap index and its
urlsets, the home and category listings with every pagination page, every article they and the
article pages' sidebars link to) and stores the same records in SQLite: each article page goes
through our `extract_article` and `Archive.upsert_article` in an item pipeline, so the comparison is
of the crawl machinery (Twisted + Scrapy's scheduler versus asyncio + httpx + our SQLite frontier),
not of extractors. What it does not do, and ours does: write WARC files, keep a resumable frontier,
log every fetch to the archive, conditional requests.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess
from scrapy.http import Response

from scraper.extract import extract_article
from scraper.sites import default_profile
from scraper.store import Archive

SITE_ORIGIN = "http://2018.vybor-naroda.org"
ARTICLE_PATH = re.compile(r"^/[a-z0-9_-]+/\d+-[^/]*\.html$")
LISTING_PATH = re.compile(r"^/(?:[a-z0-9_-]+/)?(?:page/\d+/)?$")


class PortalSpider(scrapy.Spider):
    name = "portal"

    def __init__(self, base_url: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.base_url = base_url.rstrip("/")

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(f"{self.base_url}/rss.xml", callback=self.parse_feed)
        yield scrapy.Request(f"{self.base_url}/", callback=self.parse_listing)
        yield scrapy.Request(f"{self.base_url}/sitemap.xml", callback=self.parse_sitemap)

    def _path(self, url: str) -> str | None:
        return url[len(self.base_url) :].split("?", 1)[0] if url.startswith(self.base_url) else None

    def _follow(self, response: Response, urls: Sequence[str]) -> Iterator[scrapy.Request]:
        for href in urls:
            url = response.urljoin(href)
            path = self._path(url)
            if path is None or "print:page" in path:
                continue
            if ARTICLE_PATH.match(path):
                yield scrapy.Request(url, callback=self.parse_article)
            elif LISTING_PATH.match(path):
                yield scrapy.Request(url, callback=self.parse_listing)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        response.selector.remove_namespaces()
        yield from self._follow(response, response.xpath("//item/link/text()").getall())

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        response.selector.remove_namespaces()
        if response.xpath("/sitemapindex"):
            for loc in response.xpath("//sitemap/loc/text()").getall():
                yield scrapy.Request(response.urljoin(loc), callback=self.parse_sitemap)
            return
        yield from self._follow(response, response.xpath("//url/loc/text()").getall())

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        # Stories and pagination in the main column, the menu's category pages, the sidebar's articles.
        yield from self._follow(response, response.css("a::attr(href)").getall())

    def parse_article(self, response: Response) -> Iterator[Any]:
        body = response.body.replace(self.base_url.encode("ascii"), SITE_ORIGIN.encode("ascii"))
        url = SITE_ORIGIN + (self._path(response.url) or "")
        charset = response.headers.get(b"Content-Type", b"").decode("latin-1").partition("charset=")[2] or None
        yield {"body": body, "url": url, "charset": charset}
        yield from self._follow(response, response.css("a::attr(href)").getall())


class ArchivePipeline:
    """Extract and store each article page: the same records `newsarchive crawl` stores."""

    def __init__(self, db: str) -> None:
        self.db = Path(db)
        self.archive: Archive | None = None

    @classmethod
    def from_crawler(cls, crawler: Any) -> ArchivePipeline:
        return cls(crawler.settings.get("ARCHIVE_DB"))

    def open_spider(self) -> None:
        self.archive = Archive.open(self.db)

    def close_spider(self) -> None:
        if self.archive is not None:
            self.archive.close()

    def process_item(self, item: dict[str, Any]) -> dict[str, Any]:
        assert self.archive is not None
        fetched_at = datetime.now(UTC).isoformat(timespec="seconds")
        article = extract_article(
            item["body"],
            url=item["url"],
            fetched_at=fetched_at,
            profile=default_profile(),
            header_charset=item["charset"],
        )
        self.archive.upsert_article(article, seen_at=article.fetched_at)
        return {"url": item["url"]}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--log-level", default="WARNING")
    args = parser.parse_args(argv)
    process = CrawlerProcess(
        settings={
            "BOT_NAME": "portal-bench",
            "ROBOTSTXT_OBEY": True,
            "CONCURRENT_REQUESTS": args.concurrency,
            "CONCURRENT_REQUESTS_PER_DOMAIN": args.concurrency,
            "DOWNLOAD_DELAY": 0,
            "AUTOTHROTTLE_ENABLED": False,
            "COOKIES_ENABLED": False,
            "TELNETCONSOLE_ENABLED": False,
            "EXTENSIONS": {"scrapy.extensions.remote_control.RemoteControl": None},
            "LOG_LEVEL": args.log_level,
            "ITEM_PIPELINES": {"bench.scrapy_spider.ArchivePipeline": 300},
            "ARCHIVE_DB": args.db,
        }
    )
    process.crawl(PortalSpider, base_url=args.base_url)
    process.start()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
