"""`trimtab run` exempts its start-up heap from the cycle collector's full passes."""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable
from pathlib import Path

import pytest

import bot.cli_run
from bot.background import freeze_startup_heap


def test_the_startup_heap_leaves_the_collectors_passes_and_is_still_freed() -> None:
    before = gc.get_freeze_count()
    kept = [[n] for n in range(1000)]  # alive at start-up, like the SDK's classes
    try:
        freeze_startup_heap()
        assert gc.get_freeze_count() >= before + len(kept)
        scanned = {id(o) for o in gc.get_objects()}  # what the collector's passes go through
        assert gc.is_tracked(kept[0]) and not any(id(k) in scanned for k in kept)
    finally:
        gc.unfreeze()  # this test process builds many apps: keep collecting their cycles


def test_trimtab_run_freezes_once_it_listens(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    steps: list[str] = []

    def serve(app: object, *, print: Callable[[str], None], **_: object) -> None:
        steps.append("bound")
        print("")  # aiohttp calls it once storage is open and the port bound

    monkeypatch.setattr(bot.cli_run.web, "run_app", serve)
    monkeypatch.setattr(bot.cli_run, "freeze_startup_heap", lambda: steps.append("frozen"))
    monkeypatch.setenv("TRIMTAB_DATA_DIR", str(tmp_path))
    args = argparse.Namespace(
        host="127.0.0.1", port=3978, allow_unauthenticated_remote=False,
        quarantine_corrupt=False, playground="off",
    )  # fmt: skip
    assert bot.cli_run.run(args) == 0
    assert steps == ["bound", "frozen"] and "Trimtab listening" in capsys.readouterr().out
