"""A maximum number of pages per document, enforced while WeasyPrint lays the pages out.

A template that writes 30,000 pages would otherwise be laid out whole (minutes, gigabytes)
before anything could count them. WeasyPrint logs each page it makes on its progress logger
(`Step 5 - Creating layout - Page N`), so a filter on that logger stops the layout at the first
page past the limit, raising through WeasyPrint's layout loop.
"""

from __future__ import annotations

import logging
import threading
from contextlib import contextmanager
from typing import Iterator

PROGRESS = logging.getLogger("weasyprint.progress")
_limits = threading.local()


class TooManyPages(Exception):
    """The document has more pages than its limit."""


class _PageCounter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        limit = getattr(_limits, "pages", None)
        if limit is not None and record.msg.startswith("Step 5 - Creating layout - Page") and record.args:
            page = record.args[0] if isinstance(record.args, tuple) else None
            if isinstance(page, int) and page > limit:
                raise TooManyPages(f"the document has more than {limit:,} pages ({_limits.describe})")
        return True


_COUNTER = _PageCounter()


@contextmanager
def at_most(limit: int, describe: str) -> Iterator[None]:
    """Stop WeasyPrint's layout (in this thread) at page `limit + 1`."""
    if _COUNTER not in PROGRESS.filters:
        PROGRESS.addFilter(_COUNTER)
    # The progress logger must let INFO through for the filter to see the pages; its records
    # reach only the NullHandler WeasyPrint gives its logger unless the user configured logging.
    level = PROGRESS.level
    if not PROGRESS.isEnabledFor(logging.INFO):
        PROGRESS.setLevel(logging.INFO)
    previous = getattr(_limits, "pages", None), getattr(_limits, "describe", "")
    _limits.pages, _limits.describe = limit, describe
    try:
        yield
    finally:
        _limits.pages, _limits.describe = previous
        PROGRESS.setLevel(level)
