"""The review queue: uncertain pairs side by side for the township supervisor.

Thin views: a selector fetches for the user (404 for outsiders), a service writes.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError
from guanai.ingest import selectors, services
from guanai.ingest.models import ReviewStatus, Source
from guanai.ingest.permissions import can_review_links
from guanai.registry.masking import mask_id_number

PAGE_SIZE = 20


def _require_reviewer(request) -> None:
    if not can_review_links(request.user):
        raise AccessDenied("您的角色不能确认配对")


@require_GET
def review_list(request):
    _require_reviewer(request)
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in ReviewStatus.values:
        status = ReviewStatus.PENDING
    pairs = selectors.review_list_for(request.user, status=status)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        pair.masked_record_id = mask_id_number(pair.record.id_number or "")
        pair.masked_child_id = mask_id_number(pair.child.id_number or "")
    return render(
        request,
        "ingest/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReviewStatus.choices,
            "nav_active": "imports",
        },
    )


@require_GET
def review_detail(request, pk: int):
    _require_reviewer(request)
    pair = selectors.review_get_for(request.user, pk)
    record, child = pair.record, pair.child
    guardian = child.guardians.first()
    v = record.values
    rows = [
        ("姓名", record.name, child.name),
        ("身份证号", record.id_number, child.id_number or ""),
        ("出生日期", record.birth_date, child.birth_date),
        ("性别", {"M": "男", "F": "女"}.get(record.sex, ""), child.get_sex_display()),
        ("监护人", v.get("guardian", ""), guardian.name if guardian else ""),
        (
            "联系电话",
            v.get("phone", ""),
            (guardian.phone if guardian else "") or child.household.phone,
        ),
        ("住址", v.get("address", ""), child.household.address),
        ("学校", v.get("school", ""), child.school.name if child.school_id else ""),
    ]
    audit(actor=request.user, action=Action.VIEW, target=child, detail="查看待确认配对")
    return render(
        request,
        "ingest/review_detail.html",
        {
            "pair": pair,
            "rows": [(label, a or "", b or "", (a or "") == (b or "")) for label, a, b in rows],
            "source_label": Source(record.source).label,
            "nav_active": "imports",
        },
    )


@require_POST
def review_decide(request, pk: int):
    _require_reviewer(request)
    pair = selectors.review_get_for(request.user, pk)
    decision = request.POST.get("decision")
    try:
        if decision == "undo":
            services.review_undo(actor=request.user, pair=pair)
            messages.success(request, "已撤销,配对回到待确认")
        elif decision in ("accept", "reject"):
            services.review_decide(actor=request.user, pair=pair, same=decision == "accept")
            messages.success(
                request, "已确认为同一人" if decision == "accept" else "已确认不是同一人"
            )
        else:
            messages.error(request, "请选择“是同一人”或“不是同一人”")
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        messages.error(request, exc.message)
    return redirect("ingest:review_detail", pk=pair.pk)
