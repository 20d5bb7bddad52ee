"""`npsbot demo`: a seeded, realistic history to look at before any real ticket (pure, no I/O).

Each team gets its own trend, response rate and weekly volume; tickets close on working days
in business hours; comments come in every band; detractors' callbacks are open, claimed or
closed with every outcome; promoters' shareable comments were praised. Every survey's `source`
is DEMO_SOURCE, which is how `--reset` finds exactly what the demo made.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from bot.callbacks_model import CallbackStatus, Outcome
from bot.model import Driver

DEMO_SOURCE = "demo"
DEFAULT_TEAMS = (
    ("eus", "End User Services"),
    ("net", "Network"),
    ("apps", "Business Apps"),
    ("field", "Field Support"),
    ("iam", "Identity & Access"),
    ("cloud", "Cloud Platform"),
)
AGENTS = ("Carol Diaz", "Dev Patel", "Émilie Roux", "Kenji Sato", "Lena Fischer", "Omar Haddad")
TITLES = (
    "VPN drops every hour",
    "Password reset",
    "New laptop setup",
    "Printer offline",
    "Access to the finance share",
    "Outlook keeps crashing",
    "Teams audio broken",
    "Install Visio",
    "MFA phone lost",
    "Wi-Fi slow on floor 3",
)
COMMENTS = {
    "promoter": (
        "Fast and friendly, thanks!",
        "Fixed before I finished my coffee.",
        "Great explanation of what went wrong.",
        "Very patient with me, thank you.",
    ),
    "passive": (
        "Fine, but it took a few days.",
        "OK in the end.",
        "Had to explain twice.",
        "Solved, though nobody told me it was.",
    ),
    "detractor": (
        "Closed without fixing anything.",
        "Waited a week for a password reset.",
        "Nobody called me back.",
        "Still broken, ticket closed anyway.",
    ),
}
WEEKDAY_SHARE = (0.26, 0.22, 0.2, 0.18, 0.14)  # Monday busiest, Friday quietest


@dataclass(frozen=True, slots=True)
class DemoTeam:
    key: str
    name: str
    start_nps: float  # the score a year ago
    weekly_change: float  # points per week: some teams improve, some slip
    response_rate: float
    tickets_per_week: int


@dataclass(frozen=True, slots=True)
class DemoCallback:
    status: CallbackStatus
    created_at: datetime
    claimed_at: datetime | None = None
    closed_at: datetime | None = None
    outcome: Outcome | None = None
    owner_id: str | None = None


@dataclass(frozen=True, slots=True)
class DemoSurvey:
    ticket_id: str
    title: str
    team_key: str
    team_name: str
    agent_name: str
    closed_at: datetime
    score: int | None = None  # None: delivered, never answered
    answered_at: datetime | None = None
    comment: str | None = None
    drivers: tuple[Driver, ...] = ()
    share_ok: bool = False
    praised: bool = False
    callback: DemoCallback | None = None


@dataclass(slots=True)
class DemoHistory:
    teams: list[DemoTeam]
    surveys: list[DemoSurvey] = field(default_factory=list)


def demo_teams(rng: random.Random, labels: list[tuple[str, str]]) -> list[DemoTeam]:
    """Different shapes on purpose: one improving, one slipping, one flat and noisy, …"""
    shapes = [(10, 0.7), (45, -0.5), (30, 0.0), (-5, 0.9), (55, 0.1), (20, -0.2)]
    return [
        DemoTeam(
            key,
            name,
            shapes[i % len(shapes)][0] + rng.uniform(-5, 5),
            shapes[i % len(shapes)][1],
            rng.uniform(0.35, 0.75),
            rng.randint(12, 40),
        )
        for i, (key, name) in enumerate(labels)
    ]


def make_history(
    seed: int, labels: list[tuple[str, str]], weeks: int, now: datetime
) -> DemoHistory:
    """The same seed, teams, weeks and `now` give the same history, row for row."""
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    history = DemoHistory(demo_teams(rng, labels))
    monday = (now - timedelta(days=now.weekday())).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    for week in range(weeks):
        start = monday - timedelta(weeks=weeks - 1 - week)
        for team in history.teams:
            target = max(-90.0, min(90.0, team.start_nps + team.weekly_change * week))
            for n in range(_volume(rng, team, week)):
                closed = _business_moment(rng, start)
                if closed < now - timedelta(hours=1):
                    ticket = f"DEMO-{team.key.upper()}-{week:02d}{n:03d}"
                    history.surveys.append(_survey(rng, team, ticket, closed, target, now))
    _one_left_open(history)
    return history


def _one_left_open(history: DemoHistory) -> None:
    """A lead trying the demo finds a callback to claim: with few teams, the draw alone left
    none open for most of some days (and the demo test failed at those hours)."""
    called = [(s.callback, i) for i, s in enumerate(history.surveys) if s.callback is not None]
    if not called or any(c.status is CallbackStatus.OPEN for c, _ in called):
        return
    newest = max(called, key=lambda c: c[0].created_at)[1]
    survey = history.surveys[newest]
    opened = DemoCallback(CallbackStatus.OPEN, survey.answered_at or survey.closed_at)
    history.surveys[newest] = replace(survey, callback=opened)


def _volume(rng: random.Random, team: DemoTeam, week: int) -> int:
    holiday = 0.4 if week % 52 in (51, 0) else 1.0  # the year-end dip
    return max(1, round(rng.gauss(team.tickets_per_week, team.tickets_per_week / 5) * holiday))


def _business_moment(rng: random.Random, monday: datetime) -> datetime:
    day = rng.choices(range(5), weights=WEEKDAY_SHARE)[0]
    return monday + timedelta(days=day, hours=rng.uniform(8, 17.5))


def _score(rng: random.Random, target_nps: float) -> int:
    promoters = min(0.9, max(0.05, 0.4 + target_nps / 200))
    detractors = max(0.03, promoters - target_nps / 100)
    draw = rng.random()
    if draw < promoters:
        return rng.choice((9, 10))
    if draw < promoters + detractors:
        return rng.choice((0, 2, 3, 4, 5, 6, 6))
    return rng.choice((7, 8))


def _survey(
    rng: random.Random, team: DemoTeam, ticket: str, closed: datetime, target: float, now: datetime
) -> DemoSurvey:
    base = DemoSurvey(ticket, rng.choice(TITLES), team.key, team.name, rng.choice(AGENTS), closed)
    answered = closed + timedelta(minutes=rng.lognormvariate(4.5, 1.2))
    if rng.random() > team.response_rate or answered >= now:
        return base
    score = _score(rng, target)
    band = "promoter" if score >= 9 else "passive" if score >= 7 else "detractor"
    commented = rng.random() < {"promoter": 0.3, "passive": 0.35, "detractor": 0.6}[band]
    comment = rng.choice(COMMENTS[band]) if commented else None
    share = commented and rng.random() < 0.5
    drivers = tuple(rng.sample(list(Driver), rng.randint(1, 2))) if commented else ()
    callback = _callback(rng, answered, now) if band == "detractor" else None
    return replace(
        base,
        score=score,
        answered_at=answered,
        comment=comment,
        drivers=drivers,
        share_ok=share,
        praised=band == "promoter" and share,
        callback=callback,
    )


def _callback(rng: random.Random, created: datetime, now: datetime) -> DemoCallback:
    """Recent ones still open or being called; older ones closed with every outcome."""
    age = now - created
    claimed = created + timedelta(hours=rng.uniform(0.2, 6))
    owner = rng.choice(("U0DEMOLEAD1", "U0DEMOLEAD2"))
    if age < timedelta(days=2) and rng.random() < 0.6:
        return DemoCallback(CallbackStatus.OPEN, created)
    if age < timedelta(days=7) or claimed >= now:
        if claimed >= now:
            return DemoCallback(CallbackStatus.OPEN, created)
        return DemoCallback(CallbackStatus.CLAIMED, created, claimed, owner_id=owner)
    closed = claimed + timedelta(hours=rng.uniform(0.5, 30))
    outcome = rng.choice(list(Outcome))
    return DemoCallback(CallbackStatus.CLOSED, created, claimed, closed, outcome, owner)
