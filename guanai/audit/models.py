from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CREATE = "create", _("新建")
    UPDATE = "update", _("修改")
    DELETE = "delete", _("删除")
    DEACTIVATE = "deactivate", _("注销")
    VIEW = "view", _("查看")
    REVEAL = "reveal", _("显示敏感信息")
    EXPORT = "export", _("导出")
    DOWNLOAD = "download", _("下载")
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    API = "api", _("接口调用")
    SEARCH = "search", _("查询列表")
    REFUSED = "refused", _("拒绝访问")
    PRUNE = "prune", _("归档清理")


class AppendOnlyError(RuntimeError):
    pass


class AuditEvent(models.Model):
    """One line of the append-only audit log. Never updated or deleted (enforced in the DB too)."""

    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("用户名"), max_length=150, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=50, blank=True, db_index=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_label = models.CharField(_("对象"), max_length=200, blank=True)
    division_code = models.CharField(_("区划"), max_length=12, blank=True, db_index=True)
    changes = models.JSONField(_("变更字段"), default=dict, blank=True)
    detail = models.CharField(_("说明"), max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    path = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.object_label}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计日志只能追加,不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加,不能删除")


class AuditArchive(models.Model):
    """An export of old audit rows to a signed file (guanai audit_archive); append-only.

    The database lets audit rows be deleted only when such a record covers them (by id and
    time) and they are older than the retention (see migration 0004): the one sanctioned path.
    """

    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    created_by = models.CharField(_("操作人"), max_length=150)
    before = models.DateTimeField(_("早于"))
    first_id = models.BigIntegerField(_("起始编号"))
    last_id = models.BigIntegerField(_("截止编号"))
    rows = models.PositiveIntegerField(_("条数"))
    file_name = models.CharField(_("文件"), max_length=255)
    file_sha256 = models.CharField(max_length=64)
    signature = models.CharField(_("签名"), max_length=64)
    key_id = models.CharField(max_length=16)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("审计归档")
        verbose_name_plural = _("审计归档")

    def __str__(self) -> str:
        return self.file_name

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("审计归档记录只能追加,不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计归档记录只能追加,不能删除")
