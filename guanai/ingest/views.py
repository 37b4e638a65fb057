"""Roster upload with progress, import jobs, header-mapping profiles, and the review queue.

Thin views: a selector fetches for the user (404 for outsiders), a service writes.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, form_error
from guanai.core.params import whole_number
from guanai.ingest import jobs, linkage, profiles, review, selectors, submissions
from guanai.ingest.forms import HeaderRowFormSet, ProfileForm, UploadForm, villages_choice
from guanai.ingest.models import ReviewStatus, Source
from guanai.ingest.permissions import can_import, can_review_links
from guanai.registry.masking import mask_id_number

PAGE_SIZE = 20


def _require_reviewer(request) -> None:
    if not can_review_links(request.user):
        raise AccessDenied(_("您的角色不能确认配对"))


@require_GET
def review_list(request):
    _require_reviewer(request)
    status = request.GET.get("status", ReviewStatus.PENDING)
    if status not in ReviewStatus.values:
        status = ReviewStatus.PENDING
    pairs = selectors.review_list_for(request.user, status=status)
    page = Paginator(pairs, PAGE_SIZE).get_page(request.GET.get("page"))
    for pair in page:
        _for_row(pair)
    return render(
        request,
        "ingest/review_list.html",
        {
            "page": page,
            "status": status,
            "statuses": ReviewStatus.choices,
            "nav_active": "imports",
            "tab": "review",
            "show_tabs": can_import(request.user),
        },
    )


def _for_row(pair) -> None:
    pair.masked_record_id = mask_id_number(pair.record.id_number or "")
    pair.masked_child_id = mask_id_number(pair.child.id_number or "")
    pair.agreed, pair.disagreed = linkage.reasons_split(pair.reasons)


@require_GET
def review_detail(request, pk: int):
    _require_reviewer(request)
    pair = selectors.review_get_for(request.user, pk)
    record, child = pair.record, pair.child
    guardian = child.guardians.first()
    v = record.values
    sex = {"M": gettext("男"), "F": gettext("女")}
    rows = [
        (gettext("姓名"), record.name, child.name),
        (gettext("身份证号"), record.id_number, child.id_number or ""),
        (gettext("出生日期"), record.birth_date, child.birth_date),
        (gettext("性别"), sex.get(record.sex, ""), sex.get(child.sex, "")),
        (gettext("监护人"), v.get("guardian", ""), guardian.name if guardian else ""),
        (
            gettext("联系电话"),
            v.get("phone", ""),
            (guardian.phone if guardian else "") or child.household.phone,
        ),
        (gettext("住址"), v.get("address", ""), child.household.address),
        (gettext("学校"), v.get("school", ""), child.school.name if child.school_id else ""),
    ]
    audit(actor=request.user, action=Action.VIEW, target=child, detail="查看待确认配对")
    return render(
        request,
        "ingest/review_detail.html",
        {
            "pair": pair,
            "agreed": linkage.reasons_split(pair.reasons)[0],
            "disagreed": linkage.reasons_split(pair.reasons)[1],
            "rows": [(label, a or "", b or "", (a or "") == (b or "")) for label, a, b in rows],
            "source_label": gettext(Source(record.source).label),
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
            review.review_undo(actor=request.user, pair=pair)
            messages.success(request, gettext("已撤销,配对回到待确认"))
        elif decision in ("accept", "reject"):
            review.review_decide(actor=request.user, pair=pair, same=decision == "accept")
            done = (
                gettext("已确认为同一人") if decision == "accept" else gettext("已确认不是同一人")
            )
            messages.success(request, done)
        else:
            messages.error(request, gettext("请选择“是同一人”或“不是同一人”"))
    except DomainError as exc:
        if isinstance(exc, AccessDenied):
            raise
        messages.error(request, exc.message)
    if request.headers.get("HX-Request"):
        # One tap in the list: the row again, decided (or with the refusal), in place.
        pair = selectors.review_get_for(request.user, pk)
        _for_row(pair)
        return render(request, "ingest/_review_row.html", {"p": pair})
    return redirect("ingest:review_detail", pk=pair.pk)


# Upload and jobs ---------------------------------------------------------------------------------


def _require_importer(request) -> None:
    if not can_import(request.user):
        raise AccessDenied(_("您的角色不能导入名册"))


def _with_state(listed):
    """Jobs of a list, each with its state (a job whose worker died shows as failed)."""
    listed = list(listed)
    for job in listed:
        job.state = jobs.import_job_state(job)
    return listed


@require_http_methods(["GET", "POST"])
def import_upload(request):
    _require_importer(request)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        initial={name: request.GET[name] for name in UploadForm.AGAIN if name in request.GET},
        profiles=profiles.profile_list_for(request.user),
        villages=villages_choice(request.user.division),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = submissions.import_job_submit(
                actor=request.user,
                upload=data["file"],
                source=data["source"],
                profile=data["profile"],
                village=data["village"],
                as_of=data["as_of"],
                dry_run=data["dry_run"],
                own_rows_only=data["own_rows_only"],
            )
        except DomainError as error:
            if isinstance(error, AccessDenied):
                raise
            form_error(form, error)
        else:
            return redirect("ingest:import_job", job_id=job.pk)
    recent = _with_state(jobs.import_job_list_for(request.user).filter(created_by=request.user)[:5])
    return render(
        request,
        "ingest/import_upload.html",
        {"form": form, "jobs": recent, "nav_active": "imports", "tab": "upload"},
    )


@require_GET
def import_job_list(request):
    _require_importer(request)
    page = Paginator(jobs.import_job_list_for(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    _with_state(page)
    return render(
        request,
        "ingest/import_job_list.html",
        {"page": page, "nav_active": "imports", "tab": "jobs"},
    )


@require_GET
def import_job(request, job_id: int):
    job = jobs.import_job_get_for(request.user, job_id)
    context = {
        "job": job,
        "state": jobs.import_job_state(job),
        "can_add_profile": can_import(request.user),
        "nav_active": "imports",
        "tab": "jobs",
    }
    if request.headers.get("HX-Request"):
        return render(request, "ingest/_import_job_status.html", context)
    return render(request, "ingest/import_job.html", context)


def _queue_again(request, job_id: int, action):
    """Commit a dry run or run a failed job again; the page of the new job, or the refusal."""
    job = jobs.import_job_get_for(request.user, job_id)
    try:
        queued = action(actor=request.user, job=job)
    except DomainError as error:
        if isinstance(error, AccessDenied):
            raise
        messages.error(request, error.message)
        return redirect("ingest:import_job", job_id=job.pk)
    return redirect("ingest:import_job", job_id=queued.pk)


@require_POST
def import_job_commit(request, job_id: int):
    return _queue_again(request, job_id, submissions.import_job_commit)


@require_POST
def import_job_retry(request, job_id: int):
    return _queue_again(request, job_id, submissions.import_job_retry)


# Header-mapping profiles -------------------------------------------------------------------------


def _rows(formset) -> list[tuple[str, str]]:
    return [(f.cleaned_data.get("header", ""), f.cleaned_data.get("field", "")) for f in formset]


def _profile_page(request, form, formset, profile=None, job=None):
    return render(
        request,
        "ingest/profile_form.html",
        {
            "form": form,
            "formset": formset,
            "profile": profile,
            "job": job,
            "nav_active": "imports",
            "tab": "profiles",
        },
    )


@require_GET
def profile_list(request):
    _require_importer(request)
    source = request.GET.get("source", "")
    source = source if source in Source.values else ""
    return render(
        request,
        "ingest/profile_list.html",
        {
            "profiles": profiles.profile_list_for(request.user, source=source or None),
            "source": source,
            "sources": Source.choices,
            "fields": dict(profiles.field_choices()),
            "can_manage": profiles.can_manage_profiles(request.user),
            "nav_active": "imports",
            "tab": "profiles",
        },
    )


@require_http_methods(["GET", "POST"])
def profile_create(request):
    _require_importer(request)
    job_id = whole_number(request.POST.get("job") or request.GET.get("job"))
    job = jobs.import_job_get_for(request.user, job_id) if job_id else None
    headers = (job.report.get("headers") or []) if job else []
    form = ProfileForm(request.POST or None, initial={"source": job.source if job else ""})
    formset = HeaderRowFormSet(
        request.POST or None, initial=profiles.rows_for_headers(headers) or None
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            profile = profiles.profile_create(
                actor=request.user,
                source=form.cleaned_data["source"],
                name=form.cleaned_data["name"],
                rows=_rows(formset),
            )
        except DomainError as error:
            if isinstance(error, AccessDenied):
                raise
            form_error(form, error)
        else:
            messages.success(
                request, gettext("已保存表头对应方案“%(name)s”") % {"name": profile.name}
            )
            return redirect(f"{reverse('ingest:profile_list')}?source={profile.source}")
    return _profile_page(request, form, formset, job=job)


@require_http_methods(["GET", "POST"])
def profile_edit(request, profile_id: int):
    profile = profiles.profile_get_for(request.user, profile_id)
    if not profiles.can_manage_profiles(request.user):
        raise AccessDenied(_("只有县民政局和管理员可以修改表头对应方案"))
    form = ProfileForm(request.POST or None, editing=True, initial={"name": profile.name})
    formset = HeaderRowFormSet(
        request.POST or None,
        initial=[{"header": h, "field": f} for h, f in profile.columns.items()],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            profiles.profile_update(
                actor=request.user,
                profile=profile,
                name=form.cleaned_data["name"],
                rows=_rows(formset),
            )
        except DomainError as error:
            if isinstance(error, AccessDenied):
                raise
            form_error(form, error)
        else:
            messages.success(
                request, gettext("已保存表头对应方案“%(name)s”") % {"name": profile.name}
            )
            return redirect(f"{reverse('ingest:profile_list')}?source={profile.source}")
    return _profile_page(request, form, formset, profile=profile)


@require_POST
def profile_delete(request, profile_id: int):
    profile = profiles.profile_get_for(request.user, profile_id)
    profiles.profile_delete(actor=request.user, profile=profile)
    messages.success(request, gettext("已删除表头对应方案“%(name)s”") % {"name": profile.name})
    return redirect(f"{reverse('ingest:profile_list')}?source={profile.source}")
