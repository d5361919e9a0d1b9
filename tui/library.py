"""What the app and the CLI say about the library of sources: one line a problem, with the
command that fixes it."""

from __future__ import annotations

import shlex

from nato_browse.index import BuildReport, SourceInfo

_WHAT = {
    "missing": "is missing",
    "unreadable": "cannot be read (permission denied)",
    "empty": "gives no documents",
    "not indexed": "was not read",
}


def remove_command(path: str) -> str:
    """The command that takes `path` out of the library, ready to paste into a shell."""
    return f"nato-browse remove {shlex.quote(path)}"


def source_problem(source: SourceInfo) -> str:
    """One line on a source that could not be read, and what its documents became."""
    what = _WHAT.get(source.status, source.status)
    kept = f"kept {source.documents:,} documents" if source.documents else "nothing indexed from it"
    return f"{source.path} {what}: {kept} (`{remove_command(source.path)}` drops it)"


def report_problems(report: BuildReport) -> list[str]:
    """The paths of a run that were not added, and the sources it could not read."""
    problems = [f"{s.path}: {s.reason}: not added to the library" for s in report.not_added]
    problems += [source_problem(s) for s in report.sources if s.status != "ok"]
    return problems
