"""The registry's extension points: how the apps built on it add to a child's file.

The registry imports none of its consumers. An app (rules, care, ingest, and the new ones)
registers what it adds in its `AppConfig.ready()`:

- `file_panel_add(FilePanel(...))`: a section of the file page, and of the file's PDF — a
  template, the context it needs, and who may see it;
- `files_changed_add(FilesChanged(...))`: what must happen after files were saved, called by
  the registry's services in a fixed order (`order`) inside the same transaction — the rules'
  evaluation of the changed files, for instance. No Django signals: the order is stated here;
- `child_list_filter_add(ChildListFilter(...))`: a filter of the children list and its
  exports (the rules' category), with its choices and the condition it puts on a child;
- `node_counts_add(NodeCounts(...))`: the app's counts for the dashboards and reports — its
  own rows under a node, grouped by division-code prefix (`grouped`, `add_rows`), read
  through the gate (`within(area, ...)`). `stats` adds them up and words the figures.

`docs/architecture.md` shows the smallest app that uses them.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr

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


_panels: dict[str, FilePanel] = {}
_changed: dict[str, FilesChanged] = {}
_filters: dict[str, ChildListFilter] = {}
_counts: dict[str, NodeCounts] = {}


def file_panel_add(panel: FilePanel) -> None:
    _panels[panel.key] = panel


def files_changed_add(hook: FilesChanged) -> None:
    _changed[hook.key] = hook


def child_list_filter_add(list_filter: ChildListFilter) -> None:
    _filters[list_filter.key] = list_filter


def node_counts_add(counts: NodeCounts) -> None:
    _counts[counts.key] = counts


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


def grouped(queryset: QuerySet, length: int, field_name: str = "division_code") -> QuerySet:
    """The rows grouped by the first `length` digits of their division code (as `key`)."""
    return queryset.annotate(key=Substr(field_name, 1, length)).values("key").order_by()


def add_rows(counts: Counts, rows: Iterable[dict], names: list[str]) -> None:
    for row in rows:
        for name in names:
            counts[row["key"]][name] += row[name] or 0
