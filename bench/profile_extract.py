"""The extractor under a profiler: 5 passes of `bench.extract_speed.ours` over the 215 benchmark pages.

    uv run --group bench pyinstrument -i 0.0005 -m bench.profile_extract

Run from another checkout's root (e.g. a `git worktree` of an older commit) to profile that revision's
extractor on the same pages.
"""

from __future__ import annotations

from bench.extract_speed import ours
from bench.pages import fixture_pages, scale_pages

PASSES = 5


def main() -> None:
    pages = fixture_pages() + scale_pages(200)
    for _ in range(PASSES):
        for page in pages:
            ours(page)


if __name__ == "__main__":
    main()
