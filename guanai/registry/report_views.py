"""Downloads of reports: the child's file as PDF and the roster (花名册) as xlsx. Thin views."""

from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from guanai.registry import reports, selectors
from guanai.registry.views import child_search

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def child_pdf(request, pk: int):
    """?reveal=1 prints unmasked values, for roles that may reveal (audited as REVEAL)."""
    child = selectors.child_get_for(request.user, pk)
    pdf = reports.child_file_pdf(
        actor=request.user, child=child, reveal=request.GET.get("reveal") == "1"
    )
    filename = reports.child_pdf_filename(child, timezone.localdate())
    return HttpResponse(
        pdf,
        content_type="application/pdf",
        headers={"Content-Disposition": content_disposition_header(True, filename)},
    )


@require_GET
def child_roster_export(request):
    """The same filters as the list page (the list's 导出花名册 button carries its query)."""
    _, filters = child_search(request)
    export = reports.roster_xlsx(actor=request.user, filters=filters)
    return FileResponse(
        export.file, as_attachment=True, filename=export.filename, content_type=XLSX
    )
