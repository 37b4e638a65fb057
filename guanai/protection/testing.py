"""Builders for tests (and the URL probe): a protection case with a step and a task."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from guanai.accounts.models import Role, User
from guanai.protection.choices import CaseKind, Grade, Source, StepKind
from guanai.protection.clocks import deadlines
from guanai.protection.models import CaseStep, CaseTask, ProtectionCase
from guanai.registry.models import Child


def case_build(child: Child, reporter: User, grade: str = Grade.ORANGE, **extra) -> ProtectionCase:
    received = extra.pop("received_at", timezone.now())
    clock = deadlines(child.division_code, grade, received)
    n = ProtectionCase.objects.count() + 1
    return ProtectionCase.objects.create(
        number=extra.pop("number", f"{child.division_code[:6]}-{received.year}-{n:05d}"),
        child=child,
        division_code=child.division_code,
        channel="report",
        kind=extra.pop("kind", CaseKind.NEGLECT),
        description=extra.pop("description", "家中长期无人照看"),
        source=Source.VISIT,
        reporter_name=reporter.display_name,
        reported_by=reporter,
        grade=grade,
        respond_by=clock.respond_by,
        escalate_by=clock.escalate_by,
        needs_measure=clock.needs_measure,
        received_at=received,
        **extra,
    )


def case_objects_for(child: Child) -> dict[str, object]:
    """A case of `child` assigned to the village's director, with a step and a task (get or make)."""
    director = User.objects.filter(role=Role.CHILD_DIRECTOR, division=child.division).first()
    assert director is not None, "the probe's village has a director"
    case = ProtectionCase.objects.filter(child=child).first() or case_build(
        child, director, assignee=director
    )
    step = case.steps.first() or CaseStep.objects.create(
        case=case,
        kind=StepKind.INTERVENTION,
        intervention="warning",
        done_at=timezone.now(),
        recorded_by=director,
        text="训诫",
        document=ContentFile(b"%PDF-1.4 probe", name="warning.pdf"),
    )
    task = case.tasks.first() or CaseTask.objects.create(
        case=case,
        title="联系学校",
        owner=director,
        due_on=timezone.localdate() + timedelta(days=7),
        created_by=director,
    )
    return {
        "pk": case.pk,
        "child_pk": child.pk,
        "case_pk": case.pk,
        "step_pk": step.pk,
        "task_pk": task.pk,
    }
