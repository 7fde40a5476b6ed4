"""TinyDBStore survives SIGKILL at any moment: no torn file, no acknowledged write lost.

A forked child process writes in a loop (new documents, an overwritten counter and a
``put_many`` batch in a second collection) and prints ``ack <n>`` after each
write returned. The parent kills it with SIGKILL at a random moment, then
opens the data dir and checks that every file loads and holds everything that
was acknowledged. The next child continues where the acknowledged writes
stopped. The random seed is printed so a failure can be replayed.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import time
from pathlib import Path
from typing import IO

from bot.storage import TinyDBStore
from bot.storage.atomic_json import TMP_SUFFIX

ROUNDS = 30
ROUND_TIMEOUT = 15.0
NOTES = "bot.crash-notes"
COUNTER = "bot.crash-counter"
BATCHES = "bot.crash-batches"


async def write_forever(data_dir: Path, start: int, ack_fd: int) -> None:
    """The child's loop: three kinds of write, then ``ack <n>`` once they returned."""
    store = await TinyDBStore.open(data_dir)
    n = start
    while True:
        await store.put(NOTES, f"n{n:06d}", {"n": n, "pad": "x" * 200})
        await store.put(COUNTER, "counter", {"n": n})
        await store.put_many(BATCHES, {f"b{n:06d}-{i}": {"n": n, "i": i} for i in range(3)})
        os.write(ack_fd, f"ack {n}\n".encode())
        n += 1


def start_writer(data_dir: Path, start: int) -> tuple[int, IO[str]]:
    """Fork a writer (a fork, not a new interpreter: 30 rounds stay fast)."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child never returns into pytest
        code = 1
        try:
            os.close(read_fd)
            asyncio.run(write_forever(data_dir, start, write_fd))
        except BaseException as error:
            os.write(2, f"writer failed: {error!r}\n".encode())
        finally:
            os._exit(code)
    os.close(write_fd)
    return pid, os.fdopen(read_fd, encoding="utf-8")


def run_writer_and_kill(data_dir: Path, start: int, rng: random.Random) -> list[int]:
    """Start a writer at ``start``, SIGKILL it after a random number of acks and a random
    pause; return the acknowledged ``n``."""
    pid, acks = start_writer(data_dir, start)
    wanted = rng.randint(0, 12)
    acked: list[int] = []
    deadline = time.monotonic() + ROUND_TIMEOUT
    try:
        for _ in range(wanted):
            line = acks.readline()
            assert line.startswith("ack "), f"writer stopped: {line!r}"
            acked.append(int(line.split()[1]))
            assert time.monotonic() < deadline, "writer too slow"
        time.sleep(rng.uniform(0, 0.004))  # land somewhere inside the next write
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    # Acks written before the kill but not read yet count as acknowledged too.
    with acks:
        for line in acks.read().splitlines():
            if line.startswith("ack "):
                acked.append(int(line.split()[1]))
    return acked


async def check_acknowledged(data_dir: Path, acked: set[int]) -> int:
    """Every file loads; every acknowledged write is there. Returns the next ``n`` to write."""
    for file in data_dir.glob("*.json"):
        json.loads(file.read_bytes())  # no torn file, ever
    store = await TinyDBStore.open(data_dir)
    try:
        notes = await store.all(NOTES)
        counter = await store.get(COUNTER, "counter")
        batches = await store.all(BATCHES)
    finally:
        await store.close()
    assert not list(data_dir.glob(f".*{TMP_SUFFIX}")), "open() clears interrupted temp files"
    for n in sorted(acked):
        assert notes.get(f"n{n:06d}") == {"n": n, "pad": "x" * 200}, f"note {n} lost"
        for i in range(3):
            assert batches.get(f"b{n:06d}-{i}") == {"n": n, "i": i}, f"batch {n}/{i} lost"
    if acked:
        assert counter is not None and counter["n"] >= max(acked), "the counter went back"
    # Unacknowledged writes may be there or not; the next child starts after all of them.
    return max((doc["n"] for doc in notes.values()), default=-1) + 1


def test_sigkill_never_tears_a_file_or_loses_an_acknowledged_write(tmp_path: Path) -> None:
    seed = int.from_bytes(os.urandom(4), "big")
    print(f"crash test seed: {seed}")
    rng = random.Random(seed)
    data_dir = tmp_path / "data"
    next_n = 0
    acked: set[int] = set()
    for _ in range(ROUNDS):
        acked.update(run_writer_and_kill(data_dir, next_n, rng))
        next_n = asyncio.run(check_acknowledged(data_dir, acked))
    assert len(acked) > ROUNDS, "the writers acknowledged writes (the test exercised something)"
