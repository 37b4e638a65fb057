from django.db.models import Q, QuerySet

from guanai.core.params import whole_number
from guanai.geo.models import Division, Level


def division_subtree(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(code__startswith=division.prefix)


def villages_under(division: Division) -> QuerySet[Division]:
    return division_subtree(division).filter(level=Level.VILLAGE)


def division_children(division: Division) -> QuerySet[Division]:
    return division.children.all().order_by("code")


def division_filter_choices(division: Division, selected_pk: str | None) -> QuerySet[Division]:
    """Choices for a "where" filter: the node's own children, and around the chosen one.

    A county has thousands of villages: listing them all in one select makes every page heavy.
    So the select offers the townships, and once one is chosen (or one of its villages), that
    township's villages too.
    """
    subtree = division_subtree(division)
    wanted = Q(parent=division)
    chosen_pk = whole_number(selected_pk)
    chosen = subtree.filter(pk=chosen_pk).first() if chosen_pk else None
    if chosen is not None and chosen.pk != division.pk:
        wanted |= Q(parent=chosen) | Q(parent_id=chosen.parent_id)
    return subtree.filter(wanted).order_by("code")
