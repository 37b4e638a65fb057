"""The child's file (一人一档): household, parents, guardians, school, disability, attachments.

Every row that holds a person belongs to a village through `division_code` (12 digits), the
field that jurisdiction scoping filters on. Changes are kept as revisions (full history).
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from guanai.registry.choices import (
    AttachmentKind,
    DisabilityCategory,
    DisabilityGrade,
    EconomicStatus,
    FactGroup,
    GuardianCapacity,
    GuardianRelation,
    HukouType,
    InactiveReason,
    ParentRole,
    ParentStatus,
    ReviewStatus,
    SchoolStage,
    Sex,
)
from guanai.registry.fields import PARENT_FACT_FIELDS, PARENT_FILE_FIELDS
from guanai.registry.names import split_name


class School(models.Model):
    scope_division_field = "division_code"

    name = models.CharField(_("学校"), max_length=100)
    division = models.ForeignKey("geo.Division", on_delete=models.PROTECT, related_name="schools")
    division_code = models.CharField(max_length=12, db_index=True)
    stage = models.CharField(_("学段"), max_length=20, choices=SchoolStage.choices)

    class Meta:
        ordering = ["division_code", "name"]
        verbose_name = _("学校")
        verbose_name_plural = _("学校")

    def __str__(self) -> str:
        return self.name


class Household(models.Model):
    scope_division_field = "division_code"
    scope_pairing_path = "children__pairings"

    division = models.ForeignKey(
        "geo.Division", verbose_name=_("所在村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    address = models.CharField(_("家庭住址"), max_length=200, blank=True)
    phone = models.CharField(_("家庭联系电话"), max_length=20, blank=True)
    hukou_type = models.CharField(
        _("户口性质"), max_length=10, choices=HukouType.choices, default=HukouType.RURAL
    )
    hukou_region_code = models.CharField(_("户籍地区划代码"), max_length=12, blank=True)
    hukou_address = models.CharField(_("户籍地址"), max_length=200, blank=True)
    economic_status = models.CharField(
        _("家庭经济状况"),
        max_length=12,
        choices=EconomicStatus.choices,
        default=EconomicStatus.NONE,
    )
    poverty_registered = models.BooleanField(_("建档立卡户"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("家庭")
        verbose_name_plural = _("家庭")

    def __str__(self) -> str:
        return self.address or f"家庭 {self.pk}"


class Parent(models.Model):
    scope_division_field = "household__division_code"

    FACT_FIELDS = PARENT_FACT_FIELDS
    FILE_FIELDS = PARENT_FILE_FIELDS

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="parents")
    role = models.CharField(_("身份"), max_length=10, choices=ParentRole.choices)
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    status = models.CharField(
        _("状况"), max_length=20, choices=ParentStatus.choices, default=ParentStatus.AT_HOME
    )
    status_since = models.DateField(_("起始日期"), null=True, blank=True)
    status_until = models.DateField(_("截止日期(刑满等)"), null=True, blank=True)
    away_destination = models.CharField(_("务工地"), max_length=100, blank=True)
    disability_category = models.CharField(
        _("残疾类别"), max_length=20, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), choices=DisabilityGrade.choices, null=True, blank=True
    )
    has_aids = models.BooleanField(_("患艾滋病"), default=False)
    can_work = models.BooleanField(_("有劳动能力"), default=True)
    guardianship_capacity = models.CharField(
        _("监护能力"),
        max_length=10,
        choices=GuardianCapacity.choices,
        default=GuardianCapacity.FULL,
    )

    class Meta:
        verbose_name = _("父母")
        verbose_name_plural = _("父母")

    def __str__(self) -> str:
        return f"{ParentRole(self.role).label} {self.name}".strip()


class Child(models.Model):
    scope_division_field = "division_code"
    scope_pairing_path = "pairings"

    household = models.ForeignKey(
        Household, on_delete=models.PROTECT, related_name="children", verbose_name=_("家庭")
    )
    division = models.ForeignKey(
        "geo.Division", verbose_name=_("所在村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    division_code = models.CharField(max_length=12, db_index=True)
    name = models.CharField(_("姓名"), max_length=50)
    # The name without the surname (names.split_name): an exact, indexable match for a search by
    # given name, which would otherwise be a substring search no index serves.
    given_name = models.CharField(max_length=50, blank=True, editable=False)
    name_pinyin = models.CharField(max_length=100, db_index=True, blank=True)
    name_initials = models.CharField(max_length=20, db_index=True, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, null=True, blank=True, unique=True)
    id_number_tail = models.CharField(max_length=6, blank=True, db_index=True)
    birth_date = models.DateField(_("出生日期"))
    sex = models.CharField(_("性别"), max_length=1, choices=Sex.choices)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True, default="汉族")
    father = models.ForeignKey(
        Parent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    mother = models.ForeignKey(
        Parent, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lives_with_parents = models.BooleanField(_("随父母流动居住"), default=False)
    school = models.ForeignKey(
        School, verbose_name=_("学校"), on_delete=models.SET_NULL, null=True, blank=True
    )
    # Blank is "not known yet" (shown as 未填写), never 未入学: that is a fact someone recorded.
    school_stage = models.CharField(
        _("就学情况"), max_length=20, choices=SchoolStage.choices, blank=True, default=""
    )
    class_name = models.CharField(_("班级"), max_length=30, blank=True)
    class_teacher = models.CharField(_("班主任"), max_length=30, blank=True)
    class_teacher_phone = models.CharField(_("班主任电话"), max_length=20, blank=True)
    disability_category = models.CharField(
        _("残疾类别"), max_length=20, choices=DisabilityCategory.choices, blank=True
    )
    disability_grade = models.PositiveSmallIntegerField(
        _("残疾等级"), choices=DisabilityGrade.choices, null=True, blank=True
    )
    disability_cert_number = models.CharField(_("残疾证号"), max_length=30, blank=True)
    serious_illness = models.CharField(_("重大疾病"), max_length=100, blank=True)
    phone = models.CharField(_("本人电话"), max_length=20, blank=True)
    hobbies = models.CharField(_("兴趣爱好"), max_length=200, blank=True)
    notes = models.TextField(_("备注"), blank=True)
    is_active = models.BooleanField(_("在册"), default=True, db_index=True)
    inactive_reason = models.CharField(
        _("注销原因"), max_length=20, choices=InactiveReason.choices, blank=True
    )
    inactive_on = models.DateField(_("注销日期"), null=True, blank=True)
    inactive_note = models.CharField(_("注销说明"), max_length=200, blank=True)
    # True while a village's change to the deciding facts waits for the township (FactReview):
    # the rules then mark what they find 待审核 and statistics leave it out of the confirmed counts.
    facts_pending = models.BooleanField(_("有待审核的变更"), default=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("儿童")
        verbose_name_plural = _("儿童")
        indexes = [
            models.Index(fields=["division_code", "is_active"]),
            # Lists are ordered by village then name: this index serves them without a sort.
            models.Index(fields=["division_code", "name", "id"], name="child_list_order"),
            models.Index(fields=["name"]),
            models.Index(fields=["given_name"]),
            models.Index(fields=["birth_date"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Services set it too; this keeps any other save (admin, test factories) in step.
        self.given_name = split_name(self.name)[1]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "given_name"}
        super().save(*args, **kwargs)


class Guardian(models.Model):
    scope_division_field = "child__division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="guardians")
    name = models.CharField(_("监护人姓名"), max_length=50)
    relation = models.CharField(_("与儿童关系"), max_length=30, choices=GuardianRelation.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    id_number = models.CharField(_("身份证号"), max_length=18, blank=True)
    capacity = models.CharField(
        _("监护能力"),
        max_length=10,
        choices=GuardianCapacity.choices,
        default=GuardianCapacity.FULL,
    )
    is_primary = models.BooleanField(_("主要监护人"), default=True)
    address = models.CharField(_("住址"), max_length=200, blank=True)

    class Meta:
        ordering = ["-is_primary", "id"]
        verbose_name = _("监护人")
        verbose_name_plural = _("监护人")
        # An import finds a sibling's household by the family phone its guardians give.
        indexes = [models.Index(fields=["phone"], name="guardian_phone")]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.child.division_code}/{instance.child_id}/{filename}"


class Attachment(models.Model):
    scope_division_field = "child__division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField(_("类型"), max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.caption or self.file.name


class Revision(models.Model):
    """One saved change to a child's file: who, when, which fields old -> new, and the whole file after."""

    scope_division_field = "child__division_code"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    summary = models.CharField(max_length=200, blank=True)
    changes = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["child", "number"], name="revision_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.child} v{self.number}"


class FactReview(models.Model):
    """A village's change to the facts that decide categories and benefits, for the township to
    accept or return (审核): which revision, which fact groups, the changes old -> new."""

    scope_division_field = "division_code"

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="fact_reviews")
    division_code = models.CharField(max_length=12)
    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="+")
    groups = models.JSONField(_("变更内容"), default=list)  # FactGroup values
    changes = models.JSONField(default=dict)  # {"father.status": [old, new]}, of those groups
    status = models.CharField(
        _("状态"), max_length=12, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("信息变更审核")
        verbose_name_plural = _("信息变更审核")
        indexes = [models.Index(fields=["division_code", "status"])]

    def __str__(self) -> str:
        return f"{self.child} {self.get_status_display()}"

    @property
    def group_labels(self) -> str:
        return "、".join(str(FactGroup(g).label) for g in self.groups)


class FactReviewSwitch(models.Model):
    """A county's choice for one fact group: off means a village's change to it needs no review.
    No row is on (the national practice: the village enters, the township reviews)."""

    county_code = models.CharField(max_length=6)
    group = models.CharField(max_length=12, choices=FactGroup.choices)
    required = models.BooleanField(default=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["county_code", "group"], name="review_switch_unique")
        ]

    def __str__(self) -> str:
        return f"{self.county_code} {self.group} {self.required}"
