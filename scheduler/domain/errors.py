"""The one error type for bad input: it names the file, line and field a planner must fix."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario (or schedule) file is malformed or inconsistent.

    ``str(error)`` is one sentence a planner understands, naming where the problem is:
    ``fixtures/x/scenario.toml: channel[0].windows[1].end: window ends before it starts``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        field: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self._text())

    def _text(self) -> str:
        where = ""
        if self.file:
            where = self.file + (f":{self.line}" if self.line else "")
        if self.field:
            where = f"{where}: {self.field}" if where else self.field
        return f"{where}: {self.message}" if where else self.message

    def located(
        self, *, file: str | None = None, line: int | None = None, field: str | None = None
    ) -> ScenarioError:
        """The same error with missing location parts filled in."""
        return ScenarioError(
            self.message,
            file=self.file or file,
            line=self.line or line,
            field=self.field or field,
        )
