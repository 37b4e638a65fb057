"""Departmental rosters: what was imported, from whom, row by row, and which child it links to."""

from django.conf import settings
from django.db import models


class Source(models.TextChoices):
    POLICE = "police", "公安"
    EDUCATION = "education", "教育(学校)"
    DISABLED = "disabled", "残联"
    CIVIL = "civil", "民政"
    HEALTH = "health", "卫健"
    OTHER = "other", "其他"


class MappingProfile(models.Model):
    """A saved header mapping for one source: {"表头": "field"}, on top of the default one."""

    source = models.CharField("来源部门", max_length=20, choices=Source.choices)
    name = models.CharField("名称", max_length=50)
    columns = models.JSONField("表头对应", default=dict)

    class Meta:
        verbose_name = "表头对应方案"
        verbose_name_plural = "表头对应方案"
        constraints = [
            models.UniqueConstraint(fields=["source", "name"], name="mapping_profile_unique")
        ]

    def __str__(self) -> str:
        return f"{Source(self.source).label} {self.name}"


class ImportBatch(models.Model):
    scope_division_field = "division_code"

    source = models.CharField("来源部门", max_length=20, choices=Source.choices)
    file_name = models.CharField("文件名", max_length=255)
    file_sha256 = models.CharField(max_length=64)
    division_code = models.CharField(max_length=12, blank=True, db_index=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_linked = models.PositiveIntegerField(default=0)
    rows_review = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "导入批次"
        verbose_name_plural = "导入批次"
        constraints = [
            models.UniqueConstraint(fields=["source", "file_sha256"], name="import_batch_once")
        ]

    def __str__(self) -> str:
        return f"{Source(self.source).label} {self.file_name}"


class LinkMethod(models.TextChoices):
    NONE = "", "未关联"
    ID_EXACT = "id_exact", "身份证号相同"
    SCORE = "score", "多项比对一致"
    REVIEWED = "reviewed", "人工确认"


class SourceRecord(models.Model):
    """One roster row as received (raw) and as cleaned, with its source, batch and child."""

    scope_division_field = "division_code"

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    source = models.CharField("来源部门", max_length=20, choices=Source.choices)
    line = models.PositiveIntegerField("行号")
    natural_key = models.CharField(max_length=200)
    row_sha256 = models.CharField(max_length=64)
    raw = models.JSONField("原始行")
    division_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField("姓名", max_length=50)
    id_number = models.CharField("身份证号", max_length=18, blank=True, db_index=True)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    sex = models.CharField("性别", max_length=1, blank=True)
    values = models.JSONField("其他字段", default=dict)
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_records",
    )
    link_method = models.CharField(max_length=10, choices=LinkMethod.choices, blank=True)

    class Meta:
        verbose_name = "来源记录"
        verbose_name_plural = "来源记录"
        constraints = [
            models.UniqueConstraint(
                fields=["source", "natural_key", "row_sha256"], name="source_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch} 第 {self.line} 行"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    ACCEPTED = "accepted", "是同一人"
    REJECTED = "rejected", "不是同一人"


class ReviewPair(models.Model):
    """An uncertain pair for the township supervisor: this roster row, that child."""

    scope_division_field = "division_code"

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="reviews")
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="+")
    division_code = models.CharField(max_length=12, db_index=True)
    score = models.FloatField("得分")
    reasons = models.JSONField("依据", default=list)
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "待确认配对"
        verbose_name_plural = "待确认配对"
        constraints = [models.UniqueConstraint(fields=["record", "child"], name="review_pair_once")]

    def __str__(self) -> str:
        return f"{self.record} ↔ {self.child}"
