"""What long steps tell the user on stderr: messages, warnings, details and progress bars.

- `say`: what is happening (`building the index …`) and what a build did; silenced by `-q`;
- `warn`: a file skipped or read with a fallback (`warning: …`); silenced by `-q`, always recorded;
- `note`: what was asked for and did not happen (an --llm reply not used): like an error, never silenced;
- `detail`: only with `--verbose` (which files were parsed, reused, skipped and why);
- `bar`: a tqdm bar, only when stderr is a terminal (a log file gets no carriage-return noise).

Errors are not printed here: they end the command with a one-line `Error:` (see qa.cli).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class Progress:
    def __init__(
        self, quiet: bool = False, verbose: bool = False, stream: TextIO | None = None, messages: bool = True
    ) -> None:
        self.quiet = quiet
        self.messages = messages  # False: keep `say` and bars quiet (stdout is JSON) but still warn
        self.verbose = verbose and not quiet
        self._stream = stream
        self.warnings: list[str] = []
        self.reports: list = []  # the BuildReport of every build this run did

    @property
    def stream(self) -> TextIO:
        return self._stream or sys.stderr  # looked up late: CliRunner swaps sys.stderr per run

    def _print(self, message: str) -> None:
        print(message, file=self.stream, flush=True)

    def say(self, message: str) -> None:
        if self.messages and not self.quiet:
            self._print(message)

    def warn(self, message: str) -> None:
        self.warnings.append(message)
        if not self.quiet:
            self._print(f"warning: {message}")

    def note(self, message: str) -> None:
        """Something asked for did not happen (an --llm reply not used): said even with -q."""
        self._print(f"note: {message}")

    def detail(self, message: str) -> None:
        if self.verbose:
            self._print(message)

    def built(self, report) -> None:
        """A build finished: say what it did (and remember it for --verbose)."""
        self.reports.append(report)
        self.say(report.summary())

    def on_terminal(self) -> bool:
        try:
            return self.stream.isatty()
        except (AttributeError, ValueError):
            return False

    def bar(self, items: Iterable[T], total: int, label: str, unit: str = "item") -> Iterator[T]:
        if self.quiet or not self.messages or total == 0 or not self.on_terminal():
            yield from items
            return
        from tqdm import tqdm

        yield from tqdm(items, total=total, desc=label, file=self.stream, unit=unit, leave=False, dynamic_ncols=True)

    def counter(self, total: int | None, label: str, unit: str = "item") -> _Counter:
        """A bar advanced by hand (`advance(n)`, then `close()`), for work that finishes out of order
        (`total` None: not known in advance)."""
        if self.quiet or not self.messages or total == 0 or not self.on_terminal():
            return _Counter(None)
        from tqdm import tqdm

        return _Counter(tqdm(total=total, desc=label, file=self.stream, unit=unit, leave=False, dynamic_ncols=True))


class _Counter:
    def __init__(self, bar) -> None:
        self._bar = bar

    def advance(self, n: int) -> None:
        if self._bar is not None:
            self._bar.update(n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
