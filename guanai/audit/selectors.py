import ipaddress

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from guanai.accounts.permissions import can_read_audit
from guanai.accounts.scoping import user_prefix
from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied

BIGGEST_ID = 2**63 - 1


def audit_event_list_for(
    user,
    *,
    text: str = "",
    action: str = "",
    date_from=None,
    date_to=None,
    actor: str = "",
    child: Model | None = None,
) -> QuerySet[AuditEvent]:
    """Audit rows about the user's jurisdiction and of its users (a township's for its
    supervisor, the county's for the county). `child` comes from the file's scoped getter
    (`subjects.file_subject`)."""
    if not can_read_audit(user):
        raise AccessDenied(_("只有乡镇(街道)儿童督导员和县级民政部门可以查询审计日志"))
    prefix = user_prefix(user)
    if prefix is None:  # not "": that is an administrator's whole log
        raise AccessDenied(_("没有可查看的范围"))
    events = AuditEvent.objects.all()
    if prefix:
        events = events.filter(
            Q(division_code__startswith=prefix) | Q(actor__division__code__startswith=prefix)
        )
    if text:
        events = events.filter(
            Q(actor_name__icontains=text)
            | Q(object_label__icontains=text)
            | Q(object_id=text)
            | Q(ip_address=text if _looks_like_ip(text) else None)
            | Q(detail__icontains=text)
        )
    if actor:
        events = events.filter(Q(actor_name=actor) | Q(actor__full_name=actor))
    if child is not None:
        events = events.filter(object_type=child._meta.label_lower, object_id=str(child.pk))
    if action:
        events = events.filter(action=action)
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    return events.select_related("actor")


def _looks_like_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def division_of(object_type: str, object_id: str) -> str:
    """The village code of a scoped object named by "app.model" and id, or "" if none.

    Deliberately unscoped: it files a refusal under the area of what was asked for, so that
    area's supervisor sees who tried; the code is never shown to the one who asked.
    """
    if object_type == "geo.division":
        return object_id if object_id.isdigit() and len(object_id) <= 12 else ""
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return ""
    field = getattr(model, "scope_division_field", None)
    if field is None or not object_id.isdigit() or int(object_id) > BIGGEST_ID:
        return ""
    return model.objects.filter(pk=int(object_id)).values_list(field, flat=True).first() or ""
