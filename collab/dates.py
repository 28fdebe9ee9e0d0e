import datetime

from django.db.models import DateField, Func, IntegerField, Value
from django.utils.dateformat import format as format_date
from django.utils.timezone import localdate, localtime


def long_date(moment: datetime.datetime) -> str:
    """'7 December 2026' in UK time: the NHS style for dates in sentences."""
    return format_date(localtime(moment), "j F Y")


def long_day(day: datetime.date) -> str:
    """'7 December 2026' for a calendar day (a due date or a deadline)."""
    return format_date(day, "j F Y")


def days_away(day: datetime.date) -> str:
    """'today', 'tomorrow', 'in 5 days', 'yesterday' or '3 days ago', from today in UK time:
    how reminders say when something is due."""
    days = (day - localdate()).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days > 0:
        return f"in {days} days"
    return "yesterday" if days == -1 else f"{-days} days ago"


class DaysSince(Func):
    """Whole days from a date column to `today` (positive when the column is in the past).

    In SQL, so sweeps can decide in one query which rung of a reminder ladder each row is on.
    """

    output_field = IntegerField()

    def __init__(self, column: str, today: datetime.date) -> None:
        super().__init__(Value(today, output_field=DateField()), column)

    def as_postgresql(self, compiler, connection, **extra):
        # date - date is a whole number of days in PostgreSQL.
        return self.as_sql(compiler, connection, template="(%(expressions)s)", arg_joiner=" - ")

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(julianday(%(expressions)s) AS INTEGER)",
            arg_joiner=") - julianday(",
        )
