"""``[channels.dvb]``: a channel's DVB service ids and guide text settings (docs/scenario.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import DvbService
from scheduler.io.loading import DEFAULT_SCENARIO, load
from scheduler.io.saving import dump

TINY = Path(__file__).parent / "scenarios" / "tiny"
IDS = {"service_id": 104, "transport_stream_id": 6, "original_network_id": 1}


def test_defaults_and_settings() -> None:
    assert load(TINY).channels[0].dvb is None
    channel = load(TINY, overrides={"channels[0].dvb": IDS}).channels[0]
    assert channel.dvb == DvbService(104, 6, 1, encoding="gb2312", language="chi")
    utf8 = {**IDS, "encoding": "utf-8", "language": "zho"}
    assert load(TINY, overrides={"channels[0].dvb": utf8}).channels[0].dvb == DvbService(
        104, 6, 1, "utf-8", "zho"
    )


def test_the_default_scenario_is_a_dvb_service() -> None:
    dvb = load(DEFAULT_SCENARIO).channels[0].dvb
    assert dvb is not None and dvb.encoding == "gb2312"


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"service_id": 65536}, "service_id", "65536 is larger than 65535"),
        ({"service_id": -1}, "service_id", "-1 must not be negative"),
        ({"transport_stream_id": "6"}, "transport_stream_id", "'6' is not a whole number"),
        ({"original_network_id": True}, "original_network_id", "True is not a whole number"),
        ({"encoding": "gbk"}, "encoding", "'gbk' is not one of gb2312, utf-8"),
        ({"language": "zh"}, "language", "'zh' is not an ISO 639-2 code"),
        ({"charset": "gb2312"}, "charset", "unknown key 'charset'"),
    ],
)
def test_bad_settings_name_the_field(change: dict[str, object], field: str, says: str) -> None:
    with pytest.raises(ScenarioError, match=re.escape(says)) as caught:
        load(TINY, overrides={"channels[0].dvb": {**IDS, **change}})
    assert caught.value.field == f"channels[0].dvb.{field}"
    assert caught.value.file is not None


def test_a_missing_id_is_named() -> None:
    with pytest.raises(ScenarioError, match="is missing") as caught:
        load(TINY, overrides={"channels[0].dvb": {"service_id": 1, "transport_stream_id": 2}})
    assert caught.value.field == "channels[0].dvb.original_network_id"


def test_two_channels_cannot_be_one_service(tmp_path: Path) -> None:
    child = tmp_path / "two.toml"
    child.write_text(
        f"""extends = "{TINY / "scenario.toml"}"

[[channels]]
id = "tv.test"
dvb = {{ service_id = 104, transport_stream_id = 6, original_network_id = 1 }}

[[channels]]
id = "tv.two"
name_zh = "二台"
name_en = "Two"
timezone = "Asia/Shanghai"
windows = [{{ days = ["mon"], start = "08:00", end = "09:00" }}]
dvb = {{ service_id = 104, transport_stream_id = 6, original_network_id = 1 }}
""",
        encoding="utf-8",
    )
    with pytest.raises(ScenarioError, match=r"same DVB service .* as channel 'tv\.test'") as caught:
        load(child)
    assert caught.value.field == "channels[1].dvb.service_id"
    assert caught.value.file == str(child)


def test_saving_keeps_the_settings(tmp_path: Path) -> None:
    scenario = load(TINY, overrides={"channels[0].dvb": {**IDS, "encoding": "utf-8"}})
    assert load(dump(scenario, tmp_path)).channels[0].dvb == scenario.channels[0].dvb
