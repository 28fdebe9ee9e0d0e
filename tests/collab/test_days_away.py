"""How reminders of every app say when something is due (collab.dates.days_away)."""

import datetime

import pytest
import time_machine

from collab.dates import days_away

TODAY = datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (14, "in 14 days"),
        (-1, "yesterday"),
        (-3, "3 days ago"),
    ],
)
def test_days_away_in_words(offset, words):
    with time_machine.travel(datetime.datetime(2026, 11, 24, 12, 0), tick=False):
        assert days_away(TODAY + datetime.timedelta(days=offset)) == words
