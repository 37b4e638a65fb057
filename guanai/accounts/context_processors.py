from django.urls import reverse
from django.utils.translation import gettext as _

from guanai.accounts import permissions
from guanai.accounts.models import Role
from guanai.ingest import permissions as ingest_permissions
from guanai.rules import permissions as rules_permissions
from guanai.stats import permissions as stats_permissions


def navigation(request):
    """The menu for the user's role. Pages decide access themselves; this only hides links."""
    user = getattr(request, "user", None)
    # Nothing to offer during a login step (guanai.accounts.middleware): it would lead back.
    if user is None or not user.is_authenticated or getattr(request, "login_step", ""):
        return {"nav_items": []}
    items = [(_("首页"), reverse("core:home"), "home")]
    if user.role != Role.CARER:
        items.append((_("儿童档案"), reverse("registry:child_list"), "children"))
    else:
        items.append((_("我的结对儿童"), reverse("registry:child_list"), "children"))
    if user.role == Role.CARER:
        items.append((_("本周待办"), reverse("care:my_week"), "care_week"))
    elif user.role in (Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS):
        items.append((_("关爱任务"), reverse("care:overview"), "care"))
    if permissions.can_register_children(user):
        items.append((_("登记儿童"), reverse("registry:child_create"), "register"))
    if stats_permissions.can_see_stats(user):
        items.append((_("统计"), reverse("stats:dashboard"), "stats"))
    if ingest_permissions.can_import(user):
        items.append((_("导入"), reverse("ingest:import_upload"), "imports"))
    if permissions.can_manage_users(user):
        items.append((_("账户管理"), reverse("accounts:user_list"), "users"))
    if rules_permissions.can_see_benefits(user):
        items.append((_("应保尽保"), reverse("rules:gap_list"), "gaps"))
    if rules_permissions.can_confirm_changes(user):
        items.append((_("认定变化"), reverse("rules:change_list"), "changes"))
    if permissions.can_read_audit(user):
        items.append((_("审计日志"), reverse("audit:event_list"), "audit"))
    return {"nav_items": items}
