"""Channel reception, SMS short names, icons, LCNs and the ``[publishing]`` table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import ChannelIcon, Publishing, Reception
from scheduler.io.loading import DEFAULT_SCENARIO, load
from scheduler.io.saving import dump

TINY = Path(__file__).parent / "scenarios" / "tiny"
ICON = Path(__file__).parent.parent / "exports" / "static" / "channel-icon.png"
SECOND = """
[[channels]]
id = "tv.two"
name_zh = "第二台"
name_en = "Tiny Two"
timezone = "Asia/Urumqi"
{extra}
  [[channels.windows]]
  days = ["mon"]
  start = "08:00"
  end = "09:00"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the tiny scenario as ``base.toml`` with its catalog."""
    shutil.copytree(TINY / "catalog", tmp_path / "catalog")
    shutil.copy(TINY / "scenario.toml", tmp_path / "base.toml")
    return tmp_path


def child(folder: Path, text: str) -> Path:
    file = folder / "child.toml"
    file.write_text('extends = "base.toml"\n' + text, encoding="utf-8")
    return file


def channel_text(text: str) -> str:
    return f'[[channels]]\nid = "tv.test"\n{text}\n'


def test_the_default_fixture_says_how_to_tune_in() -> None:
    scenario = load(DEFAULT_SCENARIO)
    (channel,) = scenario.channels
    assert channel.reception.platform == "户户通"
    assert channel.reception.text.startswith("户户通 第4频道")
    assert channel.lcn == 4 and channel.icon is None
    assert scenario.short_name(channel) == "CETV-4"
    assert scenario.publishing == Publishing("【空中课堂】", 10, "")


def test_reception_short_name_lcn_icon_and_publishing_load(folder: Path) -> None:
    shutil.copy(ICON, folder / "logo.png")
    scenario = load(
        child(
            folder,
            channel_text(
                'short_name = "测试台"\nlcn = 12\nicon = "logo.png"\n'
                '[channels.reception]\nplatform = "户户通"\nnumber = "7"\nnote = "按菜单键"\n'
            )
            + '[publishing]\nsms_signature = "【测试】"\nalarm_minutes = 0\n'
            'base_url = "https://example.org/kebiao/"\n',
        )
    )
    (channel,) = scenario.channels
    assert channel.reception == Reception(platform="户户通", number="7", note="按菜单键")
    assert channel.reception.text == "户户通 第7频道 · 按菜单键"
    assert channel.lcn == 12 and scenario.short_name(channel) == "测试台"
    assert channel.icon == ChannelIcon(ICON.read_bytes(), "png")
    assert scenario.publishing == Publishing("【测试】", 0, "https://example.org/kebiao/")


def test_everything_survives_dump_and_load(folder: Path, tmp_path: Path) -> None:
    shutil.copy(ICON, folder / "logo.png")
    scenario = load(
        child(
            folder,
            channel_text(
                'short_name = "测试台"\nlcn = 12\nicon = "logo.png"\n'
                '[channels.reception]\nplatform = "户户通"\nfrequency = "11880 MHz"\n'
            )
            + "[publishing]\nalarm_minutes = 15\n",
        )
    )
    copy = load(dump(scenario, tmp_path / "copy"))
    assert copy == scenario
    assert (tmp_path / "copy" / "icons" / "tv.test.png").read_bytes() == ICON.read_bytes()


@pytest.mark.parametrize(
    ("text", "field", "says"),
    [
        (channel_text("lcn = 0"), "channels[0]", "lcn 0 is not 1"),
        (channel_text('lcn = "4"'), "channels[0].lcn", "is not a whole number"),
        (
            channel_text('short_name = "一个非常非常长的频道短名称超过十六个字"'),
            "channels[0].short_name",
            "at most 16",
        ),
        (channel_text('icon = "missing.png"'), "channels[0].icon", "not a file"),
        (channel_text('icon = "../x.png"'), "channels[0].icon", "inside the scenario folder"),
        (channel_text('icon = "base.toml"'), "channels[0].icon", "not a PNG or JPEG"),
        (
            channel_text("[channels.reception]\nnumber = 0"),
            "channels[0].reception.number",
            "channel number",
        ),
        (
            channel_text('[channels.reception]\nband = "Ku"'),
            "channels[0].reception.band",
            "unknown key",
        ),
        ("[publishing]\nalarm_minutes = -5\n", "publishing.alarm_minutes", "negative"),
        ('[publishing]\nbase_url = "ftp://x"\n', "publishing", "http:// or https://"),
        ('[publishing]\nsignature = "x"\n', "publishing.signature", "unknown key"),
    ],
)
def test_bad_values_name_file_and_field(folder: Path, text: str, field: str, says: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load(child(folder, text))
    assert caught.value.file == str(folder / "child.toml")
    assert caught.value.field == field
    assert says in caught.value.message


def test_short_names_are_never_shared(folder: Path) -> None:
    # two defaults from the same first English word give way to the channel ids
    scenario = load(
        child(
            folder,
            SECOND.format(extra='name_en = "Tiny Two"').replace('name_en = "Tiny Two"\n', "", 1),
        )
    )
    assert [scenario.short_name(c) for c in scenario.channels] == ["tv.test", "tv.two"]
    # a chosen name twice is an error naming the second channel
    with pytest.raises(ScenarioError) as caught:
        load(
            child(
                folder, channel_text('short_name = "台"') + SECOND.format(extra='short_name = "台"')
            )
        )
    assert caught.value.field == "channels[1].short_name"
    assert "also channel 'tv.test'" in caught.value.message
