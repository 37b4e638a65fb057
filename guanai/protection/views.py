"""Protection pages. Thin: a selector fetches for the user (outsiders get 404), one service
writes; a refusal is shown beside its field."""

from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from guanai.accounts import permissions as account_permissions
from guanai.accounts.scoping import area_for
from guanai.audit.decorators import search_audited
from guanai.care.selectors import record_get_for
from guanai.core.errors import DomainError, form_error, require
from guanai.core.paging import listing
from guanai.core.params import whole_number
from guanai.protection import permissions, selectors, services
from guanai.protection.choices import CaseStatus, Grade, StepKind
from guanai.protection.clocks import time_left
from guanai.protection.forms import (
    AssignForm,
    GradeForm,
    ReopenForm,
    ReportForm,
    ReviewForm,
    StepForm,
    TaskDoneForm,
    TaskForm,
)
from guanai.protection.selectors import Access
from guanai.protection.services import Report
from guanai.registry.selectors import ChildFilters, child_get_for, child_list_for

NAV = {"nav_active": "protection"}


@search_audited("保护个案列表", "protection.protectioncase")
def case_list(request):
    require(permissions.can_report(request.user), _("您的角色不能查看保护个案"))
    cases = selectors.case_list_for(request.user)
    status = request.GET.get("status", "open")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    if request.GET.get("grade") in Grade.values:
        cases = cases.filter(grade=request.GET["grade"])
    if request.GET.get("lapsed") == "1":
        cases = cases.filter(lapsed_at__isnull=False, responded_at__isnull=True)
    shown = listing(request, cases.order_by("status", "respond_by", "id"))
    now = timezone.now()
    rows = [
        {
            "case": case,
            "access": selectors.access_to(request.user, case),
            "clock": "" if case.responded_at else time_left(case.respond_by, now),
        }
        for case in shown["page"]
    ]
    return render(
        request,
        "protection/case_list.html",
        {
            **shown,
            "rows": rows,
            "status": status,
            "grades": Grade.choices,
            "can_direct": permissions.can_direct(request.user),
            **NAV,
        },
    )


@search_audited("保护个案报告:查找儿童", "registry.child")
def report_start(request):
    require(permissions.can_report(request.user), _("您的角色不能报告保护个案"))
    text = (request.GET.get("q") or "").strip()
    found = child_list_for(request.user, ChildFilters(text=text))[:20] if text else []
    return render(
        request,
        "protection/report_start.html",
        {
            "q": text,
            "children": found,
            "can_register": account_permissions.can_register_children(request.user),
            **NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def report_create(request, child_pk: int):
    require(permissions.can_report(request.user), _("您的角色不能报告保护个案"))
    child = child_get_for(request.user, child_pk)
    # 转为报告 from a serious care record: its flag becomes the case's source (once).
    flag = None
    record_pk = whole_number(request.GET.get("record") or request.POST.get("record"))
    if record_pk:
        record = record_get_for(request.user, record_pk)
        flag = getattr(record, "flag", None)
        if record.child_id != child.pk or flag is None:
            raise Http404
        existing = selectors.case_from_flag(request.user, flag.pk)
        if existing is not None:
            messages.info(
                request, gettext("该问题已转为个案 %(number)s") % {"number": existing.number}
            )
            return redirect("protection:case_detail", case_pk=existing.pk)
    initial = {"reporter_name": request.user.display_name}
    if flag is not None:
        initial |= {"description": flag.summary, "source": "care_record"}
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_report(
                actor=request.user, child=child, report=Report(**form.cleaned_data), flag=flag
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                gettext("已受理,编号 %(number)s,受理时间 %(received_at)s")
                % {
                    "number": case.number,
                    "received_at": f"{timezone.localtime(case.received_at):%Y-%m-%d %H:%M}",
                },
            )
            return redirect("protection:case_detail", case_pk=case.pk)
    status = 400 if form.errors else 200
    return render(
        request,
        "protection/report_form.html",
        {"form": form, "child": child, "record_pk": record_pk if flag else None, **NAV},
        status=status,
    )


def _detail_context(request, view, **forms) -> dict:
    case, user = view.case, request.user
    directing = view.full and permissions.can_direct(user)
    workers = selectors.case_workers(case)
    return {
        "view": view,
        "case": case,
        "clock": "" if case.responded_at else time_left(case.respond_by, timezone.now()),
        "steps": selectors.steps_for(view),
        "grades": selectors.grade_changes_for(view),
        "tasks": selectors.tasks_for_case(user, view),
        "missing": selectors.closure_missing(case) if view.full else [],
        "directing": directing,
        "grade_form": forms.get("grade_form")
        or (GradeForm(initial={"grade": case.grade}) if directing else None),
        "assign_form": forms.get("assign_form")
        or (AssignForm(workers=workers) if directing else None),
        "step_form": forms.get("step_form") or (StepForm() if view.full else None),
        "task_form": forms.get("task_form") or (TaskForm(workers=workers) if view.full else None),
        "close_form": forms.get("close_form") or (ReviewForm() if directing else None),
        "reopen_form": forms.get("reopen_form") or (ReopenForm() if directing else None),
        "done_form": TaskDoneForm(),
        "user_pk": user.pk,
        **NAV,
    }


def case_detail(request, case_pk: int):
    view = selectors.case_get_for(request.user, case_pk)
    services.case_opened(actor=request.user, case=view.case, access=view.access)
    return render(request, "protection/case_detail.html", _detail_context(request, view))


def _post(request, case_pk: int, form_name: str, form, act, done: str):
    """One of the case page's forms: the service on success, the page with the form's error."""
    view = selectors.case_get_for(request.user, case_pk, at_least=Access.FULL)
    if form.is_valid():
        try:
            act(view.case, form)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, done)
            return redirect("protection:case_detail", case_pk=case_pk)
    context = _detail_context(request, view, **{form_name: form})
    return render(request, "protection/case_detail.html", context, status=400)


@require_POST
def case_grade(request, case_pk: int):
    def act(case, form):
        services.case_grade(actor=request.user, case=case, **form.cleaned_data)

    return _post(
        request, case_pk, "grade_form", GradeForm(request.POST), act, gettext("已调整等级")
    )


@require_POST
def case_assign(request, case_pk: int):
    view = selectors.case_get_for(request.user, case_pk, at_least=Access.FULL)
    form = AssignForm(request.POST, workers=selectors.case_workers(view.case))

    def act(case, form):
        services.case_assign(actor=request.user, case=case, **form.cleaned_data)

    return _post(request, case_pk, "assign_form", form, act, gettext("已指定承办人"))


@require_POST
def step_create(request, case_pk: int):
    def act(case, form):
        data = form.cleaned_data
        services.step_record(
            actor=request.user,
            case=case,
            kind=data["kind"],
            done_at=data["done_at"],
            text=data["text"],
            measure=data["measure"],
            intervention=data["intervention"],
            institution=data["institution"],
            start_on=data["start_on"],
            end_on=data["end_on"],
            scores=form.scores() if data["kind"] == StepKind.ASSESSMENT else None,
            follow_up_days=data["follow_up_days"],
            document=data["document"],
        )

    form = StepForm(request.POST, request.FILES)
    return _post(request, case_pk, "step_form", form, act, gettext("已记录"))


@require_POST
def task_create(request, case_pk: int):
    view = selectors.case_get_for(request.user, case_pk, at_least=Access.FULL)
    form = TaskForm(request.POST, workers=selectors.case_workers(view.case))

    def act(case, form):
        services.task_add(actor=request.user, case=case, **form.cleaned_data)

    return _post(request, case_pk, "task_form", form, act, gettext("已添加帮扶任务"))


@require_POST
def case_close(request, case_pk: int):
    def act(case, form):
        services.case_close(actor=request.user, case=case, **form.cleaned_data)

    return _post(request, case_pk, "close_form", ReviewForm(request.POST), act, gettext("已结案"))


@require_POST
def case_reopen(request, case_pk: int):
    def act(case, form):
        services.case_reopen(actor=request.user, case=case, **form.cleaned_data)

    return _post(
        request, case_pk, "reopen_form", ReopenForm(request.POST), act, gettext("已重新打开")
    )


def my_tasks(request):
    require(permissions.can_use_cases(request.user), _("您的角色没有保护个案任务"))
    tasks = selectors.my_tasks(request.user)
    return render(
        request,
        "protection/my_tasks.html",
        {"tasks": tasks, "today": timezone.localdate(), "done_form": TaskDoneForm(), **NAV},
    )


@require_POST
def task_done(request, task_pk: int):
    task = selectors.task_get_for(request.user, task_pk)
    form = TaskDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError(_("请填写完成情况"), field="note")
        services.task_done(actor=request.user, task=task, note=form.cleaned_data["note"])
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("任务已完成"))
    if task.owner_id == request.user.pk and request.POST.get("back") != "case":
        return redirect("protection:my_tasks")
    return redirect("protection:case_detail", case_pk=task.case_id)


def step_document(request, step_pk: int):
    step = selectors.step_get_for(request.user, step_pk)
    if not step.document:
        raise Http404
    services.document_downloaded(actor=request.user, step=step)
    return FileResponse(step.document.open("rb"), as_attachment=True)


def figures(request):
    require(permissions.can_see_figures(request.user), _("您的角色不能查看保护个案统计"))
    division = request.user.division
    require(division is not None, _("请以辖区用户查看"))
    area = area_for(request.user, division)
    now = timezone.now()
    since = now - timedelta(days=365)
    return render(
        request,
        "protection/figures.html",
        {
            "times": selectors.response_times(area, since, now),
            "workers": selectors.cases_per_worker(area),
            **NAV,
        },
    )
