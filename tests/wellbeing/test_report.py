"""The campaign report: its figures on known data, exactly; the CSV's rows; text that a
spreadsheet would run as a formula made plain; and a page that prints without the menus.

The campaign (Southern: LAS and SECAmb) is built through the services:

    idea                          theme              author (trust)        votes, by trust
    i1 Hot meals on late shifts   Rest and recovery  staff_of_las (LAS)    3: LAS 2, SECAmb 1
    i2 Quiet rooms on stations    Rest and recovery  lead_of_secamb (SEC)  1: LAS
    i3 Rest areas at hospitals    Rest and recovery  sec1 (SECAmb)         2: LAS 2
    i4 Naps on night shifts       Rest and recovery  las1 (LAS)            1: SECAmb (sent after i2)
    i5 One route to band 6        Career routes      lead_of_las (LAS)     2 + 1 moved from i6
    i6 Band 6 for everyone        Career routes      sec1 (SECAmb)         merged into i5
    i7 Free parking               (no theme)         staff_of_las (LAS)    0, not taken forward
    a draft                       Rest and recovery  lead_of_secamb        never counted

Comments: on i1 by lead_of_secamb, a reply by staff_of_las, and one by sec2 that a moderator
removed (not counted); on i3 by sec2; on i5 by las1; on i2 by las2, hidden by three flags
(counted: it was written). i5 is promoted into a joint project, so it is adopted.
"""

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Category, FundingModel
from tests.wellbeing.builders import day, staff
from wellbeing.models import Campaign, Idea, IdeaStatus
from wellbeing.report import CSV_HEADER, campaign_report, csv_rows
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.comments import comment_flag, comment_moderate, comment_post
from wellbeing.services.ideas import idea_save
from wellbeing.services.review import idea_change_status, idea_merge, idea_promote
from wellbeing.services.votes import vote_cast


def _idea(campaign: Campaign, author, title: str, theme: str | None) -> Idea:
    return idea_save(
        author=author,
        campaign=campaign,
        title=title,
        problem=f"The problem behind “{title}”.",
        proposal=f"What “{title}” would change.",
        suggested_theme=campaign.themes.get(name=theme) if theme else None,
        show_author_name=True,
        submit=True,
    )


@pytest.fixture
def known(southern, las, secamb, admin_of_southern, staff_of_las, lead_of_las, lead_of_secamb):
    campaign = campaign_create(
        actor=admin_of_southern,
        collaboration=southern,
        themes=["Rest and recovery", "Career routes", "Leadership"],
        title="Where should Southern start?",
        question="What one change would help you most?",
        opens_on=day(-10),
        closes_on=day(20),
    )
    las1, las2 = staff(las, 1), staff(las, 2)
    sec1, sec2 = staff(secamb, 1), staff(secamb, 2)
    i1 = _idea(campaign, staff_of_las, "Hot meals on late shifts", "Rest and recovery")
    i2 = _idea(campaign, lead_of_secamb, "Quiet rooms on stations", "Rest and recovery")
    i3 = _idea(campaign, sec1, "Rest areas at hospitals", "Rest and recovery")
    i4 = _idea(campaign, las1, "Naps on night shifts", "Rest and recovery")
    i5 = _idea(campaign, lead_of_las, "One route to band 6", "Career routes")
    i6 = _idea(campaign, sec1, "Band 6 for everyone", "Career routes")
    i7 = _idea(campaign, staff_of_las, "Free parking", None)
    idea_save(
        author=lead_of_secamb,
        campaign=campaign,
        title="A draft",
        problem="",
        proposal="",
        suggested_theme=campaign.themes.get(name="Rest and recovery"),
        show_author_name=True,
        submit=False,
    )
    for idea, voters in (
        (i1, [lead_of_las, lead_of_secamb, las1]),
        (i2, [staff_of_las]),
        (i3, [staff_of_las, lead_of_las]),
        (i4, [lead_of_secamb]),
        (i5, [staff_of_las, sec1]),
        (i6, [staff_of_las, las1]),
    ):
        for person in voters:
            vote_cast(idea=idea, person=person)

    c1 = comment_post(idea=i1, author=lead_of_secamb, body="Yes, a microwave at least.")
    comment_post(idea=i1, author=staff_of_las, body="And a fridge.", parent=c1)
    removed = comment_post(idea=i1, author=sec2, body="Rubbish idea, typical LAS.")
    comment_moderate(comment=removed, moderator=admin_of_southern, restore=False, reason="Rude.")
    comment_post(idea=i3, author=sec2, body="Our hospital has one already.")
    comment_post(idea=i5, author=las1, body="Please make it the same in every trust.")
    hidden = comment_post(idea=i2, author=las2, body="Only if the manager at X stops snoring.")
    for person in (lead_of_las, lead_of_secamb, staff_of_las):
        comment_flag(comment=hidden, person=person, reason="Personal.")

    idea_merge(idea=i6, into=i5, actor=admin_of_southern, reason="The same framework.")
    idea_change_status(idea=i5, actor=admin_of_southern, status=IdeaStatus.UNDER_REVIEW, reason="")
    i5 = idea_change_status(
        idea=i5, actor=admin_of_southern, status=IdeaStatus.SHORTLISTED, reason=""
    )
    project = idea_promote(
        idea=i5,
        actor=admin_of_southern,
        collaboration=southern,
        lead_trust=las,
        category=Category.WORKFORCE_AND_WELLBEING,
        terms="Each trust adopts the framework.",
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("20000"),
        staff_days_per_trust=3,
        decision_deadline=day(14),
        planned_start=day(30),
        planned_end=day(120),
    )
    idea_change_status(
        idea=i7,
        actor=admin_of_southern,
        status=IdeaStatus.NOT_TAKEN_FORWARD,
        reason="Parking is for each hospital to decide.",
    )
    return {"campaign": campaign, "project": project}


@pytest.mark.django_db
def test_totals_and_statuses(known):
    report = campaign_report(known["campaign"])
    totals = report.totals
    assert (totals.ideas, totals.votes, totals.comments, totals.people, totals.trusts) == (
        7,
        10,
        5,
        7,
        2,
    )
    assert [(f.status, f.ideas) for f in report.by_status] == [
        ("submitted", 4),
        ("adopted", 1),
        ("not_taken_forward", 1),
        ("merged", 1),
    ]


@pytest.mark.django_db
def test_ideas_votes_and_comments_per_theme(known):
    report = campaign_report(known["campaign"])
    assert [(row.name, row.ideas, row.votes, row.comments) for row in report.themes] == [
        ("Rest and recovery", 4, 7, 4),
        ("Career routes", 2, 3, 1),
        ("Leadership", 0, 0, 0),
        ("No theme yet", 1, 0, 0),
    ]


@pytest.mark.django_db
def test_the_top_three_ideas_of_each_theme(known):
    report = campaign_report(known["campaign"])
    top = {row.name: [(i.title, i.vote_count) for i in row.top_ideas] for row in report.themes}
    assert top == {
        # Naps on night shifts has one vote too, but was sent in after Quiet rooms.
        "Rest and recovery": [
            ("Hot meals on late shifts", 3),
            ("Rest areas at hospitals", 2),
            ("Quiet rooms on stations", 1),
        ],
        # The merged duplicate is counted with the idea it joined, not on its own.
        "Career routes": [("One route to band 6", 3)],
        "Leadership": [],
        "No theme yet": [],
    }


@pytest.mark.django_db
def test_participation_by_trust(known):
    report = campaign_report(known["campaign"])
    assert [
        (row.trust.short_name, row.ideas, row.votes, row.comments, row.people)
        for row in report.trusts
    ] == [
        # staff_of_las, lead_of_las, las1, las2 (whose only comment is hidden)
        ("LAS", 4, 7, 3, 4),
        # lead_of_secamb, sec1, sec2 (one comment counted, one removed)
        ("SECAmb", 3, 3, 2, 3),
    ]


@pytest.mark.django_db
def test_the_adopted_ideas_with_their_projects(known):
    report = campaign_report(known["campaign"])
    assert [(idea.title, idea.project) for idea in report.adopted] == [
        ("One route to band 6", known["project"])
    ]


@pytest.mark.django_db
def test_a_trust_that_has_not_taken_part_is_listed_with_noughts(
    southern, admin_of_southern, las, secamb
):
    campaign = campaign_create(
        actor=admin_of_southern,
        collaboration=southern,
        themes=["Rest"],
        title="Quiet so far",
        question="Anything?",
        opens_on=day(0),
        closes_on=day(5),
    )
    _idea(campaign, staff(las, 1), "The only idea", "Rest")
    report = campaign_report(campaign)
    assert [(row.trust.short_name, row.ideas, row.people) for row in report.trusts] == [
        ("LAS", 1, 1),
        ("SECAmb", 0, 0),
    ]
    assert report.totals.trusts == 1
    assert report.adopted == []


@pytest.mark.django_db
def test_the_page_shows_the_figures(client, admin_of_southern, known):
    client.force_login(admin_of_southern)
    campaign = known["campaign"]
    page = client.get(reverse("wellbeing:report", args=[campaign.slug])).content.decode()
    assert page.count("<h1") == 1
    for testid, figure in (
        ("total-ideas", "7"),
        ("total-votes", "10"),
        ("total-comments", "5"),
        ("total-people", "7, from 2 trusts"),
    ):
        assert f'data-testid="{testid}">{figure}<' in page
    rest = re.search(r'data-theme="Rest and recovery">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", rest) == ["4", "7", "4"]
    las = re.search(r'data-trust="LAS">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", las) == ["4", "7", "3", "4"]
    assert known["project"].get_absolute_url() in page
    assert reverse("wellbeing:report_csv", args=[campaign.slug]) in page


@pytest.mark.django_db
def test_the_csv_has_one_row_per_idea(client, admin_of_southern, known):
    campaign = known["campaign"]
    client.force_login(admin_of_southern)
    response = client.get(reverse("wellbeing:report_csv", args=[campaign.slug]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="{campaign.slug}-report-{day(0).isoformat()}.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == CSV_HEADER
    today = day(0).isoformat()
    link = (
        "http://testserver" + Idea.objects.get(title="Hot meals on late shifts").get_absolute_url()
    )
    assert rows[1] == [
        "Rest and recovery",
        "Hot meals on late shifts",
        "Submitted",
        "",
        "3",
        "2",  # the removed comment is not counted
        "LAS",
        today,
        "",
        "",
        link,
    ]
    assert [(r[0], r[1], r[2], r[4], r[5], r[6], r[8], r[9]) for r in rows[1:]] == [
        ("Rest and recovery", "Hot meals on late shifts", "Submitted", "3", "2", "LAS", "", ""),
        ("Rest and recovery", "Rest areas at hospitals", "Submitted", "2", "1", "SECAmb", "", ""),
        ("Rest and recovery", "Quiet rooms on stations", "Submitted", "1", "1", "SECAmb", "", ""),
        ("Rest and recovery", "Naps on night shifts", "Submitted", "1", "0", "LAS", "", ""),
        (
            "Career routes",
            "One route to band 6",
            "Adopted",
            "3",
            "1",
            "LAS",
            "",
            "One route to band 6",
        ),
        (
            "Career routes",
            "Band 6 for everyone",
            "Merged into another idea",
            "0",
            "0",
            "SECAmb",
            "One route to band 6",
            "",
        ),
        ("No theme yet", "Free parking", "Not taken forward", "0", "0", "LAS", "", ""),
    ]
    assert rows[-1][3] == "Parking is for each hospital to decide."
    assert "A draft" not in response.content.decode("utf-8-sig")


@pytest.mark.django_db
def test_text_that_looks_like_a_formula_is_made_plain_in_the_csv(
    client, admin_of_southern, known, lead_of_las
):
    campaign = known["campaign"]
    _idea(campaign, lead_of_las, '=HYPERLINK("http://evil.example","Click")', "Leadership")
    _idea(campaign, lead_of_las, "+44 7700 900123 call me", "Leadership")
    client.force_login(admin_of_southern)
    response = client.get(reverse("wellbeing:report_csv", args=[campaign.slug]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    titles = [row[1] for row in rows if row[0] == "Leadership"]
    assert sorted(titles) == [
        "'+44 7700 900123 call me",
        '\'=HYPERLINK("http://evil.example","Click")',
    ]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


@pytest.mark.django_db
def test_the_csv_rows_function_matches_the_download(known):
    rows = csv_rows(known["campaign"], link=lambda path: path)
    assert len(rows) == 7
    assert rows[0][10] == Idea.objects.get(title="Hot meals on late shifts").get_absolute_url()


def test_the_report_prints_without_the_menus():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    print_rules = css[css.index("@media print") :]
    for selector in (".nhsuk-header", ".nhsuk-footer", ".nhsuk-breadcrumb", ".portal-no-print"):
        assert selector in print_rules
    assert "display: none" in print_rules


@pytest.mark.django_db
def test_the_page_runs_the_same_number_of_queries_however_many_ideas(
    client, admin_of_southern, known, las, secamb, django_assert_num_queries
):
    campaign = known["campaign"]
    url = reverse("wellbeing:report", args=[campaign.slug])
    client.force_login(admin_of_southern)
    client.get(url)  # the session and the person's roles, loaded once
    with CaptureQueriesContext(connection) as before:
        assert client.get(url).status_code == 200
    for n in range(6):
        author = staff(las if n % 2 else secamb, 10 + n)
        idea = _idea(campaign, author, f"Another idea {n}", "Leadership")
        vote_cast(idea=idea, person=staff(las, 20 + n))
        comment_post(idea=idea, author=staff(secamb, 30 + n), body="Agreed.")
    assert len(before) <= 25, [q["sql"][:120] for q in before.captured_queries]
    with django_assert_num_queries(len(before)):
        assert client.get(url).status_code == 200
