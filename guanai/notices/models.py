from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("任务提醒")
    OVERDUE = "overdue", _("逾期提醒")
    FLAG = "flag", _("问题上报")
    LIMIT = "limit", _("结对超限")
    CASE = "case", _("保护个案")
    LAPSE = "lapse", _("响应超时")
    ESCALATION = "escalation", _("超时上报")


class Notice(models.Model):
    """An in-app message to one user, from any app (reminders, flags, protection cases).

    A personal inbox, read by its owner only: selectors filter on `user`, not on jurisdiction;
    the sending app words a notice so that it names only what the owner could see.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices", db_index=False
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NoticeKind.choices)
    key = models.CharField(max_length=100)  # once per user and key: sending again is a no-op
    title = models.CharField(_("标题"), max_length=100)
    body = models.CharField(_("内容"), max_length=500, blank=True)
    url = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="notice_once")]
        # The unread count on every page: one index range per user.
        indexes = [models.Index(fields=["user", "read_at"], name="notice_user_read")]

    def __str__(self) -> str:
        return self.title
