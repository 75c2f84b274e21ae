"""Published files a web server can read, one memory per output folder, and a foreign or
unusable store refused before anything is written to it."""

from __future__ import annotations

import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest
from test_publish import _publish

from exports.folder import default_store
from exports.memory import PublicationMemory
from exports.publish import publish
from scheduler.domain.errors import ScenarioError
from scheduler.domain.model import Scenario
from scheduler.domain.schedule import Schedule


def test_published_files_are_0644_and_folders_0755_whatever_the_umask(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    old = os.umask(0o077)
    try:
        out = tmp_path / "publish"
        _publish(tiny_scenario, tiny_schedule, out)
    finally:
        os.umask(old)
    modes = {stat.S_IMODE(path.stat().st_mode) for path in out.rglob("*") if path.is_file()}
    folders = {
        stat.S_IMODE(path.stat().st_mode) for path in [out, *out.rglob("*")] if path.is_dir()
    }
    assert modes == {0o644} and folders == {0o755}


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("su") is None,
    reason="reading as another user needs root and su",
)
def test_another_user_can_read_every_published_file(
    tmp_path_factory: pytest.TempPathFactory, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    base = Path(tmp_path_factory.getbasetemp()).parent
    root = Path(os.environ.get("TMPDIR", "/tmp")) / f"skyclass-read-{os.getpid()}"
    root.mkdir(mode=0o755)
    try:
        out = root / "publish"
        _publish(tiny_scenario, tiny_schedule, out)
        files = " ".join(f"'{p}'" for p in out.rglob("*") if p.is_file())
        done = subprocess.run(
            ["su", "nobody", "-s", "/bin/sh", "-c", f"cat {files} >/dev/null"],
            capture_output=True,
            text=True,
            cwd=base,
        )
        assert done.returncode == 0, done.stderr
    finally:
        shutil.rmtree(root)


def test_sibling_output_folders_have_their_own_memory(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    week = _publish(tiny_scenario, tiny_schedule, tmp_path / "week1")
    month = _publish(tiny_scenario, tiny_schedule, tmp_path / "month")
    assert week.edition == month.edition == 1
    assert "第1版" in (tmp_path / "month" / "changes.txt").read_text()
    assert default_store(tmp_path / "month") != default_store(tmp_path / "week1")
    assert default_store(tmp_path / "month").is_file()


def test_a_shared_store_is_used_only_when_named(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    from export_fixtures import PUBLISHED_AT

    shared = tmp_path / "shared.sqlite"
    publish(tiny_scenario, tiny_schedule, tmp_path / "a", store=shared, at=PUBLISHED_AT, pdf=False)
    again = publish(
        tiny_scenario, tiny_schedule, tmp_path / "b", store=shared, at=PUBLISHED_AT, pdf=False
    )
    assert again.reused and again.edition == 1


def test_a_foreign_sqlite_file_is_refused_and_left_unchanged(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    foreign = tmp_path / "contacts.sqlite"
    with sqlite3.connect(foreign) as db:
        db.execute("CREATE TABLE people (name TEXT)")
        db.execute("INSERT INTO people VALUES ('王老师')")
    db.close()
    before = foreign.read_bytes()
    with pytest.raises(ScenarioError, match="not a skyclass publication store"):
        publish(tiny_scenario, tiny_schedule, tmp_path / "out", store=foreign, pdf=False)
    assert foreign.read_bytes() == before
    assert not (tmp_path / "out").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["contacts.sqlite"]


def test_a_file_that_is_not_sqlite_is_refused_and_left_unchanged(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database, just notes\n" * 100)
    with pytest.raises(ScenarioError, match="not a skyclass publication store"):
        publish(tiny_scenario, tiny_schedule, tmp_path / "out", store=notes, pdf=False)
    assert notes.read_text() == "not a database, just notes\n" * 100


def test_a_store_below_a_regular_file_is_refused(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(ScenarioError, match="is a file, not a folder"):
        publish(
            tiny_scenario, tiny_schedule, tmp_path / "out", store=tmp_path / "file" / "s", pdf=False
        )
    with pytest.raises(ScenarioError, match="is a file, not a folder"):
        publish(tiny_scenario, tiny_schedule, tmp_path / "file" / "out", pdf=False)
    with pytest.raises(ScenarioError, match="file, not a folder"):
        PublicationMemory(tmp_path / "file" / "store.sqlite")


def test_the_same_scenario_publishes_the_same_bytes_from_any_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two copies of one scenario folder, far apart, each with its schedule and output folder:
    schedule.json, manifest.json, changes.json and every other file are byte-identical."""
    import hashlib
    import json
    from contextlib import chdir

    from click.testing import CliRunner
    from export_fixtures import scenario, schedule

    import exports.printable
    from scheduler.cli import main
    from scheduler.io.saving import dump

    monkeypatch.setattr(
        exports.printable,
        "weasyprint_pdf",
        lambda html: b"%PDF-stand-in " + hashlib.sha1(html.encode()).digest(),
    )
    tiny = scenario()
    trees = {}
    for root in (tmp_path / "a", tmp_path / "b" / "deeper" / "still"):
        folder = dump(tiny, root / "scenario").parent
        named = Schedule(schedule(tiny).programmes, scenario=str(folder), seed=0)
        (root / "schedule.json").write_text(named.to_json(), encoding="utf-8")
        with chdir(root):
            result = CliRunner().invoke(
                main,
                [
                    "export",
                    "schedule.json",
                    "--format",
                    "all",
                    "--out",
                    "out/publish",
                    "--store",
                    "out/store.sqlite",
                    "--published-at=2020-02-14T18:00:00+08:00",
                ],
            )
        assert result.exit_code == 0, result.output
        out = root / "out" / "publish"
        trees[root] = {
            str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        assert str(tmp_path) not in "".join(
            data.decode("utf-8", "replace") for data in trees[root].values()
        )
        published = json.loads((out / "schedule.json").read_text(encoding="utf-8"))
        assert published["scenario"] == "../../scenario/scenario.toml"
        check = CliRunner().invoke(main, ["check", str(out / "schedule.json")])
        assert check.exit_code == 0, check.output  # finds its scenario from where it lies
    first, second = trees.values()
    assert {"schedule.json", "manifest.json", "changes.json"} <= set(first)
    assert first == second


def test_an_output_folder_behind_a_symbolic_link_is_replaced_where_it_lies(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    from export_fixtures import PUBLISHED_AT

    site = tmp_path / "www" / "site"
    site.mkdir(parents=True)
    link = tmp_path / "publish"
    link.symlink_to(site)
    store = tmp_path / "store.sqlite"
    publish(tiny_scenario, tiny_schedule, link, store=store, at=PUBLISHED_AT, pdf=False)
    publish(tiny_scenario, tiny_schedule, link, store=store, at=PUBLISHED_AT, pdf=False)
    assert link.is_symlink() and (site / "manifest.json").is_file()
    assert sorted(p.name for p in site.parent.iterdir()) == ["site"]


def test_a_hand_edited_manifest_cannot_make_a_partial_export_write_elsewhere(
    tmp_path: Path, tiny_scenario: Scenario, tiny_schedule: Schedule
) -> None:
    import json

    from exports.publish import export

    out = tmp_path / "publish"
    export(tiny_scenario, tiny_schedule, out, formats=["xmltv"], pdf=False)
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me")
    inode = victim.stat().st_ino
    (out / "link.txt").symlink_to(victim)
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["files"] += [
        {"path": str(victim)},
        {"path": "link.txt"},
        {"path": "../victim.txt"},
        7,
        {"path": None},
    ]
    (out / "manifest.json").write_text(json.dumps(manifest))
    export(tiny_scenario, tiny_schedule, out, formats=["sms"], pdf=False)
    assert victim.read_text() == "keep me" and victim.stat().st_ino == inode  # never rewritten
    assert not (out / "link.txt").exists() and (out / "xmltv" / "guide.xml").is_file()
