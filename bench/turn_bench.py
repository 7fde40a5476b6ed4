"""Turn latency of ``help`` in Trimtab vs a bare botbuilder echo bot.

    .venv/bin/python -m bench.turn_bench [--conversations 64] [--turns 20] [--rounds 3]

Both bots run in this process on loopback, in local mode (no auth), with the
same loopback fake connector receiving their replies; Trimtab uses TinyDB in a
temporary data dir. Each of ``--conversations`` personal chats (a distinct user
each) sends ``--turns`` messages one after another, all chats at once. A POST
returns after the turn's reply was delivered to the connector, so its latency
is the whole turn. The bots are measured in alternating rounds to spread noise.
Target: Trimtab within 1.3x of the echo bot at p50 and p99.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
from aiohttp import web
from botbuilder.core import ActivityHandler, MessageFactory, TurnContext
from botbuilder.integration.aiohttp import CloudAdapter, ConfigurationBotFrameworkAuthentication

from bot.app import create_app
from bot.settings import Settings
from bot.storage import TinyDBStore
from tests.fakes.activities import ActivityFactory, Person
from tests.fakes.connector import FakeConnector, start_connector


class EchoBot(ActivityHandler):
    """The reference: botbuilder's own echo sample."""

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def echo_app() -> web.Application:
    config = SimpleNamespace(APP_ID="", APP_PASSWORD="", APP_TYPE="MultiTenant", APP_TENANTID="")
    adapter = CloudAdapter(ConfigurationBotFrameworkAuthentication(config))
    bot = EchoBot()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, bot)
        return response if response is not None else web.Response(status=201)

    app = web.Application()
    app.router.add_post("/api/messages", messages)
    return app


async def serve(app: web.Application) -> tuple[web.AppRunner, str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    return runner, f"http://127.0.0.1:{port}/api/messages"


async def load(
    session: aiohttp.ClientSession,
    url: str,
    factory: ActivityFactory,
    people: list[Person],
    turns: int,
    text: str,
) -> tuple[list[float], float]:
    """All conversations at once, each ``turns`` sequential messages; latencies and wall time."""
    latencies: list[float] = []

    async def conversation(person: Person) -> None:
        for _ in range(turns):
            body = factory.personal(person, text)
            started = time.perf_counter()
            async with session.post(url, json=body) as response:
                await response.read()
                if response.status not in (200, 201):
                    raise RuntimeError(f"{url} answered {response.status}")
            latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(conversation(p) for p in people))
    return latencies, time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def main(args: argparse.Namespace) -> None:
    connector = FakeConnector()
    connector_server = await start_connector(connector)
    factory = ActivityFactory(connector.url)
    people = [
        Person(f"User {i:03d}", f"b0000000-0000-4000-8000-{i:012d}")
        for i in range(args.conversations)
    ]
    with tempfile.TemporaryDirectory(prefix="trimtab-bench-") as data_dir:
        settings = Settings.from_env({"TRIMTAB_DATA_DIR": data_dir}, dotenv=None)
        store = await TinyDBStore.open(Path(data_dir))
        trimtab_runner, trimtab_url = await serve(create_app(settings, store=store))
        echo_runner, echo_url = await serve(echo_app())
        bots: dict[str, tuple[str, str]] = {
            "echo": (echo_url, "help"),
            "trimtab": (trimtab_url, "help"),
        }
        results: dict[str, list[float]] = {name: [] for name in bots}
        walls: dict[str, float] = dict.fromkeys(bots, 0.0)
        connector_limit = aiohttp.TCPConnector(limit=args.conversations * 2)
        async with aiohttp.ClientSession(connector=connector_limit) as session:
            for url, text in bots.values():  # warm-up: first turns, caches, TCP
                await load(session, url, factory, people, 2, text)
            for _ in range(args.rounds):
                for name, (url, text) in bots.items():
                    latencies, wall = await load(session, url, factory, people, args.turns, text)
                    results[name] += latencies
                    walls[name] += wall
        await trimtab_runner.cleanup()
        await echo_runner.cleanup()
        await store.close()
    await connector_server.close()
    report(results, walls, args)


def report(results: dict[str, list[float]], walls: dict[str, float], args: Any) -> None:
    ms: Callable[[float], str] = lambda s: f"{s * 1000:7.2f} ms"  # noqa: E731
    print(
        f"turn_bench: {args.conversations} concurrent conversations x {args.turns} turns "
        f"x {args.rounds} rounds per bot"
    )
    print(f"{'bot':<8} {'turns':>6} {'p50':>10} {'p99':>10} {'mean':>10} {'turns/s':>9}")
    for name, latencies in results.items():
        print(
            f"{name:<8} {len(latencies):>6} {ms(percentile(latencies, 0.5))} "
            f"{ms(percentile(latencies, 0.99))} {ms(statistics.fmean(latencies))} "
            f"{len(latencies) / walls[name]:>9.0f}"
        )
    echo, trim = results["echo"], results["trimtab"]
    p50 = percentile(trim, 0.5) / percentile(echo, 0.5)
    p99 = percentile(trim, 0.99) / percentile(echo, 0.99)
    verdict = "within" if max(p50, p99) <= 1.3 else "NOT within"
    print(f"ratio trimtab/echo: p50 {p50:.2f}x, p99 {p99:.2f}x ({verdict} the 1.3x target)")


def parse_args(doc: str | None = None, *, members: bool = False) -> argparse.Namespace:
    """The load options every turn benchmark takes; ``doc``: the caller's docstring;
    ``members``: also ``--members`` (seed everyone into circles)."""
    parser = argparse.ArgumentParser(description=(doc or __doc__ or "").splitlines()[0])
    parser.add_argument("--conversations", type=int, default=64)
    parser.add_argument("--turns", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    if members:
        parser.add_argument("--members", action="store_true")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
