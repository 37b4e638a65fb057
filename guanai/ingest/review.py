"""The review queue's decisions: a pair accepted (the row linked and merged), rejected (the
row opens a file of its own once every candidate is rejected), or undone. Only a reviewer who
reaches both the row and the file may decide (ReviewPair.scope_also_division_fields).

A decision settles the pending pairs it implies (review_queue.py's rules, issue 17.4): a row
accepted as one child is not any other file's child, so its other pairs are settled as not the
same; a file rejected for a row is rejected for the rows already linked to the same child as
that row. Undoing the decision reopens them."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError
from guanai.ingest import merge, opening
from guanai.ingest.models import LinkMethod, ReviewPair, ReviewStatus, SourceRecord
from guanai.ingest.permissions import can_review_links


@transaction.atomic
def review_decide(*, actor: User, pair: ReviewPair, same: bool) -> None:
    """Accept (same child: link the row) or reject a pair; remembered, audited, undoable."""
    if not can_review_links(actor):
        raise AccessDenied(_("您的角色不能确认配对"))
    pair = _pair_locked(actor, pair)
    if pair.status != ReviewStatus.PENDING:
        raise DomainError(_("这条配对已经处理过,请先撤销"))
    record = scope(actor, SourceRecord.objects.select_for_update().filter(pk=pair.record_id)).get()
    if same:
        if record.child_id is not None and record.child_id != pair.child_id:
            raise DomainError(_("这一行已关联到另一名儿童,请先撤销那条确认"))
        record.child_id, record.link_method = pair.child_id, LinkMethod.REVIEWED
        record.save(update_fields=["child", "link_method"])
    pair.status = ReviewStatus.ACCEPTED if same else ReviewStatus.REJECTED
    pair.decided_by, pair.decided_at = actor, timezone.now()
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    _audit_pair(actor, pair, ReviewStatus.PENDING)
    _settle_implied(actor, pair, record, same)
    if same:
        merge.records_merge(actor=actor, records=[record])
    elif (
        record.child_id is None
        # A row whose number is another file's opens no file of its own (the number is taken).
        and not pair.held_outside
        and not record.reviews.exclude(status=ReviewStatus.REJECTED).exists()
    ):
        # Every candidate rejected: the row is a child of its own (unless the registry already
        # has one of that name, birth date and village, which then stays for the reviewer).
        opening.records_open_files(actor=actor, records=[record], opened=opening.Opened())
        if record.child_id is not None:
            record.save(update_fields=["child", "link_method"])


@transaction.atomic
def review_undo(*, actor: User, pair: ReviewPair) -> None:
    if not can_review_links(actor):
        raise AccessDenied(_("您的角色不能确认配对"))
    pair = _pair_locked(actor, pair)
    if pair.status == ReviewStatus.PENDING:
        return
    before = pair.status
    record = scope(actor, SourceRecord.objects.select_for_update().filter(pk=pair.record_id)).get()
    if before == ReviewStatus.REJECTED and record.link_method == LinkMethod.CREATED:
        raise DomainError(
            _("这一行已新建了档案,不能撤销;如确属同一人,请注销多余的档案并说明“重复建档”")
        )
    if before == ReviewStatus.ACCEPTED and record.child_id == pair.child_id:
        merge.record_unmerge(actor=actor, record=record, child=pair.child)
        record.child, record.link_method = None, LinkMethod.NONE
        record.save(update_fields=["child", "link_method"])
    pair.status, pair.decided_by, pair.decided_at = ReviewStatus.PENDING, None, None
    pair.save(update_fields=["status", "decided_by", "decided_at"])
    _audit_pair(actor, pair, before)
    for other in scope(actor, pair.implied.select_for_update().select_related("record", "child")):
        settled = other.status
        other.status, other.decided_by, other.decided_at = ReviewStatus.PENDING, None, None
        other.implied_by = None
        other.save(update_fields=["status", "decided_by", "decided_at", "implied_by"])
        _audit_pair(actor, other, settled)


def implied_pairs(actor: User, pair: ReviewPair, record: SourceRecord, same: bool):
    """The pending pairs a decision on ``pair`` settles (all as "not the same child"), in the
    actor's reach."""
    if same:
        terms = Q(record_id=record.pk) & ~Q(child_id=pair.child_id)
    elif record.child_id is not None:
        terms = Q(child_id=pair.child_id, record__child_id=record.child_id)
    else:
        terms = Q(pk__in=[])
    return scope(
        actor,
        ReviewPair.objects.filter(terms, status=ReviewStatus.PENDING).exclude(pk=pair.pk),
    )


def _settle_implied(actor: User, pair: ReviewPair, record: SourceRecord, same: bool) -> None:
    now = timezone.now()
    implied = implied_pairs(actor, pair, record, same)
    for other in implied.select_for_update().select_related("record", "child"):
        other.status, other.decided_by, other.decided_at = ReviewStatus.REJECTED, actor, now
        other.implied_by = pair
        other.save(update_fields=["status", "decided_by", "decided_at", "implied_by"])
        _audit_pair(actor, other, ReviewStatus.PENDING)


def _pair_locked(actor: User, pair: ReviewPair) -> ReviewPair:
    """The pair, locked, if the actor reaches both its row and its file."""
    locked = scope(actor, ReviewPair.objects.select_for_update().filter(pk=pair.pk)).first()
    if locked is None:
        raise AccessDenied(_("没有找到这条待确认配对"))
    return locked


def _audit_pair(actor: User, pair: ReviewPair, before: str) -> None:
    audit(
        actor=actor,
        action=Action.UPDATE,
        target=pair,
        label=f"{pair.record.name} ↔ {pair.child.name}",
        changes={"status": (before, pair.status)},
        detail=f"来源记录 {pair.record_id},儿童 {pair.child_id}",
    )
