"""Window pages. Thin: a selector fetches for the user (outsiders get 404), one service
writes; a refusal is shown with the field it names."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from guanai.accounts.models import Department
from guanai.accounts.scoping import area_for
from guanai.audit.decorators import search_audited
from guanai.care.selectors import record_get_for
from guanai.core.errors import AccessDenied, DomainError, require
from guanai.core.paging import listing
from guanai.core.params import whole_number
from guanai.protection.selectors import task_get_for
from guanai.registry.selectors import ChildFilters, child_get_for, child_list_for
from guanai.window import permissions, selectors, services
from guanai.window.choices import OPEN, ReferralStatus
from guanai.window.contributions import clock_words
from guanai.window.models import Referral
from guanai.window.services import Intake

NAV = {"nav_active": "window"}


@search_audited("一门受理列表", "window.application")
def application_list(request):
    require(permissions.can_use_window(request.user), _("您的角色不能使用一门受理"))
    applications = selectors.applications_for(request.user)
    return render(
        request,
        "window/application_list.html",
        {
            **listing(request, applications),
            "can_edit_calendar": permissions.can_edit_calendar(request.user),
            **NAV,
        },
    )


@search_audited("转办列表", "window.referral")
def referral_list(request):
    require(permissions.can_use_window(request.user), _("您的角色不能查看转办"))
    referrals = selectors.township_list(request.user)
    if request.GET.get("lapsed") == "1":
        referrals = referrals.filter(lapsed_at__isnull=False, status__in=OPEN)
    shown = listing(request, referrals)
    today = timezone.localdate()
    rows = [{"referral": r, "clock": clock_words(r, today)} for r in shown["page"]]
    return render(request, "window/referral_list.html", {**shown, "rows": rows, **NAV})


@search_audited("部门待办", "window.referral")
def work_list(request):
    require(bool(permissions.desk_of(request.user)), _("您没有部门待办"))
    status = request.GET.get("status", "open")
    referrals = selectors.work_list(request.user, status)
    shown = listing(request, referrals)
    today = timezone.localdate()
    rows = [{"referral": r, "clock": clock_words(r, today)} for r in shown["page"]]
    return render(
        request,
        "window/work_list.html",
        {
            **shown,
            "rows": rows,
            "status": status,
            "statuses": ReferralStatus.choices,
            "desk": Department(permissions.desk_of(request.user)).label,
            "nav_active": "desk",
        },
    )


@search_audited("一门受理:查找儿童", "registry.child")
def intake_start(request):
    require(permissions.can_use_window(request.user), _("您的角色不能使用一门受理"))
    text = (request.GET.get("q") or "").strip()
    found = child_list_for(request.user, ChildFilters(text=text))[:20] if text else []
    return render(request, "window/intake_start.html", {"q": text, "children": found, **NAV})


@require_http_methods(["GET", "POST"])
def intake(request, child_pk: int):
    require(permissions.can_use_window(request.user), _("您的角色不能使用一门受理"))
    child = child_get_for(request.user, child_pk)
    kinds = selectors.help_kinds(child.division_code)
    kind_id = whole_number(request.POST.get("kind") or request.GET.get("kind"))
    kind = selectors.help_kind_get(child.division_code, kind_id)
    error = None
    if request.method == "POST" and kind is not None and "applicant_name" in request.POST:
        documents = {
            whole_number(name.removeprefix("doc_")) or 0: upload
            for name, upload in request.FILES.items()
            if name.startswith("doc_")
        }
        data = Intake(
            kind_id=kind.pk,
            applicant_name=request.POST.get("applicant_name", ""),
            applicant_contact=request.POST.get("applicant_contact", ""),
            note=request.POST.get("note", ""),
            documents=documents,
        )
        try:
            application = services.application_receive(actor=request.user, child=child, intake=data)
        except DomainError as exc:
            error = exc
        else:
            messages.success(
                request, gettext("已受理,编号 %(number)s") % {"number": application.number}
            )
            return redirect("window:receipt", application_pk=application.pk)
    return render(
        request,
        "window/intake.html",
        {
            "child": child,
            "kinds": kinds,
            "kind": kind,
            "requirements": list(kind.requirements.all()) if kind else [],
            "error": error,
            "post": request.POST,
            **NAV,
        },
        status=400 if error else 200,
    )


def _application_context(request, application, error=None) -> dict:
    today = timezone.localdate()
    referrals = [
        {"referral": r, "clock": clock_words(r, today)}
        for r in application.referrals.order_by("-sent_at")
    ]
    return {
        "application": application,
        "documents": selectors.documents_for(request.user, application),
        "referrals": referrals,
        "departments": Department.choices,
        "error": error,
        "post": request.POST,
        **NAV,
    }


def application_detail(request, application_pk: int):
    application = selectors.application_get_for(request.user, application_pk)
    return render(
        request, "window/application_detail.html", _application_context(request, application)
    )


def receipt(request, application_pk: int):
    application = selectors.application_get_for(request.user, application_pk)
    documents = selectors.documents_for(request.user, application)
    return render(
        request,
        "window/receipt.html",
        {"application": application, "documents": documents, **NAV},
    )


def _send(request, **source) -> Referral | DomainError:
    """Send the referral the form describes (department, limit, request) from its source;
    a refusal of the input is returned for the form to show, a refusal of access raised."""
    try:
        referral = services.referral_send(
            actor=request.user,
            department=request.POST.get("department", ""),
            limit_days=whole_number(request.POST.get("limit_days")),
            request=request.POST.get("request", ""),
            **source,
        )
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        return exc
    messages.success(
        request,
        gettext("已转办 %(department)s,编号 %(number)s")
        % {"department": referral.get_department_display(), "number": referral.number},
    )
    return referral


@require_POST
def referral_create(request, application_pk: int):
    application = selectors.application_get_for(request.user, application_pk)
    sent = _send(request, application=application)
    if isinstance(sent, DomainError):
        context = _application_context(request, application, error=sent)
        return render(request, "window/application_detail.html", context, status=400)
    return redirect("window:application_detail", application_pk=application.pk)


def _referral_source(request, child_pk: int):
    """The plan task (?task=) or care record (?record=) a referral starts from, through the
    gate of its own app; it must be the child's (the page names the child)."""
    child = child_get_for(request.user, child_pk)
    task_pk = whole_number(request.GET.get("task") or request.POST.get("task"))
    record_pk = whole_number(request.GET.get("record") or request.POST.get("record"))
    if bool(task_pk) == bool(record_pk):
        raise Http404
    if task_pk:
        task = task_get_for(request.user, task_pk)
        if task.case.child_id != child.pk:
            raise Http404
        back = reverse("protection:case_detail", kwargs={"case_pk": task.case_id})
        return child, {"case_task": task}, task.title, back
    record = record_get_for(request.user, record_pk)
    if record.child_id != child.pk:
        raise Http404
    need = record.follow_up or record.problems or record.get_activity_display()
    back = reverse("care:record_detail", kwargs={"record_pk": record.pk})
    return child, {"care_record": record}, need, back


@require_http_methods(["GET", "POST"])
def referral_start(request, child_pk: int):
    """转办 from a protection case's plan task or a care record: department, limit, request."""
    require(permissions.can_use_window(request.user), _("只有乡镇和县级工作人员可以转办"))
    child, source, need, back = _referral_source(request, child_pk)
    sent = _send(request, **source) if request.method == "POST" else None
    if isinstance(sent, Referral):
        return redirect("window:referral_detail", referral_pk=sent.pk)
    error = sent
    context = {
        "child": child,
        "source": next(iter(source.values())),
        "from_task": "case_task" in source,
        "need": request.POST.get("request", need),
        "post": request.POST,
        "back": back,
        "departments": Department.choices,
        "error": error,
        **NAV,
    }
    status = 400 if error else 200
    return render(request, "window/referral_start.html", context, status=status)


def _referral_context(request, referral, error=None) -> dict:
    user = request.user
    desk = permissions.desk_of(user) == referral.department
    return {
        "referral": referral,
        "clock": clock_words(referral, timezone.localdate()),
        "desk": desk,
        "manage": permissions.can_manage(user) and referral.is_open,
        "documents": selectors.documents_for(user, referral.application)
        if referral.application_id
        else [],
        "departments": Department.choices,
        "error": error,
        "nav_active": "desk" if desk and not permissions.can_use_window(user) else "window",
    }


def referral_detail(request, referral_pk: int):
    referral = selectors.referral_get_for(request.user, referral_pk)
    return render(request, "window/referral_detail.html", _referral_context(request, referral))


def _act(request, referral_pk: int, act, done: str):
    referral = selectors.referral_get_for(request.user, referral_pk)
    try:
        act(referral)
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        context = _referral_context(request, referral, error=exc)
        return render(request, "window/referral_detail.html", context, status=400)
    messages.success(request, done)
    return redirect("window:referral_detail", referral_pk=referral_pk)


@require_POST
def referral_accept(request, referral_pk: int):
    def act(r):
        services.referral_accept(actor=request.user, referral=r)

    return _act(request, referral_pk, act, gettext("已接收"))


@require_POST
def referral_ask(request, referral_pk: int):
    def act(r):
        services.referral_ask_documents(
            actor=request.user, referral=r, documents=request.POST.get("documents", "")
        )

    return _act(request, referral_pk, act, gettext("已要求补充材料,暂停计时"))


@require_POST
def referral_resume(request, referral_pk: int):
    def act(r):
        services.referral_documents_received(actor=request.user, referral=r)

    return _act(request, referral_pk, act, gettext("材料已补齐,恢复计时"))


@require_POST
def referral_reject(request, referral_pk: int):
    def act(r):
        services.referral_reject(
            actor=request.user, referral=r, reason=request.POST.get("reason", "")
        )

    return _act(request, referral_pk, act, gettext("已退回"))


@require_POST
def referral_complete(request, referral_pk: int):
    def act(r):
        services.referral_complete(
            actor=request.user, referral=r, outcome=request.POST.get("outcome", "")
        )

    return _act(request, referral_pk, act, gettext("已办结"))


@require_POST
def referral_revoke(request, referral_pk: int):
    def act(r):
        services.referral_revoke(
            actor=request.user, referral=r, reason=request.POST.get("reason", "")
        )

    return _act(request, referral_pk, act, gettext("已撤回"))


@require_POST
def referral_reassign(request, referral_pk: int):
    def act(r):
        services.referral_reassign(
            actor=request.user,
            referral=r,
            department=request.POST.get("department", ""),
            limit_days=whole_number(request.POST.get("limit_days")),
        )

    return _act(request, referral_pk, act, gettext("已改派"))


def document(request, document_pk: int):
    found = selectors.document_get_for(request.user, document_pk)
    services.document_downloaded(actor=request.user, document=found)
    return FileResponse(found.file.open("rb"), as_attachment=True)


def figures(request):
    """Per department: the window's staff see every desk of their area, a department its own."""
    user = request.user
    desk = "" if permissions.can_see_figures(user) else permissions.desk_of(user)
    require(permissions.can_see_figures(user) or bool(desk), _("您的角色不能查看转办统计"))
    division = user.division
    require(division is not None, _("请以辖区用户查看"))
    rows = selectors.department_times(area_for(user, division), desk)
    nav = {"nav_active": "desk"} if desk else NAV
    return render(request, "window/figures.html", {"rows": rows, **nav})


@require_http_methods(["GET", "POST"])
def calendar(request):
    """The county's working-day calendar: national rows and the county's own, per year."""
    require(
        permissions.can_edit_calendar(request.user), _("只有县级民政工作人员可以修改节假日安排")
    )
    county = request.user.division.code[:6] if request.user.division_id else ""
    year = whole_number(request.GET.get("year")) or timezone.localdate().year
    error = None
    if request.method == "POST":
        try:
            day = date.fromisoformat(request.POST.get("day", ""))
        except ValueError:
            day = None
        try:
            if request.POST.get("remove"):
                services.holiday_remove(actor=request.user, county_code=county, day=day)
            else:
                services.holiday_set(
                    actor=request.user,
                    county_code=county,
                    day=day,
                    is_workday=request.POST.get("is_workday") == "1",
                    words=request.POST.get("words", ""),
                )
        except DomainError as exc:
            if isinstance(exc, AccessDenied):
                raise
            error = exc
        else:
            messages.success(request, gettext("已保存"))
            return redirect(f"{request.path}?year={day.year if day else year}")
    return render(
        request,
        "window/calendar.html",
        {"rows": selectors.calendar_rows(county, year), "year": year, "error": error, **NAV},
        status=400 if error else 200,
    )
