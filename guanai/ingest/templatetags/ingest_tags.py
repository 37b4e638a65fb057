from django import template

from guanai.ingest.merge import claims_for_file, source_rows_for_file

register = template.Library()


@register.simple_tag
def child_sources(child):
    """What departmental rosters say about a file's fields (masked); the page checked scope."""
    return claims_for_file(child, reveal=False)


@register.simple_tag
def child_source_rows(child):
    """The roster rows linked to a file (rosters it appears in)."""
    return source_rows_for_file(child)
