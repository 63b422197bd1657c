"""What a build did, file by file, for `--verbose`: parsed, reused, skipped (and why), kept, removed.

Composed after the build from its BuildReport, the index it left and the warnings it gave, so
the build itself needs no verbose mode of its own.
"""

from __future__ import annotations

import re

from qa import counts

_SKIPPING = re.compile(r"^skipping (.+?): (.+)$")
EARLIER = "skipped by an earlier build, unchanged since"


def skip_reasons(warnings: list[str]) -> dict[str, str]:
    """`skipping NAME: reason` warnings by file name."""
    return {m.group(1): m.group(2) for m in map(_SKIPPING.match, warnings) if m}


def file_lines(report, snapshot, warnings: list[str]) -> list[str]:
    """One line per corpus file: `parsed   alpha.txt (added): 6 paragraphs in 4 sections`."""
    docs = {name: entry.get("doc") for name, entry in snapshot.manifest.get("files", {}).items()}
    sizes = counts.per_document(snapshot.paragraphs)
    reasons = skip_reasons(warnings)
    skipped = set(report.skipped)

    def size(name: str) -> str:
        c = sizes.get(docs.get(name, ""))
        return counts.in_sections(c) if c else ""

    lines: list[tuple[str, str]] = []
    for name in report.added + report.changed:
        if name not in skipped:
            state = "added" if name in report.added else "changed"
            lines.append((name, f"parsed   {name} ({state}): {size(name)}"))
    for name in report.unchanged:
        if name in report.kept:
            lines.append((name, f"kept     {name}: cannot be read now, its indexed copy stays ({size(name)})"))
        elif name not in skipped:
            lines.append((name, f"reused   {name} (unchanged): {size(name)}"))
    for name in skipped:
        lines.append((name, f"skipped  {name}: {reasons.get(name, EARLIER)}"))
    for name in report.removed:
        lines.append((name, f"removed  {name}"))
    listed = {name for name, _ in lines}
    for name, reason in reasons.items():  # found while listing the folder: never a candidate
        if name not in listed:
            lines.append((name, f"skipped  {name}: {reason}"))
    return [line for _, line in sorted(lines)]
