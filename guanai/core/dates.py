"""Spans of days, for any app that counts or schedules over them."""

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class DateRange:
    """The days from `start` to `end`, both included."""

    start: date
    end: date
