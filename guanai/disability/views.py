"""Rehabilitation assistance pages. Thin: a selector fetches for the user (outsiders get 404),
one service writes, refusals are shown on the form."""

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from guanai.core.errors import AccessDenied, DomainError, Message, NotForRole, form_error
from guanai.core.params import whole_number
from guanai.disability import permissions, reports, selectors, services
from guanai.disability.forms import (
    ApplicationForm,
    CheckForm,
    ClaimForm,
    InstitutionForm,
    ProgressForm,
    ReferForm,
    TeachingForm,
    VisitForm,
)
from guanai.disability.models import ClaimStatus, Status
from guanai.geo.models import Level
from guanai.registry.selectors import child_get_for

PAGE_SIZE = 30


def _require(allowed: bool, message: Message) -> None:
    """The role may not use this page (403, whatever the object: nothing is told of it)."""
    if not allowed:
        raise NotForRole(message)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _county(user):
    division = user.division
    if division is None or division.level != Level.COUNTY:
        raise AccessDenied(_("请以县(区)账号操作"))
    return division


def overview(request):
    user = request.user
    _require(permissions.can_use(user), _("您的角色不使用康复救助"))
    status = request.GET.get("status", "")
    applications = selectors.application_list_for(user)
    if status in Status.values:
        applications = applications.filter(status=status)
    year = whole_number(request.GET.get("year"), maximum=2100) or timezone.localdate().year
    dashboard = selectors.dashboard_for(user, year) if permissions.can_refer(user) else None
    return render(
        request,
        "disability/overview.html",
        {
            "page": _page(request, applications),
            "status": status,
            "statuses": Status.choices,
            "dashboard": dashboard,
            "county_links": permissions.can_refer(user),
            "nav_active": "disability",
        },
    )


@require_http_methods(["GET", "POST"])
def application_create(request, child_pk: int):
    child = child_get_for(request.user, child_pk)
    _require(permissions.can_apply(request.user), _("您的角色不能提交康复救助申请"))
    form = ApplicationForm(request.POST or None, child=child)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(actor=request.user, child=child, **data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("申请已受理:%(reason)s") % {"reason": application.reason}
            )
            return redirect("disability:application_detail", rehab_pk=application.pk)
    return render(
        request,
        "disability/application_form.html",
        {"form": form, "child": child, "nav_active": "disability"},
    )


def application_detail(request, rehab_pk: int):
    user = request.user
    application = selectors.application_get_for(user, rehab_pk)
    refer_form = None
    if permissions.can_refer(user) and application.status == Status.ELIGIBLE:
        refer_form = ReferForm(institutions=selectors.institution_list_for(user))
    progress_form = None
    if permissions.can_refer(user) and application.status in (Status.REFERRED, Status.IN_SERVICE):
        progress_form = ProgressForm()
    return render(
        request,
        "disability/application_detail.html",
        {
            "application": application,
            "claims": selectors.claim_list_for(user).filter(application=application),
            "refer_form": refer_form,
            "progress_form": progress_form,
            "can_claim": permissions.can_enter_claims(user)
            and application.status in services.CLAIMABLE,
            "show_diagnosis": permissions.can_see_diagnosis(user),
            "nav_active": "disability",
        },
    )


@require_POST
def application_refer(request, rehab_pk: int):
    application = selectors.application_get_for(request.user, rehab_pk)
    _require(permissions.can_refer(request.user), _("您的角色不能转介康复机构"))
    form = ReferForm(request.POST, institutions=selectors.institution_list_for(request.user))
    if form.is_valid():
        try:
            services.application_refer(
                actor=request.user,
                application=application,
                institution=form.cleaned_data["institution"],
                on=form.cleaned_data["on"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                gettext("已转介至%(institution)s")
                % {"institution": form.cleaned_data["institution"].name},
            )
    else:
        messages.error(request, gettext("请选择定点康复机构和转介日期"))
    return redirect("disability:application_detail", rehab_pk=application.pk)


@require_POST
def application_progress(request, rehab_pk: int):
    application = selectors.application_get_for(request.user, rehab_pk)
    _require(permissions.can_refer(request.user), _("您的角色不能变更康复状态"))
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.application_progress(
                actor=request.user, application=application, **form.cleaned_data
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, gettext("状态已更新"))
    else:
        messages.error(request, gettext("请选择新状态并填写日期"))
    return redirect("disability:application_detail", rehab_pk=application.pk)


@require_http_methods(["GET", "POST"])
def claim_create(request, rehab_pk: int):
    application = selectors.application_get_for(request.user, rehab_pk)
    _require(permissions.can_enter_claims(request.user), _("您的角色不能录入康复救助结算"))
    form = ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            claim = services.claim_create(
                actor=request.user, application=application, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("结算已录入:%(words)s") % {"words": claim.words})
            return redirect("disability:application_detail", rehab_pk=application.pk)
    return render(
        request,
        "disability/claim_form.html",
        {"form": form, "application": application, "nav_active": "disability"},
    )


def claim_list(request):
    user = request.user
    _require(permissions.can_enter_claims(user), _("您的角色不能查看康复救助结算"))
    status = request.GET.get("status", ClaimStatus.ENTERED)
    claims = selectors.claim_list_for(user)
    if status in ClaimStatus.values:
        claims = claims.filter(status=status)
    return render(
        request,
        "disability/claim_list.html",
        {
            "page": _page(request, claims),
            "status": status,
            "statuses": ClaimStatus.choices,
            "can_federation": permissions.can_check_federation(user),
            "county_links": True,
            "nav_active": "disability",
        },
    )


@require_POST
def claim_check(request, claim_pk: int):
    claim = selectors.claim_get_for(request.user, claim_pk)
    form = CheckForm(request.POST)
    form.is_valid()
    try:
        claim = services.claim_check(
            actor=request.user, claim=claim, checker=form.cleaned_data.get("checker", "")
        )
    except AccessDenied:
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            gettext("结算 %(pk)s:%(status)s")
            % {"pk": claim.pk, "status": claim.get_status_display()},
        )
    back = request.POST.get("back", "")
    query = f"?status={back}" if back in ClaimStatus.values else ""
    return redirect(reverse("disability:claim_list") + query)


@require_http_methods(["GET", "POST"])
def batch_list(request):
    user = request.user
    _require(permissions.can_make_batches(user), _("您的角色不能查看拨付批次"))
    if request.method == "POST":
        try:
            batch = services.batch_create(actor=user, county=_county(user))
        except AccessDenied:
            raise
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, gettext("已生成拨付批次 %(number)s") % {"number": batch.number}
            )
            return redirect("disability:batch_detail", batch_pk=batch.pk)
        return redirect("disability:batch_list")
    waiting = selectors.claim_list_for(user).filter(status=ClaimStatus.FEDERATION_CHECKED).count()
    return render(
        request,
        "disability/batch_list.html",
        {
            "page": _page(request, selectors.batch_list_for(user)),
            "waiting": waiting,
            "county_links": True,
            "nav_active": "disability",
        },
    )


def batch_detail(request, batch_pk: int):
    user = request.user
    _require(permissions.can_make_batches(user), _("您的角色不能查看拨付批次"))
    batch = selectors.batch_get_for(user, batch_pk)
    return render(
        request,
        "disability/batch_detail.html",
        {
            "batch": batch,
            "claims": selectors.claim_list_for(user)
            .filter(batch=batch)
            .order_by("institution__name", "id"),
            "nav_active": "disability",
        },
    )


def batch_xlsx(request, batch_pk: int):
    user = request.user
    _require(permissions.can_make_batches(user), _("您的角色不能导出拨付批次"))
    batch = selectors.batch_get_for(user, batch_pk)
    export = reports.batch_xlsx(actor=user, batch=batch)
    return FileResponse(export.file, as_attachment=True, filename=export.filename)


@require_http_methods(["GET", "POST"])
def institution_list(request):
    user = request.user
    _require(permissions.can_manage_institutions(user), _("您的角色不能设置定点康复机构"))
    form = InstitutionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            institution = services.institution_create(
                actor=user, county=_county(user), **form.cleaned_data
            )
        except AccessDenied:
            raise
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request, gettext("已添加定点康复机构 %(name)s") % {"name": institution.name}
            )
            return redirect("disability:institution_list")
    return render(
        request,
        "disability/institution_list.html",
        {
            "institutions": selectors.institution_list_for(user),
            "form": form,
            "county_links": True,
            "nav_active": "disability",
        },
    )


# ---------- home teaching (送教上门) ----------


@require_http_methods(["GET", "POST"])
def teaching_create(request, child_pk: int):
    child = child_get_for(request.user, child_pk)
    _require(permissions.can_manage_teaching(request.user), _("您的角色不能安排送教上门"))
    today = timezone.localdate()
    year = today.year if today.month >= 8 else today.year - 1
    form = TeachingForm(
        request.POST or None,
        initial={
            "school_year": year,
            "start_date": date(year, 9, 1),
            "end_date": date(year + 1, 6, 30),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            teaching = services.home_teaching_create(
                actor=request.user, child=child, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("已建立送教上门协议"))
            return redirect("disability:teaching_detail", teaching_pk=teaching.pk)
    return render(
        request,
        "disability/teaching_form.html",
        {"form": form, "child": child, "nav_active": "disability"},
    )


@require_http_methods(["GET", "POST"])
def teaching_detail(request, teaching_pk: int):
    """The archive of one child's home teaching: agreement, situation, plan, records, and
    whether the rule is met; the form for a new record."""
    user = request.user
    teaching = selectors.teaching_get_for(user, teaching_pk)
    _require(permissions.can_manage_teaching(user), _("您的角色不能查看送教上门"))
    form = VisitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.teaching_visit_record(actor=user, teaching=teaching, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("已记录送教"))
            return redirect("disability:teaching_detail", teaching_pk=teaching.pk)
    return render(
        request,
        "disability/teaching_detail.html",
        {
            "teaching": teaching,
            "visits": selectors.visit_list_for(user).filter(teaching=teaching),
            "compliance": selectors.teaching_compliance(user, teaching, timezone.localdate()),
            "form": form,
            "nav_active": "disability",
        },
    )


def teaching_list(request):
    """A school year in the user's area: each child's compliance, each teacher's totals."""
    user = request.user
    _require(permissions.can_manage_teaching(user), _("您的角色不能查看送教上门"))
    today = timezone.localdate()
    current = today.year if today.month >= 8 else today.year - 1
    year = whole_number(request.GET.get("year"), maximum=2100) or current
    return render(
        request,
        "disability/teaching_list.html",
        {
            "summary": selectors.teaching_year_for(user, year, today),
            "years": range(current - 3, current + 1),
            "county_links": permissions.can_refer(user),
            "nav_active": "disability",
        },
    )
