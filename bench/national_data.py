"""The national dataset for `make bench`: every UK ambulance service, at a scale factor.

At scale 1: the 14 UK ambulance services, 3 collaborations, 50,000 people, 500 joint projects,
20,000 commitments, 50,000 ideas, 1,000,000 votes, 200,000 comments and 100,000 notifications
(counts scale linearly, with a floor so that a small scale still has some of everything). The
roles are those of a real deployment: every person is staff of their trust, each trust has three
trust leads, each collaboration three programme admins (with an authenticator app, as
production's MFA rule requires), and one site admin.

How it is loaded, quickly: rows are made in Python with their ids assigned up front, and written
with PostgreSQL's COPY (psycopg 3's `cursor.copy`) in one transaction. As pg_restore does, the
secondary indexes, unique constraints and foreign keys of the loaded tables are dropped first
and created again after the data are in: creating an index over a million rows at once is much
faster than maintaining it row by row, and re-adding each foreign key validates every row in one
join, so the data are checked exactly as inserts would have been. Denormalised counters
(Idea.vote_count, Idea.comment_count) are computed from the rows written and checked against them
in SQL before the transaction commits.

The shape stays the same at every scale: commitments per project, votes and comments per idea
and notifications per person do not change with the scale factor; only the number of projects,
ideas and people does.
"""

import datetime
import functools
import json
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from psycopg import sql

SEED = 20_251_107
# Bump when the generator changes, so --keep never reuses data of another shape.
DATA_VERSION = 2
BENCH_PASSWORD = "national-bench-password"  # the personas' password: a local database only
EMAIL_DOMAIN = "bench.example.org"

# Rows at scale 1, and the floor at small scales.
FULL_SCALE = {
    "people": 50_000,
    "projects": 500,
    "commitments": 20_000,
    "ideas": 50_000,
    "votes": 1_000_000,
    "comments": 200_000,
    "notifications": 100_000,
}
FLOOR = {
    "people": 300,
    "projects": 24,
    "commitments": 200,
    "ideas": 100,
    "votes": 1_000,
    "comments": 400,
    "notifications": 400,
}
LEADS_PER_TRUST = 3
ADMINS_PER_COLLABORATION = 3

# Staff numbers differ a lot between services: people are spread by these weights.
TRUST_WEIGHTS = {
    "LAS": 8,
    "NWAS": 7,
    "WMAS": 7,
    "YAS": 6,
    "SAS": 6,
    "EEAST": 5,
    "SWASFT": 5,
    "SECAmb": 4,
    "SCAS": 4,
    "EMAS": 4,
    "WAST": 4,
    "NEAS": 3,
    "NIAS": 1.5,
    "IOW": 0.3,
}
# Share of each collaboration's projects, and of the projects' statuses (by position).
PROJECT_SHARES = {"southern": 0.4, "northern": 0.3, "national": 0.3}
STATUS_BANDS = (
    (0.05, "draft"),
    (0.17, "open"),
    (0.72, "active"),
    (0.90, "completed"),
    (1.01, "closed"),
)
TOPICS = (
    ("AI-assisted 999 call triage", "ai_digital"),
    ("Common double-crewed ambulance specification", "vehicles_procurement"),
    ("Harmonised blue-light driver training", "training"),
    ("Occupational health and wellbeing service", "workforce_wellbeing"),
    ("Staff passport and shared bank", "workforce_wellbeing"),
    ("One overnight mental health clinical hub", "operating_model"),
    ("Electronic patient record handover to emergency departments", "interoperability"),
    ("Joint purchase of defibrillators and monitors", "vehicles_procurement"),
    ("Shared hear-and-treat clinical validation", "operating_model"),
    ("Cross-border dispatch of the nearest crew", "interoperability"),
    ("Speech recognition for call handlers", "ai_digital"),
    ("Recognised prior learning for paramedic apprentices", "training"),
)
MILESTONE_NAMES = (
    "Business case signed off",
    "Local lead named and plan agreed",
    "Staff briefed",
    "Pilot on one station",
    "Pilot evaluated",
    "Rollout to half the stations",
    "Rollout complete",
    "Benefits measured",
    "Lessons shared with the collaboration",
    "Handover to business as usual",
)
# (slug, title, collaboration slug or None, share of ideas, days opens/closes/discussion closes)
CAMPAIGNS = (
    (
        "wellbeing-and-career-progression",
        "Wellbeing and career progression",
        None,
        0.55,
        (-42, 14, 42),
    ),
    ("projecta-first-round", "#ProjectA: the first round", None, 0.15, (-420, -360, -330)),
    (
        "where-should-we-focus-first",
        "Where should we focus first?",
        "southern",
        0.15,
        (-20, 30, 60),
    ),
    ("northern-staff-ideas", "Northern staff ideas", "northern", 0.10, (-60, 10, 40)),
    ("northern-rest-breaks", "Rest breaks that happen", "northern", 0.05, (-300, -240, -200)),
    ("southern-fleet-ideas", "Ideas for the new fleet", "southern", 0.0, (20, 80, None)),
)
PROJECT_A_THEMES = (
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
)
OTHER_THEMES = (
    "Rest and meal breaks",
    "Working across trusts",
    "Fleet and equipment",
    "Control room",
    "Learning and development",
)
IDEA_TITLES = (
    "Hot meals on late shifts",
    "Protected decompression time after a difficult job",
    "Rotational paramedic posts across primary and urgent care",
    "A mental health first aider in every team",
    "Menopause support for operational staff",
    "Rest areas at the busiest emergency departments",
    "Debriefs led by trained peers",
    "End-of-shift handover that finishes on time",
    "Shared training days with neighbouring trusts",
    "A clear route from call handler to clinician",
    "Mentors for newly qualified paramedics",
    "Flexible rotas for carers",
    "Kit bags packed the same way in every trust",
    "Quiet rooms in every control room",
    "Cycle-to-work for station staff",
    "Recognition for long service",
)
IDEA_STATUSES = (
    ("submitted", 62),
    ("under_review", 14),
    ("shortlisted", 7),
    ("adopted", 3),
    ("not_taken_forward", 12),
    ("merged", 2),
)
OPEN_IDEA_STATUSES = {"submitted", "under_review", "shortlisted", "adopted"}
DRAFT_SHARE = 0.02
VOTE_SKEW = 0.9  # Zipf-like exponent: a few ideas collect most votes, many have a handful
REPLY_SHARE = 0.25
FIRST_NAMES = (
    "Amira",
    "Ben",
    "Chloe",
    "Dan",
    "Ellie",
    "Fiona",
    "Gareth",
    "Hannah",
    "Imran",
    "Jack",
    "Kerry",
    "Leanne",
    "Mohammed",
    "Nia",
    "Owen",
    "Priya",
    "Rachel",
    "Sam",
    "Tom",
    "Zoe",
)
SURNAMES = (
    "Okafor",
    "Harding",
    "Mackay",
    "Jukes",
    "Grundy",
    "Patel",
    "Evans",
    "Campbell",
    "Nowak",
    "Hughes",
    "Begum",
    "Murphy",
    "Williams",
    "Khan",
    "Reid",
    "Thompson",
    "Walsh",
    "Ahmed",
    "Clarke",
    "Davies",
    "Fraser",
    "Lewis",
    "Morgan",
    "O'Neill",
)
COMMENT_BODIES = (
    "We tried this on our station last winter and it made a real difference.",
    "Agree. The hardest part is making it happen on nights, not just days.",
    "Could this work for control room staff too? We rarely get a proper break.",
    "Our trust has a policy on this already, but nobody I know has used it.",
    "Great idea. It needs a named lead in each trust or it will fade away.",
    "As a student paramedic I'd feel much better knowing this was in place.",
    "The cost is small compared with the sickness absence it would save.",
    "Please include the patient transport service staff in this.",
)


def columns(names: str) -> tuple[str, ...]:
    """A table's columns, in the order of the row tuples."""
    return tuple(names.split())


def scaled_counts(scale: float) -> dict[str, int]:
    return {key: max(FLOOR[key], round(n * scale)) for key, n in FULL_SCALE.items()}


# --- Writing rows with COPY -------------------------------------------------------------------

_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
_FORMAT: dict[type, Callable[[Any], str]] = {
    int: str,
    str: lambda v: v.translate(_ESCAPES),
    bool: lambda v: "t" if v else "f",
    float: repr,
    Decimal: str,
    uuid.UUID: str,
    datetime.date: datetime.date.isoformat,
    datetime.datetime: datetime.datetime.isoformat,
    dict: lambda v: json.dumps(v).translate(_ESCAPES),
    list: lambda v: json.dumps(v).translate(_ESCAPES),
}
CHUNK = 20_000


def copy_rows(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """COPY rows (tuples in `columns` order) into `table`, in PostgreSQL's text format."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    written = 0
    fmt = _FORMAT
    with cursor.copy(statement) as copy:
        lines: list[str] = []
        for row in rows:
            lines.append("\t".join(["\\N" if v is None else fmt[type(v)](v) for v in row]) + "\n")
            if len(lines) == CHUNK:
                copy.write("".join(lines))
                written += len(lines)
                lines = []
        if lines:
            copy.write("".join(lines))
            written += len(lines)
    return written


@dataclass
class DeferredConstraints:
    """Secondary indexes, unique constraints and foreign keys of the tables being loaded,
    dropped before the COPY and created again (foreign keys validated) after it."""

    tables: list[str]
    indexes: list[str] = field(default_factory=list)
    constraints: list[tuple[str, str, str, str]] = field(default_factory=list)

    def drop(self, cursor: Any) -> None:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid)"
            " FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('f', 'u')"
            " ORDER BY contype, conname",
            [self.tables],
        )
        self.constraints = cursor.fetchall()
        cursor.execute(
            "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i"
            " WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid"
            "                 AND c.contype IN ('p', 'u', 'x'))",
            [self.tables],
        )
        index_rows = cursor.fetchall()
        self.indexes = [definition for definition, _ in index_rows]
        for table, name, _, _ in self.constraints:  # foreign keys first ('f' < 'u')
            cursor.execute(
                sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(
                    sql.Identifier(table), sql.Identifier(name)
                )
            )
        for _, name in index_rows:
            cursor.execute(sql.SQL("DROP INDEX {}").format(sql.Identifier(name)))

    def restore(self, cursor: Any) -> None:
        # More memory for the sorts that build the indexes (this transaction only).
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for definition in self.indexes:
            cursor.execute(definition)
        for table, name, _kind, definition in sorted(self.constraints, key=lambda c: c[2] != "u"):
            # Unique constraints first: nothing references them, and they check the data too.
            cursor.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} {}").format(
                    sql.Identifier(table), sql.Identifier(name), sql.SQL(definition)
                )
            )


# --- The dataset ------------------------------------------------------------------------------


class Ids:
    """Primary keys handed out in Python, so rows can refer to each other before COPY."""

    def __init__(self) -> None:
        self._last: dict[str, int] = defaultdict(int)

    def next(self, table: str) -> int:
        self._last[table] += 1
        return self._last[table]

    def last(self, table: str) -> int:
        return self._last[table]


@dataclass
class Person:
    pk: int
    email: str
    trust_id: int | None
    role: str  # "staff", "trust_lead", "programme_admin" or "site_admin"
    collaboration_id: int | None = None


@dataclass
class Dataset:
    """What the build made, kept for the steps after it (and the personas)."""

    today: datetime.date
    now: datetime.datetime
    rng: random.Random
    counts: dict[str, int]
    ids: Ids = field(default_factory=Ids)
    tables: dict[str, list[tuple[Sequence[str], list[tuple]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    trusts: dict[str, int] = field(default_factory=dict)  # short name -> id
    trust_names: dict[int, tuple[str, str]] = field(default_factory=dict)
    collaborations: dict[str, int] = field(default_factory=dict)  # slug -> id
    members: dict[int, list[int]] = field(default_factory=dict)  # collaboration -> trusts
    people: list[Person] = field(default_factory=list)
    staff_of: dict[int, list[int]] = field(default_factory=dict)  # trust -> person ids
    leads_of: dict[int, list[int]] = field(default_factory=dict)
    admins_of: dict[int, list[int]] = field(default_factory=dict)  # collaboration -> ids
    home_trust: dict[int, int | None] = field(default_factory=dict)
    content_types: dict[str, int] = field(default_factory=dict)

    def add(self, table: str, columns: Sequence[str], row: tuple) -> int:
        """Queue a row; the id (first column) is given here when the row has none."""
        rows = self._rows(table, columns)
        rows.append(row)
        return row[0]

    def _rows(self, table: str, columns: Sequence[str]) -> list[tuple]:
        batches = self.tables[table]
        if not batches or batches[-1][0] != columns:
            batches.append((columns, []))
        return batches[-1][1]


def at(day: datetime.date, hour: int = 9, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=datetime.UTC)


def name_for(n: int) -> str:
    return f"{FIRST_NAMES[n % len(FIRST_NAMES)]} {SURNAMES[(n * 7 + n // 20) % len(SURNAMES)]}"


def spread(total: int, weights: Sequence[float]) -> list[int]:
    """`total` split by `weights` into whole numbers that add up to `total` exactly."""
    weight_sum = sum(weights)
    raw = [total * w / weight_sum for w in weights]
    whole = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - whole[i], reverse=True)
    for i in by_remainder[: total - sum(whole)]:
        whole[i] += 1
    return whole


# --- Trusts, collaborations and people --------------------------------------------------------


def build_organisations(data: Dataset) -> None:
    from collab.demo_data import COLLABORATIONS, TRUSTS

    for trust in TRUSTS:
        pk = data.add(
            "collab_trust",
            ("id", "name", "short_name", "slug", "ods_code", "nation", "region"),
            (
                data.ids.next("collab_trust"),
                trust.name,
                trust.short_name,
                trust.slug,
                trust.ods_code,
                str(trust.nation),
                trust.region,
            ),
        )
        data.trusts[trust.short_name] = pk
        data.trust_names[pk] = (trust.short_name, trust.name)
        for domain in trust.email_domains:
            data.add(
                "collab_trustemaildomain",
                ("id", "trust_id", "domain"),
                (data.ids.next("collab_trustemaildomain"), pk, domain),
            )
    for collaboration in COLLABORATIONS:
        pk = data.add(
            "collab_collaboration",
            ("id", "name", "short_name", "slug", "description"),
            (
                data.ids.next("collab_collaboration"),
                collaboration.name,
                collaboration.short_name,
                collaboration.slug,
                collaboration.description,
            ),
        )
        data.collaborations[collaboration.slug] = pk
        data.members[pk] = [data.trusts[short] for short in collaboration.members]
        for short, joined_on in collaboration.members.items():
            data.add(
                "collab_collaborationmembership",
                ("id", "collaboration_id", "trust_id", "joined_on", "left_on"),
                (
                    data.ids.next("collab_collaborationmembership"),
                    pk,
                    data.trusts[short],
                    joined_on,
                    None,
                ),
            )
        # The current chair: a term around today, from the rotation.
        chair = collaboration.chair_rotation[data.today.year % len(collaboration.chair_rotation)]
        data.add(
            "collab_chairterm",
            ("id", "collaboration_id", "trust_id", "chair_name", "starts_on", "ends_on"),
            (
                data.ids.next("collab_chairterm"),
                pk,
                data.trusts[chair],
                f"Chief executive of {chair}",
                data.today - datetime.timedelta(days=120),
                data.today + datetime.timedelta(days=245),
            ),
        )


def build_people(data: Dataset, password_hash: str) -> None:
    """Site admin, programme admins, trust leads, then staff spread over the trusts."""
    user_columns = columns(
        "id password last_login is_superuser email full_name job_title is_active date_joined "
        "home_trust_id"
    )
    joined = data.now - datetime.timedelta(days=400)

    def person(email: str, trust_id: int | None, role: str, job: str, **extra: Any) -> Person:
        pk = data.ids.next("collab_user")
        # Elevated roles and the first member of staff of each trust can sign in (the
        # benchmark's personas are among them); everyone else has an unusable password.
        elevated = role != "staff" or email.startswith("staff.0@")
        data.add(
            "collab_user",
            user_columns,
            (
                pk,
                password_hash if elevated else "!",  # "!": an unusable password
                None,
                False,
                email,
                name_for(pk),
                job,
                True,
                joined,
                trust_id,
            ),
        )
        found = Person(pk=pk, email=email, trust_id=trust_id, role=role, **extra)
        data.people.append(found)
        data.home_trust[pk] = trust_id
        return found

    person(f"siteadmin@{EMAIL_DOMAIN}", None, "site_admin", "Portal site admin")
    for slug, collaboration_id in data.collaborations.items():
        member_trusts = data.members[collaboration_id]
        for k in range(ADMINS_PER_COLLABORATION):
            found = person(
                f"admin.{slug}.{k}@{EMAIL_DOMAIN}",
                member_trusts[k % len(member_trusts)],
                "programme_admin",
                f"Programme manager, {slug} collaboration",
                collaboration_id=collaboration_id,
            )
            data.admins_of.setdefault(collaboration_id, []).append(found.pk)
    for short, trust_id in data.trusts.items():
        for k in range(LEADS_PER_TRUST):
            found = person(
                f"lead.{short.lower()}.{k}@{EMAIL_DOMAIN}",
                trust_id,
                "trust_lead",
                "Director of strategy" if k == 0 else "Programme lead",
            )
            data.leads_of.setdefault(trust_id, []).append(found.pk)
    staff_total = data.counts["people"] - len(data.people)
    shorts = list(data.trusts)
    for short, n in zip(
        shorts, spread(staff_total, [TRUST_WEIGHTS[s] for s in shorts]), strict=True
    ):
        trust_id = data.trusts[short]
        jobs = ("Paramedic", "Emergency medical technician", "Call handler", "Clinical advisor")
        for k in range(n):
            found = person(
                f"staff.{k}@{short.lower()}.{EMAIL_DOMAIN}", trust_id, "staff", jobs[k % len(jobs)]
            )
            data.staff_of.setdefault(trust_id, []).append(found.pk)
    build_roles_and_accounts(data)


def build_roles_and_accounts(data: Dataset) -> None:
    role_columns = ("id", "user_id", "role", "trust_id", "collaboration_id", "assigned_at")
    assigned = data.now - datetime.timedelta(days=400)
    for p in data.people:
        data.add(
            "account_emailaddress",
            ("id", "user_id", "email", "verified", "primary"),
            (data.ids.next("account_emailaddress"), p.pk, p.email, True, True),
        )
        if p.role == "site_admin":
            data.add(
                "collab_roleassignment",
                role_columns,
                (data.ids.next("collab_roleassignment"), p.pk, "site_admin", None, None, assigned),
            )
        if p.trust_id is not None:
            # Everyone of a trust is its staff: they can put forward ideas, vote and comment.
            data.add(
                "collab_roleassignment",
                role_columns,
                (data.ids.next("collab_roleassignment"), p.pk, "staff", p.trust_id, None, assigned),
            )
        if p.role == "trust_lead":
            data.add(
                "collab_roleassignment",
                role_columns,
                (
                    data.ids.next("collab_roleassignment"),
                    p.pk,
                    "trust_lead",
                    p.trust_id,
                    None,
                    assigned,
                ),
            )
        if p.role == "programme_admin":
            data.add(
                "collab_roleassignment",
                role_columns,
                (
                    data.ids.next("collab_roleassignment"),
                    p.pk,
                    "programme_admin",
                    None,
                    p.collaboration_id,
                    assigned,
                ),
            )
        if p.role != "staff":
            # MFA is required of every elevated role in production: an authenticator app each.
            data.add(
                "mfa_authenticator",
                ("id", "user_id", "type", "data", "created_at", "last_used_at"),
                (
                    data.ids.next("mfa_authenticator"),
                    p.pk,
                    "totp",
                    {"secret": totp_secret(p.pk)},
                    assigned,
                    None,
                ),
            )
        if data.rng.random() < 0.1:
            data.add(
                "collab_notificationpreference",
                ("id", "person_id", "category", "frequency", "updated_at"),
                (
                    data.ids.next("collab_notificationpreference"),
                    p.pk,
                    "commitments",
                    "daily",
                    assigned,
                ),
            )


def totp_secret(user_id: int) -> str:
    """Each elevated person's authenticator secret (base32), known to the benchmark so that it
    can sign in through the real two-step sign-in."""
    import base64
    import hashlib

    digest = hashlib.sha256(f"national-bench-totp-{user_id}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


# --- Joint projects ---------------------------------------------------------------------------

PROJECT_COLUMNS = columns(
    "id slug title summary category status terms funding_model total_budget staff_days_per_trust "
    "funding_weights decision_deadline planned_start planned_end created_at opened_at started_at "
    "finished_at closure_reason collaboration_id created_by_id lead_trust_id"
)
PARTICIPATION_COLUMNS = columns(
    "id project_id trust_id status reason decided_by_id decided_at contact_id funding_weight "
    "cost_share committed_at withdrawn_at"
)
AUDIT_COLUMNS = columns(
    "id occurred_at actor_id actor_email action target_type target_id target_label trust_id "
    "context before after reason"
)


@dataclass
class ProjectRow:
    pk: int
    collaboration_id: int
    status: str
    title: str
    start: datetime.date
    end: datetime.date
    committed: list[tuple[int, int]] = field(default_factory=list)  # (participation, trust)


def build_projects(data: Dataset) -> list[ProjectRow]:
    projects: list[ProjectRow] = []
    slugs = list(PROJECT_SHARES)
    per_collaboration = spread(data.counts["projects"], [PROJECT_SHARES[s] for s in slugs])
    emails = {p.pk: p.email for p in data.people}
    for slug, count in zip(slugs, per_collaboration, strict=True):
        collaboration_id = data.collaborations[slug]
        for k in range(count):
            position = (k + 0.5) / count
            status = next(name for limit, name in STATUS_BANDS if position < limit)
            projects.append(project(data, collaboration_id, slug, k, status, emails))
    return projects


def project(
    data: Dataset, collaboration_id: int, slug: str, k: int, status: str, emails: dict[int, str]
) -> ProjectRow:
    today = data.today
    topic, category = TOPICS[k % len(TOPICS)]
    title = f"{topic}, wave {k // len(TOPICS) + 1}"
    trusts = data.members[collaboration_id]
    admin = data.admins_of[collaboration_id][k % ADMINS_PER_COLLABORATION]
    days = datetime.timedelta
    if status == "draft":
        deadline, start = today + days(60), today + days(90)
    elif status == "open":
        deadline = today + days(3 + (k * 7) % 45)
        start = deadline + days(14)
    elif status == "active":
        start = today - days(30 + (k * 37) % 400)
        deadline = start - days(1)
    elif status == "completed":
        start = today - days(700 + (k * 13) % 200)
        deadline = start - days(1)
    else:  # closed: nobody joined
        start = today - days(200 + (k * 11) % 100)
        deadline = start - days(1)
    end = start + days(540) if status != "completed" else today - days(60 + k % 60)
    created = at(deadline - days(60))
    opened = None if status == "draft" else at(deadline - days(40))
    started = at(start, 0, 5) if status in ("active", "completed") else None
    finished = None
    if status == "completed":
        finished = at(end)
    elif status == "closed":
        finished = at(deadline + days(1))
    budget = Decimal(100_000 + (k * 7919) % 900_000)
    pk = data.ids.next("projects_jointproject")
    data.add(
        "projects_jointproject",
        PROJECT_COLUMNS,
        (
            pk,
            f"{slug}-{k + 1}-{topic.lower().replace(' ', '-')[:40]}".rstrip("-"),
            title,
            f"{topic}: the member trusts do it once, together, and share what they learn.",
            category,
            status,
            "Each trust that joins names a lead, delivers every milestone on time and pays "
            "its share of the budget.",
            "equal",
            budget,
            10 + k % 20,
            {},
            deadline,
            start,
            end,
            created,
            opened,
            started,
            finished,
            "No trust joined before the deadline." if status == "closed" else "",
            collaboration_id,
            admin,
            trusts[k % len(trusts)],
        ),
    )
    row = ProjectRow(pk, collaboration_id, status, title, start, end)
    context = f"projects.jointproject:{pk}"
    audit(
        data,
        created,
        admin,
        emails,
        "project.created",
        "projects.jointproject",
        pk,
        title,
        None,
        context,
    )
    if status == "draft":
        return row
    audit(
        data,
        opened,
        admin,
        emails,
        "project.opened",
        "projects.jointproject",
        pk,
        title,
        None,
        context,
    )
    build_participations(data, row, k, trusts, opened, started, budget, emails)
    if started:
        audit(
            data,
            started,
            None,
            emails,
            "project.started",
            "projects.jointproject",
            pk,
            title,
            None,
            context,
        )
    return row


def build_participations(
    data: Dataset,
    row: ProjectRow,
    k: int,
    trusts: list[int],
    opened: datetime.datetime,
    started: datetime.datetime | None,
    budget: Decimal,
    emails: dict[int, str],
) -> None:
    status = row.status
    decisions: list[str] = []
    for i, _ in enumerate(trusts):
        if status == "open":
            decisions.append(("undecided", "opted_in", "opted_out", "opted_in")[(i + k) % 4])
        elif status in ("active", "completed"):
            # One trust in seven did not join.
            decisions.append("not_joined" if (i + k) % 7 == 6 else "committed")
        else:
            decisions.append("opted_out" if i % 2 else "not_joined")
    committed_count = decisions.count("committed")
    share = (budget / committed_count).quantize(Decimal("0.01")) if committed_count else None
    for i, (trust_id, decision) in enumerate(zip(trusts, decisions, strict=True)):
        lead = data.leads_of[trust_id][0]
        decided = decision != "undecided" and not (decision == "not_joined" and status == "closed")
        decided_at = opened + datetime.timedelta(days=1 + i) if decided else None
        pk = data.ids.next("projects_participation")
        is_committed = decision == "committed"
        data.add(
            "projects_participation",
            PARTICIPATION_COLUMNS,
            (
                pk,
                row.pk,
                trust_id,
                decision,
                "The board agreed this is a priority for us." if decided else "",
                lead if decided else None,
                decided_at,
                lead,
                Decimal(1),
                share if is_committed else None,
                started if is_committed else None,
                None,
            ),
        )
        if is_committed:
            row.committed.append((pk, trust_id))
        if decided:
            action = f"participation.{'opted_out' if decision == 'opted_out' else 'opted_in'}"
            short, _ = data.trust_names[trust_id]
            audit(
                data,
                decided_at,
                lead,
                emails,
                action,
                "projects.participation",
                pk,
                f"{short} in {row.title}",
                trust_id,
                f"projects.jointproject:{row.pk}",
                reason="The board agreed this is a priority for us.",
            )


def audit(
    data: Dataset,
    when: datetime.datetime,
    actor: int | None,
    emails: dict[int, str],
    action: str,
    target_type: str,
    target_id: int,
    label: str,
    trust_id: int | None,
    context: str,
    reason: str = "",
) -> None:
    data.add(
        "collab_auditevent",
        AUDIT_COLUMNS,
        (
            data.ids.next("collab_auditevent"),
            when,
            actor,
            emails.get(actor, "") if actor else "",
            action,
            target_type,
            str(target_id),
            label[:300],
            trust_id,
            context,
            None,
            None,
            reason,
        ),
    )


@dataclass
class CommitmentRow:
    pk: int
    public_id: uuid.UUID
    project: ProjectRow
    trust_id: int
    milestone_title: str
    due_on: datetime.date
    status: str
    owner_id: int | None


def build_commitments(data: Dataset, projects: list[ProjectRow]) -> list[CommitmentRow]:
    """Milestones for active and completed projects, one commitment per committed trust each,
    until there are exactly `commitments` of them."""
    delivering = [p for p in projects if p.status in ("active", "completed") and p.committed]
    total = data.counts["commitments"]
    per_milestone = sum(len(p.committed) for p in delivering)
    milestones = max(1, math.ceil(total / max(1, per_milestone)))
    emails = {p.pk: p.email for p in data.people}
    rows: list[CommitmentRow] = []
    for m in range(milestones):
        for project_row in delivering:
            if len(rows) >= total:
                break
            rows += milestone(data, project_row, m, milestones, total - len(rows), emails)
    return rows


def milestone(
    data: Dataset,
    project_row: ProjectRow,
    m: int,
    milestones: int,
    room: int,
    emails: dict[int, str],
) -> list[CommitmentRow]:
    rng, today = data.rng, data.today
    span = (project_row.end - project_row.start).days
    due_on = project_row.start + datetime.timedelta(days=30 + (span - 30) * (m + 1) // milestones)
    title = MILESTONE_NAMES[m % len(MILESTONE_NAMES)]
    pk = data.ids.next("projects_milestone")
    deliverable = (
        f"{title}: each committed trust delivers its part, with evidence, by the due date."
    )
    data.add(
        "projects_milestone",
        ("id", "public_id", "project_id", "title", "deliverable", "due_on"),
        (
            pk,
            uuid.UUID(int=rng.getrandbits(128), version=4),
            project_row.pk,
            title,
            deliverable,
            due_on,
        ),
    )
    admin = data.admins_of[project_row.collaboration_id][0]
    rows = []
    for participation_id, trust_id in project_row.committed[:room]:
        status = commitment_status(rng, project_row.status, (today - due_on).days)
        staff = data.staff_of.get(trust_id) or data.leads_of[trust_id]
        owner = None if rng.random() < 0.1 else rng.choice(staff)
        accepted = status == "accepted"
        updated = at(min(today, due_on) - datetime.timedelta(days=rng.randint(0, 20)))
        commitment_pk = data.ids.next("projects_commitment")
        public_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        data.add(
            "projects_commitment",
            columns(
                "id public_id participation_id milestone_id deliverable due_on owner_id status "
                "updated_at accepted_by_id accepted_at"
            ),
            (
                commitment_pk,
                public_id,
                participation_id,
                pk,
                deliverable,
                due_on,
                owner,
                status,
                updated,
                admin if accepted else None,
                at(due_on) if accepted else None,
            ),
        )
        if status != "not_started":
            short, _ = data.trust_names[trust_id]
            actor = owner or data.leads_of[trust_id][0]
            audit(
                data,
                updated,
                actor,
                emails,
                "commitment.updated",
                "projects.commitment",
                commitment_pk,
                f"{short}: {title}",
                trust_id,
                f"projects.jointproject:{project_row.pk}",
            )
        rows.append(
            CommitmentRow(
                commitment_pk, public_id, project_row, trust_id, title, due_on, status, owner
            )
        )
    return rows


def commitment_status(rng: random.Random, project_status: str, days_late: int) -> str:
    if project_status == "completed":
        return "accepted"
    draw = rng.random()
    if days_late > 30:  # long past: nearly all delivered; the rest overdue (red)
        return (
            "accepted"
            if draw < 0.92
            else "done"
            if draw < 0.95
            else rng.choice(("in_progress", "not_started", "blocked"))
        )
    if days_late > 0:
        return (
            "accepted"
            if draw < 0.35
            else "done"
            if draw < 0.5
            else rng.choice(("in_progress", "in_progress", "not_started", "blocked"))
        )
    return (
        "not_started"
        if draw < 0.5
        else "in_progress"
        if draw < 0.85
        else "blocked"
        if draw < 0.95
        else "done"
    )


def build_requests(data: Dataset, projects: list[ProjectRow]) -> None:
    """A few pending withdrawals and late joins, for the admins' dashboards and project pages."""
    request_columns = columns(
        "id public_id participation_id reason requested_by_id requested_at status decided_by_id "
        "decided_at decision_reason share_changes"
    )
    for i, p in enumerate(x for x in projects if x.status == "active" and x.committed):
        if i % 20 == 3:
            participation_id, trust_id = p.committed[-1]
            data.add(
                "projects_withdrawalrequest",
                (*request_columns, "impact"),
                (
                    data.ids.next("projects_withdrawalrequest"),
                    uuid.UUID(int=data.rng.getrandbits(128), version=4),
                    participation_id,
                    "Our board has had to stop all non-urgent projects this year.",
                    data.leads_of[trust_id][0],
                    data.now - datetime.timedelta(days=3),
                    "pending",
                    None,
                    None,
                    "",
                    {},
                    "The other trusts' shares rise by about a fifth.",
                ),
            )
    for i, p in enumerate(projects):
        if p.committed and (p.status == "completed" or (p.status == "active" and i % 5 == 0)):
            build_benefits(data, p)


def build_benefits(data: Dataset, p: ProjectRow) -> None:
    benefit_columns = columns(
        "id project_id trust_id kind staff_hours_released money_saved measure recorded_by_id "
        "recorded_at"
    )
    for _, trust_id in p.committed:
        for kind in ("expected", "realised"):
            data.add(
                "projects_benefit",
                benefit_columns,
                (
                    data.ids.next("projects_benefit"),
                    p.pk,
                    trust_id,
                    kind,
                    Decimal(200 + data.rng.randint(0, 2000)),
                    Decimal(10_000 + data.rng.randint(0, 90_000)),
                    "Fewer hours lost to handover delays.",
                    data.leads_of[trust_id][0],
                    data.now - datetime.timedelta(days=30),
                ),
            )


# --- Staff ideas ------------------------------------------------------------------------------

IDEA_COLUMNS = columns(
    "id public_id campaign_id author_id trust_id title problem proposal suggested_theme_id "
    "theme_id show_author_name status status_reason merged_into_id project_id created_at "
    "submitted_at updated_at vote_count comment_count"
)


@dataclass
class CampaignRow:
    pk: int
    slug: str
    title: str
    collaboration_id: int | None
    opens: datetime.date
    closes: datetime.date
    discussion_closes: datetime.date | None
    themes: list[int]
    pool: list[int]  # people who can take part


@dataclass
class IdeaRow:
    pk: int
    public_id: uuid.UUID
    campaign: CampaignRow
    author_id: int
    title: str
    status: str
    submitted: datetime.datetime | None
    created: datetime.datetime
    theme: int
    merged_into: int | None = None
    project_id: int | None = None
    votes: int = 0
    comments: int = 0
    followers: list[int] = field(default_factory=list)


def build_campaigns(data: Dataset) -> list[CampaignRow]:
    everyone = [p.pk for p in data.people if p.trust_id is not None]
    campaigns = []
    site_admin = data.people[0].pk
    for slug, title, collaboration, _, (opens, closes, discussion) in CAMPAIGNS:
        collaboration_id = data.collaborations[collaboration] if collaboration else None
        if collaboration_id is None:
            pool = everyone
        else:
            members = set(data.members[collaboration_id])
            pool = [pk for pk in everyone if data.home_trust[pk] in members]
        pk = data.ids.next("wellbeing_campaign")

        def day(days: int) -> datetime.date:
            return data.today + datetime.timedelta(days=days)

        data.add(
            "wellbeing_campaign",
            columns(
                "id slug title question description opens_on closes_on discussion_closes_on "
                "live_event_at live_event_minutes live_event_details created_at collaboration_id "
                "created_by_id idea_count"
            ),
            (
                pk,
                slug,
                title,
                "How can we best protect the wellbeing of ambulance staff?",
                "Add your idea, vote on an existing idea, or comment on a thread.",
                day(days=opens),
                day(days=closes),
                day(days=discussion) if discussion is not None else None,
                None,
                60,
                "",
                at(day(days=opens - 14)),
                collaboration_id,
                data.admins_of[collaboration_id][0] if collaboration_id else site_admin,
                0,  # set from the ideas once they are in (set_campaign_counts)
            ),
        )
        names = PROJECT_A_THEMES if collaboration is None else OTHER_THEMES
        themes = []
        for position, name in enumerate(names):
            themes.append(
                data.add(
                    "wellbeing_theme",
                    ("id", "public_id", "campaign_id", "name", "description", "position"),
                    (
                        data.ids.next("wellbeing_theme"),
                        uuid.UUID(int=data.rng.getrandbits(128), version=4),
                        pk,
                        name,
                        "",
                        position,
                    ),
                )
            )
        campaigns.append(
            CampaignRow(
                pk,
                slug,
                title,
                collaboration_id,
                day(days=opens),
                day(days=closes),
                day(days=discussion) if discussion is not None else None,
                themes,
                pool,
            )
        )
    return campaigns


def discussion_end(data: Dataset, campaign: CampaignRow) -> datetime.datetime:
    end = campaign.discussion_closes or data.today
    return min(data.now, at(end, 23, 0))


def random_time(rng: random.Random, start: datetime.datetime, end: datetime.datetime):
    seconds = max(1, int((end - start).total_seconds()))
    return start + datetime.timedelta(seconds=rng.randrange(seconds))


def build_ideas(
    data: Dataset, campaigns: list[CampaignRow], projects: list[ProjectRow]
) -> list[IdeaRow]:
    rng = data.rng
    shares = [share for *_, share, _ in CAMPAIGNS]
    per_campaign = spread(data.counts["ideas"], shares)
    statuses = [s for s, _ in IDEA_STATUSES]
    weights = [w for _, w in IDEA_STATUSES]
    # Adopted ideas that became a project: a workforce project of the campaign's collaboration.
    promotable = defaultdict(list)
    for p in projects:
        promotable[p.collaboration_id].append(p.pk)
    national = data.collaborations["national"]
    ideas: list[IdeaRow] = []
    for campaign, count in zip(campaigns, per_campaign, strict=True):
        opened = at(campaign.opens)
        closed = min(data.now, at(campaign.closes, 23, 0))
        published: list[IdeaRow] = []
        for i in range(count):
            author = rng.choice(campaign.pool)
            status = "draft" if rng.random() < DRAFT_SHARE else rng.choices(statuses, weights)[0]
            submitted = None if status == "draft" else random_time(rng, opened, closed)
            created = submitted or random_time(rng, opened, closed)
            merged_into = None
            if status == "merged":
                target = next((x for x in reversed(published) if x.status != "merged"), None)
                if target is None:
                    status = "submitted"
                else:
                    merged_into = target.pk
            project_id = None
            if status == "adopted" and i % 2 == 0:
                pool = promotable[campaign.collaboration_id or national]
                project_id = pool.pop() if pool else None
            theme = campaign.themes[i % len(campaign.themes)]
            pk = data.ids.next("wellbeing_idea")
            title = IDEA_TITLES[i % len(IDEA_TITLES)]
            idea = IdeaRow(
                pk,
                uuid.UUID(int=rng.getrandbits(128), version=4),
                campaign,
                author,
                title if i < len(IDEA_TITLES) else f"{title} ({i // len(IDEA_TITLES) + 1})",
                status,
                submitted,
                created,
                theme,
                merged_into,
                project_id,
            )
            ideas.append(idea)
            if status != "draft":
                published.append(idea)
    return ideas


def zipf_counts(total: int, n: int, rng: random.Random, cap: int) -> list[int]:
    """`total` split over `n` items in random order of popularity, none above `cap`."""
    if n == 0:
        return []
    order = list(range(n))
    rng.shuffle(order)
    weights = [0.0] * n
    for rank, i in enumerate(order):
        weights[i] = 1.0 / (rank + 10) ** VOTE_SKEW
    counts = spread(min(total, cap * n), weights)
    overflow = sum(max(0, c - cap) for c in counts)
    counts = [min(c, cap) for c in counts]
    i = 0
    while overflow:  # hand what the cap cut off to the next most popular ideas
        j = order[i % n]
        if counts[j] < cap:
            counts[j] += 1
            overflow -= 1
        i += 1
    return counts


def build_votes(data: Dataset, ideas: list[IdeaRow]) -> None:
    rng = data.rng
    by_campaign: dict[int, list[IdeaRow]] = defaultdict(list)
    for idea in ideas:
        if idea.status != "draft":
            by_campaign[idea.campaign.pk].append(idea)
    campaign_ideas = list(by_campaign.values())
    per_campaign = spread(data.counts["votes"], [len(x) for x in campaign_ideas])
    columns = ("id", "idea_id", "person_id", "trust_id", "created_at")
    rows = data._rows("wellbeing_vote", columns)
    home = data.home_trust
    next_id = data.ids.last("wellbeing_vote")
    for campaign_rows, total in zip(campaign_ideas, per_campaign, strict=True):
        campaign = campaign_rows[0].campaign
        pool = campaign.pool
        counts = zipf_counts(total, len(campaign_rows), rng, cap=max(1, len(pool) * 3 // 4))
        end = discussion_end(data, campaign)
        for idea, k in zip(campaign_rows, counts, strict=True):
            idea.votes = k
            start = idea.submitted
            seconds = max(1, int((end - start).total_seconds()))
            for person in rng.sample(pool, k):
                next_id += 1
                created = start + datetime.timedelta(seconds=rng.randrange(seconds))
                rows.append((next_id, idea.pk, person, home[person], created))
    data.ids._last["wellbeing_vote"] = next_id


def build_comments_and_follows(data: Dataset, ideas: list[IdeaRow]) -> list[tuple]:
    """Comments (replies one level deep, a few hidden or removed), and followers: each author,
    and a few others per idea. Returns (comment id, idea, author) for the notifications."""
    rng = data.rng
    published = [i for i in ideas if i.status != "draft"]
    weights = [(i.votes + 2) ** 0.6 for i in published]
    per_idea = spread(data.counts["comments"], weights)
    comment_columns = columns(
        "id public_id idea_id parent_id author_id body created_at edited_at status flag_count "
        "moderated_by_id moderated_at moderation_reason"
    )
    comments: list[tuple] = []
    for idea, k in zip(published, per_idea, strict=True):
        end = discussion_end(data, idea.campaign)
        times = sorted(random_time(rng, idea.submitted, end) for _ in range(k))
        top_level: list[int] = []
        moderator = data.admins_of.get(idea.campaign.collaboration_id or 0, [data.people[0].pk])[0]
        for n, created in enumerate(times):
            pk = data.ids.next("wellbeing_comment")
            parent = rng.choice(top_level) if top_level and rng.random() < REPLY_SHARE else None
            if parent is None:
                top_level.append(pk)
            author = rng.choice(idea.campaign.pool)
            draw = rng.random()
            status = "removed" if draw < 0.002 else "hidden" if draw < 0.005 else "visible"
            data.add(
                "wellbeing_comment",
                comment_columns,
                (
                    pk,
                    uuid.UUID(int=rng.getrandbits(128), version=4),
                    idea.pk,
                    parent,
                    author,
                    COMMENT_BODIES[(pk + n) % len(COMMENT_BODIES)],
                    created,
                    None,
                    status,
                    3 if status == "hidden" else 0,
                    moderator if status == "removed" else None,
                    created + datetime.timedelta(hours=5) if status == "removed" else None,
                    "Personal details about a patient." if status == "removed" else "",
                ),
            )
            if status == "hidden":
                flaggers = [p for p in rng.sample(idea.campaign.pool, 4) if p != author][:3]
                for person in flaggers:
                    data.add(
                        "wellbeing_commentflag",
                        ("id", "comment_id", "person_id", "reason", "created_at"),
                        (
                            data.ids.next("wellbeing_commentflag"),
                            pk,
                            person,
                            "Not kind",
                            created + datetime.timedelta(hours=1),
                        ),
                    )
            if status != "removed":
                idea.comments += 1
            comments.append((pk, idea, author))
    for idea in ideas:
        followers = {idea.author_id}
        if idea.status != "draft" and rng.random() < 0.3:
            followers.update(rng.sample(idea.campaign.pool, rng.randint(1, 3)))
        idea.followers = sorted(followers)
        for person in idea.followers:
            data.add(
                "wellbeing_follow",
                ("id", "idea_id", "person_id", "created_at"),
                (data.ids.next("wellbeing_follow"), idea.pk, person, idea.created),
            )
    return comments


def write_ideas(data: Dataset, ideas: list[IdeaRow]) -> None:
    """The idea rows, written last: their counters are the votes and comments made above."""
    for idea in ideas:
        data.add(
            "wellbeing_idea",
            IDEA_COLUMNS,
            (
                idea.pk,
                idea.public_id,
                idea.campaign.pk,
                idea.author_id,
                data.home_trust[idea.author_id],
                idea.title,
                "Crews finish difficult jobs with no time to decompress, and it builds up.",
                "Protected time after a difficult job, agreed with control, in every trust.",
                idea.theme,
                idea.theme,
                idea.pk % 5 != 0,
                idea.status,
                "Merged: the same idea as another." if idea.status == "merged" else "",
                idea.merged_into,
                idea.project_id,
                idea.created,
                idea.submitted,
                idea.submitted or idea.created,
                idea.votes,
                idea.comments,
            ),
        )


# --- Notifications ----------------------------------------------------------------------------

NOTIFICATION_COLUMNS = columns(
    "id recipient_id kind category target_type_id target_id step title body url group_label reason "
    "created_at read_at"
)


def build_notifications(
    data: Dataset, commitments: list[CommitmentRow], comments: list[tuple], ideas: list[IdeaRow]
) -> None:
    """The reminder history daily sweeps left (most open commitments have every rung up to
    yesterday; some do not, as after a missed sweep), then what followers of ideas were told,
    up to `notifications` in all; one email delivery each."""
    budget = data.counts["notifications"]
    made = 0
    made += reminder_history(data, commitments, budget * 6 // 10)
    rng = data.rng
    order = list(range(len(comments)))
    rng.shuffle(order)
    comment_type = data.content_types["wellbeing.comment"]
    for i in order:
        if made >= budget:
            break
        pk, idea, author = comments[i]
        url = f"/ideas/{idea.public_id}/#comment-{pk}"
        for person in idea.followers:
            if person == author or made >= budget:
                continue
            why = (
                "You suggested this idea." if person == idea.author_id else "You follow this idea."
            )
            notification(
                data,
                person,
                "idea.commented",
                "ideas",
                comment_type,
                pk,
                "",
                f"New comment on {idea.title}",
                url,
                idea.campaign.title,
                why,
            )
            made += 1
    # Whatever is left (small scales): people hear that ideas they follow are under review.
    idea_type = data.content_types["wellbeing.idea"]
    people = [p.pk for p in data.people if p.trust_id is not None]
    published = [i for i in ideas if i.status != "draft"]
    n = 0
    while made < budget:
        person, idea = people[n % len(people)], published[n // len(people) % len(published)]
        n += 1
        notification(
            data,
            person,
            "idea.status_changed",
            "ideas",
            idea_type,
            idea.pk,
            "under_review",
            f"Under review: {idea.title}",
            f"/ideas/{idea.public_id}/",
            idea.campaign.title,
            "You follow this idea.",
        )
        made += 1


def reminder_history(data: Dataset, commitments: list[CommitmentRow], budget: int) -> int:
    from bench.reminder_sweep import rungs_sent
    from projects.reminders import (
        ESCALATION_DAYS_OVERDUE,
        ESCALATION_STEP,
        FIRST_REMINDER_DAYS,
        REMINDED_STATUSES,
    )

    rng, today = data.rng, data.today
    yesterday = today - datetime.timedelta(days=1)
    commitment_type = data.content_types["projects.commitment"]
    reminded = {str(s) for s in REMINDED_STATUSES}
    made = 0
    for c in commitments:
        if c.project.status != "active" or c.status not in reminded:
            continue
        if c.due_on > today + datetime.timedelta(days=FIRST_REMINDER_DAYS):
            continue
        if rng.random() >= 0.9:  # a sweep missed this one: today's sweep catches it up
            continue
        short, name = data.trust_names[c.trust_id]
        people = {lead: f"You lead {name}." for lead in data.leads_of[c.trust_id]}
        if c.owner_id:
            people[c.owner_id] = f"You own this commitment for {name}."
        url = f"/commitments/{c.public_id}/"
        rows = []
        for step, day in rungs_sent(c.due_on, yesterday):
            soon = step.startswith("due")
            kind = "commitment.due_soon" if soon else "commitment.overdue"
            title = f"{'Due soon' if soon else 'Overdue'}: {c.milestone_title} ({short})"
            rows += [(p, kind, "commitments", step, day, title, why) for p, why in people.items()]
        escalated_on = c.due_on + datetime.timedelta(days=ESCALATION_DAYS_OVERDUE)
        if escalated_on <= yesterday:
            title = f"Escalated: {short} is 14 days late on {c.milestone_title}"
            rows += [
                (
                    admin,
                    "commitment.escalated",
                    "escalations",
                    ESCALATION_STEP,
                    escalated_on,
                    title,
                    "You run this project.",
                )
                for admin in data.admins_of[c.project.collaboration_id]
            ]
        if made + len(rows) > budget:
            break
        for person, kind, category, step, day, title, why in rows:
            notification(
                data,
                person,
                kind,
                category,
                commitment_type,
                c.pk,
                step,
                title,
                url,
                c.project.title,
                why,
                at(day, 6, 30),
            )
        made += len(rows)
    return made


def notification(
    data: Dataset,
    recipient: int,
    kind: str,
    category: str,
    target_type: int,
    target_id: int,
    step: str,
    title: str,
    url: str,
    group: str,
    reason: str,
    created: datetime.datetime | None = None,
) -> None:
    rng = data.rng
    if created is None:
        created = data.now - datetime.timedelta(minutes=rng.randrange(60 * 24 * 60))
    recent = data.now - created < datetime.timedelta(days=7)
    read = rng.random() < (0.2 if recent else 0.7)
    pk = data.ids.next("collab_notification")
    data.add(
        "collab_notification",
        NOTIFICATION_COLUMNS,
        (
            pk,
            recipient,
            kind,
            category,
            target_type,
            target_id,
            step,
            title[:300],
            "",
            url,
            group[:300],
            reason,
            created,
            created + datetime.timedelta(hours=3) if read else None,
        ),
    )
    data.add(
        "collab_delivery",
        columns(
            "id notification_id channel frequency status attempts last_error next_attempt_at "
            "sent_at created_at digest_id"
        ),
        (
            data.ids.next("collab_delivery"),
            pk,
            "email",
            "immediate",
            "sent",
            1,
            "",
            created,
            created,
            created,
            None,
        ),
    )


# --- The build --------------------------------------------------------------------------------

# In dependency order (referenced tables first), so the foreign keys validate as they return.
TABLES = columns(
    "collab_trust collab_trustemaildomain collab_collaboration collab_collaborationmembership "
    "collab_chairterm collab_user account_emailaddress collab_roleassignment mfa_authenticator "
    "collab_notificationpreference projects_jointproject projects_participation projects_milestone "
    "projects_commitment projects_withdrawalrequest projects_benefit collab_auditevent "
    "wellbeing_campaign wellbeing_theme wellbeing_idea wellbeing_vote wellbeing_comment "
    "wellbeing_commentflag wellbeing_follow collab_notification collab_delivery"
)


def content_types(cursor: Any) -> dict[str, int]:
    cursor.execute("SELECT app_label || '.' || model, id FROM django_content_type")
    return dict(cursor.fetchall())


def generate(data: Dataset, password_hash: str) -> None:
    build_organisations(data)
    build_people(data, password_hash)
    projects = build_projects(data)
    commitments = build_commitments(data, projects)
    build_requests(data, projects)
    campaigns = build_campaigns(data)
    ideas = build_ideas(data, campaigns, projects)
    build_votes(data, ideas)
    comments = build_comments_and_follows(data, ideas)
    write_ideas(data, ideas)
    build_notifications(data, commitments, comments, ideas)


def build(connection: Any, scale: float, today: datetime.date, now: datetime.datetime) -> dict:
    """Generate and load the dataset through Django's connection, in one transaction.

    Returns the seconds each phase took and the rows of each table."""
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    timings: dict[str, float] = {}
    started = time.perf_counter()
    data = Dataset(today=today, now=now, rng=random.Random(SEED), counts=scaled_counts(scale))  # noqa: S311
    with connection.cursor() as django_cursor:
        data.content_types = content_types(django_cursor)
    generate(data, make_password(BENCH_PASSWORD))
    timings["generate"] = round(time.perf_counter() - started, 2)

    rows: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's own cursor, for COPY
        check_empty(cursor)
        step = time.perf_counter()
        deferred = DeferredConstraints(list(TABLES))
        deferred.drop(cursor)
        for table in TABLES:
            rows[table] = sum(
                copy_rows(cursor, table, columns, batch) for columns, batch in data.tables[table]
            )
            data.tables[table] = []  # free the memory as we go
        timings["copy"] = round(time.perf_counter() - step, 2)
        step = time.perf_counter()
        deferred.restore(cursor)
        timings["indexes_and_constraints"] = round(time.perf_counter() - step, 2)
        for table in TABLES:
            cursor.execute(
                sql.SQL(
                    "SELECT setval(pg_get_serial_sequence({t}, 'id'), (SELECT max(id) FROM {i}))"
                ).format(t=sql.Literal(table), i=sql.Identifier(table))
            )
        set_campaign_counts(cursor)
        check_counters(cursor)
    step = time.perf_counter()
    with connection.cursor() as django_cursor:
        django_cursor.execute("VACUUM (ANALYZE)")
    timings["vacuum_analyze"] = round(time.perf_counter() - step, 2)
    timings["total"] = round(time.perf_counter() - started, 2)
    return {"seconds": timings, "rows": rows, "counts": data.counts}


def check_empty(cursor: Any) -> None:
    for table in TABLES:
        cursor.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(sql.Identifier(table)))
        if cursor.fetchone()[0]:
            raise RuntimeError(f"{table} is not empty: the bench database must be fresh.")


def set_campaign_counts(cursor: Any) -> None:
    """Each campaign's count of ideas sent in, as idea_save keeps it."""
    cursor.execute(
        "UPDATE wellbeing_campaign c SET idea_count = (SELECT count(*) FROM wellbeing_idea i"
        " WHERE i.campaign_id = c.id AND i.status <> 'draft')"
    )


def check_counters(cursor: Any) -> None:
    """The denormalised counters equal their rows, as the services keep them (checked in the
    build's transaction: a mismatch rolls the whole build back)."""
    cursor.execute(
        "SELECT count(*) FROM wellbeing_campaign c WHERE c.idea_count <> (SELECT count(*)"
        " FROM wellbeing_idea i WHERE i.campaign_id = c.id AND i.status <> 'draft')"
    )
    if cursor.fetchone()[0]:
        raise RuntimeError("Campaign.idea_count does not match the ideas sent in.")
    cursor.execute(
        "SELECT count(*) FROM wellbeing_idea i WHERE i.vote_count <>"
        " (SELECT count(*) FROM wellbeing_vote v WHERE v.idea_id = i.id)"
        " OR i.comment_count <> (SELECT count(*) FROM wellbeing_comment c"
        "                        WHERE c.idea_id = i.id AND c.status <> 'removed')"
    )
    wrong = cursor.fetchone()[0]
    if wrong:
        raise RuntimeError(f"{wrong} ideas have counters that do not match their rows.")


@functools.cache
def persona_emails() -> dict[str, list[str]]:
    """The simulated people who sign in, by role: different trusts and collaborations."""
    return {
        "staff": [
            f"staff.0@{short}.{EMAIL_DOMAIN}"
            for short in ("las", "secamb", "scas", "nwas", "yas", "wmas", "eeast", "wast")
        ],
        "trust_lead": [
            f"lead.{short}.0@{EMAIL_DOMAIN}"
            for short in ("las", "secamb", "swasft", "neas", "nwas", "emas")
        ],
        "programme_admin": [
            f"admin.{slug}.{k}@{EMAIL_DOMAIN}"
            for slug in ("southern", "northern", "national")
            for k in range(2)
        ],
    }
