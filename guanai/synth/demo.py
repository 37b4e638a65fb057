"""Demo accounts for a seeded county: one per role, printed by `guanai demo`.

Roles that must log in with a second factor get an authenticator with a published key
(DEMO_TOTP_SECRET, in the README), so that an evaluator adds it to any authenticator app, or
reads the current code from `guanai demo_code`, and sees the login exactly as in production
(docs/decisions: two-factor login).
"""

import time
from base64 import b32decode
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import Permission
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts import twofactor
from guanai.accounts.models import Department, Role, User
from guanai.accounts.scoping import unscoped
from guanai.accounts.services import user_create
from guanai.care.due import due_items_materialise
from guanai.care.models import CarerKind, Pairing
from guanai.geo.models import Division, Level
from guanai.geo.selectors import division_subtree
from guanai.protection.models import ProtectionCase
from guanai.protection.services import Report, case_report
from guanai.registry.models import Child

# Base32, as authenticator apps take it; for the demo only, never for a real account.
DEMO_TOTP_SECRET = "GUANAIDEMOTOTPKEYFORTESTINGONLY2"
TOTP_STEP = 30


def demo_totp_code(step: int | None = None) -> str:
    """The demo authenticator's code at a time step (now by default)."""
    totp = TOTP(b32decode(DEMO_TOTP_SECRET), step=TOTP_STEP)
    totp.time = time.time() if step is None else step * TOTP_STEP
    return f"{totp.token():06d}"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    node: str
    two_factor: bool = False


def _demo_authenticator(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(
        user=user,
        name=twofactor.AUTHENTICATOR_NAME,
        key=b32decode(DEMO_TOTP_SECRET).hex(),
        step=TOTP_STEP,
        confirmed=True,
    )


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
        (
            "federation",
            Role.DEPARTMENT,
            county,
            "县残联 赵干事",
            Department.DISABLED_FEDERATION,
        ),
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
                must_change_password=False,
            )
        else:
            user.set_password(password)
            user.locked_until = None
            user.failed_login_count = 0
            user.must_change_password = False
            user.save()
        two_factor = twofactor.two_factor_required(user)
        if two_factor:
            _demo_authenticator(user)
        node_name = node.name if node else "全部"
        accounts.append(DemoAccount(username, user.role_label, node_name, two_factor))
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
        # The demo carer's duties of this year, so their week shows what is due.
        year = timezone.localdate().year
        due_items_materialise(start=date(year, 1, 1), end=date(year, 12, 31), prefix=village.code)
    officer = Permission.objects.get(content_type__app_label="protection", codename="officer")
    User.objects.get(username="county").user_permissions.add(officer)
    _demo_cases_ensure(village)
    return accounts


def _demo_cases_ensure(village: Division) -> None:
    """Three protection cases in the director's village, filed through the real service."""
    if unscoped(ProtectionCase.objects.filter(division_code=village.code), purpose="seed").exists():
        return
    director = User.objects.get(username="director")
    children = unscoped(Child.objects.filter(division=village, is_active=True), purpose="seed")
    cases = [
        ("neglect", "red", "父母均在外务工,孩子独自在家,邻居反映多日未见大人", "neighbour"),
        ("bullying", "yellow", "班主任反映孩子在校多次被高年级学生索要钱物", "school"),
        ("accident", "orange", "孩子在河边玩耍落水,经村民救起,送镇卫生院观察", "visit"),
    ]
    for child, (kind, grade, description, source) in zip(
        children.order_by("id")[2:5], cases, strict=False
    ):
        report = Report(
            kind=kind,
            description=description,
            source=source,
            grade=grade,
            reporter_name=director.full_name,
            reporter_institution=f"{village.name}村委会",
        )
        case_report(actor=director, child=child, report=report)
