"""Progress bars on stderr for long steps; silent when quiet or when stderr is not a terminal."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class Progress:
    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def say(self, message: str) -> None:
        if not self.quiet:
            print(message, file=sys.stderr, flush=True)

    def bar(self, items: Iterable[T], total: int, label: str, unit: str = "item") -> Iterator[T]:
        if self.quiet or total == 0:
            yield from items
            return
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=label, file=sys.stderr, unit=unit, leave=False, dynamic_ncols=True)

    def counter(self, total: int | None, label: str, unit: str = "item") -> _Counter:
        """A bar advanced by hand (`advance(n)`, then `close()`), for work that finishes out of order
        (`total` None: not known in advance)."""
        if self.quiet or total == 0:
            return _Counter(None)
        from tqdm import tqdm

        return _Counter(tqdm(total=total, desc=label, file=sys.stderr, unit=unit, leave=False, dynamic_ncols=True))


class _Counter:
    def __init__(self, bar) -> None:
        self._bar = bar

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
