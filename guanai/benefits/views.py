"""Benefit pages: the proposal queue, propose, decide, payment lists. Thin."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from guanai.audit.decorators import search_audited
from guanai.benefits import permissions, reports, selectors, services
from guanai.benefits.forms import DecideForm, FreezeForm, ProposeForm, StopForm
from guanai.core.errors import DomainError, form_error, require
from guanai.core.paging import listing
from guanai.registry.selectors import child_get_for

NAV = {"nav_active": "benefits"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@search_audited("待遇申报列表", "benefits.proposal")
def proposal_list(request):
    require(permissions.can_propose(request.user), _("您的角色不能查看待遇申报"))
    proposals = selectors.proposals_for(request.user)
    status = request.GET.get("status", "proposed")
    if status != "all":
        proposals = proposals.filter(status=status)
    return render(
        request,
        "benefits/proposal_list.html",
        {
            **listing(request, proposals.order_by("proposed_at", "id")),
            "status": status,
            "can_decide": permissions.can_decide(request.user),
            **NAV,
        },
    )


@require_http_methods(["GET", "POST"])
def proposal_create(request, child_pk: int):
    require(permissions.can_propose(request.user), _("您的角色不能申报待遇"))
    child = child_get_for(request.user, child_pk)
    form = ProposeForm(request.POST or None, initial={"benefit": request.GET.get("benefit")})
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_create(actor=request.user, child=child, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("已申报,等待县级审批"))
            return redirect("benefits:proposal_list")
    return render(
        request,
        "benefits/proposal_form.html",
        {"form": form, "child": child, **NAV},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def proposal_detail(request, proposal_pk: int):
    proposal = selectors.proposal_get_for(request.user, proposal_pk)
    can_decide = permissions.can_decide(request.user) and proposal.status == "proposed"
    form = DecideForm(request.POST or None) if can_decide else None
    standard = None
    if can_decide:
        standard = services.standard_for(
            proposal.child, proposal.benefit, proposal.proposed_at.date()
        )
    if request.method == "POST":
        require(can_decide, _("您不能审批该申报"))
        if form is not None and form.is_valid():
            data = form.cleaned_data
            try:
                services.proposal_decide(
                    actor=request.user,
                    proposal=proposal,
                    approve=data["decision"] == "approve",
                    note=data["note"],
                    start_on=data["start_on"],
                    monthly_amount=data["monthly_amount"],
                    off_table_reason=data["off_table_reason"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, gettext("已审批"))
                return redirect("benefits:proposal_list")
    return render(
        request,
        "benefits/proposal_detail.html",
        {"proposal": proposal, "form": form, "standard": standard, **NAV},
        status=400 if form is not None and form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
def payment_list_index(request):
    require(permissions.can_decide(request.user), _("只有县级民政部门可以生成发放名册"))
    form = FreezeForm(request.POST or None)
    division = request.user.division
    if request.method == "POST" and form.is_valid():
        try:
            require(division is not None, _("请以县级用户操作"))
            frozen = services.payment_list_freeze(
                actor=request.user, county=division, **form.cleaned_data
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(
                request,
                gettext("已冻结 %(frozen)s:%(children)s 人")
                % {"frozen": frozen, "children": frozen.children},
            )
            return redirect("benefits:payment_list_detail", list_pk=frozen.pk)
    return render(
        request,
        "benefits/payment_lists.html",
        {"form": form, **listing(request, selectors.payment_lists_for(request.user)), **NAV},
        status=400 if form.errors else 200,
    )


def payment_list_detail(request, list_pk: int):
    payment_list = selectors.payment_list_get_for(request.user, list_pk)
    lines = listing(request, selectors.payment_lines(request.user, payment_list), per_page=100)
    return render(
        request,
        "benefits/payment_list_detail.html",
        {"payment_list": payment_list, **lines, **NAV},
    )


@require_GET
def payment_list_xlsx(request, list_pk: int):
    payment_list = selectors.payment_list_get_for(request.user, list_pk)
    export = reports.payment_list_xlsx(actor=request.user, payment_list=payment_list)
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=XLSX
    )


@require_http_methods(["GET", "POST"])
def receipt_stop(request, receipt_pk: int):
    """Confirm a stop the gap list proposes (已不符合仍在享受), with its date and reason."""
    require(permissions.can_decide(request.user), _("只有县级民政部门可以停发待遇"))
    receipt = selectors.receipt_get_for(request.user, receipt_pk)
    initial = {"end_on": request.GET.get("on"), "reason": request.GET.get("reason", "")}
    form = StopForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.receipt_stop(actor=request.user, receipt=receipt, **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("已确认停发"))
            return redirect("benefits:proposal_list")
    return render(
        request,
        "benefits/receipt_stop.html",
        {"form": form, "receipt": receipt, **NAV},
        status=400 if form.errors else 200,
    )
