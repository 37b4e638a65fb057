"""Departmental rosters: what was imported, from whom, row by row, and which child it links to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from guanai.ingest.rows import place


class Source(models.TextChoices):
    """Marked, not lazy: the Chinese name goes into stored text (revisions, audit rows); pages
    translate it where they show it (``{% translate job.get_source_display %}``)."""

    POLICE = "police", gettext_noop("公安")
    EDUCATION = "education", gettext_noop("教育(学校)")
    DISABLED = "disabled", gettext_noop("残联")
    CIVIL = "civil", gettext_noop("民政")
    HEALTH = "health", gettext_noop("卫健")
    OTHER = "other", gettext_noop("其他")


class MappingProfile(models.Model):
    """A saved header mapping for one source: {"表头": "field"}, on top of the default one."""

    source = models.CharField(_("来源部门"), max_length=20, choices=Source.choices)
    name = models.CharField(_("名称"), max_length=50)
    columns = models.JSONField(_("表头对应"), default=dict)

    class Meta:
        verbose_name = _("表头对应方案")
        verbose_name_plural = _("表头对应方案")
        constraints = [
            models.UniqueConstraint(fields=["source", "name"], name="mapping_profile_unique")
        ]

    def __str__(self) -> str:
        return f"{Source(self.source).label} {self.name}"


class ImportBatch(models.Model):
    scope_division_field = "division_code"

    source = models.CharField(_("来源部门"), max_length=20, choices=Source.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    division_code = models.CharField(max_length=12, blank=True, db_index=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_new = models.PositiveIntegerField(default=0)
    rows_linked = models.PositiveIntegerField(default=0)
    rows_review = models.PositiveIntegerField(default=0)
    rows_created = models.PositiveIntegerField(default=0)
    rows_merged = models.PositiveIntegerField(default=0)
    # The day the roster describes (when the department exported it): dates its values.
    as_of = models.DateField(_("名册日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        constraints = [
            models.UniqueConstraint(fields=["source", "file_sha256"], name="import_batch_once")
        ]

    def __str__(self) -> str:
        return f"{Source(self.source).label} {self.file_name}"


class LinkMethod(models.TextChoices):
    NONE = "", _("未关联")
    ID_EXACT = "id_exact", _("身份证号相同")
    SCORE = "score", _("多项比对一致")
    REVIEWED = "reviewed", _("人工确认")
    CREATED = "created", _("新建档案")


class SourceRecord(models.Model):
    """One roster row as received (raw) and as cleaned, with its source, batch and child."""

    scope_division_field = "division_code"

    batch = models.ForeignKey(ImportBatch, on_delete=models.PROTECT, related_name="records")
    source = models.CharField(_("来源部门"), max_length=20, choices=Source.choices)
    # Named only where a workbook holds several rosters (one sheet per village).
    sheet = models.CharField(_("工作表"), max_length=31, blank=True, default="")
    line = models.PositiveIntegerField(_("行号"))
    natural_key = models.CharField(max_length=200)
    row_sha256 = models.CharField(max_length=64)
    raw = models.JSONField(_("原始行"))
    division_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True, db_index=True)
    birth_date = models.DateField(_("出生日期"), null=True, blank=True)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    values = models.JSONField(_("其他字段"), default=dict)
    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_records",
    )
    link_method = models.CharField(max_length=10, choices=LinkMethod.choices, blank=True)

    class Meta:
        verbose_name = _("来源记录")
        verbose_name_plural = _("来源记录")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "natural_key", "row_sha256"], name="source_record_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.batch} {self.place}"

    @property
    def place(self) -> str:
        return place(self.sheet, self.line)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("待确认")
    ACCEPTED = "accepted", _("是同一人")
    REJECTED = "rejected", _("不是同一人")


class ReviewPair(models.Model):
    """An uncertain pair for the township supervisor: this roster row, that child."""

    scope_division_field = "division_code"  # the file's village
    # and the row's: a reviewer reaches both (a row matched to a file in another township
    # is for the county)
    scope_also_division_fields = ("record__division_code",)

    record = models.ForeignKey(SourceRecord, on_delete=models.CASCADE, related_name="reviews")
    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="+")
    division_code = models.CharField(max_length=12, db_index=True)
    score = models.FloatField(_("得分"))
    reasons = models.JSONField(_("依据"), default=list)
    held_outside = models.BooleanField(
        _("身份证号已在其他乡镇(街道)登记"), default=False
    )  # the row changed nothing: the county decides
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING, db_index=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Settled by the decision on another pair (review_queue's rules); undone with it.
    implied_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="implied"
    )

    class Meta:
        verbose_name = _("待确认配对")
        verbose_name_plural = _("待确认配对")
        constraints = [models.UniqueConstraint(fields=["record", "child"], name="review_pair_once")]

    def __str__(self) -> str:
        return f"{self.record} ↔ {self.child}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("导入中")
    DONE = "done", _("已完成")
    REJECTED = "rejected", _("未导入")
    FAILED = "failed", _("出错")


class ImportJob(models.Model):
    """An uploaded roster on its way through the importer, with progress for the page."""

    scope_division_field = "division_code"

    source = models.CharField(_("来源部门"), max_length=20, choices=Source.choices)
    file = models.CharField(_("文件"), max_length=300)
    file_name = models.CharField(_("文件名"), max_length=255)
    profile = models.CharField(_("表头对应方案"), max_length=50, blank=True)
    village = models.CharField(_("默认村(居)"), max_length=12, blank=True)
    as_of = models.DateField(_("名册日期"), null=True, blank=True)
    dry_run = models.BooleanField(_("只校验不导入"), default=False)
    own_rows_only = models.BooleanField(_("只导入本辖区的行"), default=False)
    division_code = models.CharField(max_length=12, db_index=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    stage = models.CharField(_("阶段"), max_length=30, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("结果"), default=dict)
    error = models.TextField(blank=True)
    batch = models.ForeignKey(
        ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The failed job this one runs again; one-to-one, so a failed job is run again only once.
    retry_of = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")

    def __str__(self) -> str:
        return f"{Source(self.source).label} {self.file_name}"


class ClaimField(models.TextChoices):
    """Fields of the file a roster can give, each with one displayed value and others kept."""

    ID_NUMBER = "id_number", _("身份证号")
    GUARDIAN = "guardian", _("监护人")
    PHONE = "phone", _("联系电话")
    ADDRESS = "address", _("家庭住址")
    SCHOOL = "school", _("学校")
    CLASS_NAME = "class_name", _("班级")
    DISABILITY = "disability", _("残疾类别和等级")


FILE_ENTRY = "file"
CLAIM_SOURCES = [(FILE_ENTRY, gettext_noop("档案录入")), *Source.choices]  # as Source


class FieldClaim(models.Model):
    """One value of one field of a child's file as one source gave it, dated.

    The file shows one value per field (see ``ingest.claims.displayed_claim``); the others stay
    here so that the file can show where sources disagree.
    """

    scope_division_field = "division_code"

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="claims")
    division_code = models.CharField(max_length=12, db_index=True)
    field = models.CharField(_("字段"), max_length=20, choices=ClaimField.choices)
    value = models.CharField(_("值"), max_length=200)
    source = models.CharField(_("来源"), max_length=20, choices=CLAIM_SOURCES)
    record = models.ForeignKey(
        SourceRecord, on_delete=models.CASCADE, null=True, blank=True, related_name="claims"
    )
    observed_on = models.DateField(_("日期"))
    displayed = models.BooleanField(_("档案显示"), default=False)

    class Meta:
        verbose_name = _("来源值")
        verbose_name_plural = _("来源值")
        indexes = [models.Index(fields=["child", "field"])]

    def __str__(self) -> str:
        return f"{self.get_field_display()}={self.value}({self.get_source_display()})"
