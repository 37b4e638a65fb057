"""Applications at the window and referrals: numbers, limits, the department's answers, the
paused clock, the closed loop to protection, and who may act."""

from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from guanai.accounts.models import Department, Role
from guanai.audit.models import AuditEvent
from guanai.core.errors import AccessDenied, DomainError
from guanai.notices.models import Notice
from guanai.protection.models import CaseTask
from guanai.protection.testing import case_build
from guanai.testing.factories import user_build
from guanai.window import selectors, services
from guanai.window.models import HelpKind
from guanai.window.services import Intake
from guanai.window.testing import application_build

pytestmark = pytest.mark.django_db


def pdf(name: str = "a.pdf", size: int = 10) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF" + b"0" * size, content_type="application/pdf")


def intake(code: str = "counselling", **extra) -> Intake:
    kind = HelpKind.objects.get(area="", code=code)
    docs = {r.pk: pdf(f"{r.pk}.pdf") for r in kind.requirements.all() if r.required}
    return Intake(
        kind_id=kind.pk, applicant_name="张父", documents=extra.pop("documents", docs), **extra
    )


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_window_receives_with_a_number_and_a_promised_date(users, children):
    application = services.application_receive(
        actor=users["supervisor_1"], child=children["a"], intake=intake()
    )
    year = timezone.localdate().year
    assert application.number == f"360426-{year}-S00001"
    assert application.promised_by > timezone.localdate()
    assert application.documents.count() == 3
    assert AuditEvent.objects.filter(object_type="window.application").exists()
    second = services.application_receive(
        actor=users["supervisor_1"], child=children["b"], intake=intake()
    )
    assert second.number.endswith("S00002")


def test_bad_documents_and_missing_ones_are_refused_with_the_reason(users, children):
    kind = HelpKind.objects.get(area="", code="counselling")
    first, *_ = [r.pk for r in kind.requirements.all()]
    with pytest.raises(DomainError, match="缺少必交材料") as missing:
        services.application_receive(
            actor=users["supervisor_1"], child=children["a"], intake=intake(documents={})
        )
    assert missing.value.field == "documents"
    docs = intake().documents
    docs[first] = SimpleUploadedFile("x.exe", b"MZ", content_type="application/x-msdownload")
    with pytest.raises(DomainError, match="PDF、JPEG 或 PNG"):
        services.application_receive(
            actor=users["supervisor_1"], child=children["a"], intake=intake(documents=docs)
        )
    docs[first] = pdf(size=11 * 1024 * 1024)
    with pytest.raises(DomainError, match="超过 10 MB"):
        services.application_receive(
            actor=users["supervisor_1"], child=children["a"], intake=intake(documents=docs)
        )
    with pytest.raises(AccessDenied):
        services.application_receive(
            actor=users["supervisor_2"], child=children["a"], intake=intake()
        )
    with pytest.raises(AccessDenied):
        services.application_receive(
            actor=users["director_a"], child=children["a"], intake=intake()
        )


def test_a_referral_needs_a_department_and_a_limit(users, children):
    application = application_build(children["a"], users["supervisor_1"])
    send = dict(actor=users["supervisor_1"], application=application, request="教育资助")
    with pytest.raises(DomainError) as no_department:
        services.referral_send(department="", limit_days=10, **send)
    assert no_department.value.field == "department"
    with pytest.raises(DomainError) as no_limit:
        services.referral_send(department=Department.EDUCATION, limit_days=None, **send)
    assert no_limit.value.field == "limit_days"
    with pytest.raises(AccessDenied):
        services.referral_send(
            department=Department.EDUCATION,
            limit_days=10,
            **(send | {"actor": users["supervisor_2"]}),
        )


def test_the_department_accepts_pauses_resumes_and_completes(users, children):
    application = application_build(children["a"], users["supervisor_1"])
    referral = services.referral_send(
        actor=users["supervisor_1"],
        application=application,
        department=Department.EDUCATION,
        limit_days=10,
        request="教育资助",
    )
    assert Notice.objects.filter(user=users["department"], key__startswith="referral:").exists()
    application.refresh_from_db()
    assert application.status == "referred"
    department = users["department"]
    assert list(selectors.work_list(department)) == [referral]
    referral = services.referral_accept(actor=department, referral=referral)
    with pytest.raises(DomainError) as no_docs:
        services.referral_ask_documents(actor=department, referral=referral, documents="")
    assert no_docs.value.field == "documents"
    referral = services.referral_ask_documents(
        actor=department, referral=referral, documents="在校证明"
    )
    assert referral.status == "more_docs"
    # Three working days later the documents arrive: the last day moves by three.
    due = referral.due_on
    referral.paused_on = timezone.localdate() - timedelta(days=5)
    referral.save()
    referral = services.referral_documents_received(actor=users["supervisor_1"], referral=referral)
    assert referral.status == "accepted"
    assert referral.paused_days >= 3
    assert referral.due_on > due
    with pytest.raises(DomainError) as no_outcome:
        services.referral_complete(actor=department, referral=referral, outcome=" ")
    assert no_outcome.value.field == "outcome"
    referral = services.referral_complete(actor=department, referral=referral, outcome="已资助")
    assert referral.status == "completed" and referral.on_time
    application.refresh_from_db()
    assert application.status == "completed"
    assert Notice.objects.filter(user=users["supervisor_1"], key__endswith=":completed").exists()


def test_only_the_departments_own_desk_acts_and_sees(users, children, place):
    application = application_build(children["a"], users["supervisor_1"])
    referral = services.referral_send(
        actor=users["supervisor_1"],
        application=application,
        department=Department.HEALTH,
        limit_days=5,
        request="医疗救助",
    )
    education = users["department"]
    assert not selectors.work_list(education).exists()
    assert not selectors.referrals_for(education).filter(pk=referral.pk).exists()
    with pytest.raises(AccessDenied):
        services.referral_accept(actor=education, referral=referral)
    health = user_build("health", Role.DEPARTMENT, place.county, department=Department.HEALTH)
    assert list(selectors.work_list(health)) == [referral]
    with pytest.raises(DomainError) as no_reason:
        services.referral_reject(actor=health, referral=referral, reason="")
    assert no_reason.value.field == "reason"
    services.referral_reject(actor=health, referral=referral, reason="不属于本部门")
    assert selectors.referrals_for(users["supervisor_1"]).get().status == "rejected"
    assert not selectors.referrals_for(users["supervisor_2"]).exists()


def test_revoke_and_reassign_by_the_township(users, children, place):
    application = application_build(children["a"], users["supervisor_1"])
    referral = services.referral_send(
        actor=users["supervisor_1"],
        application=application,
        department=Department.HEALTH,
        limit_days=5,
        request="医疗救助",
    )
    with pytest.raises(AccessDenied):
        services.referral_revoke(actor=users["department"], referral=referral, reason="x")
    moved = services.referral_reassign(
        actor=users["supervisor_1"], referral=referral, department=Department.EDUCATION
    )
    referral.refresh_from_db()
    assert referral.status == "revoked" and moved.department == Department.EDUCATION
    assert list(selectors.work_list(users["department"])) == [moved]
    services.referral_revoke(actor=users["county"], referral=moved, reason="申请人撤回")
    assert not selectors.work_list(users["department"]).exists()


def test_completing_a_protection_tasks_referral_marks_the_task_done(users, children):
    case = case_build(children["a"], users["director_a"], assignee=users["director_a"])
    task = CaseTask.objects.create(
        case=case,
        title="协调复学",
        owner=users["director_a"],
        due_on=date.today() + timedelta(days=7),
        created_by=users["supervisor_1"],
    )
    referral = services.referral_send(
        actor=users["supervisor_1"],
        case_task=task,
        department=Department.EDUCATION,
        limit_days=5,
        request="协调复学",
    )
    services.referral_complete(actor=users["department"], referral=referral, outcome="已复学")
    task.refresh_from_db()
    assert task.done_at is not None and "已复学" in task.done_note


def test_a_completed_benefit_application_goes_to_the_countys_decision(users, place):
    from guanai.benefits.models import Proposal
    from guanai.rules.services import child_evaluate
    from guanai.rules.tests.factories import kid, parent_add

    orphan = kid(place.village_a, "孤儿甲")
    parent_add(orphan, "father", "dead")
    parent_add(orphan, "mother", "dead")
    child_evaluate(orphan)
    application = application_build(orphan, users["supervisor_1"], code="orphan_allowance")
    referral = services.referral_send(
        actor=users["supervisor_1"],
        application=application,
        department=Department.CIVIL_AFFAIRS,
        limit_days=20,
        request="孤儿基本生活费",
    )
    civil = user_build(
        "civil_desk", Role.DEPARTMENT, place.county, department=Department.CIVIL_AFFAIRS
    )
    services.referral_accept(actor=civil, referral=referral)
    services.referral_complete(actor=civil, referral=referral, outcome="材料齐全,符合条件")
    proposal = Proposal.objects.get()
    assert (proposal.child, proposal.benefit, proposal.proposed_by) == (
        orphan,
        "orphan_allowance",
        users["supervisor_1"],
    )
    assert application.number in proposal.note
