"""Care pages. Thin: a selector fetches for the user (outsiders get 404), one service writes."""

from datetime import date

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from guanai.accounts import permissions as account_permissions
from guanai.accounts.models import Role
from guanai.audit.decorators import search_audited
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.care import permissions, selectors, services
from guanai.care.forms import (
    CareRecordForm,
    FlagHandleForm,
    PairingEndForm,
    PairingForm,
    PeriodForm,
    TermForm,
)
from guanai.care.models import DueStatus, DutyTemplate, FlagStatus, Severity
from guanai.care.pdf import pairing_card_pdf
from guanai.care.schedules import Period, month_of
from guanai.core.errors import DomainError, NotForRole, form_error, require
from guanai.core.paging import listing
from guanai.core.params import whole_number
from guanai.notices.selectors import told_about
from guanai.registry.selectors import child_get_for


def _is_htmx(request) -> bool:
    return bool(request.headers.get("HX-Request"))


# ---------- the carer's phone page ----------


def my_week(request):
    if request.user.role != Role.CARER:
        require(permissions.can_see_figures(request.user), _("没有本周待办"))
        return redirect("care:overview")
    today = timezone.localdate()
    return render(
        request,
        "care/my_week.html",
        {
            "week": selectors.carer_week(request.user, today),
            "today": today,
            "nav_active": "care_week",
        },
    )


@require_http_methods(["GET", "POST"])
def record_create(request, child_pk: int):
    """The one-tap record form (an HTMX fragment on the week page, a page elsewhere)."""
    child = child_get_for(request.user, child_pk)
    require(permissions.can_record(request.user), _("您的角色不能填写关爱记录"))
    due = None
    due_pk = whole_number(request.GET.get("due") or request.POST.get("due"))
    if due_pk:
        due = selectors.due_item_get_for(request.user, due_pk)
        if due.child_id != child.pk:
            due = None
    initial = {"activity": due.activity} if due else {}
    form = CareRecordForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            record = services.care_record_create(
                actor=request.user,
                child=child,
                activity=data["activity"],
                day=data["date"],
                data=data,
                photos=data.get("photos") or [],
                due_item=due,
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            done = record.fulfilled.count()
            note = gettext("已记录%(activity)s") % {"activity": record.get_activity_display()}
            if done:
                note += gettext(",完成任务 %(done)s 项") % {"done": done}
            if due is not None:
                due.refresh_from_db()
                due = due if due.status == DueStatus.DONE else None
            if _is_htmx(request):
                response = render(
                    request, "care/_record_done.html", {"record": record, "note": note, "due": due}
                )
                if due is not None:  # the done line replaces the whole item on the week page
                    response["HX-Retarget"] = f"#due-{due.pk}"
                    response["HX-Reswap"] = "outerHTML"
                return response
            messages.success(request, note)
            if record.severity == Severity.SERIOUS:  # where 转为报告 is offered
                return redirect("care:record_detail", record_pk=record.pk)
            return redirect("registry:child_detail", pk=child.pk)
    template = "care/_record_form.html" if _is_htmx(request) else "care/record_form.html"
    status = 400 if form.errors and not _is_htmx(request) else 200
    return render(
        request,
        template,
        {"form": form, "child": child, "due": due, "nav_active": "care_week"},
        status=status,
    )


def record_detail(request, record_pk: int):
    record = selectors.record_get_for(request.user, record_pk)
    if not account_permissions.can_see_care_records(request.user):
        raise NotForRole(_("您所在部门不能查看关爱记录的内容和照片"))
    audit(actor=request.user, action=Action.VIEW, target=record, detail="查看关爱记录")
    flag = getattr(record, "flag", None)
    return render(
        request,
        "care/record_detail.html",
        {
            "record": record,
            "photos": record.photos.all(),
            # Whom a serious problem reached, and when: the carer sees it was escalated.
            "told": told_about(f"flag:{flag.pk}") if flag else [],
            "nav_active": "care",
        },
    )


# ---------- figures and lists for directors and supervisors ----------


def _period_from(request, today: date) -> Period:
    form = PeriodForm(request.GET or None)
    month = form.data.get("month", "") if form.is_bound else ""
    try:
        year, mon = (int(x) for x in month.split("-"))
        return month_of(date(year, mon, 1))
    except ValueError:
        return month_of(today)


def overview(request):
    today = timezone.localdate()
    period = _period_from(request, today)
    figures = selectors.figures_for(request.user, period, today)
    return render(
        request,
        "care/overview.html",
        {
            "figures": figures,
            "month": f"{period.start:%Y-%m}",
            "today": today,
            "nav_active": "care",
        },
    )


@search_audited("逾期任务列表", "care.dueitem")
def overdue_list(request):
    today = timezone.localdate()
    carer = request.GET.get("carer", "")
    items = selectors.overdue_list_for(
        request.user,
        today,
        area=request.GET.get("area", ""),
        carer_id=whole_number(carer),
    )
    return render(
        request,
        "care/overdue_list.html",
        {**listing(request, items), "today": today, "nav_active": "care"},
    )


@search_audited("未结对儿童列表", "registry.child")
def unpaired_list(request):
    require(permissions.can_manage_pairings(request.user), _("您的角色不能查看未结对儿童"))
    children = selectors.unpaired_children_for(request.user, timezone.localdate())
    return render(
        request, "care/unpaired_list.html", {**listing(request, children), "nav_active": "care"}
    )


def over_limit_list(request):
    require(permissions.can_manage_pairings(request.user), _("您的角色不能查看结对超限"))
    return render(
        request,
        "care/over_limit_list.html",
        {
            "carers": selectors.carers_over_limit_for(request.user, timezone.localdate()),
            "limit": services.carer_child_limit(),
            "nav_active": "care",
        },
    )


@search_audited("问题上报列表", "care.flag")
def flag_list(request):
    flags = selectors.flag_list_for(request.user)
    if request.GET.get("all") != "1":
        flags = flags.filter(status=FlagStatus.OPEN)
    return render(
        request,
        "care/flag_list.html",
        {
            **listing(request, flags),
            "can_handle": permissions.can_handle_flags(request.user),
            "nav_active": "care",
        },
    )


@require_http_methods(["GET", "POST"])
def flag_detail(request, flag_pk: int):
    """A flag; the township supervisor (or the county) records how it was handled."""
    flag = selectors.flag_get_for(request.user, flag_pk)
    can_handle = permissions.can_handle_flags(request.user)
    form = FlagHandleForm(request.POST or None) if can_handle else None
    if request.method == "POST":
        require(can_handle, _("您的角色不能处理问题上报"))
        if form.is_valid():
            try:
                services.flag_handle(actor=request.user, flag=flag, note=form.cleaned_data["note"])
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("已记录处理情况"))
                return redirect("care:flag_list")
    return render(
        request, "care/flag_detail.html", {"flag": flag, "form": form, "nav_active": "care"}
    )


# ---------- pairings ----------


@search_audited("结对列表", "care.pairing")
def pairing_list(request):
    require(permissions.can_manage_pairings(request.user), _("您的角色不能管理结对"))
    today = timezone.localdate()
    pairings = selectors.pairing_list_for(
        request.user, today=today, current_only=request.GET.get("all") != "1"
    )
    return render(
        request,
        "care/pairing_list.html",
        {**listing(request, pairings), "today": today, "nav_active": "care"},
    )


@require_http_methods(["GET", "POST"])
def pairing_create(request, child_pk: int):
    child = child_get_for(request.user, child_pk)
    require(permissions.can_manage_pairings(request.user), _("您的角色不能安排结对"))
    form = PairingForm(
        request.POST or None, carers=selectors.carer_choices_for(request.user, child)
    )
    if request.method == "POST" and form.is_valid():
        try:
            result = services.pairing_create(actor=request.user, child=child, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("已安排结对:%(pairing)s") % {"pairing": result.pairing}
            )
            for warning in result.warnings:
                messages.warning(request, warning)
            return redirect("registry:child_detail", pk=child.pk)
    return render(
        request,
        "care/pairing_form.html",
        {"form": form, "child": child, "nav_active": "care"},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def pairing_end(request, pairing_pk: int):
    pairing = selectors.pairing_get_for(request.user, pairing_pk)
    require(permissions.can_manage_pairings(request.user), _("您的角色不能结束结对"))
    form = PairingEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.pairing_end(actor=request.user, pairing=pairing, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("结对已结束"))
            return redirect("registry:child_detail", pk=pairing.child_id)
    return render(
        request,
        "care/pairing_end.html",
        {"form": form, "pairing": pairing, "nav_active": "care"},
    )


def pairing_card(request, pairing_pk: int):
    """The printable pairing card (爱心结对卡) as PDF."""
    pairing = selectors.pairing_get_for(request.user, pairing_pk)
    pdf = pairing_card_pdf(pairing)
    audit(
        actor=request.user,
        action=Action.DOWNLOAD,
        target=pairing,
        division_code=pairing.child.division_code,
        detail="下载爱心结对卡",
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="pairing-card-{pairing.pk}.pdf"'
    return response


# ---------- terms, templates ----------


@require_http_methods(["GET", "POST"])
def term_list(request):
    can_set = permissions.can_set_terms(request.user)
    county = request.user.division if request.user.division_id else None
    form = TermForm(request.POST or None) if can_set else None
    if request.method == "POST":
        require(can_set and county is not None, _("您的角色不能设置学期"))
        if form.is_valid():
            try:
                services.term_create(actor=request.user, county=county, **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("学期已保存"))
                return redirect("care:term_list")
    return render(
        request,
        "care/term_list.html",
        {
            "terms": selectors.term_list_for(request.user),
            "form": form,
            "templates": DutyTemplate.objects.filter(active=True),
            "nav_active": "care",
        },
    )
