"""Review of facts (审核): the village enters, the township reviews.

A village child director's change to the facts that decide a category or a benefit (a new file,
the parents' status, the guardian, disability, illness, the family's economic status) is saved on
the file at once — the file is one shared record, and the director sees what was entered — and is
kept as a submission (FactReview) until the township supervisor accepts or returns it. While one
is open the child's `facts_pending` is set: the rules mark what they find 待审核 and the figures
count it apart from the confirmed. A county may switch the step off per fact group.
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Role, User
from guanai.accounts.scoping import division_visible, scope, unscoped
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, recorded
from guanai.notices.models import Notice, NoticeKind
from guanai.notices.services import notices_send
from guanai.registry.choices import FactGroup, ReviewStatus
from guanai.registry.extensions import DueEntry, file_changed
from guanai.registry.history import changes_in_words
from guanai.registry.models import Child, FactReview, FactReviewSwitch

OPEN = (ReviewStatus.PENDING, ReviewStatus.RETURNED)

# Which fields of the file snapshot (registry/history.file_snapshot) belong to which group.
PARENT_FACTS = (
    "status",
    "status_since",
    "status_until",
    "disability_category",
    "disability_grade",
    "has_aids",
    "can_work",
    "guardianship_capacity",
)
GUARDIAN_FACTS = ("name", "relation", "capacity", "is_primary")
CHILD_FACTS = {
    "child.lives_with_parents": FactGroup.PARENTS,
    "child.disability_category": FactGroup.DISABILITY,
    "child.disability_grade": FactGroup.DISABILITY,
    "child.disability_cert_number": FactGroup.DISABILITY,
    "child.serious_illness": FactGroup.ILLNESS,
    "household.economic_status": FactGroup.ECONOMY,
    "household.poverty_registered": FactGroup.ECONOMY,
}


def group_of(key: str) -> FactGroup | None:
    """The fact group a snapshot key ("father.status", "guardian2.relation") belongs to."""
    if key in CHILD_FACTS:
        return CHILD_FACTS[key]
    section, _, name = key.partition(".")
    if section in ("father", "mother") and name in PARENT_FACTS:
        return FactGroup.PARENTS
    if section.startswith("guardian") and name in GUARDIAN_FACTS:
        return FactGroup.GUARDIAN
    return None


def needs_review(actor: User | None) -> bool:
    """Entries of a village (the child director) are reviewed; the township's and the county's
    own entries, imports and the system's are not."""
    return actor is not None and actor.role == Role.CHILD_DIRECTOR


def required_groups(county_code: str) -> set[str]:
    """The groups this county reviews (every group unless it switched one off)."""
    off = set(
        FactReviewSwitch.objects.filter(county_code=county_code, required=False).values_list(
            "group", flat=True
        )
    )
    return {g.value for g in FactGroup} - off


def _pending_flag(child: Child) -> None:
    still_open = unscoped(
        FactReview.objects.filter(child=child, status__in=OPEN), purpose="review state"
    ).exists()
    if child.facts_pending != still_open:
        unscoped(Child.objects.filter(pk=child.pk), purpose="review state").update(
            facts_pending=still_open
        )
        child.facts_pending = still_open


def submission_open(
    *, actor: User | None, child: Child, changes: dict[str, list], new_file: bool
) -> FactReview | None:
    """Called by the registry's writes, after the revision and before the files-changed hooks
    (so the rules see the flag): keep the village's change to deciding facts for review."""
    if not needs_review(actor):
        return None
    required = required_groups(child.division_code[:6])
    picked: dict[str, list] = {}
    groups: set[str] = set()
    if new_file and FactGroup.NEW_FILE in required:
        groups.add(FactGroup.NEW_FILE)
    for key, values in changes.items():
        group = group_of(key)
        if group is not None and group in required:
            groups.add(group)
            picked[key] = values
    if not groups:
        return None
    revision = child.revisions.order_by("-number").first()
    assert revision is not None  # the write just stored one
    # What was returned and is now entered again is superseded by this submission.
    unscoped(
        FactReview.objects.filter(child=child, status=ReviewStatus.RETURNED),
        purpose="review state",
    ).update(status=ReviewStatus.RESUBMITTED)
    review = FactReview.objects.create(
        child=child,
        division_code=child.division_code,
        revision=revision,
        groups=sorted(groups, key=[g.value for g in FactGroup].index),
        changes=picked,
        submitted_by=actor,
    )
    unscoped(Child.objects.filter(pk=child.pk), purpose="review state").update(facts_pending=True)
    child.facts_pending = True
    return review


# ---------------------------------------------------------------- who reviews, and reading


def can_review(user: User) -> bool:
    return user.role in (Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS)


def reviewers_of(division_code: str) -> QuerySet[User]:
    """The township supervisors over a village: the people a submission waits for."""
    return User.objects.filter(
        role=Role.CHILD_SUPERVISOR, is_active=True, division__code=division_code[:9]
    ).order_by("id")


def reviews_for(user: User, *, status: Iterable[str] = (ReviewStatus.PENDING,)):
    """Submissions within the user's reach, oldest first."""
    return (
        scope(user, FactReview.objects.filter(status__in=list(status)))
        .select_related("child", "child__division", "submitted_by")
        .order_by("submitted_at", "id")
    )


def reviews_of_child(user: User, child: Child) -> list[FactReview]:
    """The open submissions of one file (for its page), newest first."""
    return list(
        scope(user, FactReview.objects.filter(child=child, status__in=OPEN))
        .select_related("submitted_by", "reviewed_by")
        .order_by("-submitted_at", "-id")
    )


def review_get_for(user: User, pk: int) -> FactReview:
    """One submission the user may decide (a reviewer within reach), else AccessDenied."""
    if not can_review(user):
        raise AccessDenied(_("您的角色不能审核档案信息"))
    found = scope(user, FactReview.objects.filter(pk=pk)).select_related("child").first()
    if found is None:
        raise AccessDenied(_("没有这项变更,或不在您的管辖范围内"))
    return found


def _reachable(actor: User, ids: Iterable[int], status: str) -> list[FactReview]:
    wanted = sorted(set(ids))
    found = list(
        scope(actor, FactReview.objects.filter(pk__in=wanted, status=status)).select_related(
            "child", "submitted_by"
        )
    )
    if len(found) != len(wanted):
        raise DomainError(_("所选的变更有的已审核,或不在您的管辖范围内;请刷新后重试"))
    return found


# ---------------------------------------------------------------- deciding


@recorded
def _decided(actor: User, review: FactReview, status: str, comment: str) -> None:
    if not division_visible(actor, review.division_code):
        raise AccessDenied(_("该档案不在您的管辖范围内"))
    review.status = status
    review.reviewed_by = actor
    review.reviewed_at = timezone.now()
    review.comment = comment
    review.save(update_fields=["status", "reviewed_by", "reviewed_at", "comment"])
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=review.child,
        detail=f"信息审核{ReviewStatus(status).label}:{review.group_labels}"
        + (f";意见:{comment}" if comment else ""),
    )


@transaction.atomic
def reviews_accept(*, actor: User, ids: Iterable[int]) -> int:
    """Accept submissions in batch: the facts count as reviewed from now."""
    if not can_review(actor):
        raise AccessDenied(_("您的角色不能审核档案信息"))
    reviews = _reachable(actor, ids, ReviewStatus.PENDING)
    if not reviews:
        raise DomainError(_("请选择要通过的变更"))
    for review in reviews:
        _decided(actor, review, ReviewStatus.ACCEPTED, "")
    for child in {r.child_id: r.child for r in reviews}.values():
        _pending_flag(child)
        file_changed(child)  # the rules re-evaluate: their findings are confirmed now
    return len(reviews)


@recorded
@transaction.atomic
def review_return(*, actor: User, review_id: int, comment: str) -> FactReview:
    """Send a submission back to the village with a comment; it waits in their to-do list."""
    if not can_review(actor):
        raise AccessDenied(_("您的角色不能审核档案信息"))
    comment = comment.strip()
    if not comment:
        raise DomainError(_("退回时请填写审核意见,说明需要核实或修改什么"), field="comment")
    if len(comment) > 500:
        raise DomainError(_("审核意见不能超过500字"), field="comment")
    (review,) = _reachable(actor, [review_id], ReviewStatus.PENDING)
    _decided(actor, review, ReviewStatus.RETURNED, comment)
    if review.submitted_by_id:
        notices_send(
            [
                Notice(
                    user_id=review.submitted_by_id,
                    kind=NoticeKind.REMINDER,
                    key=f"review-returned:{review.pk}",
                    title=f"档案信息被退回:{review.child.name}",
                    body=f"{review.group_labels}。审核意见:{comment}"[:500],
                    url=reverse("registry:child_edit", args=[review.child_id]),
                )
            ]
        )
    return review


@recorded
@transaction.atomic
def review_switch_set(*, actor: User, county_code: str, required: dict[str, bool]) -> None:
    """A county turns the review step on or off per fact group."""
    if actor.role not in (Role.CIVIL_AFFAIRS, Role.ADMIN) or not division_visible(
        actor, county_code
    ):
        raise AccessDenied(_("只有县级民政可以设置审核范围"))
    for group in FactGroup:
        want = required.get(group.value, True)
        FactReviewSwitch.objects.update_or_create(
            county_code=county_code,
            group=group.value,
            defaults={"required": want, "set_by": actor},
        )
    audit(
        actor=actor,
        action=Action.UPDATE,
        object_type="审核设置",
        label=county_code,
        division_code=county_code,
        detail="需审核:"
        + ("、".join(str(g.label) for g in FactGroup if required.get(g.value, True)) or "无"),
    )


# ---------------------------------------------------------------- to-do lists


def due_entries(user: User) -> list[DueEntry]:
    """我的待办: submissions waiting for a reviewer; returned ones for the village."""
    today = timezone.localdate()
    if can_review(user):
        waiting = reviews_for(user)
        count = waiting.count()
        if not count:
            return []
        oldest = timezone.localdate(waiting.first().submitted_at)
        return [
            DueEntry(
                f"待审核的档案信息变更 {count} 项",
                "村(居)录入的父母状况、监护人、残疾、疾病、经济状况等,审核通过后才计入统计",
                oldest,
                reverse("registry:review_list"),
            )
        ]
    if user.role != Role.CHILD_DIRECTOR:
        return []
    returned = reviews_for(user, status=[ReviewStatus.RETURNED])[:20]
    return [
        DueEntry(
            f"审核退回:{r.child.name}",
            f"{r.group_labels}。意见:{r.comment}",
            timezone.localdate(r.reviewed_at) if r.reviewed_at else today,
            reverse("registry:child_edit", args=[r.child_id]),
        )
        for r in returned
    ]


def panel_context(user: User, child: Child) -> dict:
    """The file page's 待审核的变更: what waits, who must review it, or why it came back."""
    reviews = reviews_of_child(user, child) if child.facts_pending else []
    return {
        "reviews": [(r, changes_in_words(r.changes)) for r in reviews],
        "reviewers": list(reviewers_of(child.division_code)) if reviews else [],
        "can_review": can_review(user),
    }


def panel_visible(user: User) -> bool:
    return user.role in (Role.CHILD_DIRECTOR, Role.CHILD_SUPERVISOR, Role.CIVIL_AFFAIRS, Role.ADMIN)
