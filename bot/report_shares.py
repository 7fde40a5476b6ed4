"""``trimtab report --format json`` for a large tenant, measured by several processes.

Measuring and writing 2,000 teams × 26 weeks is about 3.5 s of CPU in one process. The
teams are cut into contiguous shares (:func:`plan_shares`); forked processes measure
theirs (:class:`adoption.report.RollupMeasure`) and write each team's JSON
(:func:`adoption.report_formats.team_json`) to a file of their own, handing back their
health bands and tenant sums; this process measures the first share meanwhile, adds the
others' sums and writes the report's frame around the shares' files, in order: the
same bytes as measuring in one process (tested).

Forked processes share the decoded rollups copy-on-write, so nothing is read or sent
twice. A share whose process fails is measured here: slower, never lost. Callers use
this only where ``fork`` exists and their process has no other thread
(:func:`can_fork`), for JSON from rollups (see ``bot/cli_report.py``).
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import pickle
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from adoption.report import ReportInputs, RollupMeasure, TeamReport, count_bands, finish_report
from adoption.report_formats import json_frame, team_json
from adoption.report_rollups import TenantWeeks

__all__ = ["MIN_SHARE", "can_fork", "default_workers", "json_in_shares", "plan_shares"]

MIN_SHARE = 100  # teams: below this a process costs more than it saves
_BLOCK = 1 << 20


def default_workers() -> int:
    """The CPUs this process may run on, at most 8."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


def can_fork() -> bool:
    """``fork`` exists and no other thread runs (a forked child would inherit none of
    them, and any lock one of them held)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


def plan_shares(teams: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous ``(start, stop)`` team ranges: ``workers`` of them at most, each of at
    least :data:`MIN_SHARE` teams (one share for a small tenant)."""
    count = max(1, min(workers, teams // MIN_SHARE))
    bounds = [teams * k // count for k in range(count + 1)]
    return list(itertools.pairwise(bounds))


@dataclass
class _Measured:
    bands: dict[str, int]
    tenant: TenantWeeks


def _measure(inputs: ReportInputs, start: int, stop: int, out: TextIO) -> _Measured:
    """Teams ``start``..``stop`` measured, their JSON written to ``out`` (each after a
    comma but the report's first)."""
    measure = RollupMeasure(inputs)

    def written() -> Iterator[TeamReport]:  # each report dropped once written and counted
        for i in range(start, stop):
            report = measure.team(inputs.teams[i])
            out.write(("," if i else "") + team_json(report))
            yield report

    return _Measured(count_bands(written()), measure.tenant)


def _share(inputs: ReportInputs, start: int, stop: int, text: Path) -> None:
    """A forked process's work: the share's text, then its bands and sums beside it."""
    with text.open("w", encoding="utf-8") as out:
        measured = _measure(inputs, start, stop, out)
    text.with_suffix(".sums").write_bytes(pickle.dumps(measured))


def json_in_shares(inputs: ReportInputs, workers: int, scratch: Path) -> Iterator[str]:
    """The report's JSON text in pieces (:func:`~adoption.report_formats.render_chunks`'s
    bytes), its teams measured by up to ``workers`` processes; share files go in
    ``scratch``, which must outlive the iteration."""
    if inputs.rollups is None:
        raise ValueError("shares measure rollups; this report reads threads")
    shares = plan_shares(len(inputs.teams), workers)
    texts = [scratch / f"share-{k}.json" for k in range(len(shares))]
    context = multiprocessing.get_context("fork")
    children = [
        context.Process(target=_share, args=(inputs, *share, text), daemon=True)
        for share, text in zip(shares[1:], texts[1:], strict=True)
    ]
    for child in children:
        child.start()
    with texts[0].open("w", encoding="utf-8") as out:
        results = [_measure(inputs, *shares[0], out)]
    for child, share, text in zip(children, shares[1:], texts[1:], strict=True):
        child.join()
        results.append(_collect(child.exitcode, inputs, share, text))
    tenant, bands = results[0].tenant, results[0].bands
    for result in results[1:]:
        tenant.merge(result.tenant)
        bands = {band: n + result.bands[band] for band, n in bands.items()}
    frame = json_frame(finish_report(inputs, [], bands, tenant))
    assert frame is not None, "a report's teams are its last section"
    yield frame[0]
    for text in texts:
        with text.open(encoding="utf-8") as share_text:
            while block := share_text.read(_BLOCK):
                yield block
    yield frame[1]


def _collect(
    exitcode: int | None, inputs: ReportInputs, share: tuple[int, int], text: Path
) -> _Measured:
    """A child's bands and sums; a child that failed has its share measured here."""
    sums = text.with_suffix(".sums")
    if exitcode == 0 and sums.exists():
        measured = pickle.loads(sums.read_bytes())
        if isinstance(measured, _Measured):
            return measured
    with text.open("w", encoding="utf-8") as out:
        return _measure(inputs, *share, out)
