"""TinyDB collection files: orjson writes and reads them; the standard library takes over
for what orjson refuses, so no document is lost and no old file is called corrupt."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from bot.storage import StorageCorruptError, TinyDBStore
from bot.storage.atomic_json import encode_collection, parse_collection

BIG = 2**70  # beyond 64 bits


async def test_documents_round_trip_through_the_file(tmp_path: Path) -> None:
    store = await TinyDBStore.open(tmp_path)
    doc = {"name": "Zoë 🚀", "n": 3, "rate": 0.25, "none": None, "big": BIG, "list": [1, "a"]}
    await store.put("things", "k", doc)
    await store.close()

    raw = (tmp_path / "things.json").read_bytes()
    assert json.loads(raw)["docs"]["k"] == doc  # any JSON reader can read the file

    reopened = await TinyDBStore.open(tmp_path)
    assert await reopened.get("things", "k") == doc
    await reopened.close()


def test_an_earlier_file_with_nan_is_still_read(tmp_path: Path) -> None:
    raw = b'{"docs": {"k": {"rate": NaN, "n": 1}}}'  # what json.dumps wrote for a NaN
    data = parse_collection(tmp_path / "old.json", raw)
    assert math.isnan(data["docs"]["k"]["rate"]) and data["docs"]["k"]["n"] == 1


@pytest.mark.parametrize("raw", [b"{not json", b'{"docs": {"k": {"a": 1}', b"\xff\xfe{}"])
def test_a_broken_file_is_corrupt_with_its_name(tmp_path: Path, raw: bytes) -> None:
    with pytest.raises(StorageCorruptError, match=r"broken\.json is not valid JSON"):
        parse_collection(tmp_path / "broken.json", raw)


def test_encoding_is_compact_utf8() -> None:
    payload = encode_collection({"docs": {"k": {"name": "Zoë", "big": BIG}}})
    assert payload == '{"docs":{"k":{"name":"Zoë","big":1180591620717411303424}}}'.encode()
