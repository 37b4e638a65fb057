"""Demo accounts for a seeded county: one per role, printed by `guanai demo`."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from guanai.accounts.models import Department, Role, User
from guanai.accounts.scoping import unscoped
from guanai.accounts.services import user_create
from guanai.care.models import CarerKind, Pairing
from guanai.geo.models import Division, Level
from guanai.geo.selectors import division_subtree
from guanai.registry.models import Child


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    node: str


def _first(division: Division, level: Level) -> Division:
    return division_subtree(division).filter(level=level).order_by("code").first()


@transaction.atomic
def demo_accounts_ensure(county: Division, password: str) -> list[DemoAccount]:
    """Create (or reset the password of) one account per role in the county."""
    township = _first(county, Level.TOWNSHIP)
    village = Division.objects.filter(parent=township, level=Level.VILLAGE).order_by("code").first()
    plan = [
        ("admin", Role.ADMIN, None, "系统管理员", ""),
        ("county", Role.CIVIL_AFFAIRS, county, "县民政局 王科长", ""),
        ("education", Role.DEPARTMENT, county, "县教育局 李老师", Department.EDUCATION),
        ("supervisor", Role.CHILD_SUPERVISOR, township, f"{township.name}督导员 周敏", ""),
        ("director", Role.CHILD_DIRECTOR, village, f"{village.name}儿童主任 刘芳", ""),
        ("carer", Role.CARER, village, "爱心妈妈 陈静", ""),
    ]
    accounts = []
    for username, role, node, full_name, department in plan:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=password,
                role=role,
                division=node,
                full_name=full_name,
                department=department,
            )
        else:
            user.set_password(password)
            user.locked_until = None
            user.failed_login_count = 0
            user.save()
        accounts.append(DemoAccount(username, user.role_label, node.name if node else "全部"))
    carer = User.objects.get(username="carer")
    if not unscoped(Pairing.objects.filter(carer=carer), purpose="seed").exists():
        start = timezone.localdate().replace(month=9, day=1)
        if start > timezone.localdate():
            start = start.replace(year=start.year - 1)
        children = unscoped(Child.objects.filter(division=village, is_active=True), purpose="seed")
        for child in children.order_by("id")[:2]:
            Pairing.objects.create(
                child=child, carer=carer, kind=CarerKind.CARING_MOTHER, start_date=start
            )
    return accounts
