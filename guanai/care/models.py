from django.conf import settings
from django.db import models


class CarerKind(models.TextChoices):
    CARING_MOTHER = "caring_mother", "爱心妈妈"
    PROXY_PARENT = "proxy_parent", "代理家长"
    COUNSELLOR = "counsellor", "爱心辅导员"
    CLASS_TEACHER = "class_teacher", "班主任"
    CHILD_DIRECTOR = "child_director", "儿童主任"
    VOLUNTEER = "volunteer", "志愿者"


class Pairing(models.Model):
    """One-to-one pairing of a carer with a child (爱心结对), with start and end dates."""

    scope_division_field = "child__division_code"
    scope_pairing_path = ""

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="pairings")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairings"
    )
    kind = models.CharField("结对类型", max_length=20, choices=CarerKind.choices)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = "结对"
        verbose_name_plural = "结对"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carer} — {self.child}"
