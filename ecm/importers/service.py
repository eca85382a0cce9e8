"""Importing several files in turn: the one loop behind ``python -m ecm import`` and the Data
sources page's upload, so both load, reject and refresh the same way.

Each file is imported all or nothing (:func:`ecm.importers.import_file`); a rejected file
changes nothing and the others still load. Similar-school comparisons are rebuilt once, after
the last file, when any file loaded school figures: rebuilding after each file of a folder
would repeat the same national work for every file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from ecm.errors import DataError
from ecm.figures.school_pools import refresh_school_benchmarks
from ecm.importers import Progress, import_file
from ecm.importers.writer import ImportOutcome


@dataclass(frozen=True)
class FileResult:
    """What became of one file: its outcome, or the error that rejected it (nothing from a
    rejected file was stored)."""

    path: Path
    outcome: ImportOutcome | None = None
    error: DataError | None = None

    @property
    def rejected(self) -> bool:
        """Whether the file was rejected."""
        return self.error is not None


@dataclass(frozen=True)
class ImportRun:
    """Every file's result, in the order given, and whether similar schools were rebuilt."""

    files: list[FileResult]
    benchmarks_refreshed: bool

    @property
    def rejected(self) -> int:
        """How many files were rejected."""
        return sum(result.rejected for result in self.files)


def import_files(
    engine: Engine,
    paths: Iterable[Path | str],
    format_name: str = "auto",
    period: str | None = None,
    dry_run: bool = False,
    *,
    user: str = "command line",
    progress: Callable[[Path], Progress] | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    restricted: bool = False,
) -> ImportRun:
    """Import each file in turn, all or nothing per file, then rebuild similar schools once.

    ``progress`` gives, for each file, where its stages are reported (a terminal line, a
    progress bar); ``on_result`` hears each file's result as soon as it is known, so a caller
    can say what happened before the next file starts. A :class:`DataError` rejects only its
    file; any other error stops the run.
    """
    results: list[FileResult] = []
    schools_loaded = False
    try:
        for given in paths:
            path = Path(given)
            try:
                outcome = import_file(
                    engine,
                    path,
                    format_name,
                    period,
                    dry_run,
                    user=user,
                    progress=progress(path) if progress else _silent,
                    refresh_benchmarks=False,
                    restricted=restricted,
                )
            except DataError as error:
                result = FileResult(path, error=error)
            else:
                result = FileResult(path, outcome=outcome)
                schools_loaded |= outcome.status == "loaded" and outcome.has_schools
            results.append(result)
            if on_result:
                on_result(result)
    finally:
        # Files already loaded stay loaded if a later one fails unexpectedly: their schools
        # still need the similar-school comparisons rebuilt.
        if schools_loaded:
            with engine.begin() as connection:
                refresh_school_benchmarks(connection)
    return ImportRun(results, schools_loaded)


def files_in(paths: Iterable[Path | str]) -> list[Path]:
    """The files to import: each file as given, and every file inside each folder given
    (its subfolders too; in each folder provisional, then revised, then final releases, each in
    name order), leaving out hidden files and folders (``.git``, ``.DS_Store``).
    FileNotFoundError names the first path that is neither, or a folder with no files."""
    files: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            inside = (p for p in path.rglob("*") if p.is_file())
            visible = (
                p for p in inside if not any(n.startswith(".") for n in p.relative_to(path).parts)
            )
            found = sorted(visible, key=_release_order)
            if not found:
                raise FileNotFoundError(f"{given}: the folder holds no files")
            files += found
        else:
            raise FileNotFoundError(f"{given}: no such file or folder")
    return files


#: DfE releases a year's figures provisional, then revised, then final; a later file of the
#: same year replaces the earlier one's figures, so a folder is read in that order.
RELEASE_STAGES = ("provisional", "revised", "final")


def _release_order(path: Path) -> tuple:
    """Sort key: the folder, then the release stage named in the file name (unnamed stages
    count as final), then the name."""
    name = path.name.lower()
    stage = next((i for i, s in enumerate(RELEASE_STAGES) if s in name), len(RELEASE_STAGES) - 1)
    return (str(path.parent), stage, name)


def _silent(_fraction: float, _message: str) -> None:
    """No progress to report."""
