"""Pages of the rules app: the gap list, the changes to confirm, receipts and hardship events.

Thin views: a selector fetches for the user (404 for outsiders), a service writes.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanai.accounts import permissions as account_permissions
from guanai.audit.decorators import search_audited
from guanai.core.errors import AccessDenied, DomainError, form_error
from guanai.core.params import whole_number
from guanai.geo.selectors import division_subtree
from guanai.registry.selectors import child_get_for
from guanai.rules import permissions, reports, selectors, services
from guanai.rules.forms import EndForm, EventForm, GapFilterForm, ReceiptForm
from guanai.rules.parameters import SPECS

PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _gap_filters(request) -> tuple[GapFilterForm, str, selectors.GapFilters]:
    user = request.user
    divisions = (
        division_subtree(user.division).exclude(pk=user.division.pk) if user.division else None
    )
    form = GapFilterForm(request.GET or None, divisions=divisions)
    if not form.is_valid():
        return form, "unreceived", selectors.GapFilters()
    data = form.cleaned_data
    division = data["division"]
    return (
        form,
        data["which"] or "unreceived",
        selectors.GapFilters(
            division_code=division.code if division else "", benefit=data["benefit"]
        ),
    )


@require_GET
@search_audited("应保尽保名单", "rules.gaplist")
def gap_list(request):
    if not permissions.can_see_benefits(request.user):
        raise AccessDenied(_("您的角色不能查看保障名单"))
    form, which, filters = _gap_filters(request)
    today = timezone.localdate()
    if which == "unentitled":
        rows = selectors.unentitled_for(request.user, filters, today)
    else:
        rows = selectors.unreceived_for(request.user, filters, today)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "rules/gap_list.html",
        {
            "form": form,
            "which": which,
            "page": page,
            "summary": selectors.gap_summary_for(request.user, filters, today),
            "categories": selectors.category_summary_for(request.user, filters.division_code),
            "query_string": query.urlencode(),
            "can_export": permissions.can_export_gaps(request.user),
            "can_propose": account_permissions.can_propose_benefits(request.user),
            "can_decide": account_permissions.can_decide_benefits(request.user),
            "nav_active": "gaps",
        },
    )


@require_GET
def gap_export(request):
    _, which, filters = _gap_filters(request)
    export = reports.gap_xlsx(actor=request.user, which=which, filters=filters)
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=XLSX
    )


@require_GET
def change_list(request):
    changes = selectors.changes_for(request.user)
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "rules/change_list.html",
        {
            "page": page,
            "show_reasons": permissions.can_see_reasons(request.user),
            "nav_active": "changes",
        },
    )


@require_POST
def change_confirm(request):
    """Confirm one change (the row's button) or every ticked one."""
    only = request.POST.get("only")
    ids = [only] if only else request.POST.getlist("change")
    wanted = [whole_number(i) for i in ids]
    if None in wanted:
        raise AccessDenied(_("没有找到这些记录"))
    if wanted:
        changes = selectors.changes_get_for(request.user, wanted)
        confirmed = services.finding_changes_confirm(actor=request.user, changes=changes)
        messages.success(
            request, gettext("已确认 %(confirmed)s 条认定变化") % {"confirmed": confirmed}
        )
    return redirect("rules:change_list")


def _child_for_recording(request, child_pk: int):
    child = child_get_for(request.user, child_pk)
    if not permissions.can_record_benefits(request.user):
        raise AccessDenied(_("您的角色不能填写保障记录"))
    return child


def _record(request, *, form, child, title: str, save, done: str):
    """The shared GET/POST of the four small forms: save, then back to the child's page."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("registry:child_detail", pk=child.pk)
    context = {"form": form, "child": child, "title": title, "nav_active": "children"}
    return render(request, "rules/record_form.html", context, status=400 if form.errors else 200)


def _end_form(request, label: str) -> EndForm:
    form = EndForm(request.POST or None)
    form.fields["on"].label = label
    return form


@require_http_methods(["GET", "POST"])
def receipt_create(request, child_pk: int):
    child = _child_for_recording(request, child_pk)
    return _record(
        request,
        form=ReceiptForm(request.POST or None, initial={"start_on": timezone.localdate()}),
        child=child,
        title=gettext("记录享受待遇"),
        save=lambda data: services.benefit_receipt_record(actor=request.user, child=child, **data),
        done=gettext("已记录享受待遇"),
    )


@require_http_methods(["GET", "POST"])
def receipt_end(request, receipt_pk: int):
    receipt = selectors.receipt_get_for(request.user, receipt_pk)
    name = receipt.get_benefit_display()
    return _record(
        request,
        form=_end_form(request, "停止日期"),
        child=receipt.child,
        title=gettext("停止享受:%(name)s") % {"name": name},
        save=lambda data: services.benefit_receipt_end(
            actor=request.user, receipt=receipt, end_on=data["on"]
        ),
        done=gettext("已停止:%(name)s") % {"name": name},
    )


@require_http_methods(["GET", "POST"])
def event_create(request, child_pk: int):
    child = _child_for_recording(request, child_pk)
    return _record(
        request,
        form=EventForm(request.POST or None, initial={"occurred_on": timezone.localdate()}),
        child=child,
        title=gettext("记录困境事件"),
        save=lambda data: services.hardship_event_record(actor=request.user, child=child, **data),
        done=gettext("已记录困境事件"),
    )


@require_http_methods(["GET", "POST"])
def event_end(request, event_pk: int):
    event = selectors.event_get_for(request.user, event_pk)
    name = event.get_kind_display()
    return _record(
        request,
        form=_end_form(request, "困难解除日期"),
        child=event.child,
        title=gettext("解除困境事件:%(name)s") % {"name": name},
        save=lambda data: services.hardship_event_end(
            actor=request.user, event=event, ended_on=data["on"]
        ),
        done=gettext("已解除:%(name)s") % {"name": name},
    )


@require_GET
def parameter_list(request):
    rows = [(row, SPECS.get(row.name)) for row in selectors.parameters_for(request.user)]
    return render(request, "rules/parameter_list.html", {"rows": rows, "nav_active": "gaps"})
