"""Care work (关爱帮扶): pairings, duty templates, due items, care records and flags.

Its reminders and flags reach people as notices (guanai/notices), sent by reminders.py and
services.py.

Duties are data (DutyTemplate, seeded from DOMAIN.md's "Care duties" table). The schedule
(schedules.py) turns a template and the county's term dates into periods; services.py
materialises them per pairing as DueItem rows. A CareRecord fulfils the matching open items.
"Overdue" is not stored: it is an open item whose due date has passed, counted in SQL.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CarerKind(models.TextChoices):
    CARING_MOTHER = "caring_mother", _("爱心妈妈")
    PROXY_PARENT = "proxy_parent", _("代理家长")
    COUNSELLOR = "counsellor", _("爱心辅导员")
    CLASS_TEACHER = "class_teacher", _("班主任")
    CHILD_DIRECTOR = "child_director", _("儿童主任")
    VOLUNTEER = "volunteer", _("志愿者")


# Kinds that are "one to one" and count towards CARER_CHILD_LIMIT; a class teacher has a class
# and a child director a village, so their pairings do not.
ONE_TO_ONE_KINDS = (
    CarerKind.CARING_MOTHER,
    CarerKind.PROXY_PARENT,
    CarerKind.COUNSELLOR,
    CarerKind.VOLUNTEER,
)


class Pairing(models.Model):
    """One-to-one pairing of a carer with a child (爱心结对), with start and end dates."""

    scope_division_field = "child__division_code"
    scope_pairing_path = ""

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="pairings")
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairings"
    )
    kind = models.CharField(_("结对类型"), max_length=20, choices=CarerKind.choices)
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)
    end_reason = models.CharField(_("结束原因"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("结对")
        verbose_name_plural = _("结对")
        indexes = [
            models.Index(fields=["carer", "end_date"], name="pairing_carer_end"),
            models.Index(fields=["child", "end_date"], name="pairing_child_end"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.carer} — {self.child}"

    def covers(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class Term(models.Model):
    """A school term of a county (学期); term-based duties fall once in each."""

    division = models.ForeignKey(
        "geo.Division", verbose_name=_("县(区)"), on_delete=models.PROTECT, related_name="terms"
    )
    name = models.CharField(_("学期"), max_length=50)
    start = models.DateField(_("开学日期"))
    end = models.DateField(_("结束日期"))

    class Meta:
        ordering = ["division", "start"]
        verbose_name = _("学期")
        verbose_name_plural = _("学期")
        constraints = [
            models.UniqueConstraint(fields=["division", "start"], name="term_county_start"),
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="term_end_after"),
        ]

    def __str__(self) -> str:
        return f"{self.name}({self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d})"


class Activity(models.TextChoices):
    """What a care record is about; a record fulfils open due items of the same activity."""

    HOME_VISIT = "home_visit", _("走访家庭")
    TALK = "talk", _("谈心")
    TEACHER_CONTACT = "teacher_contact", _("联系班主任")
    GUARDIAN_CONTACT = "guardian_contact", _("联系监护人")
    LETTER = "letter", _("给儿童写信")
    PARENT_CONTACT = "parent_contact", _("指导儿童给父母写信或通话")
    TEMP_GUARDIAN_CONTACT = "temp_guardian_contact", _("联系临时监护人")
    HEALTH_CHECK = "health_check", _("健康体检")
    LECTURE = "lecture", _("法制安全心理健康讲座")
    REPORT = "report", _("工作报告与考评")
    OTHER = "other", _("其他")


class Frequency(models.TextChoices):
    TERM = "term", _("每学期一次")
    TERM_THIRDS = "term_thirds", _("期初、期中、期末各一次")
    MONTHLY = "monthly", _("每月一次")
    TWICE_MONTHLY = "twice_monthly", _("每月两次")
    QUARTERLY = "quarterly", _("每季度一次")
    YEARLY = "yearly", _("每年一次")


class Condition(models.TextChoices):
    ANY = "any", _("所有结对儿童")
    LEFT_BEHIND = "left_behind", _("留守儿童")


class DutyTemplate(models.Model):
    """A duty as data: what, how often, by which kinds of carer, for which children."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("任务"), max_length=100)
    activity = models.CharField(_("活动"), max_length=30, choices=Activity.choices)
    frequency = models.CharField(_("频次"), max_length=20, choices=Frequency.choices)
    carer_kinds = models.JSONField(_("由谁负责"), default=list)
    one_per_child = models.BooleanField(
        _("每名儿童一项"), default=False, help_text=_("是:只由第一位符合的结对人负责(按负责人顺序)")
    )
    condition = models.CharField(
        _("适用儿童"), max_length=20, choices=Condition.choices, default=Condition.ANY
    )
    per_child = models.BooleanField(
        _("按儿童生成"), default=True, help_text=_("否:机构层面的工作(如季度报告),不生成个人任务")
    )
    active = models.BooleanField(_("启用"), default=True)
    source = models.CharField(_("依据"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("关爱任务模板")
        verbose_name_plural = _("关爱任务模板")

    def __str__(self) -> str:
        return self.name

    @property
    def carer_kind_labels(self) -> str:
        return "、".join(str(CarerKind(k).label) for k in self.carer_kinds)


class DueStatus(models.TextChoices):
    OPEN = "open", _("待完成")
    DONE = "done", _("已完成")
    CANCELLED = "cancelled", _("已取消")


class DueItem(models.Model):
    """One duty owed by one carer to one child for one period. Overdue = open and past due.

    Derived data, written by INSERT ... SELECT from existing pairings and by record services
    (due.py): its links carry no database constraint (a year for a million children is ~16
    million rows, and the deferred checks, four or five per row, took longer than the load).
    Django still cascades, protects and nulls on delete; records and files are never deleted.
    """

    scope_division_field = "division_code"
    scope_pairing_path = "pairing"

    child = models.ForeignKey(
        "registry.Child",
        on_delete=models.CASCADE,
        related_name="due_items",
        db_index=False,
        db_constraint=False,
    )
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.CASCADE,
        related_name="due_items",
        db_index=False,
        db_constraint=False,
    )
    template = models.ForeignKey(
        DutyTemplate,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    activity = models.CharField(_("活动"), max_length=30, choices=Activity.choices)
    division_code = models.CharField(max_length=12)
    period_start = models.DateField(_("周期开始"))
    period_end = models.DateField(_("周期结束"))
    due_date = models.DateField(_("截止日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=DueStatus.choices, default=DueStatus.OPEN
    )
    fulfilled_by = models.ForeignKey(
        "CareRecord",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fulfilled",
        db_index=False,
        db_constraint=False,
    )
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("关爱任务")
        verbose_name_plural = _("关爱任务")
        constraints = [
            models.UniqueConstraint(
                fields=["pairing", "template", "period_start"], name="dueitem_once"
            )
        ]
        indexes = [
            # Completion per area and period (index-only counts).
            models.Index(fields=["division_code", "due_date", "status"], name="dueitem_area"),
            # Overdue lists: open items by due date, the area read from the index.
            models.Index(
                fields=["due_date", "division_code"],
                condition=Q(status="open"),
                name="dueitem_open_due",
            ),
            models.Index(
                fields=["division_code", "due_date"],
                condition=Q(status="open"),
                name="dueitem_open_area",
            ),
            models.Index(fields=["carer", "status", "due_date"], name="dueitem_carer"),
            models.Index(fields=["child", "status"], name="dueitem_child"),
        ]

    def __str__(self) -> str:
        return f"{self.template} {self.period_start}~{self.period_end}"

    def is_overdue(self, today) -> bool:
        return self.status == DueStatus.OPEN and self.due_date < today

    def state(self, today) -> str:
        return "overdue" if self.is_overdue(today) else self.status


class Severity(models.TextChoices):
    NONE = "none", _("无问题")
    MINOR = "minor", _("一般问题")
    SERIOUS = "serious", _("严重问题(需上报)")


class CareRecord(models.Model):
    """What a carer did and found: a visit, a talk, a letter, a call."""

    scope_division_field = "division_code"
    scope_pairing_path = "child__pairings"

    child = models.ForeignKey(
        "registry.Child", on_delete=models.CASCADE, related_name="care_records", db_index=False
    )
    carer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    pairing = models.ForeignKey(
        Pairing,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        db_index=False,
    )
    division_code = models.CharField(max_length=12)
    activity = models.CharField(_("活动"), max_length=30, choices=Activity.choices)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100, blank=True)
    present = models.CharField(_("在场人员"), max_length=200, blank=True)
    study = models.TextField(_("学习情况"), blank=True)
    daily_life = models.TextField(_("生活情况"), blank=True)
    mood = models.TextField(_("情绪"), blank=True)
    friends = models.TextField(_("交友"), blank=True)
    health = models.TextField(_("身体状况"), blank=True)
    problems = models.TextField(_("发现的问题"), blank=True)
    help_given = models.TextField(_("提供的帮助"), blank=True)
    follow_up = models.TextField(_("需跟进事项"), blank=True)
    follow_up_needed = models.BooleanField(_("需要跟进"), default=False)
    severity = models.CharField(
        _("问题程度"), max_length=10, choices=Severity.choices, default=Severity.NONE
    )
    photos = models.ManyToManyField("registry.Attachment", blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("关爱记录")
        verbose_name_plural = _("关爱记录")
        indexes = [
            models.Index(fields=["child", "date"], name="record_child_date"),
            models.Index(fields=["carer", "date"], name="record_carer_date"),
            models.Index(fields=["division_code", "date"], name="record_area_date"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_activity_display()} {self.child}"


class FlagStatus(models.TextChoices):
    OPEN = "open", _("待处理")
    HANDLED = "handled", _("已处理")


class Flag(models.Model):
    """A serious problem found in a care record, for the township supervisor to act on."""

    scope_division_field = "division_code"

    child = models.ForeignKey("registry.Child", on_delete=models.CASCADE, related_name="care_flags")
    record = models.OneToOneField(CareRecord, on_delete=models.CASCADE, related_name="flag")
    division_code = models.CharField(max_length=12)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("上报时间"), auto_now_add=True)
    summary = models.CharField(_("问题"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=FlagStatus.choices, default=FlagStatus.OPEN
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    handled_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    handling_note = models.TextField(_("处理情况"), blank=True)

    class Meta:
        ordering = ["status", "-raised_at"]
        verbose_name = _("问题上报")
        verbose_name_plural = _("问题上报")
        indexes = [models.Index(fields=["division_code", "status"], name="flag_area_status")]

    def __str__(self) -> str:
        return self.summary
