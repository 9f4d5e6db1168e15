"""Dates and periods in the plain words members read in notices and calendar entries."""

from __future__ import annotations

from datetime import date


def day_text(day: date) -> str:
    """`18 May 2027`."""
    return f"{day.day} {day.strftime('%B')} {day.year}"


def date_range_text(starts: date, ends: date) -> str:
    """`on 18 May 2027`, `from 18 to 21 May 2027`, `from 30 April to 3 May 2027`..."""
    if starts == ends:
        return f"on {day_text(starts)}"
    if (starts.year, starts.month) == (ends.year, ends.month):
        return f"from {starts.day} to {day_text(ends)}"
    if starts.year == ends.year:
        return f"from {starts.day} {starts.strftime('%B')} to {day_text(ends)}"
    return f"from {day_text(starts)} to {day_text(ends)}"


def with_article(word: str) -> str:
    """`a full`, `an engaged`."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"
