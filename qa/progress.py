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
