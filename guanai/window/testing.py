"""Builders for tests (and the URL probe): an application with a document, and a referral."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from guanai.accounts.models import Department, Role, User
from guanai.registry.models import Child
from guanai.window.models import Application, ApplicationDocument, HelpKind, Referral


def application_build(child: Child, receiver: User, code: str = "school_aid") -> Application:
    n = Application.objects.count() + 1
    return Application.objects.create(
        number=f"{child.division_code[:6]}-2026-S{n:05d}",
        child=child,
        division_code=child.division_code,
        kind=HelpKind.objects.get(area="", code=code),
        applicant_name="监护人",
        received_by=receiver,
        promised_by=timezone.localdate() + timedelta(days=21),
    )


def referral_build(child: Child, sender: User, **extra) -> Referral:
    n = Referral.objects.count() + 1
    sent = extra.pop("sent_at", timezone.now())
    due_on = extra.pop("due_on", timezone.localdate(sent) + timedelta(days=14))
    return Referral.objects.create(
        number=extra.pop("number", f"{child.division_code[:6]}-2026-Z{n:05d}"),
        child=child,
        division_code=child.division_code,
        department=extra.pop("department", Department.EDUCATION),
        request=extra.pop("request", "教育资助"),
        limit_days=extra.pop("limit_days", 10),
        sent_by=sender,
        sent_at=sent,
        due_on=due_on,
        escalate_on=extra.pop("escalate_on", due_on + timedelta(days=3)),
        **extra,
    )


def window_objects_for(child: Child) -> dict[str, object]:
    """An application of `child` with a document and a referral to education (get or make)."""
    supervisor = User.objects.filter(
        role=Role.CHILD_SUPERVISOR, division__code=child.division_code[:9]
    ).first()
    assert supervisor is not None, "the probe's township has a supervisor"
    application = Application.objects.filter(child=child).first() or application_build(
        child, supervisor
    )
    document = application.documents.first() or ApplicationDocument.objects.create(
        application=application,
        name="申请书",
        file=ContentFile(b"%PDF-1.4 probe", name="apply.pdf"),
        content_type="application/pdf",
        size=14,
        uploaded_by=supervisor,
    )
    referral = application.referrals.first() or referral_build(
        child, supervisor, application=application
    )
    return {
        "child_pk": child.pk,
        "application_pk": application.pk,
        "referral_pk": referral.pk,
        "document_pk": document.pk,
    }
