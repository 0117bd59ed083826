"""Calendar days as people type them: the dates of forms and commands (a milestone's due date, a project's
period, a restriction's end), read by `parse_day` in the command line and mirrored by the workspace's form
parser (`registry/web/static/workspace/forms.js`), one set of test vectors checking the two agree.

Accepted, surrounding whitespace ignored: the ISO 8601 forms `date.fromisoformat` documents, `2021-12-31`
and `20211231`, and ISO week dates, `2021-W52`, `2021-W52-5`, `2021W52`, `2021W525` (the week's Monday when
no day is given); years 1 to 9999. Unlike `date.fromisoformat`, nothing may follow: `2021123199` is refused
rather than read as 2021-12-31.
"""

from __future__ import annotations

import re
from datetime import date

from registry.errors import RegistryError

#: Every rule a day can break, by the code `InvalidDay.code` gives.
DAY_REFUSALS = ("not-a-date", "no-such-day")

_CALENDAR = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})|([0-9]{4})([0-9]{2})([0-9]{2})")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})(?:-([0-9]))?|([0-9]{4})W([0-9]{2})([0-9])?")


class InvalidDay(RegistryError):
    """A text that should be a calendar day is not one; `code` says which rule it breaks (`DAY_REFUSALS`)."""

    def __init__(self, text: str, code: str) -> None:
        self.text = text
        self.code = code
        super().__init__(f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2021-12-31")


def parse_day(text: str) -> date:
    """The calendar day `text` names; `InvalidDay` if it names none (`not-a-date` when it is not written as
    a date, `no-such-day` when it is but the calendar has no such day, as 2021-02-29 or 2021-W53)."""
    body = text.strip()
    if calendar := _CALENDAR.fullmatch(body):
        year, month, day = (int(part) for part in calendar.groups() if part is not None)
        try:
            return date(year, month, day)
        except ValueError:
            raise InvalidDay(text, "no-such-day") from None
    if week := _WEEK.fullmatch(body):
        parts = week.groups()[:3] if week.group(1) is not None else week.groups()[3:]
        year, week_number = int(parts[0]), int(parts[1])
        weekday = int(parts[2]) if parts[2] is not None else 1
        try:
            return date.fromisocalendar(year, week_number, weekday)
        except ValueError:
            raise InvalidDay(text, "no-such-day") from None
    raise InvalidDay(text, "not-a-date")
