"""A campaign's report, for its programme admins: a page that prints well, and a CSV.

Reached through the campaign's access helper (404 across tenants), then the moderator's
permission (403). What each figure counts is written in `wellbeing.report`.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from projects.exports import csv_response
from wellbeing import report
from wellbeing.views.manage import moderated_campaign


@require_GET
@login_required
def campaign_report(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    """Ideas and votes per theme, participation by trust, the top ideas of each theme, and the
    adopted ideas with their joint projects."""
    campaign = moderated_campaign(request, campaign_slug)
    context = {"campaign": campaign, "report": report.campaign_report(campaign)}
    return render(request, "wellbeing/manage/report.html", context)


@require_GET
@login_required
def campaign_report_csv(request: HttpRequest, campaign_slug: str) -> HttpResponse:
    """One row per idea sent in (the columns are described in `wellbeing.report.csv_rows`):
    what a programme office filters, sorts and pivots in Excel. Formula-like text is made
    plain text by `projects.exports.csv_response`."""
    campaign = moderated_campaign(request, campaign_slug)
    rows = report.csv_rows(campaign, link=request.build_absolute_uri)
    return csv_response(report.csv_filename(campaign), report.CSV_HEADER, rows)
