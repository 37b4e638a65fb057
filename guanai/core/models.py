"""What every app may store without a model of its own: the yearly number counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Counter(models.Model):
    """The last number given in a series of a county and year (a protection case's 县码-年-序号,
    an application's …-S序号, a referral's …-Z序号), taken under a row lock (counters.py)."""

    series = models.CharField(max_length=30)  # "protection.case", "window.application", …
    county_code = models.CharField(max_length=6)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("编号计数器")
        verbose_name_plural = _("编号计数器")
        constraints = [
            models.UniqueConstraint(fields=["series", "county_code", "year"], name="counter_once")
        ]

    def __str__(self) -> str:
        return f"{self.series} {self.county_code}-{self.year}: {self.last}"
