"""Builders for tests (and the URL probe): rehabilitation rows about a child, made directly."""

from datetime import date
from decimal import Decimal

from guanai.accounts.models import User
from guanai.disability.models import (
    Claim,
    ClaimStatus,
    HomeTeaching,
    Institution,
    Kind,
    PaymentBatch,
    RehabApplication,
    Residence,
    Status,
)
from guanai.registry.models import Child


def institution_build(
    county_code: str, name: str = "德安县康复中心", capacity: int = 50
) -> Institution:
    return Institution.objects.get_or_create(
        name=name,
        division_code=county_code,
        defaults={"capacity": capacity, "services": "康复训练"},
    )[0]


def application_build(child: Child, **extra) -> RehabApplication:
    values = {
        "kind": Kind.TRAINING,
        "category": "intellectual",
        "applicant_name": "监护人",
        "applicant_relation": "母亲",
        "residence": Residence.HOUSEHOLD,
        "diagnosis": "精神发育迟滞(诊断证明)",
        "applied_on": date(2026, 1, 5),
        "status": Status.ELIGIBLE,
    } | extra
    return RehabApplication.objects.create(child=child, division_code=child.division_code, **values)


def claim_build(application: RehabApplication, **extra) -> Claim:
    values = {
        "period_start": date(2026, 1, 1),
        "period_end": date(2026, 1, 31),
        "months": 1,
        "cost": Decimal("2000"),
        "payable": Decimal("1700"),
        "words": "余额 2000 元高于标准 1700 元,按标准支付 1700 元",
    } | extra
    return Claim.objects.create(
        application=application,
        division_code=application.division_code,
        institution=application.institution,
        **values,
    )


def rehab_objects_for(child: Child) -> dict[str, object]:
    """An institution, a referred application, a claim in a frozen batch, all about `child`."""
    county = child.division_code[:6]
    institution = institution_build(county)
    application = RehabApplication.objects.filter(child=child).first() or application_build(
        child, status=Status.REFERRED, institution=institution, referred_on=date(2026, 1, 1)
    )
    claim = application.claims.first()
    if claim is None:
        batch = PaymentBatch.objects.create(
            number=f"{county}-probe-{child.pk}",
            division_code=county,
            created_by=User.objects.filter(username="county").first(),
            claim_count=1,
            total_cost=Decimal("2000"),
            total_payable=Decimal("1700"),
        )
        claim = claim_build(application, status=ClaimStatus.BATCHED, batch=batch)
    teaching = HomeTeaching.objects.filter(child=child).first() or HomeTeaching.objects.create(
        child=child,
        division_code=child.division_code,
        school_year=2026,
        start_date=date(2026, 9, 1),
        end_date=date(2027, 6, 30),
        teacher_name="送教教师",
        guardian_name="监护人",
        signed_on=date(2026, 8, 25),
        situation="肢体残疾,不能到校",
        plan="生活适应、语文、数学",
    )
    return {
        "teaching_pk": teaching.pk,
        "child_pk": child.pk,
        "rehab_pk": application.pk,
        "claim_pk": claim.pk,
        "batch_pk": claim.batch_id or 0,
    }
