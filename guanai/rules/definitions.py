"""The categories of a child and the benefits owed: pure functions of facts, parameters and a day.

`evaluate(facts, params, as_of)` returns every Finding for the child on that day, each with its
reason in Chinese naming the facts ("父亲 2023-05 起服刑至 2029-04;母亲 2021-02 起失踪 →
监护困境儿童"), the day it started as far as the file tells (`since`) and the last day it
holds if nothing in the file changes (`until`, with why: a birthday, a release date).

Sources: DOMAIN.md and seed 004 篇6/篇10 (the seed's words win), 国发〔2016〕13号 for
left-behind children. Choices the texts leave open are noted where they are made.
Conventions: "未满 N 周岁" ends on the N-th birthday; "N 年以上" includes N years exactly
(以上 includes the number); someone born on 29 February has birthdays on 1 March in
common years. A parent's recorded status holds from `status_since` to `status_until`
(a past release date means released): outside that window the file does not say what
the parent's status was, and no rule counts it.
"""

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from guanai.core.errors import Message
from guanai.registry.choices import (
    DisabilityCategory,
    DisabilityGrade,
    EconomicStatus,
    GuardianCapacity,
    ParentRole,
    ParentStatus,
    SchoolStage,
)
from guanai.rules.choices import (
    DIFFICULTY_CATEGORIES,
    GUARDIANSHIP_HARMS,
    TEMPORARY_HARDSHIPS,
    Benefit,
    Category,
    FindingKind,
    HardshipKind,
)
from guanai.rules.facts import ChildFacts, EventFacts, ParentFacts
from guanai.rules.parameters import Params


class Finding(NamedTuple):
    kind: str
    code: str
    label: str
    reason: str
    since: date | None = None
    until: date | None = None
    until_reason: str = ""


# ---------------------------------------------------------------- dates


@lru_cache(maxsize=4096)
def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def add_months(day: date, months: int) -> date:
    year, month_index = divmod(day.year * 12 + day.month - 1 + months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def age_on(birth: date, on: date) -> int:
    age = on.year - birth.year
    return age - 1 if add_years(birth, age) > on else age


def ym(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


DAY = timedelta(days=1)


class Limit(NamedTuple):
    """The last day a finding holds if nothing in the file changes, and why it ends then."""

    until: date
    why: str


def under_age(facts: ChildFacts, years: int | None, on: date) -> Limit | None:
    """The child is under `years` on `on`: the limit is the eve of that birthday."""
    if years is None:
        return None
    birthday = add_years(facts.birth_date, years)
    return Limit(birthday - DAY, f"满{years}周岁") if birthday > on else None


def at_most_age(facts: ChildFacts, years: int | None, on: date) -> Limit | None:
    """The child is `years` or younger on `on` ("0-7 岁"): it holds until the next birthday."""
    return under_age(facts, None if years is None else years + 1, on)


def born(facts: ChildFacts) -> str:
    return f"{ym(facts.birth_date)} 出生"


# ---------------------------------------------------------------- parents

# Keyed by the choices, read with the plain strings of the facts.
ROLE_LABEL: dict[str, str] = {ParentRole.FATHER: "父亲", ParentRole.MOTHER: "母亲"}
STATUS_WORDS: dict[str, str] = {
    ParentStatus.WORKING_AWAY: "外出务工",
    ParentStatus.DEAD: "死亡",
    ParentStatus.MISSING: "失踪",
    ParentStatus.IMPRISONED: "服刑",
    ParentStatus.DRUG_REHAB: "强制隔离戒毒",
    ParentStatus.RESTRICTED: "被限制人身自由",
    ParentStatus.SERIOUSLY_ILL: "重病",
    ParentStatus.SERIOUSLY_DISABLED: "重残",
    ParentStatus.REMARRIED: "改嫁/再婚离家",
    ParentStatus.LEFT_HOME: "离家出走",
}
TROUBLED_STATUSES = frozenset(STATUS_WORDS) - {ParentStatus.WORKING_AWAY}
RELEASE_WORDS: dict[str, str] = {
    ParentStatus.IMPRISONED: "刑满释放",
    ParentStatus.DRUG_REHAB: "解除强制隔离戒毒",
    ParentStatus.RESTRICTED: "解除限制人身自由",
}
DISABILITY_WORDS = dict(DisabilityCategory.choices)
GRADE_WORDS: dict[int | None, Message] = dict(DisabilityGrade.choices)


def status_on(parent: ParentFacts | None, on: date) -> str | None:
    """The parent's status on the day, or None when the file does not say."""
    if parent is None:
        return None
    if parent.since is not None and parent.since > on:
        return None
    if parent.until is not None and on > parent.until and parent.status != ParentStatus.DEAD:
        return None
    return parent.status


def describe(parent: ParentFacts) -> str:
    """'父亲 2023-05 起服刑至 2029-04' from the recorded status."""
    words = STATUS_WORDS.get(parent.status, parent.status)
    role = ROLE_LABEL.get(parent.role, parent.role)
    since = f" {ym(parent.since)} 起" if parent.since else ""
    until = f"至 {ym(parent.until)}" if parent.until else ""
    where = (
        f"({parent.away_destination})"
        if parent.status == ParentStatus.WORKING_AWAY and parent.away_destination
        else ""
    )
    if parent.status == ParentStatus.DEAD:
        return f"{role}{' ' + ym(parent.since) if parent.since else '已'}死亡"
    return f"{role}{since}{words}{until}{where}"


class Condition(NamedTuple):
    """A condition a parent meets: the words for the reason, since when, until when and why."""

    words: str
    since: date | None = None
    limit: Limit | None = None


class ParentView:
    """What the rules ask about one parent on one day. Every question returns a Condition or None."""

    __slots__ = ("parent", "on", "params", "status", "role")

    def __init__(self, parent: ParentFacts | None, on: date, params: Params):
        self.parent = parent
        self.on = on
        self.params = params
        self.status = status_on(parent, on)
        self.role = ROLE_LABEL.get(parent.role, "") if parent else ""

    def _status(self, status: str) -> Condition | None:
        parent = self.parent
        if parent is None or self.status != status:
            return None
        limit = None
        if parent.until is not None and status != ParentStatus.DEAD:
            why = RELEASE_WORDS.get(status, f"{STATUS_WORDS[status]}截止")
            limit = Limit(parent.until, f"{self.role}{why}")
        return Condition(describe(parent), parent.since, limit)

    def dead(self):
        return self._status(ParentStatus.DEAD)

    def away(self):
        return self._status(ParentStatus.WORKING_AWAY)

    def missing(self):
        return self._status(ParentStatus.MISSING)

    def imprisoned(self):
        return self._status(ParentStatus.IMPRISONED)

    def deprived_of_liberty(self):
        """强制隔离戒毒 or another restriction of liberty (民发〔2019〕62号), while it lasts."""
        return self._status(ParentStatus.DRUG_REHAB) or self._status(ParentStatus.RESTRICTED)

    def remarried(self):
        return self._status(ParentStatus.REMARRIED)

    def seriously_ill(self):
        return self._status(ParentStatus.SERIOUSLY_ILL)

    def alive_with(self) -> bool:
        return self.parent is not None and self.status != ParentStatus.DEAD

    def _disability(self, parent: ParentFacts) -> str:
        grade = GRADE_WORDS.get(parent.disability_grade, "")
        return f"{self.role}{DISABILITY_WORDS.get(parent.disability_category, '残疾')}{grade}"

    def seriously_disabled(self):
        """Status 重残, or a disability of a severe grade (一、二级) recorded for a living parent."""
        found = self._status(ParentStatus.SERIOUSLY_DISABLED)
        if found or not self.alive_with():
            return found
        grade = self.parent.disability_grade
        severe = self.params.whole("severe_disability.max_grade")
        if grade and severe and grade <= severe:
            return Condition(self._disability(self.parent))
        return None

    def ill_or_disabled(self):
        return self.seriously_ill() or self.seriously_disabled()

    def mentally_disabled(self):
        """精神或智障等残疾: a recorded mental or intellectual disability, any grade."""
        parent = self.parent
        if self.alive_with() and parent.disability_category in (
            DisabilityCategory.MENTAL,
            DisabilityCategory.INTELLECTUAL,
        ):
            return Condition(self._disability(self.parent))
        return None

    def aids_unable_to_work(self):
        parent = self.parent
        if self.alive_with() and parent.has_aids and not parent.can_work:
            return Condition(f"{self.role}因艾滋病感染失去劳动能力")
        return None

    def imprisoned_long(self):
        """Serving a sentence of N years or more (from the start to the recorded release date)."""
        found = self.imprisoned()
        years = self.params.whole("de_facto.imprisonment_years")
        parent = self.parent
        if not (found and years and parent.since and parent.until):
            return None
        if parent.until < add_years(parent.since, years):
            return None
        return Condition(f"{found.words}(刑期{years}年以上)", found.since, found.limit)

    def left_home_long(self):
        """Gone from home for N years or more by this day."""
        found = self._status(ParentStatus.LEFT_HOME)
        years = self.params.whole("de_facto.left_home_years")
        parent = self.parent
        if found and years and parent.since:
            reached = add_years(parent.since, years)
            if reached <= self.on:
                return Condition(f"{found.words}({years}年以上)", reached, found.limit)
        return None

    def out_of_contact(self):
        """失联 in 民发〔2019〕62号: gone from home, out of contact for N months or more."""
        found = self._status(ParentStatus.LEFT_HOME)
        months = self.params.whole("de_facto_2019.out_of_contact_months")
        parent = self.parent
        if found and months and parent.since:
            reached = add_months(parent.since, months)
            if reached <= self.on:
                return Condition(f"{found.words}(失联{months}个月以上)", reached, found.limit)
        return None

    def restricted_2019(self):
        """The other parent's situations of 民发〔2019〕62号: 重残, 重病, 服刑在押 (any term),
        强制隔离戒毒 or another restriction of liberty, or 失联 (a missing parent is out of
        contact too)."""
        return (
            self.seriously_disabled()
            or self.seriously_ill()
            or self.imprisoned()
            or self.deprived_of_liberty()
            or self.out_of_contact()
            or self.missing()
        )

    def gone_2019(self):
        """死亡 or 失踪: the first parent of 民发〔2019〕62号's pairs."""
        return self.dead() or self.missing()

    def without_capacity(self):
        """无监护能力: recorded so, or dead, missing, imprisoned, deprived of liberty, seriously ill
        or disabled.

        A parent who only remarried or left home is absent but not without capacity in the
        words of 国发〔2016〕13号; such children are seen by the guardianship rules instead.
        """
        if self.parent is None:
            return None
        found = (
            self.dead()
            or self.missing()
            or self.imprisoned()
            or self.deprived_of_liberty()
            or self.seriously_ill()
            or self.seriously_disabled()
        )
        if found is None and self.parent.guardianship_capacity == GuardianCapacity.NONE:
            found = Condition(f"{self.role}无监护能力")
        return found

    def unknown(self) -> bool:
        """Birth parent not identified: no record, or recorded as 不详."""
        return self.parent is None or self.parent.status == ParentStatus.UNKNOWN


def pair(father: ParentView, mother: ParentView, rules) -> list[Condition] | None:
    """The first (condition of one parent, condition of the other) in `rules` met either way
    round, father's first."""
    for one, other in rules:
        for a, b in ((father, mother), (mother, father)):
            found_a = one(a)
            if found_a is None:
                continue
            found_b = other(b)
            if found_b is not None:
                return [found_a, found_b] if a is father else [found_b, found_a]
    return None


# ---------------------------------------------------------------- building findings


def _all_of(conditions: list[Condition]) -> tuple[date | None, Limit | None]:
    """All must hold: it started with the last of them and ends with the first to end."""
    starts = [c.since for c in conditions if c.since is not None]
    since = max(starts) if conditions and len(starts) == len(conditions) else None
    limits = [c.limit for c in conditions if c.limit is not None]
    return since, min(limits, key=lambda limit: limit.until) if limits else None


def _any_of(windows: list[tuple[date | None, Limit | None]]) -> tuple[date | None, Limit | None]:
    """One is enough: it started with the first of them and ends with the last to end."""
    starts = [since for since, _ in windows if since is not None]
    since = min(starts) if windows and len(starts) == len(windows) else None
    limits = [limit for _, limit in windows if limit is not None]
    if not windows or len(limits) < len(windows):
        return since, None
    return since, max(limits, key=lambda limit: limit.until)


def found(
    kind: str,
    code: Category | Benefit,
    any_of: list[list[Condition]],
    all_of: Sequence[Condition],
    cap: Limit,
    tail: str = "",
) -> Finding:
    """A finding that holds through any one of `any_of` (each a list of conditions that must all
    hold) together with every condition of `all_of`, and not after `cap`; its reason names them
    all."""
    either = _any_of([_all_of(conditions) for conditions in any_of])
    since, limit = _all_of([Condition("", *either), *all_of])
    if limit is None or limit.until > cap.until:
        limit = cap
    words = ";".join(c.words for c in (*(c for group in any_of for c in group), *all_of))
    return Finding(
        kind=str(kind),
        code=code.value,
        label=str(code.label),
        reason=f"{words} → {code.label}{tail}"[:500],
        since=since,
        until=limit.until,
        until_reason=limit.why,
    )


def category(ctx: "Context", code: Category, any_of: list[list[Condition]], all_of=()) -> Finding:
    return found(FindingKind.CATEGORY, code, any_of, all_of, ctx.adult)


def benefit(
    ctx: "Context", code: Benefit, any_of: list[list[Condition]], all_of=(), amount: str = ""
) -> Finding:
    tail = f"(标准 {amount})" if amount else ""
    return found(FindingKind.BENEFIT, code, any_of, all_of, ctx.adult, tail)


def because(finding: Finding) -> Condition:
    """A finding used as a condition of another: its label, start and end."""
    limit = Limit(finding.until, finding.until_reason) if finding.until else None
    return Condition(finding.label, finding.since, limit)


COMPULSORY_STAGES = (SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.SPECIAL)

# What is on a file, as bits: a rule runs only when the file has one of the topics it reads.
# Computed from the facts as recorded (not per day), so it can only let a rule run needlessly,
# never skip one that would find something. About half the files have none.
AWAY, TROUBLED, EVENTS, ECONOMY, DISABILITY, ILLNESS, MIGRANT, SCHOOL = (1 << n for n in range(8))
CALM_STATUSES = (ParentStatus.AT_HOME, ParentStatus.UNKNOWN)


def topics(facts: ChildFacts) -> int:
    found = 0
    for parent in (facts.father, facts.mother):
        if parent is None:
            continue
        if parent.status == ParentStatus.WORKING_AWAY:
            found |= AWAY
        elif parent.status not in CALM_STATUSES:
            found |= TROUBLED
        if (
            parent.disability_category
            or parent.disability_grade
            or parent.has_aids
            or parent.guardianship_capacity == GuardianCapacity.NONE
        ):
            found |= TROUBLED
    if facts.events:
        found |= EVENTS
    if facts.economic_status != EconomicStatus.NONE or facts.poverty_registered:
        found |= ECONOMY
    if facts.disability_category:
        found |= DISABILITY
    if facts.has_serious_illness:
        found |= ILLNESS
    if facts.lives_with_parents and facts.hukou_region_code:
        found |= MIGRANT
    if facts.school_stage in COMPULSORY_STAGES:
        found |= SCHOOL
    return found


def recorded_change(facts: ChildFacts, on: date) -> Limit | None:
    """A parent's status the file dates after `on` (evaluating as of a past day): until then
    nothing found can be said to hold any longer."""
    starts = [
        Limit(parent.since - DAY, describe(parent))
        for parent in (facts.father, facts.mother)
        if parent is not None and parent.since is not None and parent.since > on
    ]
    return min(starts, key=lambda limit: limit.until) if starts else None


def _first_end(limit: Limit, other: Limit | None) -> Limit:
    return other if other is not None and other.until < limit.until else limit


class Context:
    """One child on one day: the parents' views, the parameters and the findings so far."""

    def __init__(self, facts: ChildFacts, params: Params, on: date, adult: Limit, found: int):
        self.facts = facts
        self.params = params
        self.on = on
        self.adult = adult
        self.father = ParentView(facts.father, on, params)
        self.mother = ParentView(facts.mother, on, params)
        self.topics = found
        self.found: dict[str, Finding] = {}
        self.disability = self._disability()
        self.severe_disability = self._severe(self.disability)
        self.poor = self._poor()

    def under(self, name: str) -> Condition | None:
        """'2015-03 出生,未满16周岁' while the child is under the parameter's age."""
        years = self.params.whole(name)
        limit = under_age(self.facts, years, self.on)
        if limit is None:
            return None
        return Condition(f"{born(self.facts)},未满{years}周岁", self.facts.birth_date, limit)

    def has(self, code: Category | Benefit) -> Finding | None:
        return self.found.get(CODE_VALUES[code])

    def _poor(self) -> Condition | None:
        """因家庭贫困: 低保, 特困 or 低收入 household, or registered as poor (建档立卡)."""
        status = self.facts.economic_status
        if status in (EconomicStatus.DIBAO, EconomicStatus.TEKUN, EconomicStatus.LOW_INCOME):
            return Condition(f"家庭为{EconomicStatus(status).label}户")
        if self.facts.poverty_registered:
            return Condition("家庭为建档立卡户")
        return None

    def _disability(self) -> Condition | None:
        """The child's certificate (二代残疾人证): category and grade as recorded in the file."""
        facts = self.facts
        if not facts.disability_category:
            return None
        grade = GRADE_WORDS.get(facts.disability_grade, "")
        kind = DISABILITY_WORDS.get(facts.disability_category, "残疾")
        return Condition(f"本人持残疾人证({kind}{grade})")

    def _severe(self, disability: Condition | None) -> Condition | None:
        severe = self.params.whole("severe_disability.max_grade")
        grade = self.facts.disability_grade
        if disability and grade and severe and grade <= severe:
            return Condition(f"{disability.words},属重度残疾")
        return None

    def events(self, kinds) -> list[EventFacts]:
        return [e for e in self.facts.events if e.kind in kinds and e.occurred_on <= self.on]

    def receiving(self, *codes: Benefit) -> bool:
        values = {code.value for code in codes}
        return any(r.benefit in values and r.covers(self.on) for r in self.facts.receipts)


def event_condition(event: EventFacts, limit: Limit | None) -> Condition:
    words = f"{event.occurred_on.isoformat()} {HardshipKind(event.kind).label}"
    if event.words:
        words += f"({event.words})"
    return Condition(words, event.occurred_on, limit)


def stage(facts: ChildFacts) -> Condition:
    return Condition(f"就读{SchoolStage(facts.school_stage).label}")


# ---------------------------------------------------------------- categories


def left_behind(ctx: Context) -> Finding | None:
    """Under 16; both parents working away, or one away and the other without capacity."""
    young = ctx.under("left_behind.age_below")
    if young is None:
        return None
    parents = pair(
        ctx.father,
        ctx.mother,
        [(ParentView.away, ParentView.away), (ParentView.away, ParentView.without_capacity)],
    )
    return category(ctx, Category.LEFT_BEHIND, [parents], [young]) if parents else None


def migrant(ctx: Context) -> Finding | None:
    """Living with the parents away from the household registration (another county)."""
    facts = ctx.facts
    hukou = facts.hukou_region_code[:6]
    here = facts.division_code[:6]
    if not (facts.lives_with_parents and hukou and hukou != here):
        return None
    return category(ctx, Category.MIGRANT, [[Condition(f"户籍地 {hukou},现居 {here},随父母居住")]])


FAMILY_PAIRS = [
    (ParentView.dead, ParentView.ill_or_disabled),
    (ParentView.ill_or_disabled, ParentView.ill_or_disabled),
]


def family_difficulty(ctx: Context) -> Finding | None:
    """One parent dead and the other seriously ill or disabled; both seriously ill or
    disabled; or family poverty that makes living, medical care or schooling hard."""
    parents = ctx.topics & TROUBLED and pair(ctx.father, ctx.mother, FAMILY_PAIRS)
    any_of = [group for group in (parents, [ctx.poor] if ctx.poor else None) if group]
    return category(ctx, Category.FAMILY_DIFFICULTY, any_of) if any_of else None


def own_difficulty(ctx: Context) -> Finding | None:
    """The child's own disability (holding the certificate) or serious illness."""
    any_of = [[ctx.disability]] if ctx.disability else []
    if ctx.facts.has_serious_illness:
        any_of.append([Condition("本人患重大疾病")])
    return category(ctx, Category.OWN_DIFFICULTY, any_of) if any_of else None


GUARDIANSHIP_PAIRS = [
    (ParentView.dead, ParentView.missing),
    (ParentView.dead, ParentView.remarried),
    (ParentView.dead, ParentView.imprisoned),
    (ParentView.missing, ParentView.seriously_disabled),
    (ParentView.missing, ParentView.imprisoned),
    (ParentView.seriously_disabled, ParentView.imprisoned),
    (ParentView.missing, ParentView.missing),
    (ParentView.imprisoned, ParentView.imprisoned),
]


def guardianship_difficulty(ctx: Context) -> Finding | None:
    """Parents who cannot raise the child (the seed's pairs), or a recorded abuse, abandonment
    or harm from absent or improper guardianship that has not been closed."""
    parents = ctx.topics & TROUBLED and pair(ctx.father, ctx.mother, GUARDIANSHIP_PAIRS)
    any_of = [parents] if parents else []
    for event in ctx.events(GUARDIANSHIP_HARMS):
        if event.ended_on is None or ctx.on <= event.ended_on:
            limit = Limit(event.ended_on, "情况解除") if event.ended_on else None
            any_of.append([event_condition(event, limit)])
    return category(ctx, Category.GUARDIANSHIP_DIFFICULTY, any_of) if any_of else None


def temporary_end(event: EventFacts, params: Params) -> Limit | None:
    if event.ended_on is not None:
        return Limit(event.ended_on, "困难解除")
    months = params.whole("temporary_hardship.default_months")
    if months is None:
        return None
    return Limit(add_months(event.occurred_on, months) - DAY, f"事件满{months}个月未续报")


def open_temporary_events(ctx: Context) -> list[tuple[EventFacts, Condition]]:
    """Sudden events, accidents, serious illnesses and other hardships not over on the day."""
    found = []
    for event in ctx.events(TEMPORARY_HARDSHIPS):
        limit = temporary_end(event, ctx.params)
        if limit is None or ctx.on <= limit.until:
            found.append((event, event_condition(event, limit)))
    return found


def temporary_difficulty(ctx: Context) -> Finding | None:
    """A recorded sudden event, accident, serious illness or other special hardship."""
    any_of = [[condition] for _, condition in open_temporary_events(ctx)]
    return category(ctx, Category.TEMPORARY_DIFFICULTY, any_of) if any_of else None


def orphan(ctx: Context) -> Finding | None:
    """Both parents dead, or an abandoned child whose birth parents cannot be found."""
    both = ctx.topics & TROUBLED and pair(
        ctx.father, ctx.mother, [(ParentView.dead, ParentView.dead)]
    )
    if both:
        return category(ctx, Category.ORPHAN, [both])
    abandoned = ctx.events({HardshipKind.ABANDONMENT})
    if abandoned and ctx.father.unknown() and ctx.mother.unknown():
        left = event_condition(abandoned[-1], None)
        return category(ctx, Category.ORPHAN, [[left, Condition("查找不到生父母")]])
    return None


DE_FACTO_PAIRS = [
    (ParentView.dead, ParentView.missing),
    (ParentView.dead, ParentView.mentally_disabled),
    (ParentView.dead, ParentView.aids_unable_to_work),
    (ParentView.dead, ParentView.imprisoned_long),
    (ParentView.dead, ParentView.left_home_long),
]


# 民发〔2019〕62号: one parent dead or missing and the other in one of the situations, or both
# parents in them. In force where an area has set
# `de_facto_2019.in_force` from the day its provincial rule took effect; before that day, and
# where no area has, the 2016 definition above applies (seed 004).
DE_FACTO_2019_PAIRS = [
    (ParentView.gone_2019, ParentView.restricted_2019),
    (ParentView.restricted_2019, ParentView.restricted_2019),
]
VERSION_2019_WORDS = "按民发〔2019〕62号认定"
# Reasons that cite a rule version newer than seed 004's: what such a version newly finds in a
# file already evaluated is proposed for confirmation before it counts (rules/services.Plan).
VERSION_CITATIONS = (VERSION_2019_WORDS,)


def cites_version(reason: str) -> bool:
    return any(words in reason for words in VERSION_CITATIONS)


def de_facto_unsupported(ctx: Context) -> Finding | None:
    """One parent dead and the other missing, mentally or intellectually disabled, unable to
    work because of AIDS, imprisoned for 5+ years or gone from home for 3+ years (国发〔2016〕
    36号); from the day an area adopts 民发〔2019〕62号, its wider pairs, cited in the reason."""
    if not ctx.topics & TROUBLED:
        return None
    if ctx.params.whole("de_facto_2019.in_force"):
        parents = pair(ctx.father, ctx.mother, DE_FACTO_2019_PAIRS)
        if parents:
            # Under this version the child qualifies from the day the area adopted it, at the earliest.
            version = Condition(VERSION_2019_WORDS, ctx.params.starts.get("de_facto_2019.in_force"))
            return category(ctx, Category.DE_FACTO_UNSUPPORTED, [[*parents, version]])
        return None
    parents = pair(ctx.father, ctx.mother, DE_FACTO_PAIRS)
    return category(ctx, Category.DE_FACTO_UNSUPPORTED, [parents]) if parents else None


# Each rule with the topics it reads (see `topics`).
CATEGORY_RULES = [
    (left_behind, AWAY),
    (migrant, MIGRANT),
    (family_difficulty, TROUBLED | ECONOMY),
    (own_difficulty, DISABILITY | ILLNESS),
    (guardianship_difficulty, TROUBLED | EVENTS),
    (temporary_difficulty, EVENTS),
    (orphan, TROUBLED | EVENTS),
    (de_facto_unsupported, TROUBLED),
]


# ---------------------------------------------------------------- benefits


def orphan_allowance(ctx: Context) -> Finding | None:
    """Orphans and de-facto unsupported children under 18."""
    basis = [f for f in (ctx.has(Category.ORPHAN), ctx.has(Category.DE_FACTO_UNSUPPORTED)) if f]
    if not basis:
        return None
    young = ctx.under("orphan_allowance.age_below")
    if young is None:
        return None
    amount = ctx.params.amount("orphan_allowance.monthly")
    return benefit(ctx, Benefit.ORPHAN_ALLOWANCE, [[because(f)] for f in basis], [young], amount)


def tekun_support(ctx: Context) -> Finding | None:
    """A child meeting the 特困 conditions (a 特困 household), not under the orphan allowance,
    under 16."""
    if ctx.facts.economic_status != EconomicStatus.TEKUN or ctx.has(Benefit.ORPHAN_ALLOWANCE):
        return None
    young = ctx.under("tekun_support.age_below")
    if young is None:
        return None
    conditions = [Condition("家庭为特困供养户,未纳入孤儿基本生活保障"), young]
    return benefit(
        ctx, Benefit.TEKUN_SUPPORT, [conditions], (), ctx.params.amount("tekun_support.monthly")
    )


def dibao(ctx: Context) -> Finding | None:
    """A 低保 family whose guardian can raise the child (not under the orphan allowance)."""
    if ctx.facts.economic_status != EconomicStatus.DIBAO or ctx.has(Benefit.ORPHAN_ALLOWANCE):
        return None
    area = "urban" if ctx.facts.urban else "rural"
    amount = ctx.params.amount(f"dibao.standard_monthly.{area}")
    extra = ctx.params.amount("dibao.child_supplement_monthly")
    if amount and extra:
        amount = f"{amount},儿童增发 {extra}"
    return benefit(
        ctx, Benefit.DIBAO, [[Condition("家庭为低保户,法定抚养人有抚养能力")]], (), amount
    )


LIVING_BENEFITS = (Benefit.ORPHAN_ALLOWANCE, Benefit.TEKUN_SUPPORT, Benefit.DIBAO)


def temporary_assistance(ctx: Context) -> Finding | None:
    """A sudden hardship and no other living assistance yet: no 孤儿/特困/低保 benefit recorded
    as received on the day, and the event not marked as otherwise assisted."""
    if not ctx.has(Category.TEMPORARY_DIFFICULTY) or ctx.receiving(*LIVING_BENEFITS):
        return None
    any_of = [[c] for event, c in open_temporary_events(ctx) if not event.other_assistance]
    if not any_of:
        return None
    return benefit(ctx, Benefit.TEMPORARY_ASSISTANCE, any_of, [Condition("暂无其他生活救助")])


def disability_living_subsidy(ctx: Context) -> Finding | None:
    """困难残疾人生活补贴: a disabled child of a 低保 family. A child under the orphan allowance
    does not also receive it (国发〔2015〕52号)."""
    if ctx.disability is None or ctx.facts.economic_status != EconomicStatus.DIBAO:
        return None
    if ctx.has(Benefit.ORPHAN_ALLOWANCE):
        return None
    amount = ctx.params.amount("disability_living_subsidy.monthly")
    conditions = [ctx.disability, Condition("家庭为低保户")]
    return benefit(ctx, Benefit.DISABILITY_LIVING_SUBSIDY, [conditions], (), amount)


def disability_care_subsidy(ctx: Context) -> Finding | None:
    """重度残疾人护理补贴: a disability of a severe grade (一、二级)."""
    if ctx.severe_disability is None:
        return None
    amount = ctx.params.amount("disability_care_subsidy.monthly")
    return benefit(ctx, Benefit.DISABILITY_CARE_SUBSIDY, [[ctx.severe_disability]], (), amount)


def medical_insurance_full(ctx: Context) -> Finding | None:
    """Children under 特困 support: the medical-insurance contribution paid in full."""
    basis = ctx.has(Benefit.TEKUN_SUPPORT)
    return benefit(ctx, Benefit.MEDICAL_INSURANCE_FULL, [[because(basis)]]) if basis else None


def medical_insurance_subsidy(ctx: Context) -> Finding | None:
    """低保 children and severely disabled children: the personal contribution subsidised."""
    if ctx.has(Benefit.MEDICAL_INSURANCE_FULL):
        return None
    any_of = []
    if ctx.facts.economic_status == EconomicStatus.DIBAO:
        any_of.append([Condition("家庭为低保户")])
    if ctx.severe_disability:
        any_of.append([ctx.severe_disability])
    return benefit(ctx, Benefit.MEDICAL_INSURANCE_SUBSIDY, any_of) if any_of else None


TWELVE_YEAR_STAGES = (*COMPULSORY_STAGES, SchoolStage.SENIOR)
IN_DIFFICULTY = (*DIFFICULTY_CATEGORIES, Category.ORPHAN, Category.DE_FACTO_UNSUPPORTED)


def education_compulsory(ctx: Context) -> Finding | None:
    """两免一补 for children in difficulty (and orphans) in compulsory education."""
    if ctx.facts.school_stage not in COMPULSORY_STAGES:
        return None
    basis = [f for f in map(ctx.has, IN_DIFFICULTY) if f]
    if not basis:
        return None
    return benefit(
        ctx, Benefit.EDUCATION_COMPULSORY, [[because(f)] for f in basis], [stage(ctx.facts)]
    )


def education_disabled_free(ctx: Context) -> Finding | None:
    """12 years of free education (compulsory and high school) for disabled children of poor
    families."""
    if ctx.disability is None or ctx.poor is None:
        return None
    if ctx.facts.school_stage not in TWELVE_YEAR_STAGES:
        return None
    conditions = [ctx.disability, ctx.poor, stage(ctx.facts)]
    return benefit(ctx, Benefit.EDUCATION_DISABLED_FREE, [conditions])


def education_senior_waiver(ctx: Context) -> Finding | None:
    """High-school fees waived for students of poor families (建档立卡, 低保, 特困, ...)."""
    if ctx.facts.school_stage != SchoolStage.SENIOR or ctx.poor is None:
        return None
    return benefit(ctx, Benefit.EDUCATION_SENIOR_WAIVER, [[ctx.poor, stage(ctx.facts)]])


def rehabilitation_services(ctx: Context) -> list[tuple[str, str, str]]:
    """(service, age parameter, amount parameter) open to the child's kind of disability."""
    kind = ctx.facts.disability_category
    services = [
        (
            "康复训练",
            f"rehabilitation.training_max_age.{kind}",
            f"rehabilitation.training_yearly.{kind}",
        )
    ]
    if kind == DisabilityCategory.LIMB:
        services.append(
            (
                "肢体矫治手术",
                "rehabilitation.limb_surgery_max_age",
                "rehabilitation.limb_surgery_once",
            )
        )
    if kind == DisabilityCategory.HEARING:
        services.append(
            (
                "人工耳蜗手术",
                "rehabilitation.cochlear_implant_max_age",
                "rehabilitation.cochlear_implant_once",
            )
        )
    return services


def rehabilitation(ctx: Context) -> Finding | None:
    """康复救助 by kind of disability and age: training (limb 0-7; vision, hearing, speech,
    intellectual, autism 0-14), limb correction surgery up to 17, cochlear implants up to 6."""
    if ctx.disability is None:
        return None
    any_of = []
    for service, age_name, amount_name in rehabilitation_services(ctx):
        years = ctx.params.whole(age_name)
        limit = at_most_age(ctx.facts, years, ctx.on)
        if limit is not None:
            amount = ctx.params.amount(amount_name)
            words = f"可申请{service}救助({years}周岁及以下{',标准 ' + amount if amount else ''})"
            any_of.append([Condition(words, None, limit)])
    if not any_of:
        return None
    return benefit(
        ctx, Benefit.REHABILITATION, any_of, [ctx.disability, Condition(born(ctx.facts))]
    )


CODE_VALUES = {code: code.value for code in (*Category, *Benefit)}
BENEFIT_RULES = [
    (orphan_allowance, TROUBLED | EVENTS),
    (tekun_support, ECONOMY),
    (dibao, ECONOMY),
    (temporary_assistance, EVENTS),
    (disability_living_subsidy, DISABILITY),
    (disability_care_subsidy, DISABILITY),
    (medical_insurance_full, ECONOMY),
    (medical_insurance_subsidy, ECONOMY | DISABILITY),
    (education_compulsory, SCHOOL),
    (education_disabled_free, DISABILITY),
    (education_senior_waiver, ECONOMY),
    (rehabilitation, DISABILITY),
]
RULES = (*CATEGORY_RULES, *BENEFIT_RULES)


def evaluate(facts: ChildFacts, params: Params, as_of: date) -> list[Finding]:
    """Every category and benefit of the child on `as_of`; none for a closed file or an adult.

    Every finding also ends, at the latest, on the eve of the child's 18th birthday."""
    on_file = topics(facts)
    if not facts.is_active or facts.birth_date > as_of or not on_file & ~SCHOOL:
        return []
    return evaluate_rules(facts, params, as_of, on_file=on_file)


def evaluate_rules(
    facts: ChildFacts,
    params: Params,
    as_of: date,
    *,
    on_file: int | None = None,
    every_rule: bool = False,
) -> list[Finding]:
    """`evaluate` without its shortcuts; `every_rule` also runs the rules whose topics are not
    on the file (the tests check that this changes nothing)."""
    adult = under_age(facts, params.whole("child.age_below"), as_of)
    if adult is None:
        return []
    on_file = topics(facts) if on_file is None else on_file
    ctx = Context(facts, params, as_of, _first_end(adult, recorded_change(facts, as_of)), on_file)
    present = -1 if every_rule else on_file
    for rule, reads in RULES:
        if reads & present:
            finding = rule(ctx)
            if finding is not None:
                ctx.found[finding.code] = finding
    return list(ctx.found.values())
