"""Publishing: turn a checked schedule into the files people read.

One module per format, each with ``render(edition) -> dict[str, bytes]`` mapping a relative
path in the output folder to its bytes: :mod:`exports.xmltv` (EPG), :mod:`exports.ical`
(feeds per grade and channel), :mod:`exports.printable` (posters and day grids, HTML and PDF),
:mod:`exports.sms` (daily digests), :mod:`exports.tables` (CSV, XLSX, JSON), :mod:`exports.eit`
(the satellite receivers' guide: DVB-SI event information tables),
:mod:`exports.corrections` (what families of the previous edition must be told) and
:mod:`exports.site` (the index page). :mod:`exports.memory` remembers what was published;
:mod:`exports.publish` renders an edition and swaps it into place atomically.

Exports never import the solver, and render the same bytes for the same edition.
"""

FORMATS = ("xmltv", "ical", "printable", "sms", "tables", "eit", "corrections", "site")
#: The site's own files at the top of the output folder (the index links the rest).
INDEX = "index.html"
SCHEDULE = "schedule.json"
CHANGES_TEXT, CHANGES_JSON = "changes.txt", "changes.json"

__all__ = ["CHANGES_JSON", "CHANGES_TEXT", "FORMATS", "INDEX", "SCHEDULE"]
