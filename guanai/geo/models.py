from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县/区")
    TOWNSHIP = "township", _("乡镇/街道")
    VILLAGE = "village", _("村/居委会")


# How many leading digits of a statistical division code identify a node at each level.
# A child's 12-digit village code starts with the prefix of every node above it, which is
# what jurisdiction scoping filters on.
PREFIX_LENGTH = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
CODE_LENGTH = {
    Level.PROVINCE: 6,
    Level.CITY: 6,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}
LEVEL_ORDER = [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE]


class Division(models.Model):
    """A node of the administrative tree (GB/T 2260 county codes, statistical codes below)."""

    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    is_urban = models.BooleanField(_("城镇"), default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self) -> str:
        return self.name

    @property
    def prefix(self) -> str:
        return self.code[: PREFIX_LENGTH[Level(self.level)]]

    def contains(self, code: str) -> bool:
        return code.startswith(self.prefix)

    def ancestors(self) -> list["Division"]:
        """From the root down to the parent, using the code prefixes (one query)."""
        level_index = LEVEL_ORDER.index(Level(self.level))
        prefixes = [self.code[: PREFIX_LENGTH[lv]] for lv in LEVEL_ORDER[:level_index]]
        candidates = Division.objects.filter(level__in=LEVEL_ORDER[:level_index])
        by_level = {d.level: d for d in candidates if d.prefix in prefixes}
        return [by_level[lv] for lv in LEVEL_ORDER[:level_index] if lv in by_level]

    @property
    def full_name(self) -> str:
        return "".join(d.name for d in [*self.ancestors(), self][-3:])


def code_prefix_q(field: str, prefix: str) -> Q:
    """Rows whose division code starts with `prefix`, as a range the database can index.

    `code LIKE '360426%'` cannot use an ordinary b-tree under a non-C collation, and the
    planner misjudges how many rows it matches; `'360426' <= code < '360427'` is exact for
    digit codes and uses whichever index fits (including the one that orders lists).
    """
    if not prefix:
        return Q()
    upper = str(int(prefix) + 1).zfill(len(prefix))
    if len(upper) > len(prefix):  # all nines: nothing sorts above it among digit codes
        return Q(**{f"{field}__gte": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": upper})
