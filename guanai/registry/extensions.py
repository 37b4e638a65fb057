"""The registry's extension points: how the apps built on it add to a child's file.

The registry imports none of its consumers. An app (rules, care, ingest, and the new ones)
registers what it adds in its `AppConfig.ready()`:

- `file_panel_add(FilePanel(...))`: a section of the file page, and of the file's PDF — a
  template, the context it needs, and who may see it;
- `files_changed_add(FilesChanged(...))`: what must happen after files were saved, called by
  the registry's services in a fixed order (`order`) inside the same transaction — the rules'
  evaluation of the changed files, for instance. No Django signals: the order is stated here;
- `child_list_filter_add(ChildListFilter(...))`: a filter of the children list and its
  exports (the rules' category), with its choices and the condition it puts on a child.

`docs/architecture.md` shows the smallest app that uses them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from guanai.accounts.models import User


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


_panels: dict[str, FilePanel] = {}
_changed: dict[str, FilesChanged] = {}
_filters: dict[str, ChildListFilter] = {}


def file_panel_add(panel: FilePanel) -> None:
    _panels[panel.key] = panel


def files_changed_add(hook: FilesChanged) -> None:
    _changed[hook.key] = hook


def child_list_filter_add(list_filter: ChildListFilter) -> None:
    _filters[list_filter.key] = list_filter


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
