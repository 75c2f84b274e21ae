"""The guide as guide software reads it: the npm package ``@iptv/xmltv`` (ErsatzTV-style
clients' parser) reads back every channel and airing. ``.ci/setup`` installs it into
``.ci/node``; without node or the package the test is skipped."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from exports import xmltv
from exports.common import Edition
from scheduler.domain.schedule import Kind

PARSER = Path(__file__).parents[2] / ".ci" / "node" / "node_modules" / "@iptv" / "xmltv"
NODE = shutil.which("node")
SCRIPT = """
import { parseXmltv } from %s;
import { readFileSync } from "node:fs";
const tv = parseXmltv(readFileSync(process.argv[1], "utf8"));
console.log(JSON.stringify(tv));
"""


@pytest.mark.skipif(NODE is None, reason="node is not installed")
@pytest.mark.skipif(
    not (PARSER / "package.json").is_file(), reason="@iptv/xmltv is not installed (run .ci/setup)"
)
def test_iptv_xmltv_reads_every_channel_and_airing(edition: Edition, tmp_path: Path) -> None:
    guide = tmp_path / "guide.xml"
    guide.write_bytes(xmltv.render(edition)[xmltv.PATH])
    entry = json.loads((PARSER / "package.json").read_text(encoding="utf-8"))["module"]
    script = SCRIPT % json.dumps((PARSER / entry).as_uri())
    assert NODE is not None
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", script, str(guide)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    tv = json.loads(result.stdout)
    (channel,) = tv["channels"]
    assert channel["id"] == "cetv4.cn"
    assert [name["_value"] for name in channel["displayName"]][-1] == "4"
    assert channel["icon"] == [{"src": "icons/cetv4.cn.png", "width": 128, "height": 128}]
    read = tv["programmes"]
    assert len(read) == len(edition.schedule)
    for airing, parsed in zip(edition.schedule, read, strict=True):
        assert datetime.fromisoformat(parsed["start"]) == airing.start.astimezone(UTC)
        assert datetime.fromisoformat(parsed["stop"]) == airing.end.astimezone(UTC)
        assert parsed["title"][0]["_value"] == edition.series(airing)
        assert parsed.get("new", False) is (airing.kind in (Kind.LESSON, Kind.PINNED))
        if airing.is_lesson:
            episodes = {e["system"]: e["_value"] for e in parsed["episodeNum"]}
            assert episodes["xmltv_ns"].startswith(f"2019.{airing.lesson - 1}/")
            assert "Education" in {c["_value"] for c in parsed["category"]}
