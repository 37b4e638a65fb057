from django.db.models import QuerySet

from guanai.geo.models import Division, Level


def division_subtree(division: Division) -> QuerySet[Division]:
    return Division.objects.filter(code__startswith=division.prefix)


def villages_under(division: Division) -> QuerySet[Division]:
    return division_subtree(division).filter(level=Level.VILLAGE)


def division_children(division: Division) -> QuerySet[Division]:
    return division.children.all().order_by("code")
