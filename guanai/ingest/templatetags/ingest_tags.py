from django import template

from guanai.ingest.merge import claims_for_file

register = template.Library()


@register.simple_tag
def child_sources(child):
    """What departmental rosters say about a file's fields (masked); the page checked scope."""
    return claims_for_file(child, reveal=False)
