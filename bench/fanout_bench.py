"""Fan-out benchmark: the Monday tip job for N users against a limit-enforcing connector.

    .venv/bin/python -m bench.fanout_bench [--messages 10000] [--concurrency 16]

The child runs the production path: a real app (``create_app`` on a TinyDB data dir, its
start-up settling keys a killed run left ``sending``), then ``send_weekly_tips`` at Monday
09:05 — the one fan-out path (``services.fanout`` → ``ProactiveSender.send_many``).

The parent process serves a loopback Bot Connector that enforces Teams' limits
on *accepted* requests (per conversation 7/1 s, 8/2 s, 60/30 s, 1800/h; per
tenant 50/1 s) and answers ``429`` with ``Retry-After`` when a request would
exceed one. Senders run in child processes (``--child``) with their own
TinyDB data dir, so each user's conversation reference is seeded first and
every message goes through CloudAdapter over HTTP.

Run 1 sends everything once. Run 2 starts a sender, SIGKILLs it when the
connector has accepted half of the messages, then starts a new sender on the
same data dir with the same idempotency keys. Reported per run: achieved rate
as a share of the tenant limit (while sending), 429s, duplicates (keys the
connector accepted twice), lost (keys never accepted), and keys left *in
doubt* by the kill (claimed, not confirmed: at most once, so not resent; an
in-doubt key the connector never got is counted as lost).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict, deque
from pathlib import Path
from typing import Any

from aiohttp import web

TENANT = "bench-tenant"
PER_CONVERSATION = ((7, 1.0), (8, 2.0), (60, 30.0), (1800, 3600.0))
PER_TENANT = ((50, 1.0),)
ALLOWED_RATE = 50.0


class EnforcingConnector:
    """A Bot Connector that accepts a request only when every Teams window has room."""

    def __init__(self) -> None:
        self.accepted: Counter[str] = Counter()
        self.accepted_times: list[float] = []
        self.throttled = 0
        self._conversation: dict[str, deque[float]] = defaultdict(deque)
        self._tenant: deque[float] = deque()

    @staticmethod
    def _wait(times: deque[float], windows: tuple[tuple[int, float], ...], now: float) -> float:
        while times and times[0] <= now - windows[-1][1]:
            times.popleft()
        wait = 0.0
        for count, seconds in windows:
            recent = [t for t in times if t > now - seconds] if len(times) >= count else []
            if len(recent) >= count:
                wait = max(wait, recent[-count] + seconds - now)
        return wait

    async def send(self, request: web.Request) -> web.Response:
        cid = request.match_info["cid"]
        now = time.monotonic()
        conv = self._conversation[cid]
        wait = max(
            self._wait(conv, PER_CONVERSATION, now), self._wait(self._tenant, PER_TENANT, now)
        )
        if wait > 0:
            self.throttled += 1
            body = {"error": {"code": "TooManyRequests", "message": "rate limit exceeded"}}
            return web.json_response(
                body, status=429, headers={"Retry-After": str(math.ceil(wait))}
            )
        conv.append(now)
        self._tenant.append(now)
        await request.read()
        self.accepted[cid] += 1
        self.accepted_times.append(now)
        return web.json_response({"id": f"act-{len(self.accepted_times)}"})

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations/{cid}/activities", self.send)
        app.router.add_post("/v3/conversations/{cid}/activities/{aid}", self.send)
        return app


MONDAY = "2026-11-23T09:05:00+00:00"


def aad_of(i: int) -> str:
    return f"00000000-0000-4000-8000-{i:012d}"


def conversation_of(i: int) -> str:
    return f"a:personal-{i}"


async def seed(data_dir: Path, url: str, n: int) -> None:
    """One 1:1 reference and weekly tips on per user, as earlier turns would have left."""
    from datetime import datetime

    from botbuilder.schema import ChannelAccount, ConversationAccount, ConversationReference

    from bot.storage import TinyDBStore
    from coaching import Progress
    from coaching.progress import PROGRESS

    store = await TinyDBStore.open(data_dir)
    refs = {
        f"user:{aad_of(i)}": ConversationReference(
            channel_id="msteams",
            service_url=url,
            bot=ChannelAccount(id="28:bench-bot", name="Trimtab"),
            user=ChannelAccount(id=f"29:user-{i}", aad_object_id=aad_of(i)),
            conversation=ConversationAccount(
                id=conversation_of(i), conversation_type="personal", tenant_id=TENANT
            ),
        ).serialize()
        for i in range(n)
    }
    await store.put_many("bot.references", refs)
    now = datetime.fromisoformat(MONDAY)
    progress = {aad_of(i): Progress(aad_id=aad_of(i)).to_doc(now) for i in range(n)}
    await store.put_many(PROGRESS, progress)
    await store.close()


async def child(data_dir: Path, n: int, concurrency: int) -> None:
    """One app process: run the Monday tip job, print a JSON count of its outcomes."""
    from datetime import datetime

    from bot.app import SERVICES, create_app
    from bot.clock import TimeSource
    from bot.coaching_delivery import send_weekly_tips
    from bot.settings import Settings

    monday = datetime.fromisoformat(MONDAY)
    settings = Settings.from_env({"TRIMTAB_DATA_DIR": str(data_dir)}, dotenv=None)
    app = create_app(settings, time_source=TimeSource(clock=lambda: monday))
    runner = web.AppRunner(app)
    await runner.setup()  # start-up: storage, settling of in-doubt keys, jobs
    services = app[SERVICES]
    services.proactive.concurrency = concurrency
    started = time.monotonic()
    result = await send_weekly_tips(services)
    elapsed = time.monotonic() - started
    counts = {
        "sent": len(result.sent),
        "skipped": len(result.skipped),
        "failed": len(result.failed),
    }
    print(json.dumps({"tips": counts, "seconds": elapsed}))
    await runner.cleanup()


def start_child(data_dir: Path, n: int, concurrency: int) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "bench.fanout_bench", "--child", "--data", str(data_dir)]
    cmd += ["--messages", str(n), "--concurrency", str(concurrency)]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)


async def wait_child(
    proc: subprocess.Popen[str], connector: EnforcingConnector, kill_at: int
) -> str:
    """Wait for the child; SIGKILL it once the connector has accepted ``kill_at`` messages."""
    while proc.poll() is None:
        if kill_at and len(connector.accepted_times) >= kill_at:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
            return "killed"
        await asyncio.sleep(0.001 if kill_at else 0.05)
    out = proc.stdout.read() if proc.stdout else ""
    return out.strip().splitlines()[-1] if out.strip() else f"exit {proc.returncode}"


def rate(times: list[float]) -> float:
    """Accepted messages per second over the sending period (first to last acceptance)."""
    if len(times) < 2:
        return 0.0
    return (len(times) - 1) / (times[-1] - times[0])


async def delivery_states(data_dir: Path) -> Counter[str]:
    from bot._delivery_log import DeliveryLog
    from bot.storage import TinyDBStore

    store = await TinyDBStore.open(data_dir, read_only=True)
    records = await DeliveryLog(store).all()
    await store.close()
    return Counter(r["state"] for r in records.values())


async def run(
    n: int, concurrency: int, kill: bool, url: str, connector: EnforcingConnector
) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="fanout-bench-"))
    await seed(data_dir, url, n)
    connector.accepted.clear()  # keys repeat across runs; count each run on its own
    segments: list[list[float]] = []
    outputs = []
    before = len(connector.accepted_times)
    proc = start_child(data_dir, n, concurrency)
    outputs.append(await wait_child(proc, connector, before + n // 2 if kill else 0))
    segments.append(connector.accepted_times[before:])
    if kill:
        mark = len(connector.accepted_times)
        proc = start_child(data_dir, n, concurrency)
        outputs.append(await wait_child(proc, connector, 0))
        segments.append(connector.accepted_times[mark:])
    states = await delivery_states(data_dir)
    counts = [connector.accepted[conversation_of(i)] for i in range(n)]
    return {
        "rates": [round(rate(s), 2) for s in segments],
        "share_of_allowed": [round(rate(s) / ALLOWED_RATE, 3) for s in segments],
        "duplicates": sum(c - 1 for c in counts if c > 1),
        "lost": sum(1 for c in counts if c == 0),
        "in_doubt": states.get("in_doubt", 0) + states.get("sending", 0),
        "log_states": dict(states),
        "children": outputs,
    }


async def main(args: argparse.Namespace) -> None:
    connector = EnforcingConnector()
    runner = web.AppRunner(connector.app())
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    url = f"http://127.0.0.1:{port}/"
    print(
        f"fan-out: the Monday tip job for {args.messages} users, one tenant; "
        f"allowed {ALLOWED_RATE:.0f}/s per tenant"
    )
    for label, kill in (("clean run", False), ("killed half-way + restart", True)):
        throttled = connector.throttled
        result = await run(args.messages, args.concurrency, kill, url, connector)
        result["429s"] = connector.throttled - throttled
        print(f"{label}: {json.dumps(result)}")
    await runner.cleanup()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    ns = parser.parse_args()
    if ns.child:
        asyncio.run(child(ns.data, ns.messages, ns.concurrency))
    else:
        asyncio.run(main(ns))
