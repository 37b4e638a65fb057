from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from guanai.accounts import permissions
from guanai.accounts.models import Role
from guanai.audit.decorators import search_audited
from guanai.core.errors import AccessDenied, DomainError, NotForRole, form_error
from guanai.core.paging import BoundedPaginator
from guanai.core.params import whole_number
from guanai.geo.models import Level
from guanai.geo.selectors import division_filter_choices, division_subtree
from guanai.registry import selectors, services
from guanai.registry.attachments import attachment_cards, attachment_list_for
from guanai.registry.choices import AttachmentKind
from guanai.registry.extensions import (
    child_list_filters,
    due_entries,
    file_panels,
    list_badges,
    summary_lines,
)
from guanai.registry.forms import (
    AttachmentForm,
    ChildFileForm,
    DeactivateForm,
    SearchForm,
    initial_from_child,
)
from guanai.registry.history import change_words, key_label
from guanai.registry.masking import mask_field
from guanai.registry.models import School
from guanai.registry.presenters import age_on, child_file_view

PAGE_SIZE = 30


def _villages_for(user):
    if user.division is None:
        return None
    return division_subtree(user.division).filter(level=Level.VILLAGE)


def _schools_for(user):
    county_prefix = user.division.code[:6] if user.division else ""
    return School.objects.filter(division_code__startswith=county_prefix)


def child_search(request) -> tuple[SearchForm, selectors.ChildFilters]:
    """The list page's search form and its filters; the roster export reads the same query."""
    divisions = None
    if request.user.role != Role.CARER and request.user.division is not None:
        divisions = division_filter_choices(request.user.division, request.GET.get("division"))
    form = SearchForm(request.GET or None, divisions=divisions)
    if not form.is_valid():
        return form, selectors.ChildFilters()
    data = form.cleaned_data
    return form, selectors.ChildFilters(
        text=data["q"],
        division_code=data["division"].code if data["division"] else "",
        include_inactive=data["include_inactive"],
        missing_id=data["missing_id"],
        missing_guardian=data["missing_guardian"],
        age_band=data["age_band"],
        extra={extra.key: data[extra.key] for extra in child_list_filters()},
    )


@search_audited("儿童档案列表", "registry.child")
def child_list(request):
    form, filters = child_search(request)
    children = selectors.child_list_for(request.user, filters)
    page = BoundedPaginator(children, PAGE_SIZE).get_page(request.GET.get("page"))
    badges = list_badges(request.user, [child.pk for child in page])
    context = {
        "rows": [(child, badges.get(child.pk, [])) for child in page],
        "filtered": any(request.GET.get(key) for key in form.fields if key != "q"),
        "form": form,
        "page": page,
        "nav_active": "children",
        "can_register": permissions.can_register_children(request.user),
        "can_export": permissions.can_export(request.user),
        "query_string": request.GET.urlencode(),
    }
    template = (
        "registry/_child_rows.html"
        if request.headers.get("HX-Request")
        else "registry/child_list.html"
    )
    return render(request, template, context)


def child_detail(request, pk: int):
    child = selectors.child_get_for(request.user, pk)
    services.child_file_opened(actor=request.user, child=child)
    attachments = attachment_cards(attachment_list_for(request.user, child))
    photo = next(
        (c for c in attachments if c.attachment.kind == AttachmentKind.PHOTO and c.thumbnail_uri),
        None,
    )
    return render(
        request,
        "registry/child_detail.html",
        {
            "file": child_file_view(request.user, child),
            "child": child,
            "revisions": [
                (revision, change_words(revision))
                for revision in selectors.revision_list_for(request.user, child)[:50]
            ],
            "can_see_history": permissions.can_see_file_history(request.user),
            "siblings": selectors.siblings_of(request.user, child),
            "can_edit": permissions.can_edit_children(request.user),
            "can_reveal": permissions.can_reveal_sensitive(request.user),
            "can_read_audit": permissions.can_read_audit(request.user),
            "attachments": attachments,
            "summary": {
                "photo": photo,
                "age": age_on(child.birth_date, timezone.localdate()),
                "lines": summary_lines(request.user, child),
            },
            "can_upload": permissions.can_upload_attachments(request.user),
            "attachment_form": AttachmentForm(),
            "panels": file_panels(request.user, child),
            "nav_active": "children",
        },
    )


@require_POST
def child_reveal(request, pk: int):
    """Show the unmasked sensitive fields of a file, on record."""
    child = selectors.child_get_for(request.user, pk)
    if not permissions.can_reveal_sensitive(request.user):
        raise AccessDenied(_("您的角色不能查看完整的敏感信息"))
    services.child_sensitive_revealed(actor=request.user, child=child)
    return render(
        request,
        "registry/_sensitive.html",
        {
            "file": child_file_view(request.user, child, reveal=True),
        },
    )


def child_revision(request, pk: int, number: int):
    child = selectors.child_get_for(request.user, pk)
    if not permissions.can_see_file_history(request.user):
        raise NotForRole(_("您所在部门不能查看档案的变更记录"))
    revision = selectors.revision_list_for(request.user, child).filter(number=number).first()
    if revision is None:
        raise AccessDenied(_("没有这个历史版本"))
    services.child_file_opened(actor=request.user, child=child, what=f"查看历史版本 {number}")
    # Past versions are shown masked like the current page (revealing stays on the file page).
    rows = [
        (key_label(k), mask_field(k.partition(".")[2], v)) for k, v in revision.snapshot.items()
    ]
    return render(
        request,
        "registry/child_revision.html",
        {
            "child": child,
            "revision": revision,
            "rows": rows,
            "nav_active": "children",
        },
    )


@dataclass
class FileSave:
    """What came of saving the file form: the service's result, or why not."""

    result: Any = None
    duplicate: Any = None  # the file already on record, when the user may open it
    warnings: list[str] = field(default_factory=list)  # to confirm before saving


def _problems_shown(form, problems: list[DomainError]) -> None:
    """The service's refusals beside their fields, where the form found nothing wrong yet."""
    for problem in problems:
        if problem.field not in form.errors or problem.field is None:
            form_error(form, problem)


def _file_saved(form, save: Callable[[dict, bool], Any]) -> FileSave:
    """Validate and save the file form through `save(data, ask_to_confirm)`: every problem is
    shown at once, the form's own and the service's, and the page keeps what was typed."""
    if not form.is_bound:  # an empty post: the form as it was
        return FileSave()
    if not form.is_valid():
        _problems_shown(form, services.file_problems(form.cleaned_data))
        return FileSave()
    try:
        return FileSave(result=save(form.cleaned_data, not form.cleaned_data["confirm_warnings"]))
    except services.DuplicateChild as exc:
        form_error(form, exc)
        return FileSave(duplicate=exc.existing if exc.visible else None)
    except services.NeedsConfirmation as exc:
        form.add_error("confirm_warnings", "请核实上面的情况,属实请勾选此项后再保存")
        return FileSave(warnings=exc.warnings)
    except services.FileProblems as exc:
        _problems_shown(form, exc.problems)
    except DomainError as exc:
        form_error(form, exc)
    return FileSave()


@require_POST
def child_check(request):
    """As the file form is typed: the words under one field (htmx), from the same checks as a
    save — the form's field and the service's `file_problems`. A good ID number fills in the
    birth date and sex (out-of-band swaps of those inputs)."""
    if not (
        permissions.can_register_children(request.user)
        or permissions.can_edit_children(request.user)
    ):
        raise AccessDenied(_("您的角色不能登记或修改儿童档案"))
    check_url = reverse("registry:child_check")
    form = ChildFileForm(request.POST, schools=_schools_for(request.user), check_url=check_url)
    name = request.POST.get("_check", "")
    if name not in form.checked_fields():
        return HttpResponse("")
    form.is_valid()
    ids, filled = None, None
    if name == "id_number":
        problems = [str(m) for m in form.errors.get(name, [])]
        raw = form.cleaned_data.get("id_number") or ""
        if raw and not problems:
            try:  # the number alone: a good one gives the birth date and sex
                ids = services.check_id_number(raw, birth_date=None, sex=None)
            except DomainError as exc:
                problems = [exc.message]
            else:
                filled = ChildFileForm(
                    initial={"birth_date": ids.birth_date, "sex": ids.sex}, check_url=check_url
                )
                for key in ("birth_date", "sex"):
                    filled.fields[key].widget.attrs["hx-swap-oob"] = "true"
    else:
        problems = [str(m) for m in form.errors.get(name, [])] or [
            p.message for p in services.file_problems(form.cleaned_data) if p.field == name
        ]
    return render(
        request,
        "registry/_field_check.html",
        {"problems": problems, "ids": ids, "filled": filled},
    )


@require_http_methods(["GET", "POST"])
def child_create(request):
    if not permissions.can_register_children(request.user):
        raise AccessDenied(_("您的角色不能登记儿童"))
    household = None
    sibling_of = request.GET.get("sibling_of")
    sibling_pk = whole_number(sibling_of) or 0  # not an id: no such child (404)
    if sibling_of:
        household = selectors.child_get_for(request.user, sibling_pk).household
    villages = _villages_for(request.user) if request.user.role == Role.CHILD_SUPERVISOR else None
    initial = {}
    if household is not None:
        sibling = selectors.child_get_for(request.user, sibling_pk)
        initial = {
            k: v
            for k, v in initial_from_child(sibling).items()
            if not k.startswith(
                (
                    "name",
                    "id_number",
                    "birth_date",
                    "sex",
                    "class",
                    "school",
                    "disability",
                    "serious",
                    "hobbies",
                    "notes",
                    "phone",
                )
            )
        }
        initial["village"] = household.division_id
    form = ChildFileForm(
        request.POST or None,
        initial=initial,
        villages=villages,
        schools=_schools_for(request.user),
        check_url=reverse("registry:child_check"),
    )

    def register(data: dict, ask: bool):
        village = data.get("village") or request.user.division
        return services.child_register(
            actor=request.user, village=village, data=data, household=household, ask_to_confirm=ask
        )

    saved = _file_saved(form, register) if request.method == "POST" else FileSave()
    if saved.result is not None:
        messages.success(request, gettext("已为 %(name)s 建档") % {"name": saved.result.name})
        return redirect("registry:child_detail", pk=saved.result.pk)
    return render(
        request,
        "registry/child_form.html",
        {
            "form": form,
            "title": "登记儿童",
            "saved": saved,
            "household": household,
            "nav_active": "register",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def child_edit(request, pk: int):
    child = selectors.child_get_for(request.user, pk)
    if not permissions.can_edit_children(request.user):
        raise AccessDenied(_("您的角色不能修改儿童档案"))
    form = ChildFileForm(
        request.POST or None,
        initial=initial_from_child(child),
        schools=_schools_for(request.user),
        check_url=reverse("registry:child_check"),
    )
    version = child.version

    def update(data: dict, ask: bool):
        return services.child_update(
            actor=request.user, child=child, version=version, data=data, ask_to_confirm=ask
        )

    saved = FileSave()
    if request.method == "POST":
        posted = whole_number(request.POST["version"]) if "version" in request.POST else version
        if posted is None:
            # Only a tampered page sends this; the form shows the file's version from now on.
            form.is_valid()
            form.add_error(None, "版本号无效:请核对本页内容后重新保存")
        else:
            version = posted
            saved = _file_saved(form, update)
    if saved.result is not None:
        changes = saved.result
        messages.success(
            request,
            gettext("已保存,修改了 %(count)s 项") % {"count": len(changes)}
            if changes
            else gettext("没有修改"),
        )
        return redirect("registry:child_detail", pk=child.pk)
    return render(
        request,
        "registry/child_form.html",
        {
            "form": form,
            "title": f"修改档案:{child.name}",
            "child": child,
            "version": version,
            "saved": saved,
            "nav_active": "children",
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def child_deactivate(request, pk: int):
    child = selectors.child_get_for(request.user, pk)
    if not permissions.can_edit_children(request.user):
        raise AccessDenied(_("您的角色不能注销儿童档案"))
    form = DeactivateForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.child_deactivate(actor=request.user, child=child, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("%(name)s 的档案已注销,档案保留可查") % {"name": child.name}
            )
            return redirect("registry:child_detail", pk=child.pk)
    return render(
        request,
        "registry/child_deactivate.html",
        {"form": form, "child": child, "nav_active": "children"},
    )


@require_POST
def child_reactivate(request, pk: int):
    child = selectors.child_get_for(request.user, pk)
    services.child_reactivate(actor=request.user, child=child)
    messages.success(request, gettext("%(name)s 的档案已恢复") % {"name": child.name})
    return redirect(reverse("registry:child_detail", args=[child.pk]))


def home(request):
    """The site's first page: the children of the user's node, by the node's parts."""
    return render(
        request,
        "registry/home.html",
        {
            "summary": selectors.home_summary(request.user),
            "due": due_entries(request.user),
            "today": timezone.localdate(),
            "can_register": permissions.can_register_children(request.user),
            "nav_active": "home",
        },
    )
