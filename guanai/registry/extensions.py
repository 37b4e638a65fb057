"""The registry's extension points: how the apps built on it add to a child's file.

The registry imports none of its consumers. An app (rules, care, ingest, and the new ones)
registers what it adds in its `AppConfig.ready()`:

- `file_panel_add(FilePanel(...))`: a section of the file page, and of the file's PDF — a
  template, the context it needs, and who may see it;
- `files_changed_add(FilesChanged(...))`: what must happen after files were saved, called by
  the registry's services in a fixed order (`order`) inside the same transaction — the rules'
  evaluation of the changed files, for instance; for files saved at once (a roster's chunk),
  `some` hears which keys of each file changed. No Django signals: the order is stated here;
- `child_list_filter_add(ChildListFilter(...))`: a filter of the children list and its
  exports (the rules' category), with its choices and the condition it puts on a child;
- `node_counts_add(NodeCounts(...))`: the app's counts for the dashboards and reports — its
  own rows under a node, grouped by division-code prefix (`grouped`, `add_rows`), read
  through the gate (`within(area, ...)`). `stats` adds them up;
- `figure_section_add(FigureSection(...))`: the app's section of the dashboards — its figures
  worded from the summed counts (label, 口径, the children list behind each, target), an
  optional chart, and its columns in the table of the nodes below and in the reports;
- `monthly_counts_add(MonthlyCounts(...))`: a trend of the dashboards — the app's rows under a
  granted area per calendar month (`per_month`);
- `child_event_source_add(ChildEventSource(...))`: events an app keeps about children (an
  open protection case) that the rules read as facts, beside the hardship events they keep
  themselves — one child's on save, a range of ids in the batch, each worded for the reason;
- `due_source_add(DueSource(...))`: the app's open duties of a user (a protection case's
  plan tasks), shown with care's due items on the home page's 我的待办;
- `summary_item_add(SummaryItem(...))`: lines of the summary card the file page opens with
  (the categories and their reasons, the benefits owed and received, the carer, the next due
  duty, open flags), each from the viewer and the file, scoped by the app;
- `list_badges_add(ListBadges(...))`: badges of the children list's rows (the categories),
  for a whole page of children at once — one query a source, never one a row;
- `stored_counts_set(StoredCounts(...))`: counts kept ahead of the node counts above (stats'
  stored summaries), read instead of counting a county's files again where a minute-old
  figure will do (the home page of a county or township).

`docs/architecture.md` shows the smallest app that uses them.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr, TruncMonth

from guanai.accounts.models import User
from guanai.accounts.scoping import Area


@dataclass(frozen=True)
class FilePanel:
    key: str
    order: int  # place on the page, smallest first
    template: str | None = None  # the page's section; its context holds `child` and `user`
    pdf_template: str | None = None  # the PDF's section
    # extra context of both templates, from the viewer and the file (scoped by the app)
    context: Callable[[User, object], dict] | None = None
    visible: Callable[[User], bool] = lambda user: True


@dataclass(frozen=True)
class FilesChanged:
    key: str
    order: int  # called smallest first
    one: Callable[[object], None]  # a file was saved (created, edited, closed, reopened)
    many: Callable[[int, int], None]  # files with first_id <= id <= last_id were opened at once
    # Files saved at once (a roster's chunk): file id -> the snapshot keys that changed
    # ("child.disability_grade", "guardian1.phone"), so that the hook can pass over files whose
    # changes do not concern it. Without it, `one` is called for each file.
    some: Callable[[dict[int, set[str]]], None] | None = None


@dataclass(frozen=True)
class ChildListFilter:
    key: str  # the query parameter of the children list (?category=...)
    label: str
    choices: Callable[[], list[tuple[str, str]]]
    condition: Callable[[str], Q]  # the children the value selects (on registry.Child)


@dataclass(frozen=True)
class CountPeriod:
    """The days over which work (care duties, records) is counted; states are on `as_of`."""

    as_of: date
    start: date
    end: date


# counts[division-code prefix][name] += n, for the subtree of a granted area
Counts = dict[str, Counter]


@dataclass(frozen=True)
class NodeCounts:
    key: str
    count: Callable[[Area, int, CountPeriod, Counts], None]  # area, prefix length, days, into


@dataclass
class Figure:
    key: str
    label: str
    value: int | None
    definition: str  # 口径
    link: dict[str, str] | None = None  # query of the children list behind the figure
    total: int | None = None  # denominator, where the figure is a share
    target: int | None = None  # percent
    missing: str = ""  # why no value can be given

    @property
    def query(self) -> str:
        return urlencode(self.link or {})

    @property
    def rate(self) -> float | None:
        if self.value is None or not self.total:
            return None
        return round(100 * self.value / self.total, 1)

    @property
    def meets_target(self) -> bool | None:
        rate = self.rate
        return None if rate is None or self.target is None else rate >= self.target


# The children list's query behind a figure of the node on the page: link(category="...");
# link() is the node's whole list. The node and the viewer are the caller's business.
FigureLinks = Callable[..., dict[str, str]]


@dataclass(frozen=True)
class Column:
    """A column of a table with one row per node: the dashboard's nodes below, a report."""

    label: str
    value: Callable[[Counter], object]  # from the node's counts
    width: int = 10  # in the xlsx


@dataclass(frozen=True)
class Columns:
    columns: tuple[Column, ...]
    note: str = ""  # their 口径, printed under the report's table


@dataclass(frozen=True)
class SectionChart:
    """A bar chart of the section's figures whose key starts with `prefix`."""

    title: str
    definition: str
    prefix: str


@dataclass(frozen=True)
class FigureSection:
    key: str
    order: int  # place on the dashboard, smallest first
    title: str
    figures: Callable[[Counter, FigureLinks], list[Figure]]  # from the node's summed counts
    chart: SectionChart | None = None
    breakdown: tuple[Column, ...] = ()  # in the dashboard's table of the nodes below
    quarterly: Columns | None = None  # in the quarterly work report
    yearly: Columns | None = None  # in the yearly evaluation summary


@dataclass(frozen=True)
class MonthlyCounts:
    key: str
    order: int  # place among the dashboard's trends
    title: str
    definition: str
    count: Callable[[Area, date, date], dict[str, int]]  # area, first day, last day -> per_month


@dataclass(frozen=True)
class ChildEvent:
    """An event about a child that the rules read: `kind` is one of the rules' hardship kinds
    (rules/choices.HardshipKind values), `words` names it in the reason without its details."""

    child_id: int
    kind: str
    occurred_on: date
    ended_on: date | None
    words: str


@dataclass(frozen=True)
class ChildEventSource:
    key: str
    one: Callable[[int], list[ChildEvent]]  # the events of one child (by id)
    # the events of children first_id <= id <= last_id inside a division-code prefix
    many: Callable[[int, int, str], list[ChildEvent]]


@dataclass(frozen=True)
class DueEntry:
    """One open duty of a user, as the home page lists it."""

    title: str
    detail: str
    due_on: date
    url: str


@dataclass(frozen=True)
class DueSource:
    key: str
    entries: Callable[[User], list[DueEntry]]  # the user's open duties (scoped by the app)


@dataclass(frozen=True)
class Badge:
    text: str
    tone: str = "grey"  # the badge's colour class: badge-<tone>
    title: str = ""  # more words, on hover


@dataclass(frozen=True)
class SummaryLine:
    """One line of the file's summary card: a label and a value, badges, reasons under it."""

    label: str
    value: str = ""
    badges: tuple[Badge, ...] = ()
    notes: tuple[str, ...] = ()  # why (a category's reason), shown under the line
    url: str = ""  # where the details are (an anchor of the page, or a page)
    alert: bool = False  # needs attention (overdue, open flag)


@dataclass(frozen=True)
class SummaryItem:
    key: str
    order: int  # place on the card, smallest first
    lines: Callable[[User, object], list[SummaryLine]]  # from the viewer and the file
    visible: Callable[[User], bool] = lambda user: True


@dataclass(frozen=True)
class ListBadges:
    key: str
    order: int  # place among a row's badges
    # the badges of a page of children (by id): in a fixed number of queries, scoped by the app
    badges: Callable[[User, list[int]], dict[int, list[Badge]]]


_panels: dict[str, FilePanel] = {}
_changed: dict[str, FilesChanged] = {}
_filters: dict[str, ChildListFilter] = {}
_counts: dict[str, NodeCounts] = {}
_sections: dict[str, FigureSection] = {}
_monthly: dict[str, MonthlyCounts] = {}
_event_sources: dict[str, ChildEventSource] = {}
_due_sources: dict[str, DueSource] = {}
_summary_items: dict[str, SummaryItem] = {}
_list_badges: dict[str, ListBadges] = {}


@dataclass(frozen=True)
class StoredCounts:
    """The node counts of a subtree counted ahead: `read(prefix, length, names)` gives the named
    counts grouped by the first `length` code digits with the time they were counted, or None
    when none are fresh (the caller then counts live). No gate of its own: the caller reads
    only its granted area."""

    key: str
    read: Callable[[str, int, list[str]], tuple[Counts, datetime] | None]


_stored: list[StoredCounts] = []


def stored_counts_set(source: StoredCounts) -> None:
    _stored[:] = [source]


def stored_counts(area: Area, length: int, names: list[str]) -> tuple[Counts, datetime] | None:
    """The area's named counts kept ahead (see StoredCounts), or None."""
    return _stored[0].read(area.prefix, length, names) if _stored else None


def summary_item_add(item: SummaryItem) -> None:
    _summary_items[item.key] = item


def list_badges_add(source: ListBadges) -> None:
    _list_badges[source.key] = source


def summary_lines(user: User, child) -> list[SummaryLine]:
    """The summary card's lines from every app, in order, for what the user may see."""
    items = sorted(_summary_items.values(), key=lambda i: i.order)
    return [line for item in items if item.visible(user) for line in item.lines(user, child)]


def list_badges(user: User, child_ids: list[int]) -> dict[int, list[Badge]]:
    """Every app's badges of the listed children: child id -> badges, in the sources' order."""
    found: dict[int, list[Badge]] = defaultdict(list)
    if not child_ids:
        return found
    for source in sorted(_list_badges.values(), key=lambda b: b.order):
        for child_id, badges in source.badges(user, child_ids).items():
            found[child_id].extend(badges)
    return found


def file_panel_add(panel: FilePanel) -> None:
    _panels[panel.key] = panel


def files_changed_add(hook: FilesChanged) -> None:
    _changed[hook.key] = hook


def child_list_filter_add(list_filter: ChildListFilter) -> None:
    _filters[list_filter.key] = list_filter


def node_counts_add(counts: NodeCounts) -> None:
    _counts[counts.key] = counts


def figure_section_add(section: FigureSection) -> None:
    _sections[section.key] = section


def monthly_counts_add(monthly: MonthlyCounts) -> None:
    _monthly[monthly.key] = monthly


def child_event_source_add(source: ChildEventSource) -> None:
    _event_sources[source.key] = source


def due_source_add(source: DueSource) -> None:
    _due_sources[source.key] = source


def child_events(child_id: int) -> list[ChildEvent]:
    return [e for key in sorted(_event_sources) for e in _event_sources[key].one(child_id)]


def child_events_between(first_id: int, last_id: int, division_code: str) -> list[ChildEvent]:
    sources = sorted(_event_sources)
    return [
        e for key in sources for e in _event_sources[key].many(first_id, last_id, division_code)
    ]


def due_entries(user: User) -> list[DueEntry]:
    """Every app's open duties of the user, soonest first."""
    found = [e for key in sorted(_due_sources) for e in _due_sources[key].entries(user)]
    return sorted(found, key=lambda e: e.due_on)


def file_panels(user: User, child, *, pdf: bool = False) -> list[dict]:
    """The panels the user may see, in order: each its template and its context."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda p: p.order):
        template = panel.pdf_template if pdf else panel.template
        if template is None or not panel.visible(user):
            continue
        extra = panel.context(user, child) if panel.context else {}
        shown.append({"key": panel.key, "template": template, "context": extra})
    return shown


def file_changed(child) -> None:
    for hook in sorted(_changed.values(), key=lambda h: h.order):
        hook.one(child)


def files_saved(children: list, changed: dict[int, set[str]]) -> None:
    """Many files were saved at once: each hook's `some`, or its `one` file by file."""
    for hook in sorted(_changed.values(), key=lambda h: h.order):
        if hook.some is not None:
            hook.some(changed)
        else:
            for child in children:
                hook.one(child)


def files_opened(first_id: int, last_id: int) -> None:
    for hook in sorted(_changed.values(), key=lambda h: h.order):
        hook.many(first_id, last_id)


def child_list_filters() -> list[ChildListFilter]:
    return sorted(_filters.values(), key=lambda f: f.key)


def child_list_condition(values: dict[str, str]) -> Q:
    """The children the chosen list filters select (unknown keys and empty values: none)."""
    q = Q()
    for key, value in values.items():
        if value and key in _filters:
            q &= _filters[key].condition(value)
    return q


def node_counts(area: Area, length: int, days: CountPeriod) -> Counts:
    """Every app's counts of the area's subtree, grouped by the first `length` code digits."""
    counts: Counts = defaultdict(Counter)
    for source in sorted(_counts.values(), key=lambda c: c.key):
        source.count(area, length, days, counts)
    return counts


def figure_sections() -> list[FigureSection]:
    return sorted(_sections.values(), key=lambda s: s.order)


def monthly_counts() -> list[MonthlyCounts]:
    return sorted(_monthly.values(), key=lambda m: m.order)


def grouped(queryset: QuerySet, length: int, field_name: str = "division_code") -> QuerySet:
    """The rows grouped by the first `length` digits of their division code (as `key`)."""
    return queryset.annotate(key=Substr(field_name, 1, length)).values("key").order_by()


def add_rows(counts: Counts, rows: Iterable[dict], names: list[str]) -> None:
    for row in rows:
        for name in names:
            counts[row["key"]][name] += row[name] or 0


def per_month(queryset: QuerySet, field_name: str) -> dict[str, int]:
    """The rows counted per calendar month of a date or time field, as {"YYYY-MM": n}."""
    rows = (
        queryset.annotate(month=TruncMonth(field_name))
        .values("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["month"].strftime("%Y-%m"): row["n"] for row in rows if row["month"]}


def counted(label: str, name: str, width: int = 10) -> Column:
    """A column of one count as it stands."""
    return Column(label, lambda counts: counts[name], width)


def percent(part: int, whole: int) -> str:
    """A share as a report cell prints it."""
    return f"{100 * part / whole:.1f}%" if whole else "—"
