"""Options of the publisher commands: the instant an edition is stamped with, the formats, and
the scenario's ``[publishing]`` settings overridden for one run."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

import click

from exports.publish import formats_of
from scheduler.domain.errors import ScenarioError
from scheduler.domain.limits import MAX_YEAR, MIN_YEAR
from scheduler.domain.model import Scenario


def _instant(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise ScenarioError(
            f"{text!r} is not an ISO 8601 instant like 2020-02-14T18:00:00+08:00",
            field="--published-at",
        ) from None
    if instant.tzinfo is None:
        raise ScenarioError(f"{text!r} has no UTC offset", field="--published-at")
    try:
        year = instant.astimezone(UTC).year
    except OverflowError:
        year = instant.year
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ScenarioError(
            f"{text!r} is not between the years {MIN_YEAR} and {MAX_YEAR}", field="--published-at"
        )
    return instant


def _formats(values: tuple[str, ...]) -> tuple[str, ...]:
    names = [name.strip() for value in values for name in value.split(",") if name.strip()]
    return formats_of(names or ["all"])


def publishing_options(command: Any) -> Any:
    """``--sms-signature``, ``--alarm-minutes`` and ``--base-url``: the scenario's
    ``[publishing]`` settings for this run."""
    for option in reversed(
        (
            click.option(
                "--sms-signature",
                "sms_signature",
                metavar="TEXT",
                help="The gateway's 【签名】, counted in every SMS (default: the "
                "scenario's [publishing] sms_signature).",
            ),
            click.option(
                "--alarm-minutes",
                "alarm_minutes",
                type=click.IntRange(min=0),
                help="Calendar reminder this many minutes before each airing "
                "(default: the scenario's [publishing] alarm_minutes, else none).",
            ),
            click.option(
                "--base-url",
                "base_url",
                metavar="URL",
                help="Where the output folder will be served, e.g. "
                "https://example.org/kebiao/: feeds carry their URL, the site "
                "offers webcal:// links.",
            ),
        )
    ):
        command = option(command)
    return command


def _with_publishing(
    scenario: Scenario,
    sms_signature: str | None,
    alarm_minutes: int | None,
    base_url: str | None,
) -> Scenario:
    changes: dict[str, Any] = {
        name: value
        for name, value in (
            ("sms_signature", sms_signature),
            ("alarm_minutes", alarm_minutes),
            ("base_url", base_url),
        )
        if value is not None
    }
    if not changes:
        return scenario
    try:
        return scenario.replace(publishing=replace(scenario.publishing, **changes))
    except ScenarioError as error:
        option = "--" + next(iter(changes)).replace("_", "-") if len(changes) == 1 else None
        raise error.located(field=option) from None


published_at_option = click.option(
    "--published-at",
    "published_at",
    metavar="ISO",
    help="Instant a new edition is stamped with (DTSTAMP, LAST-MODIFIED), e.g. "
    "2020-02-14T18:00:00+08:00. Default: now, or SOURCE_DATE_EPOCH when set.",
)
