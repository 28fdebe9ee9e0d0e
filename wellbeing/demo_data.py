"""Demo staff ideas: the national #ProjectA campaign and a Southern collaboration campaign.

- "Wellbeing and career progression" (national, run by the site admin): the question of the
  third #ProjectA tweet chat, its eleven themes, the one-hour tweet chat (a Wednesday, 7pm to
  8pm) during which many of the ideas came in, and 80 ideas from staff of the ten English
  trusts: most sent in, some under review, a few shortlisted, two adopted (one of them now a
  joint project draft in the national programme), three not taken forward with their reasons
  and one merged into the idea it duplicated. Votes lean the way real ones do (a few ideas with
  dozens, most with a handful); comments, a few replies, and one comment hidden by three flags,
  waiting for a moderator.
- "Where should the Southern collaboration focus first?" (Southern, run by its programme admin):
  open now, five themes from the areas the trusts named, a dozen ideas and a draft.

Everything is built through the services, as staff and programme admins would through the
portal, so audit records and follows are real; then the sent-in, comment and vote times are
moved into the past (demo only). Votes are written in bulk rather than one service call each,
for speed (see `_cast_votes`).

Loading is idempotent: a campaign found by its slug is left alone, and the demo staff are found
by their email address. The demo accounts (collab.demo_data) must be loaded first. Facts come
from /work/shared/background/; people are fictional.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify

from collab.models import Collaboration, Role, Trust, User
from collab.services import role_assign
from projects.models import Category, FundingModel
from wellbeing.models import Campaign, Comment, Idea, IdeaStatus, Vote
from wellbeing.services.campaigns import campaign_create
from wellbeing.services.comments import comment_flag, comment_post
from wellbeing.services.ideas import idea_save
from wellbeing.services.review import idea_change_status, idea_merge, idea_promote

SITE_ADMIN = "siteadmin@example.org"
ADMIN_SOUTHERN = "admin.southern@example.org"
# Demo staff cannot sign in (no usable password): they author ideas, vote and comment.
STAFF_EMAIL_DOMAIN = "ideas.example.org"

S, UR, SL, AD, NTF, MG = (
    IdeaStatus.SUBMITTED,
    IdeaStatus.UNDER_REVIEW,
    IdeaStatus.SHORTLISTED,
    IdeaStatus.ADOPTED,
    IdeaStatus.NOT_TAKEN_FORWARD,
    IdeaStatus.MERGED,
)


# --- People ---------------------------------------------------------------------------------------
# Trust short name -> (full name, job title). Eight people in each English regional trust.
DEMO_STAFF: dict[str, tuple[tuple[str, str], ...]] = {
    "LAS": (
        ("Amara Okonkwo", "Paramedic"),
        ("Daniel Reeves", "Emergency medical technician"),
        ("Sophie Barnes", "Emergency call handler"),
        ("Marcus Bell", "Clinical team leader"),
        ("Aisha Rahman", "Student paramedic"),
        ("Gareth Lloyd", "Advanced paramedic practitioner, urgent care"),
        ("Nadia Kowalski", "Emergency operations centre dispatcher"),
        ("Tom Whitfield", "Station manager"),
    ),
    "SECAmb": (
        ("Leah Morgan", "Paramedic"),
        ("Callum Fraser", "Emergency care support worker"),
        ("Priyanka Shah", "Clinical supervisor, emergency operations centre"),
        ("Jack Harding", "Emergency medical technician"),
        ("Megan Doyle", "Critical care paramedic"),
        ("Oliver Grant", "Operational team leader"),
        ("Zainab Ali", "Emergency call handler"),
        ("Ruth Pennington", "Staff wellbeing lead"),
    ),
    "EEAST": (
        ("Chloe Adebayo", "Paramedic"),
        ("Ryan Fletcher", "Emergency medical technician"),
        ("Hannah Cole", "Emergency call handler"),
        ("Simon Akhtar", "Clinical team leader"),
        ("Kirsty Lambert", "Student paramedic"),
        ("Dean Walsh", "Ambulance care assistant, patient transport"),
        ("Fiona Mackay", "Mental health nurse, clinical hub"),
        ("Ben Osei", "Fleet technician"),
    ),
    "SCAS": (
        ("Lucy Hargreaves", "Paramedic"),
        ("Ade Bakare", "Emergency care assistant"),
        ("Emily Turner", "Call handler, 999 and NHS 111"),
        ("Josh Pemberton", "Paramedic practitioner"),
        ("Sarah Lindqvist", "Clinical coordinator"),
        ("Matt Keane", "Operations manager"),
        ("Isla Robertson", "Student paramedic"),
        ("Yusuf Demir", "Emergency medical technician"),
    ),
    "SWASFT": (
        ("Jess Trelawny", "Paramedic"),
        ("Owen Pascoe", "Emergency care assistant"),
        ("Rebecca Nkemelu", "Emergency call handler"),
        ("Will Hocking", "Specialist paramedic, urgent care"),
        ("Kate Sutherland", "Clinical hub nurse"),
        ("Liam Rowe", "Practice educator"),
        ("Mei Chen", "Paramedic"),
        ("Pete Carlyon", "Ambulance care assistant, patient transport"),
    ),
    "NEAS": (
        ("Gemma Robson", "Paramedic"),
        ("Craig Milburn", "Emergency medical technician"),
        ("Natalie Hume", "Health advisor, NHS 111"),
        ("Stephen Armstrong", "Clinical team leader"),
        ("Rachel Forster", "Student paramedic"),
        ("Jordan Tait", "Emergency care assistant"),
        ("Farah Iqbal", "Paramedic"),
        ("Alan Charlton", "Fleet and logistics supervisor"),
    ),
    "NWAS": (
        ("Kelly Ashcroft", "Paramedic"),
        ("Danny Houghton", "Emergency medical technician"),
        ("Shabana Patel", "Emergency call handler"),
        ("Lee Whittaker", "Advanced paramedic"),
        ("Jodie Kershaw", "Emergency medical dispatcher"),
        ("Mike Brennan", "Area manager"),
        ("Ellie Grundy", "Student paramedic"),
        ("Tariq Hussain", "Clinical navigator"),
    ),
    "YAS": (
        ("Becky Sutcliffe", "Paramedic"),
        ("Adam Holroyd", "Emergency care assistant"),
        ("Charlotte Firth", "Emergency call handler"),
        ("Nathan Ogunleye", "Specialist paramedic"),
        ("Victoria Lumb", "Clinical supervisor, 999"),
        ("Rob Greenwood", "Operations manager"),
        ("Sana Mirza", "Paramedic"),
        ("Joe Haigh", "Emergency medical technician"),
    ),
    "EMAS": (
        ("Laura Bexon", "Paramedic"),
        ("Kieran Doherty", "Emergency medical technician"),
        ("Harpreet Sandhu", "Emergency medical dispatcher"),
        ("Gavin Marsh", "Clinical team mentor"),
        ("Amy Plowright", "Student paramedic"),
        ("Dev Mistry", "Clinical assessment team paramedic"),
        ("Jo Waring", "Education and training officer"),
        ("Sam Trent", "Emergency care assistant"),
    ),
    "WMAS": (
        ("Jas Bains", "Paramedic"),
        ("Connor Price", "Emergency medical technician"),
        ("Leanne Jukes", "Call assessor"),
        ("Michael Adeyemi", "Paramedic team leader"),
        ("Holly Beddows", "Student paramedic"),
        ("Ravi Chauhan", "Clinical validator"),
        ("Kerry Nash", "Community response manager"),
        ("Tony Walters", "Fleet technician"),
    ),
}


def staff_email(full_name: str, trust_short_name: str) -> str:
    return f"{slugify(full_name).replace('-', '.')}.{trust_short_name.lower()}@{STAFF_EMAIL_DOMAIN}"


# --- What the campaigns hold ----------------------------------------------------------------------
@dataclass(frozen=True)
class IdeaData:
    theme: int  # 1-based, in the campaign's order
    author: str  # full name of a demo staff member or a demo account
    title: str
    problem: str
    proposal: str
    votes: int = 0
    status: IdeaStatus = IdeaStatus.SUBMITTED
    reason: str = ""
    show_author_name: bool = True
    during_live_event: bool = False  # sent in during the live event (the tweet chat)


@dataclass(frozen=True)
class CommentData:
    idea: str  # the idea's title
    author: str
    body: str
    replies: tuple[tuple[str, str], ...] = ()  # (author, body)
    # Full names of those who flag it, with why; three hide it until a moderator looks.
    flags: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class CampaignData:
    slug: str  # what campaign_create makes of the title; the demo finds the campaign by it
    collaboration: str | None  # slug; None for a national campaign
    admin: str  # email of who runs it
    title: str
    question: str
    description: str
    themes: tuple[str, ...]
    opens: int  # days from the day the demo is loaded; negative is in the past
    closes: int
    discussion_closes: int | None
    live_event_details: str
    live_event_minutes: int
    voter_trusts: tuple[str, ...]  # short names of the trusts whose staff vote and comment
    ideas: tuple[IdeaData, ...]
    comments: tuple[CommentData, ...] = ()
    drafts: tuple[IdeaData, ...] = field(default_factory=tuple)


ENGLISH_TRUSTS = ("LAS", "NEAS", "NWAS", "YAS", "EMAS", "WMAS", "EEAST", "SECAmb", "SCAS", "SWASFT")
SOUTHERN_TRUSTS = ("SECAmb", "EEAST", "LAS", "SCAS", "SWASFT")

# The titles that other parts of the story refer to.
HOT_MEALS = "Hot meals on late shifts"
HOT_FOOD_AFTER_MIDNIGHT = "Hot food after midnight"
DECOMPRESSION = "Protected decompression time after a difficult job"
ROTATIONAL_POSTS = "Rotational paramedic posts across primary and urgent care"

# fmt: off
PROJECT_A_IDEAS: tuple[IdeaData, ...] = (
    # 1. Creating a wellbeing culture
    IdeaData(1, "Amara Okonkwo", "A wellbeing check-in at the start of every shift",
             "We book on, check the vehicle and go. Nobody asks how you are until something has "
             "gone wrong, and by then people are already off sick.",
             "Team leaders do a two-minute check-in at the start of each shift: how are you, is "
             "anything from the last shift still with you? Make it part of the vehicle and kit "
             "check so it happens even on busy days.",
             34, UR, during_live_event=True),
    IdeaData(1, "Jack Harding", "Make sure thank-yous reach the crew",
             "Complaints reach us within days. Praise from patients, families and hospital staff "
             "hardly ever gets back to the crew who did the job.",
             "A simple thank-you form on the website and the intranet that goes straight to the "
             "crew and their line manager, and a monthly round-up read out at station briefings.",
             19, during_live_event=True),
    IdeaData(1, "Kelly Ashcroft", "Make it normal to leave on time",
             "Late jobs at the end of a shift are expected. Nobody says anything when the same "
             "crew finishes two hours late four days running.",
             "Count late finishes for each person. After three in a week, the team leader is "
             "prompted to protect that person's next end of shift: no new jobs in the last 30 "
             "minutes, except category 1 calls nearby.",
             41, UR, during_live_event=True),
    IdeaData(1, "Ruth Pennington", "Wellbeing as a standing item at every team meeting",
             "Team meetings are all performance figures and kit. Wellbeing only comes up after "
             "something bad has happened.",
             "Start every team meeting with five minutes on how the team is doing, and note one "
             "thing to act on.",
             6),
    IdeaData(1, "Danny Houghton", "Senior managers work one operational shift a quarter",
             "Decisions about breaks and rotas are made by people who have not worked a night on "
             "the road or in the control room for years.",
             "Every senior manager works one full shift each quarter with a crew or in the control "
             "room, and writes down one thing they will change as a result.",
             28, during_live_event=True),
    IdeaData(1, "Gemma Robson", "Wellbeing champions on every station and in every control room",
             "Staff don't know who to turn to when they are struggling but don't want to go to "
             "their manager.",
             "Train a volunteer wellbeing champion on every station and in every control room, "
             "with protected time each month and a network across the trust.",
             22, UR),
    IdeaData(1, "Charlotte Firth", "Show how the control room is coping, not just how fast it is",
             "Our boards show calls answered and average handling time. Nothing shows how the "
             "people answering them are coping.",
             "A one-tap mood check at the end of each shift in the control room (good, OK, "
             "tough). Team leaders see the trend for the room, never names.",
             12),
    # 2. Improving systems and processes
    IdeaData(2, "Ryan Fletcher", HOT_MEALS,
             "On a late or night shift there is often nowhere open to buy a hot meal, and meal "
             "breaks get pushed to the end of the shift or lost altogether.",
             "Stock stations and hospital rest areas with decent ready meals and a fridge and "
             "microwave, paid for from the charity fund. Protect meal breaks between 6pm and "
             "10pm except for category 1 calls.",
             58, SL, "Shortlisted: one of the most backed ideas, and something every trust could "
             "start within weeks.", during_live_event=True),
    IdeaData(2, "Yusuf Demir", HOT_FOOD_AFTER_MIDNIGHT,
             "After midnight the only food near most hospitals is a vending machine.",
             "Agree with hospital canteens that ambulance crews can get a hot meal out of hours.",
             14, MG, "The same idea as “Hot meals on late shifts”: its votes and followers have "
             "moved there."),
    IdeaData(2, "Leah Morgan", "Meal breaks that actually happen",
             "Meal breaks are given so late that half the time we are stood down at the end of "
             "the shift without one.",
             "A meal break window between the third and sixth hour of every shift, protected by "
             "dispatch except for category 1 calls, and a weekly report of breaks missed.",
             47, UR, during_live_event=True),
    IdeaData(2, "Hannah Cole", "Swap a shift in one step",
             "Swapping a shift takes three emails and a week waiting for approval.",
             "An app where two colleagues agree a swap and the rota team approves it with one "
             "click, with rest hours and skill mix checked automatically.",
             25),
    IdeaData(2, "Connor Price", "A fair share of leave in the school holidays",
             "Leave in the school holidays goes in minutes, and the same people get it every "
             "year.",
             "Rotate peak leave slots fairly across each team, and publish the rotation a year "
             "ahead.",
             31, during_live_event=True),
    IdeaData(2, "Lucy Hargreaves", "Hospital staff take over patients after 30 minutes",
             "Waiting four hours outside the emergency department with a patient is draining, and "
             "we miss our breaks.",
             "At the busiest hospitals, a hospital ambulance liaison team takes over patients in a "
             "cohort area after 30 minutes so crews can clear and take their break.",
             39, NTF, "Handover delays are being tackled hospital by hospital through the "
             "national urgent and emergency care plan, which this campaign cannot change. We have "
             "passed the idea and its comments to the regional handover programme."),
    IdeaData(2, "Alan Charlton", "Pay late finishes without a paper form",
             "Claiming a late finish means a paper form signed by a manager, and forms go "
             "missing.",
             "Record late finishes automatically from the booking-off time and pay them without "
             "a form.",
             17),
    IdeaData(2, "Tony Walters", "Tablets that sync before the first job",
             "Crews lose the start of the shift because the patient record tablet will not sync.",
             "Charge and update tablets overnight in a docking rack on station, with a spare "
             "ready to swap.",
             9),
    # 3. Promoting wellbeing
    IdeaData(3, "Laura Bexon", "Flu jabs and health checks on station",
             "Getting to occupational health for a jab or a blood pressure check means a trip on "
             "a day off.",
             "A nurse visits each station a few times a year for flu jabs and simple health "
             "checks, at shift change.",
             8),
    IdeaData(3, "Jordan Tait", "Healthier food in station vending machines",
             "The vending machines on station sell crisps and chocolate, and that is often all "
             "there is on a night shift.",
             "Change the vending contract to include healthier options and something hot.",
             5),
    IdeaData(3, "Mei Chen", "Gyms that fit shift work",
             "Gyms near stations are closed by the time a late shift ends.",
             "A discounted 24-hour gym scheme through NHS staff benefits, or equipment in spare "
             "rooms on station.",
             16, during_live_event=True),
    IdeaData(3, "Kate Sutherland", "Menopause support for operational staff",
             "Long shifts in heavy uniform, with no chance to get to a toilet, are hard for "
             "colleagues going through the menopause, and many leave.",
             "Menopause-friendly uniform options, access to toilets and rest during shifts, and a "
             "trained menopause advocate in every area.",
             36, UR),
    IdeaData(3, "Sana Mirza", "Sleep and fatigue education for night workers",
             "Most of us were never taught how to manage sleep around rotating night shifts.",
             "A short course on sleep, fatigue and nutrition for shift workers in every induction, "
             "and a refresher each year.",
             21),
    IdeaData(3, "Sarah Lindqvist", "Tell staff about the support we already have",
             "We have an employee assistance line, physio self-referral and counselling, but most "
             "staff do not know how to reach them.",
             "One card in every vehicle and a QR code on every station noticeboard listing the "
             "support and how to reach it at any hour.",
             27, during_live_event=True),
    IdeaData(3, "Pete Carlyon", "A wellbeing day for every team each year",
             "Teams never get time together that isn't about work.",
             "One paid wellbeing day a year for each team to spend together.",
             4, NTF, "Each trust already gives teams time for wellbeing under its own policy; "
             "please raise this with your trust's wellbeing lead."),
    # 4. Talking about mental health
    IdeaData(4, "Rachel Forster", "Talk about mental health in training, not just on posters",
             "Posters tell us it's OK not to be OK, but nobody ever talks about it in training.",
             "A session in every course, led by colleagues who have used mental health support, "
             "on how to spot when you or your crewmate is struggling.",
             13),
    IdeaData(4, "Ravi Chauhan", "Senior leaders share their own stories",
             "People still think asking for help will stop them getting promoted.",
             "Senior leaders who have had mental health support tell their stories in short "
             "videos and at briefings.",
             18, during_live_event=True),
    IdeaData(4, "Becky Sutcliffe", "A mental health first aider in every team",
             "The person you would talk to is often your crewmate, who has been through the same "
             "job.",
             "Train at least one mental health first aider in every team, chosen by the team.",
             33, UR, during_live_event=True),
    IdeaData(4, "Sophie Barnes", "Time out for call handlers after a distressing call",
             "Call handlers take calls where someone dies on the phone, then go straight on to "
             "the next call.",
             "After a distressing call, a call handler can press a time-out button and take ten "
             "minutes off the phones, with a supervisor checking in.",
             52, SL, "Shortlisted: simple to start, and it covers the control room, which few "
             "other ideas do.", during_live_event=True),
    IdeaData(4, "Gavin Marsh", "Mental health in every appraisal",
             "Appraisals cover training and targets, never how someone is coping.",
             "Add a short, optional wellbeing conversation to every appraisal.",
             7),
    IdeaData(4, "Craig Milburn", "A men's mental health group",
             "A lot of the lads on station would never talk to anyone about how they feel.",
             "A monthly informal group, off station, run by trained peers.",
             11),
    IdeaData(4, "Zainab Ali", "Stop the banter that stops people talking",
             "Some of the banter on station makes it impossible to admit you are struggling.",
             "Team leaders step in when banter turns on someone's mental health, with short "
             "training on how to do it.",
             9, show_author_name=False),
    # 5. Debrief
    IdeaData(5, "Jess Trelawny", "TRiM offered after every traumatic job, not just when asked",
             "TRiM exists, but you have to ask for it, and most people don't want to be seen "
             "asking.",
             "The control room flags jobs that meet trauma criteria (a child's death, a suicide, "
             "a major incident) and a trained TRiM practitioner contacts the crew within 72 "
             "hours, every time.",
             61, SL, "Shortlisted: the most backed debrief idea, and every trust has TRiM "
             "practitioners already.", during_live_event=True),
    IdeaData(5, "Megan Doyle", "A hot debrief before leaving hospital",
             "After a cardiac arrest or a child's death we clear and are sent to the next call "
             "without a word.",
             "A five-minute hot debrief (what went well, what was hard, is everyone OK?) before "
             "the crew clears, with the clinical team leader on the phone if needed.",
             44, UR, during_live_event=True),
    IdeaData(5, "Nadia Kowalski", "Debriefs for the control room too",
             "Debriefs are for crews. Dispatchers and call handlers who were on the same incident "
             "are forgotten.",
             "Invite everyone involved, including the control room, to the debrief after a "
             "serious incident.",
             23),
    IdeaData(5, "Daniel Reeves", "Find out what happened to our patients",
             "We never find out what happened to patients after handover, which makes the hard "
             "jobs harder to let go.",
             "A way to ask the hospital for the outcome for a patient we treated, agreed with "
             "information governance.",
             49, UR, during_live_event=True),
    IdeaData(5, "Jodie Kershaw", "Debriefs led by trained peers, not managers",
             "People don't say how they really feel in a debrief led by their manager.",
             "Train peers from each station to lead debriefs, with a manager only there if the "
             "crew asks.",
             15),
    IdeaData(5, "Kirsty Lambert", "A quiet room to debrief at major hospitals",
             "There is nowhere private at the hospital to talk after a difficult job.",
             "Agree with the major hospitals a room crews can use for ten minutes.",
             6),
    IdeaData(5, "Farah Iqbal", "A follow-up call a week after a serious incident",
             "The support after a serious incident stops after the first day.",
             "Someone trained calls each person involved a week later to see how they are.",
             12),
    IdeaData(5, "Isla Robertson", "Debrief students after their first death",
             "My first death on placement was never mentioned again.",
             "Practice educators check in with every student after their first death or "
             "traumatic job.",
             20, during_live_event=True),
    # 6. Accessing wellbeing support
    IdeaData(6, "Kieran Doherty", "Counselling at any hour, not nine to five",
             "The worst shifts end at 3am. The counselling line opens at 9.",
             "A 24-hour line staffed by counsellors who know the ambulance service.",
             29, during_live_event=True),
    IdeaData(6, "Adam Holroyd", "Refer yourself to physio without your manager",
             "Back and shoulder injuries wait weeks because physio needs a manager's referral.",
             "Self-referral to musculoskeletal physio for every member of staff.",
             24),
    IdeaData(6, "Michael Adeyemi", "Peer supporters from other trusts",
             "In a small team, your peer supporter may be your crewmate or your manager.",
             "Trusts share their trained peer supporters, so staff can talk to someone from "
             "another service if they prefer.",
             26),
    IdeaData(6, "Stephen Armstrong", "Support through a coroner's inquest",
             "Giving evidence at an inquest is frightening, and you are mostly on your own.",
             "A named supporter and legal briefing for every member of staff called to an "
             "inquest.",
             17),
    IdeaData(6, "Amy Plowright", "Wellbeing support for bank staff and students",
             "Students and bank staff often can't use the employee assistance line.",
             "Open every wellbeing service to students on placement and bank staff.",
             10),
    IdeaData(6, "Owen Pascoe", "Occupational health appointments that fit shifts",
             "Occupational health only offers appointments in office hours on weekdays.",
             "Evening and weekend appointments, by video where possible.",
             8),
    IdeaData(6, "Dean Walsh", "Help with money worries",
             "Rising costs mean colleagues pick up every overtime shift they can and burn out.",
             "Free financial advice sessions, a salary advance scheme, and help with fuel for "
             "those who drive to distant stations.",
             22, during_live_event=True),
    # 7. Creating time and space for rest and relaxation
    IdeaData(7, "Marcus Bell", DECOMPRESSION,
             "After a paediatric arrest or a suicide we are often given the next call before we "
             "have even restocked.",
             "Crews can book 20 minutes of decompression time after a difficult job; dispatch "
             "keeps them off the board except for category 1 calls nearby.",
             64, AD, "Adopted as one of the four #ProjectA change ideas: every trust will add "
             "protected decompression time to its welfare policy, with dispatch guidance agreed "
             "through AACE.", during_live_event=True),
    IdeaData(7, "Chloe Adebayo", "Rest areas for ambulance crews at every emergency department",
             "At most hospitals we wait in the corridor or the vehicle, with nowhere to sit, eat "
             "or use a toilet.",
             "Agree with each hospital a small rest area for ambulance crews near the emergency "
             "department, with seats, a kettle, a microwave and a toilet.",
             55, SL, "Shortlisted: needs each hospital's agreement, so the programme will test "
             "it at two sites first.", during_live_event=True),
    IdeaData(7, "Will Hocking", "A quiet room on every station",
             "Stations have a mess room with the television on and nowhere quiet.",
             "Turn a spare room on each station into a quiet room: a comfortable chair, low "
             "light, no phones.",
             18),
    IdeaData(7, "Rob Greenwood", "A welfare vehicle at the longest hospital queues",
             "When crews queue for hours outside hospitals, nobody brings water or food.",
             "A welfare vehicle run by volunteers with drinks, snacks and a toilet, sent to the "
             "hospitals with the longest queues.",
             30),
    IdeaData(7, "Ellie Grundy", "A 20-minute rest on night shifts",
             "By 4am after a long night, crews are driving under blue lights exhausted.",
             "Allow a 20-minute rest period on nights, with a reclining chair on station, as some "
             "fire services do.",
             37, during_live_event=True),
    IdeaData(7, "Joe Haigh", "No more 14-hour shifts",
             "Twelve-hour shifts regularly become fourteen with late jobs.",
             "Cap shifts at twelve hours, including late finishes.",
             33, NTF, "Shift patterns are agreed nationally with the unions, which this campaign "
             "cannot change. We have shared the idea and its comments with the national rota "
             "review."),
    IdeaData(7, "Harpreet Sandhu", "Finish on time before annual leave",
             "The last shift before leave always seems to run late.",
             "Protect the end of the last shift before a week or more of leave.",
             9),
    IdeaData(7, "Leanne Jukes", "A garden at the control room",
             "The control room has no windows that open and nowhere outside to sit.",
             "Turn the space behind the control room into a small garden with benches.",
             5),
    # 8. Training and continuing professional development
    IdeaData(8, "Gareth Lloyd", "Protected CPD days in the rota",
             "Every study day for our professional registration is on our days off.",
             "Four protected CPD days a year in the rota for every registered clinician.",
             48, UR, during_live_event=True),
    IdeaData(8, "Jo Waring", "One course catalogue across the trusts",
             "Each trust runs its own courses; a place left empty in one could be filled from "
             "another.",
             "One catalogue of ambulance courses across the ten trusts, with spare places open to "
             "all.",
             21),
    IdeaData(8, "Fiona Mackay", "Mental health training for every frontline clinician",
             "A growing share of our calls are about mental health, and most crews feel "
             "unprepared.",
             "A day of mental health training for every frontline clinician, run with the local "
             "mental health trust.",
             19),
    IdeaData(8, "Lee Whittaker", "Simulation training for rare, high-stress jobs",
             "Some jobs, such as a birth with complications, come up once in a career.",
             "Regular simulation sessions for rare, high-stress jobs, on station and in hours.",
             14),
    IdeaData(8, "Callum Fraser", "Driving courses recognised between trusts",
             "I moved trusts and had to repeat my blue-light driving course.",
             "Every trust recognises driving qualifications approved by the Driver Training "
             "Advisory Group.",
             26, during_live_event=True),
    IdeaData(8, "Emily Turner", "E-learning that works on a phone",
             "Mandatory e-learning only works on a desktop computer at the station.",
             "Make all e-learning work on a phone, with time in the rota to do it.",
             11),
    IdeaData(8, "Dev Mistry", "Share lessons from incidents across trusts",
             "Lessons from serious incidents stay inside the trust where they happened.",
             "A shared, anonymised bulletin of lessons learned across the ten trusts.",
             7),
    # 9. Creating clear career development routes
    IdeaData(9, "Josh Pemberton", "One clear route from band 5 to band 6 paramedic",
             "Newly qualified paramedics don't know what they need to do to reach band 6, and it "
             "differs between trusts.",
             "A published national band 6 progression framework: the competencies, the evidence "
             "and the timescale, the same in every trust.",
             57, SL, "Shortlisted: the most backed career idea; the programme will start from "
             "the national education standards.", during_live_event=True),
    IdeaData(9, "Shabana Patel", "A career path for call handlers",
             "There is no way up for call handlers except becoming a team leader.",
             "A career ladder for the control room (senior call handler, dispatcher, clinical "
             "navigator) with training at each step.",
             35, during_live_event=True),
    IdeaData(9, "Ade Bakare", "Earn while you train to be a paramedic",
             "I'd love to become a paramedic, but I can't afford three years on a student income.",
             "Paid degree apprenticeships, so emergency care assistants and technicians can train "
             "as paramedics while earning.",
             45, during_live_event=True),
    IdeaData(9, "Kerry Nash", "Career conversations, not just appraisals",
             "Nobody talks to you about where your career could go.",
             "A yearly career conversation with someone outside your line management.",
             12),
    IdeaData(9, "Nathan Ogunleye", "Specialist roles open to staff of every trust",
             "Specialist paramedic posts are only advertised inside each trust.",
             "Advertise specialist posts across all trusts, with secondments.",
             9),
    IdeaData(9, "Holly Beddows", "Shadowing days in other roles",
             "Students and new staff don't know what other roles involve.",
             "Two shadowing days a year in another role: the control room, the clinical hub, "
             "hazardous area response.",
             13),
    IdeaData(9, "Tariq Hussain", "A way back for paramedics who left",
             "Paramedics who left for other jobs find it hard to come back.",
             "A return-to-practice route with a mentor and a phased return.",
             8),
    IdeaData(9, "Liam Rowe", "Recognise the work of mentoring students",
             "Mentoring students is on top of a full caseload and not recognised.",
             "Count mentoring towards progression, and give mentors time in the rota.",
             16),
    # 10. Creating a portfolio of experience across health and care
    IdeaData(10, "Tom Whitfield", ROTATIONAL_POSTS,
             "Experienced paramedics leave for GP surgeries because it is the only way to get "
             "regular hours and new skills.",
             "Rotational posts: a paramedic spends part of the year on the road, part in a GP "
             "practice or urgent treatment centre and part in the clinical hub, employed by the "
             "ambulance trust throughout.",
             53, SL, during_live_event=True),
    IdeaData(10, "Priyanka Shah", "Secondments to emergency departments",
             "We hand over to the emergency department every day but rarely see how it works.",
             "Short secondments for paramedics in the emergency department, and for hospital "
             "staff in the control room.",
             15),
    IdeaData(10, "Kate Sutherland", "Paramedics in the mental health crisis team",
             "Crews spend hours with people in mental health crisis with no specialist support.",
             "Paramedics rotate into the local mental health crisis team, and bring the skills "
             "back.",
             27, during_live_event=True),
    IdeaData(10, "Victoria Lumb", "Time in the clinical hub as part of the rota",
             "Road staff and hub clinicians rarely understand each other's work.",
             "Paramedics work some shifts in the clinical hub as part of their normal rota.",
             14),
    IdeaData(10, "Natalie Hume", "Recognise experience from other health roles",
             "Staff who join from other NHS roles start again at the bottom.",
             "Recognise relevant experience from other health and care roles in pay and "
             "progression.",
             10),
    IdeaData(10, "Simon Akhtar", "A skills passport that moves with you",
             "When you move between trusts or into primary care, you start again proving your "
             "training and checks.",
             "A digital staff passport with your core training, checks and competencies, "
             "recognised by every NHS employer.",
             32),
    IdeaData(10, "Rebecca Nkemelu", "Community paramedic roles in rural areas",
             "In rural areas the same patients call us again and again.",
             "Community paramedic roles working with GP practices to see those patients before "
             "they call 999.",
             6),
    # 11. Leadership development
    IdeaData(11, "Oliver Grant", "Leadership training before you become a team leader",
             "I became a team leader on a Monday and got the training eight months later.",
             "A leadership course for everyone stepping up, finished before they start the role.",
             38, UR, during_live_event=True),
    IdeaData(11, "Mike Brennan", "Coaching for new managers",
             "New managers learn by trial and error, and their teams pay for it.",
             "Six months of coaching for every new manager from an experienced manager in "
             "another trust.",
             11),
    IdeaData(11, "Aisha Rahman", "Reverse mentoring: frontline staff mentor directors",
             "Directors hear about frontline life through reports.",
             "Each director is mentored for a year by a member of frontline staff.",
             19),
    IdeaData(11, "Matt Keane", "Leadership programmes open to every role",
             "Leadership programmes are only offered to clinicians.",
             "Open every leadership programme to call handlers, fleet and support staff.",
             8),
    IdeaData(11, "Sam Trent", "Compassionate leadership training for every manager",
             "Some managers still lead by fear.",
             "Compassionate leadership training for every manager, with staff feedback on how "
             "they lead.",
             17),
    IdeaData(11, "Kwame Mensah", "Leaders out and about at 3am",
             "On nights, the most senior person most crews see is the team leader on the radio.",
             "Directors and senior managers take turns on a night welfare round, visiting "
             "hospitals and stations between midnight and 6am with hot drinks and an open ear.",
             24),
)

PROJECT_A_COMMENTS: tuple[CommentData, ...] = (
    CommentData(DECOMPRESSION, "Jess Trelawny",
                "After a paediatric arrest last winter we were sent to a fall twelve minutes "
                "later. I still think about that shift. Twenty minutes would have made all the "
                "difference.",
                replies=(
                    ("Priyanka Shah", "From the control room side: we want to give crews this "
                     "time, but we need a clear rule so dispatchers aren't making the call on "
                     "their own at 3am."),
                    ("Marcus Bell", "Agreed. A code crews can give on the radio would make it "
                     "simple for everyone."),
                )),
    CommentData(DECOMPRESSION, "Rob Greenwood",
                "We tried something similar on two stations. Sickness went down and nobody "
                "abused it."),
    CommentData("TRiM offered after every traumatic job, not just when asked", "Megan Doyle",
                "TRiM helped me a lot after a major incident, but only because a colleague "
                "pushed me to ask. Offering it by default is the way."),
    CommentData("TRiM offered after every traumatic job, not just when asked", "Adam Holroyd",
                "Does this include the control room? Call handlers hear the worst of it too.",
                replies=(("Jess Trelawny", "Yes, it should. The same criteria for everyone "
                          "involved in the job."),)),
    CommentData(HOT_MEALS, "Kelly Ashcroft",
                "A fridge and a microwave at the big hospitals would cost next to nothing and "
                "make a huge difference at 2am."),
    CommentData(HOT_MEALS, "Craig Milburn",
                "Some of our stations have a charity-funded freezer of meals already. It works "
                "brilliantly when someone keeps it stocked."),
    CommentData(HOT_FOOD_AFTER_MIDNIGHT, "Owen Pascoe",
                "Same at our hospital: a vending machine and that's it."),
    CommentData("Time out for call handlers after a distressing call", "Shabana Patel",
                "Yes please. The worst calls stay with you, and the queue never stops."),
    CommentData("Time out for call handlers after a distressing call", "Victoria Lumb",
                "We do this informally in our room. Making it a button means nobody has to ask.",
                replies=(("Sophie Barnes", "Exactly. Asking in front of the whole room is the "
                          "hard part."),)),
    CommentData("One clear route from band 5 to band 6 paramedic", "Isla Robertson",
                "As a student I've already heard three different versions of what band 6 needs. "
                "One framework would help so much."),
    CommentData("One clear route from band 5 to band 6 paramedic", "Mike Brennan",
                "Worth starting from the national education standards, so trusts aren't "
                "starting from scratch."),
    CommentData("Rest areas for ambulance crews at every emergency department",
                "Lucy Hargreaves",
                "At our biggest hospital the nearest toilet for crews is through the department. "
                "A small room would change everything."),
    CommentData("Rest areas for ambulance crews at every emergency department", "Dean Walsh",
                "The staff at the General's emergency department couldn't care less about us. "
                "The nurse in charge on nights is the worst of the lot and should be sacked.",
                flags=(
                    ("Sarah Lindqvist", "Names and blames one person at another organisation."),
                    ("Ben Osei", "A personal attack, not about the idea."),
                    ("Marcus Bell", "Not fair on hospital staff who are under pressure too."),
                )),
    CommentData(ROTATIONAL_POSTS, "Gareth Lloyd",
                "I did a rotation in a GP practice last year. I learned more in six months than "
                "in three years on the road, and I stayed in the ambulance service because of "
                "it."),
    CommentData(ROTATIONAL_POSTS, "Tariq Hussain",
                "There would need to be a fair way to choose who gets the posts.",
                replies=(("Tom Whitfield", "Agreed: open applications with clear criteria, "
                          "published for everyone."),)),
    CommentData("Find out what happened to our patients", "Nadia Kowalski",
                "The control room would love this too, especially after the calls where we talk "
                "someone through CPR."),
    CommentData("Find out what happened to our patients", "Kirsty Lambert",
                "Our hospital does this informally through the liaison officer. It really helps."),
    CommentData("Protected CPD days in the rota", "Laura Bexon",
                "Four days would be a start. I spend most of my annual leave on courses."),
    CommentData("Meal breaks that actually happen", "Joe Haigh",
                "Even a guaranteed window would help. At the moment it's a lottery.",
                replies=(("Leah Morgan", "That's the idea: a window, not a fixed time, so "
                          "control keeps some flexibility."),)),
    CommentData("Hospital staff take over patients after 30 minutes", "Connor Price",
                "Hospital queues are the biggest drain on crews here, by a long way."),
    CommentData("Earn while you train to be a paramedic", "Jas Bains",
                "This is how I became a paramedic, and it changed my life."),
    CommentData("Leadership training before you become a team leader", "Stephen Armstrong",
                "Same here. I learned to lead by getting it wrong in front of my team."),
    CommentData("Leaders out and about at 3am", "Gemma Robson",
                "Our director did a night round before Christmas. People still talk about it."),
    CommentData("Make it normal to leave on time", "Ryan Fletcher",
                "My record is four late finishes in a row. My children notice."),
    CommentData("Menopause support for operational staff", "Leanne Jukes",
                "Thank you for raising this. Lighter uniform trousers alone would help a lot of "
                "us."),
    CommentData("A mental health first aider in every team", "Ellie Grundy",
                "As a student I'd feel much better knowing who that person is on each station."),
)
# fmt: on

PROJECT_A = CampaignData(
    slug="wellbeing-and-career-progression",
    collaboration=None,
    admin=SITE_ADMIN,
    title="Wellbeing and career progression",
    question=(
        "How can we best protect the wellbeing of ambulance staff, who work so hard under often "
        "very difficult circumstances to look after others? And how can we work together to "
        "help create a clear career progression path within the ambulance service?"
    ),
    description=(
        "#ProjectA asks frontline ambulance staff for the ideas that would make the biggest "
        "difference. Add your idea, vote on an existing idea, or write a comment on a thread: "
        "everyone is welcome, even if you don't have a new idea. The programme team groups the "
        "ideas into themes, and the aim is to pick at least four major change ideas that "
        "frontline staff develop, prototype and put into practice across all ten ambulance "
        "trusts."
    ),
    themes=(
        "Creating a wellbeing culture",
        "Improving systems and processes",
        "Promoting wellbeing",
        "Talking about mental health",
        "Debrief",
        "Accessing wellbeing support",
        "Creating time and space for rest and relaxation",
        "Training and continuing professional development",
        "Creating clear career development routes",
        "Creating a portfolio of experience across health and care",
        "Leadership development",
    ),
    opens=-42,
    closes=14,
    discussion_closes=42,
    live_event_details=(
        "A one-hour tweet chat: follow and use #ProjectA on Twitter to join in. Everyone is "
        "welcome."
    ),
    live_event_minutes=60,
    voter_trusts=ENGLISH_TRUSTS,
    ideas=PROJECT_A_IDEAS,
    comments=PROJECT_A_COMMENTS,
)

# fmt: off
SOUTHERN_IDEAS: tuple[IdeaData, ...] = (
    IdeaData(1, "Fiona Mackay", "One clinical hub for mental health calls overnight",
             "Overnight, each trust has one or two mental health clinicians at most, and some "
             "nights none.",
             "Pool the five trusts' mental health clinicians overnight in one virtual hub, so "
             "every caller in crisis can speak to one.",
             14),
    IdeaData(1, "Jack Harding", "Let the nearest crew take the job at the border",
             "Near the county border a crew from the next trust is often closer, but we wait for "
             "our own.",
             "Agree that the nearest available crew responds to category 1 and 2 calls within "
             "ten miles of a border, whichever trust it belongs to.",
             19, UR),
    IdeaData(1, "Owen Pascoe", "Recognise each other's driver training",
             "Staff who move between our trusts repeat driver training they have already passed.",
             "All five trusts recognise each other's blue-light driver training and "
             "qualifications.",
             17),
    IdeaData(1, "Marcus Bell", "A shared staff bank for the busiest weekends",
             "Bank holiday weekends leave every trust short at the same time as others have "
             "staff willing to work.",
             "Share bank shifts across the five trusts, with checks done once.",
             5),
    IdeaData(2, "Ruth Pennington", "One occupational health referral in all five trusts",
             "Each trust has its own occupational health process, with different waits.",
             "One referral pathway, with self-referral to physio and mental health support, the "
             "same in every trust.",
             11),
    IdeaData(2, "Jess Trelawny", "Share TRiM practitioners across the collaboration",
             "Small teams mean the TRiM practitioner may have been on the same job.",
             "A shared rota of TRiM practitioners, so staff can see someone from another trust.",
             9),
    IdeaData(3, "Daniel Reeves", "Patient records that follow the patient across borders",
             "When we take a patient to a hospital in the next trust's area, the record cannot "
             "follow them.",
             "Share electronic patient records between the five trusts and the hospitals they "
             "take patients to.",
             21),
    IdeaData(3, "Hannah Cole", "One sign-in for all our systems",
             "A call handler signs in to six systems at the start of every shift.",
             "Single sign-on for the control room systems, agreed across the five trusts.",
             12),
    IdeaData(4, "Priyanka Shah", "Evaluate AI call triage together before anyone buys it",
             "Every trust is being offered AI triage tools, and each would test them alone.",
             "One joint, independent evaluation of AI triage, paid for once by the trusts that "
             "want it.",
             8),
    IdeaData(4, "Lucy Hargreaves", "Speech-to-text for patient records",
             "Typing the patient record on a tablet in the back of a moving ambulance is slow.",
             "Test speech-to-text for patient records in one station of each trust.",
             16),
    IdeaData(5, "Ben Osei", "One ambulance specification, so kit is in the same place",
             "Every time staff cover another station, the vehicle is laid out differently.",
             "A common double-crewed ambulance specification for the five trusts, bought "
             "together.",
             23),
    IdeaData(5, "Matt Keane", "Buy stretchers and defibrillators together",
             "Each trust buys the same equipment separately and pays more.",
             "Joint procurement of stretchers, defibrillators and other major equipment.",
             7),
)

SOUTHERN_DRAFTS: tuple[IdeaData, ...] = (
    IdeaData(2, "Kwame Mensah", "Lockers for crews' own food at hospitals",
             "We can't keep food anywhere when we are held at hospital.",
             ""),
)

SOUTHERN_COMMENTS: tuple[CommentData, ...] = (
    CommentData("Patient records that follow the patient across borders", "Gareth Lloyd",
                "Crossing into Kent with a London patient means starting the record again. "
                "Please!"),
    CommentData("One ambulance specification, so kit is in the same place", "Yusuf Demir",
                "Every time I cover at another station the vehicle is laid out differently.",
                replies=(("Ben Osei", "And the parts too: we could share spares across the five "
                          "fleets."),)),
    CommentData("Let the nearest crew take the job at the border", "Leah Morgan",
                "This happens every week near Crawley."),
)
# fmt: on

SOUTHERN = CampaignData(
    slug="where-should-the-southern-collaboration-focus-first",
    collaboration="southern",
    admin=ADMIN_SOUTHERN,
    title="Where should the Southern collaboration focus first?",
    question=(
        "The five trusts will choose the collaboration's first joint projects this year. Which "
        "shared challenge should we take on first, and why?"
    ),
    description=(
        "The Southern Ambulance Services Collaboration is not a merger: it is five trusts "
        "working together on service improvement, best practice and shared challenges. Tell us "
        "where to start. The ideas with the most support will be discussed at the staff "
        "conference and by the collaboration's board."
    ),
    themes=(
        "Operating models",
        "Occupational health and wellbeing",
        "Computer systems and interoperability",
        "Digital and AI",
        "Buying together: vehicles and equipment",
    ),
    opens=-12,
    closes=20,
    discussion_closes=None,
    live_event_details=(
        "A session at the collaboration's staff conference, streamed online: tell the five "
        "chief executives where to start."
    ),
    live_event_minutes=90,
    voter_trusts=SOUTHERN_TRUSTS,
    ideas=SOUTHERN_IDEAS,
    comments=SOUTHERN_COMMENTS,
    drafts=SOUTHERN_DRAFTS,
)


# --- Loading --------------------------------------------------------------------------------------
def seed_demo_campaigns() -> list[Campaign]:
    """Load the demo campaigns; return them. Campaigns that already exist are left alone."""
    with transaction.atomic():
        people = _seed_people()
        campaigns = []
        for data in (PROJECT_A, SOUTHERN):
            campaign = Campaign.objects.filter(slug=data.slug).first()
            if campaign is None:
                campaign = _build(data, people)
            campaigns.append(campaign)
    return campaigns


def _today() -> datetime.date:
    return timezone.localdate()


def _day(offset: int) -> datetime.date:
    return _today() + datetime.timedelta(days=offset)


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _seed_people() -> dict[str, User]:
    """The demo staff (created once, unable to sign in) and the demo accounts, by full name."""
    trusts = {trust.short_name: trust for trust in Trust.objects.all()}
    for short_name, people in DEMO_STAFF.items():
        trust = trusts[short_name]
        for full_name, job_title in people:
            email = staff_email(full_name, short_name)
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, password=None, full_name=full_name, job_title=job_title, home_trust=trust
                )
                role_assign(user=user, role=Role.STAFF, trust=trust, actor=None)
    return {
        user.full_name: user
        for user in User.objects.filter(home_trust__isnull=False, is_active=True).select_related(
            "home_trust"
        )
    }


def _live_event(data: CampaignData) -> datetime.datetime:
    if data.collaboration is None:
        # The tweet chat: the Wednesday of the campaign's second week, 7pm to 8pm.
        day = _day(data.opens + 13)
        day -= datetime.timedelta(days=(day.weekday() - 2) % 7)
        return _at(day, 19)
    # The staff conference session, later this month.
    return _at(_day(24), 10)


def _build(data: CampaignData, people: dict[str, User]) -> Campaign:
    # Not for security: the same demo every time it is loaded.
    rng = random.Random(data.slug)  # noqa: S311
    admin = User.objects.get(email=data.admin)
    collaboration = (
        Collaboration.objects.get(slug=data.collaboration) if data.collaboration else None
    )
    live_event_at = _live_event(data)
    campaign = campaign_create(
        actor=admin,
        collaboration=collaboration,
        themes=list(data.themes),
        title=data.title,
        question=data.question,
        description=data.description,
        opens_on=_day(data.opens),
        closes_on=_day(data.closes),
        discussion_closes_on=_day(data.discussion_closes) if data.discussion_closes else None,
        live_event_at=live_event_at,
        live_event_minutes=data.live_event_minutes,
        live_event_details=data.live_event_details,
    )
    if campaign.slug != data.slug:
        raise ValueError(f"{data.title!r} makes the slug {campaign.slug!r}, not {data.slug!r}.")
    Campaign.objects.filter(pk=campaign.pk).update(created_at=_at(_day(data.opens - 3), 10))
    themes = list(campaign.themes.all())
    ideas = {
        idea_data.title: _send_in(campaign, idea_data, themes, people, submit=True)
        for idea_data in data.ideas
    }
    for idea_data in data.drafts:
        _send_in(campaign, idea_data, themes, people, submit=False)
    sent_in = _spread_sent_in_times(data, ideas, live_event_at, rng)
    for comment_data in data.comments:
        _discuss(ideas[comment_data.idea], comment_data, people, sent_in, rng)
    voters = [p for p in people.values() if p.home_trust.short_name in data.voter_trusts]
    _cast_votes(data, ideas, voters, sent_in, rng)
    for idea_data in data.ideas:
        _review(ideas[idea_data.title], idea_data, admin, ideas)
    return campaign


def _send_in(
    campaign: Campaign,
    data: IdeaData,
    themes: list,
    people: dict[str, User],
    *,
    submit: bool,
) -> Idea:
    return idea_save(
        author=people[data.author],
        campaign=campaign,
        title=data.title,
        problem=data.problem,
        proposal=data.proposal,
        suggested_theme=themes[data.theme - 1],
        show_author_name=data.show_author_name,
        submit=submit,
    )


def _spread_sent_in_times(
    data: CampaignData,
    ideas: dict[str, Idea],
    live_event_at: datetime.datetime,
    rng: random.Random,
) -> dict[int, datetime.datetime]:
    """DEMO ONLY: move each idea's sent-in time into the campaign's past.

    The service stamps ideas with the moment they are sent; a real campaign's ideas arrive over
    weeks, and many during the live event. Nothing outside demo data may write these fields.
    """
    opened = _at(_day(data.opens), 7)
    now = timezone.now()
    sent_in = {}
    for minute, idea_data in enumerate(data.ideas):
        idea = ideas[idea_data.title]
        if idea_data.during_live_event and live_event_at < now:
            moment = live_event_at + datetime.timedelta(minutes=(minute * 7) % 58 + 1)
        else:
            span = (now - opened).total_seconds()
            moment = opened + datetime.timedelta(seconds=rng.uniform(0.02, 0.9) * span)
        sent_in[idea.pk] = moment
        Idea.objects.filter(pk=idea.pk).update(
            created_at=moment - datetime.timedelta(minutes=rng.randint(4, 40)),
            submitted_at=moment,
            updated_at=moment,
        )
    return sent_in


def _between(start: datetime.datetime, rng: random.Random) -> datetime.datetime:
    """A moment after `start` and before now, nearer `start` more often than not."""
    span = (timezone.now() - start).total_seconds()
    return start + datetime.timedelta(seconds=span * rng.random() ** 1.6)


def _discuss(
    idea: Idea,
    data: CommentData,
    people: dict[str, User],
    sent_in: dict[int, datetime.datetime],
    rng: random.Random,
) -> None:
    """A comment and its replies through the services, then dated after the idea (demo only);
    flags through the service too, so three of them hide the comment for a moderator."""
    comment = comment_post(idea=idea, author=people[data.author], body=data.body)
    moment = _between(sent_in[idea.pk], rng)
    Comment.objects.filter(pk=comment.pk).update(created_at=moment)
    for author, body in data.replies:
        reply = comment_post(idea=idea, author=people[author], body=body, parent=comment)
        moment = _between(moment, rng)
        Comment.objects.filter(pk=reply.pk).update(created_at=moment)
    for person, reason in data.flags:
        comment_flag(comment=comment, person=people[person], reason=reason)


def _cast_votes(
    data: CampaignData,
    ideas: dict[str, Idea],
    voters: list[User],
    sent_in: dict[int, datetime.datetime],
    rng: random.Random,
) -> None:
    """DEMO ONLY, for speed: the votes are written in one bulk insert, not one `vote_cast` each
    (which locks the idea and counts in its own transaction), then each idea's count is set
    from its rows. Real votes only ever go through wellbeing.services.votes."""
    votes = []
    for idea_data in data.ideas:
        idea = ideas[idea_data.title]
        eligible = [person for person in voters if person.pk != idea.author_id]
        for person in rng.sample(eligible, min(idea_data.votes, len(eligible))):
            votes.append(
                Vote(
                    idea=idea,
                    person=person,
                    trust_id=person.home_trust_id,
                    created_at=_between(sent_in[idea.pk], rng),
                )
            )
    Vote.objects.bulk_create(votes)
    counts = dict(
        Vote.objects.filter(idea__in=list(ideas.values()))
        .values("idea")
        .annotate(n=Count("pk"))
        .values_list("idea", "n")
    )
    for idea in ideas.values():
        Idea.objects.filter(pk=idea.pk).update(vote_count=counts.get(idea.pk, 0))


# Each status, and the steps of plain status changes that lead to it.
_STEPS = {
    IdeaStatus.SUBMITTED: (),
    IdeaStatus.UNDER_REVIEW: (IdeaStatus.UNDER_REVIEW,),
    IdeaStatus.SHORTLISTED: (IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED),
    IdeaStatus.ADOPTED: (IdeaStatus.UNDER_REVIEW, IdeaStatus.SHORTLISTED, IdeaStatus.ADOPTED),
    IdeaStatus.NOT_TAKEN_FORWARD: (IdeaStatus.UNDER_REVIEW, IdeaStatus.NOT_TAKEN_FORWARD),
}


def _review(idea: Idea, data: IdeaData, admin: User, ideas: dict[str, Idea]) -> None:
    """The programme team's review, through the services: statuses with their public reasons,
    the duplicate merged, and the rotational posts idea promoted into a joint project draft."""
    if data.status == IdeaStatus.MERGED:
        idea_merge(idea=idea, into=ideas[HOT_MEALS], actor=admin, reason=data.reason)
        return
    steps = _STEPS[data.status]
    for step in steps:
        reason = data.reason if step == steps[-1] else ""
        idea = idea_change_status(idea=idea, actor=admin, status=step, reason=reason)
    if data.title == ROTATIONAL_POSTS:
        _promote(idea, admin)


def _promote(idea: Idea, admin: User) -> None:
    """The national programme takes the rotational posts idea on as a joint project draft."""
    idea_promote(
        idea=idea,
        actor=admin,
        collaboration=Collaboration.objects.get(slug="national"),
        lead_trust=Trust.objects.get(short_name="NWAS"),
        title=ROTATIONAL_POSTS,
        summary=(
            "Paramedics rotate between the road, GP practices or urgent treatment centres, and "
            "the clinical hub, employed by their ambulance trust throughout: they gain skills and "
            "regular hours without leaving the ambulance service. A #ProjectA idea from frontline "
            "staff, prototyped in the trusts that join."
        ),
        category=Category.WORKFORCE_AND_WELLBEING,
        terms=(
            "Each trust that joins creates at least four rotational paramedic posts with local "
            "primary care partners, names a rotation lead, gives 15 staff days to the shared "
            "design of the rotations, and reports retention of the paramedics in the posts "
            "against its own baseline."
        ),
        funding_model=FundingModel.EQUAL_SPLIT,
        total_budget=Decimal("120000.00"),
        staff_days_per_trust=15,
        decision_deadline=_day(30),
        planned_start=_day(45),
        planned_end=_day(410),
    )
