"""newsarchive: crawl a news portal into a normalized, deduplicated SQLite archive.

The pipeline, one module per stage:

    fetch.py      HTTP with politeness, retries, charset decoding      -> FetchResult
    discover.py   feeds, listings, calendar, sitemaps                  -> article URLs
    extract/      one page's HTML                                      -> Article record
    store.py      Article records                                      -> SQLite archive
    crawl.py      the one module that drives all of the above

`sites/` holds the per-portal profiles (TOML data, no code).
"""

__version__ = "0.1.0"
