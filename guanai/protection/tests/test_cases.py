"""Protection cases end to end through the services: intake, clocks, grading, steps, closure,
and who may read and change what."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from guanai.accounts.models import Department, Role
from guanai.care.testing import pairing_build
from guanai.core.errors import AccessDenied, DomainError
from guanai.notices.models import Notice
from guanai.protection import services
from guanai.protection.choices import CaseStatus, Grade, StepKind
from guanai.protection.clocks import deadlines, time_left
from guanai.protection.models import CaseStep, ProtectionCase, ResponseClock
from guanai.protection.selectors import Access, case_get_for, case_list_for, my_tasks
from guanai.protection.services import Report
from guanai.testing.factories import user_build

pytestmark = pytest.mark.django_db


def report(**extra) -> Report:
    fields = {
        "kind": "abuse",
        "description": "孩子身上多处伤痕,邻居反映常被打",
        "source": "neighbour",
        "reporter_name": "东风村儿童主任",
    }
    return Report(**(fields | extra))


@pytest.fixture
def officer(users, place):
    user = user_build("officer", Role.CIVIL_AFFAIRS, place.county)
    user.user_permissions.add(Permission.objects.get(codename="officer"))
    return type(user).objects.get(pk=user.pk)  # a fresh permission cache


@pytest.fixture
def case(users, children):
    return services.case_report(actor=users["director_a"], child=children["a"], report=report())


def test_a_report_gets_a_number_an_intake_time_and_a_clock(users, children, case):
    assert case.number == f"360426-{timezone.localdate().year}-00001"
    assert case.status == CaseStatus.OPEN and case.grade == Grade.YELLOW
    assert case.respond_by - case.received_at == timedelta(days=7)
    second = services.case_report(
        actor=users["county"], child=children["c"], report=report(grade="red")
    )
    assert second.number.endswith("-00002")
    assert second.respond_by - second.received_at == timedelta(hours=24)
    assert second.needs_measure
    # The township supervisor hears of the new case; the county officer of a red one.
    assert Notice.objects.filter(user=users["supervisor_1"], key=f"case:{case.pk}:new").exists()
    assert Notice.objects.filter(user=users["county"], key=f"case:{second.pk}:new").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"kind": ""}, "kind"),
        ({"description": "  "}, "description"),
        ({"source": "nowhere"}, "source"),
        ({"reporter_name": ""}, "reporter_name"),
        ({"happened_at": timezone.now() + timedelta(days=1)}, "happened_at"),
    ],
)
def test_bad_reports_are_refused_naming_the_field(users, children, change, field):
    with pytest.raises(DomainError) as refused:
        services.case_report(
            actor=users["director_a"], child=children["a"], report=report(**change)
        )
    assert refused.value.field == field
    assert not ProtectionCase.objects.exists()


def test_a_report_needs_a_child_in_the_reporters_area(users, children):
    with pytest.raises(DomainError) as refused:
        services.case_report(actor=users["director_a"], child=None, report=report())
    assert refused.value.field == "child"
    with pytest.raises(AccessDenied):
        services.case_report(actor=users["director_a"], child=children["b"], report=report())
    with pytest.raises(AccessDenied):  # a carer reports only on a child paired with them
        services.case_report(actor=users["carer_a"], child=children["a"], report=report())
    pairing_build(children["a"], users["carer_a"])
    case = services.case_report(actor=users["carer_a"], child=children["a"], report=report())
    assert case_get_for(users["carer_a"], case.pk).access == Access.RECEIPT


def test_a_county_clock_overrides_the_national_one_from_its_day(children):
    ResponseClock.objects.create(
        area="360426",
        effective_from=timezone.localdate() - timedelta(days=1),
        grade=Grade.ORANGE,
        respond_hours=48,
        escalate_hours=24,
        words="48 小时内到场",
    )
    now = timezone.now()
    assert deadlines("360426001001", Grade.ORANGE, now).respond_by == now + timedelta(hours=48)
    assert deadlines("110101001001", Grade.ORANGE, now).respond_by == now + timedelta(hours=72)
    before = now - timedelta(days=3)
    assert deadlines("360426001001", Grade.ORANGE, before).respond_by == before + timedelta(
        hours=72
    )


def test_time_left_reads_both_ways():
    now = timezone.now()
    assert time_left(now + timedelta(hours=30), now) == "剩 1 天 6 小时"
    assert time_left(now - timedelta(hours=2, minutes=1), now) == "超时 2 小时"


def test_grading_keeps_every_change_and_moves_the_clock_from_intake(users, case):
    graded = services.case_grade(
        actor=users["supervisor_1"], case=case, grade=Grade.RED, reason="多处伤痕,仍与施暴者同住"
    )
    assert graded.respond_by == case.received_at + timedelta(hours=24)
    assert [(g.old_grade, g.new_grade) for g in graded.grades.all()] == [
        ("", "yellow"),
        ("yellow", "red"),
    ]
    with pytest.raises(DomainError) as refused:
        services.case_grade(actor=users["supervisor_1"], case=case, grade=Grade.BLUE, reason="")
    assert refused.value.field == "reason"
    with pytest.raises(AccessDenied):  # a director reports; the supervisor grades
        services.case_grade(actor=users["director_a"], case=case, grade=Grade.BLUE, reason="x")


def test_the_first_contact_stops_the_clock_and_red_also_needs_a_measure(users, case):
    services.case_grade(actor=users["supervisor_1"], case=case, grade="red", reason="危险")
    services.case_assign(actor=users["supervisor_1"], case=case, assignee=users["director_a"])
    visit = timezone.now()
    services.step_record(
        actor=users["director_a"], case=case, kind=StepKind.VERIFY, done_at=visit, text="已到场"
    )
    case.refresh_from_db()
    assert case.verified_at == visit and case.responded_at is None  # red: a measure too
    services.step_record(
        actor=users["director_a"],
        case=case,
        kind=StepKind.MEASURE,
        done_at=timezone.now(),
        measure="temporary_care",
        institution="县未成年人救助保护中心",
    )
    case.refresh_from_db()
    assert case.responded_at == case.measure_decided_at


def test_step_times_must_lie_between_intake_and_now(users, case):
    for when in (case.received_at - timedelta(minutes=2), timezone.now() + timedelta(hours=1)):
        with pytest.raises(DomainError) as refused:
            services.step_record(
                actor=users["supervisor_1"], case=case, kind="verify", done_at=when, text="到场"
            )
        assert refused.value.field == "done_at"
    assert not CaseStep.objects.exists()


def test_an_assessment_suggests_a_grade_in_words(users, case):
    step = services.step_record(
        actor=users["supervisor_1"],
        case=case,
        kind=StepKind.ASSESSMENT,
        done_at=timezone.now(),
        scores={"safety": "3", "guardianship": "2", "health": "1", "schooling": "0", "needs": "1"},
    )
    assert step.details["suggested"] == "red"
    assert "人身安全 3 分" in step.details["why"]
    with pytest.raises(DomainError) as refused:
        services.step_record(
            actor=users["supervisor_1"],
            case=case,
            kind=StepKind.ASSESSMENT,
            done_at=timezone.now(),
            scores={"safety": "4"},
        )
    assert refused.value.field == "safety"


def test_closure_names_the_missing_steps_then_closes_and_reopens(users, case):
    boss = users["supervisor_1"]
    with pytest.raises(DomainError) as refused:
        services.case_close(actor=boss, case=case, review="情况好转")
    assert "现场核实" in refused.value.message and "评估" in refused.value.message
    now = timezone.now()
    services.step_record(actor=boss, case=case, kind="verify", done_at=now, text="到场")
    services.step_record(
        actor=boss,
        case=case,
        kind="assessment",
        done_at=now,
        scores=dict.fromkeys(["safety", "guardianship", "health", "schooling", "needs"], "1"),
    )
    services.step_record(
        actor=boss, case=case, kind="plan", done_at=now, text="每周回访", follow_up_days=7
    )
    task = services.task_add(
        actor=boss,
        case=case,
        title="联系学校心理老师",
        owner=users["department"],
        due_on=timezone.localdate() + timedelta(days=3),
    )
    with pytest.raises(DomainError) as refused:
        services.case_close(actor=boss, case=case, review="情况好转")
    assert "未完成的帮扶任务 1 项" in refused.value.message
    services.task_done(actor=users["department"], task=task, note="已安排心理辅导")
    closed = services.case_close(actor=boss, case=case, review="监护人已改正,孩子安全")
    assert closed.status == CaseStatus.CLOSED
    reopened = services.case_reopen(actor=boss, case=closed, reason="再次受伤")
    assert reopened.is_open and reopened.reopened_times == 1


def test_who_sees_what(users, children, case, officer):
    def access(user):
        try:
            return case_get_for(user, case.pk).access
        except AccessDenied:
            return Access.NONE

    assert access(users["supervisor_1"]) == Access.FULL
    assert access(officer) == Access.FULL
    assert access(users["director_a"]) == Access.RECEIPT  # reported it, not assigned
    assert access(users["county"]) == Access.RECEIPT  # civil affairs without the permission
    assert access(users["director_b"]) == Access.NONE  # sibling village
    assert access(users["supervisor_2"]) == Access.NONE  # sibling township
    assert access(users["department"]) == Access.NONE  # a department not assigned
    assert access(users["carer_a"]) == Access.NONE
    services.task_add(
        actor=users["supervisor_1"],
        case=case,
        title="家访",
        owner=users["department"],
        due_on=timezone.localdate(),
    )
    assert access(users["department"]) == Access.TASKS
    assert list(my_tasks(users["department"]).values_list("title", flat=True)) == ["家访"]
    services.case_assign(actor=users["supervisor_1"], case=case, assignee=users["director_a"])
    assert access(users["director_a"]) == Access.FULL
    assert list(case_list_for(users["director_b"])) == []


def test_denied_users_cannot_act_at_any_step(users, case):
    other = user_build(
        "police", Role.DEPARTMENT, users["county"].division, department=Department.PUBLIC_SECURITY
    )
    now = timezone.now()
    for user in (users["director_b"], users["supervisor_2"], other, users["director_a"]):
        with pytest.raises(AccessDenied):
            services.step_record(actor=user, case=case, kind="verify", done_at=now, text="到场")
        with pytest.raises(AccessDenied):
            services.case_assign(actor=user, case=case, assignee=user)
        with pytest.raises(AccessDenied):
            services.task_add(
                actor=user, case=case, title="x", owner=user, due_on=timezone.localdate()
            )
        with pytest.raises(AccessDenied):
            services.case_close(actor=user, case=case, review="x")
    with pytest.raises(DomainError) as refused:  # an assignee outside the child's village
        services.case_assign(actor=users["supervisor_1"], case=case, assignee=users["director_b"])
    assert refused.value.field == "assignee"


def test_an_open_case_makes_the_child_a_category_naming_the_case(users, children):
    from guanai.rules.models import ChildFinding

    def reason(child, code) -> str:
        return ChildFinding.objects.get(child=child, code=code, is_current=True).reason

    abuse = services.case_report(actor=users["director_a"], child=children["a"], report=report())
    guardianship = reason(children["a"], "guardianship_difficulty")
    assert f"保护个案 {abuse.number}" in guardianship
    assert "伤痕" not in guardianship  # the number, not the details
    missing = services.case_report(
        actor=users["director_c"], child=children["c"], report=report(kind="missing")
    )
    assert missing.number in reason(children["c"], "temporary_difficulty")
