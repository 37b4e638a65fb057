"""Dashboards per node and the report pages. Thin: selectors, figures and services do the work."""

from django.contrib import messages
from django.db.models import Q
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from guanai.accounts.scoping import division_visible
from guanai.core.errors import AccessDenied, DomainError
from guanai.core.params import whole_number
from guanai.geo.models import Division, Level
from guanai.geo.selectors import villages_under
from guanai.registry import extensions
from guanai.stats import permissions, selectors, services
from guanai.stats.figures import figures_for
from guanai.stats.forms import ReportForm
from guanai.stats.reports import period_default

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _charts(figures) -> list[dict]:
    """The sections' bar charts, then the trends' lines; charts.js draws each from its rows
    (passed with json_script: no inline scripts under the CSP)."""
    charts = []
    for section, (_, items) in zip(extensions.figure_sections(), figures.sections, strict=True):
        if section.chart is not None:
            rows = [[f.label, f.value] for f in items if f.key.startswith(section.chart.prefix)]
            charts.append({"key": section.key, "chart": section.chart, "rows": rows, "line": False})
    for monthly in extensions.monthly_counts():
        rows = figures.trends[monthly.key]
        charts.append({"key": monthly.key, "chart": monthly, "rows": rows, "line": True})
    return charts


@require_GET
def dashboard(request, division_code: str | None = None):
    node = selectors.node_get_for(request.user, division_code)
    home = selectors.home_node(request.user)
    figures = figures_for(
        request.user, node, timezone.localdate(), viewer_node=home, use_cache=True
    )
    path = [d for d in node.ancestors() if home.contains(d.code) and d.pk != node.pk]
    charts = _charts(figures)
    columns = [column for section in extensions.figure_sections() for column in section.breakdown]
    return render(
        request,
        "stats/dashboard.html",
        {
            "nav_active": "stats",
            "node": node,
            "path": path,
            "figures": figures,
            "charts": charts,
            "chart_data": {chart["key"]: chart["rows"] for chart in charts},
            "columns": columns,
            "breakdown": [
                (d, [(col, col.value(c)) for col in columns]) for d, c in figures.breakdown
            ],
            "can_report": permissions.can_request_reports(request.user),
            "can_enter_bases": permissions.can_enter_bases(request.user),
        },
    )


def _report_divisions(user, code: str = ""):
    """The user's node, the nodes just below it, and the node the user came from (if theirs)."""
    home = selectors.home_node(user)
    wanted = Q(pk=home.pk) | Q(parent=home)
    if code.isdigit() and division_visible(user, code):
        wanted |= Q(code=code)
    return Division.objects.filter(wanted).order_by("code")


@require_http_methods(["GET", "POST"])
def report_list(request):
    if not permissions.can_request_reports(request.user):
        raise AccessDenied(gettext_lazy("您的角色不能生成报表"))
    code = request.POST.get("node") or request.GET.get("node") or ""
    divisions = _report_divisions(request.user, code)
    today = timezone.localdate()
    quarter = period_default("quarterly", today)
    form = ReportForm(
        request.POST or None,
        divisions=divisions,
        initial={
            "division": divisions.filter(code=code).first() or divisions.first(),
            "period_start": quarter.start,
            "period_end": quarter.end,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job = services.report_request(
                actor=request.user,
                kind=data["kind"],
                division=data["division"],
                period_start=data["period_start"],
                period_end=data["period_end"],
            )
        except DomainError as error:
            form.add_error(error.field, error.message)
        else:
            messages.success(request, gettext("报表已开始生成"))
            return redirect("stats:report_status", pk=job.pk)
    jobs = list(selectors.report_jobs_for(request.user).filter(requested_by=request.user)[:20])
    for job in jobs:  # a job whose process stopped shows as failed here too
        job.state = selectors.report_job_state(job)
    return render(
        request,
        "stats/report_list.html",
        {"nav_active": "stats", "form": form, "jobs": jobs, "node_code": code},
    )


@require_GET
def report_status(request, pk: int):
    job = selectors.report_job_get_for(request.user, pk)
    template = (
        "stats/_report_progress.html"
        if request.headers.get("HX-Request")
        else "stats/report_status.html"
    )
    context = {
        "nav_active": "stats",
        "job": job,
        "state": selectors.report_job_state(job),
        "can_retry": permissions.can_request_reports(request.user),
    }
    return render(request, template, context)


@require_POST
def report_retry(request, pk: int):
    job = selectors.report_job_get_for(request.user, pk)
    try:
        again = services.report_job_retry(actor=request.user, job=job)
    except DomainError as error:
        if isinstance(error, AccessDenied):
            raise
        messages.error(request, error.message)
        return redirect("stats:report_status", pk=job.pk)
    return redirect("stats:report_status", pk=again.pk)


@require_GET
def report_download(request, pk: int):
    job = selectors.report_job_get_for(request.user, pk)
    try:
        handle, filename = services.report_open(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(reverse("stats:report_status", args=[job.pk]))
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=XLSX)


MAX_COUNT = 1_000_000  # children of one village, far above any real one


def _base_values(post, villages) -> dict[int, tuple[int, int] | None]:
    """Both numbers for a village, or neither (clears it); anything else is a DomainError."""
    values = {}
    for village in villages:
        pair = (post.get(f"c_{village.pk}", "").strip(), post.get(f"l_{village.pk}", "").strip())
        children, left_behind = (whole_number(v, maximum=MAX_COUNT) for v in pair)
        if pair == ("", ""):
            values[village.pk] = None
        elif children is not None and left_behind is not None:
            values[village.pk] = (children, left_behind)
        else:
            raise DomainError(
                gettext_lazy("%(name)s:请填写两个不超过 %(max_count)s 的非负整数,或都留空"),
                name=village.name,
                max_count=MAX_COUNT,
            )
    return values


@require_http_methods(["GET", "POST"])
def base_edit(request, division_code: str):
    """The county enters each village's expected children for a year, one township (or village)
    at a time; the others who see the node read the numbers."""
    node = selectors.node_get_for(request.user, division_code)
    if node.level not in (Level.TOWNSHIP, Level.VILLAGE):
        raise AccessDenied(gettext_lazy("请选择乡镇(街道)或村(居)"))
    can_edit = permissions.can_enter_bases(request.user)
    year_text = request.POST.get("year") or request.GET.get("year") or ""
    year = whole_number(year_text, maximum=9999) or timezone.localdate().year
    villages = list(villages_under(node).order_by("code"))
    if request.method == "POST":
        if not can_edit:
            raise AccessDenied(gettext_lazy("您的角色不能填报应有儿童数"))
        try:
            changed = services.statistical_bases_set(
                actor=request.user,
                node=node,
                year=year,
                values=_base_values(request.POST, villages),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("已保存 %(changed)s 个村(居)") % {"changed": changed})
            return redirect(f"{reverse('stats:base_edit', args=[node.code])}?year={year}")
    bases = selectors.bases_for(request.user, node, year)
    return render(
        request,
        "stats/base_edit.html",
        {
            "nav_active": "stats",
            "node": node,
            "year": year,
            "can_edit": can_edit,
            "rows": [(v, bases.get(v.pk)) for v in villages],
        },
    )
