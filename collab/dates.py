from datetime import datetime

from django.utils.dateformat import format as format_date
from django.utils.timezone import localtime


def long_date(moment: datetime) -> str:
    """'7 December 2026' in UK time: the NHS style for dates in sentences."""
    return format_date(localtime(moment), "j F Y")
