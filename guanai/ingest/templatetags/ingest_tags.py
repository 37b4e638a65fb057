from django import template
from django.utils.translation import gettext

from guanai.ingest.file_sources import claims_for_file, source_rows_for_file
from guanai.registry.masking import mask_id_number

register = template.Library()


@register.simple_tag
def child_sources(child):
    """What departmental rosters say about a file's fields (masked); the page checked scope."""
    return claims_for_file(child, reveal=False)


@register.simple_tag
def child_source_rows(child):
    """The roster rows linked to a file (rosters it appears in)."""
    return source_rows_for_file(child)


@register.simple_tag
def record_place(record):
    """Where a roster row was: its file, the sheet where a workbook held several, the line."""
    values = {"name": record.batch.file_name, "sheet": record.sheet, "line": record.line}
    if record.sheet:
        return gettext("%(name)s 工作表“%(sheet)s”第 %(line)s 行") % values
    return gettext("%(name)s 第 %(line)s 行") % values


@register.simple_tag
def given_id_number(record):
    """An invalid ID number the roster gave (not used; the file keeps its own), masked."""
    given = record.values.get("id_number_given", "")
    return mask_id_number(given) if given else ""
