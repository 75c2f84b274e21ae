"""The README's two commands and the CI script agree, so a fresh machine needs nothing else."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[str]:
    """The README's indented commands under "Two commands on a fresh machine"."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Two commands on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (\S.*)$", section, flags=re.MULTILINE)


def test_readme_gives_setup_and_publish_then_the_ci_script() -> None:
    assert _commands() == ["bash .ci/setup && skyclass publish --out out/publish", "bash .ci/run"]


def test_ci_runs_the_setup_and_the_test_command_the_readme_names() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    lines = [
        line for line in run.splitlines() if line and not line.startswith(("#", "set ", "cd "))
    ]
    assert lines == [
        "bash .ci/setup",
        "python3 -m ruff format --check .",
        "python3 -m ruff check .",
        "python3 -m mypy",
        'python3 -m pytest -n 2 "$@"',
    ]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`python3 -m pytest -n 2`" in readme and "`ruff format --check`" in readme


def test_setup_installs_what_publishing_needs() -> None:
    setup = (ROOT / ".ci" / "setup").read_text(encoding="utf-8")
    for package in (
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "fonts-wqy-microhei",
        "libxmltv-perl",
        "xmltv-util",
        "poppler-utils",
        "chromium",
    ):
        assert package in setup, package
    assert "pip install" in setup and "-e '.[dev]'" in setup
    assert "missing+=(nodejs npm)" in setup and "npm ci --prefix .ci/node" in setup


def test_scripts_are_valid_bash() -> None:
    for name in ("setup", "run"):
        subprocess.run(["bash", "-n", str(ROOT / ".ci" / name)], check=True)
