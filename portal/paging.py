"""Paging that never counts the whole result.

Django's Paginator runs COUNT(*) on every request to say "page 3 of 412"; on a large
table that count costs more than the page itself. Here a page fetches one row more
than it shows, which is enough to say whether there is a next page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode


@dataclass
class Page:
    object_list: list
    number: int
    has_next: bool
    params: dict

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    def _url(self, number: int) -> str:
        return "?" + urlencode({**{k: v for k, v in self.params.items() if v}, "page": number})

    @property
    def next_url(self) -> str:
        return self._url(self.number + 1)

    @property
    def previous_url(self) -> str:
        return self._url(self.number - 1)


def page_number(raw) -> int:
    """The page asked for; anything that is not a positive number is page 1."""
    try:
        return max(1, min(int(raw), 10_000))
    except (TypeError, ValueError):
        return 1


def get_page(queryset, raw_number, size: int, **params) -> Page:
    """One page of `queryset` (already ordered); `params` are kept in the page links."""
    number = page_number(raw_number)
    start = (number - 1) * size
    rows = list(queryset[start:start + size + 1])
    return Page(object_list=rows[:size], number=number, has_next=len(rows) > size, params=params)
