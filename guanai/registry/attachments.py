"""Attachments of a child's file: photos, letters, the child's works, documents.

A file's type is judged by its first bytes, never by the name a phone or a scanner gave it.
Files are kept under MEDIA_ROOT and never deleted; nobody reaches them by a media URL, only
through the scoped download view, which is audited.
"""

import base64
import math
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.accounts.scoping import scope
from guanai.audit.models import Action
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, NotForRole, recorded
from guanai.registry.choices import AttachmentKind
from guanai.registry.models import Attachment, Child

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
THUMBNAIL_PIXELS = 400
# Larger images get no thumbnail: decoding them would take hundreds of MB (a PNG bomb fits in 10 MB).
THUMBNAIL_SOURCE_MAX_PIXELS = 60_000_000


@dataclass(frozen=True)
class FileType:
    extension: str
    content_type: str
    is_image: bool


JPEG = FileType("jpg", "image/jpeg", True)
PNG = FileType("png", "image/png", True)
WEBP = FileType("webp", "image/webp", True)
PDF = FileType("pdf", "application/pdf", False)
UNKNOWN = FileType("bin", "application/octet-stream", False)
SNIFF_BYTES = 12


def sniff_file_type(head: bytes) -> FileType | None:
    """The type of a file from its first bytes (magic numbers), or None if not one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"%PDF-"):
        return PDF
    return None


def too_big_message(size: int) -> str:
    """Said when an upload is over MAX_UPLOAD_BYTES (here, or on arrival: core.uploads)."""
    megabytes = math.ceil(size * 10 / 1024 / 1024) / 10  # up: never shows the limit itself
    return f"文件太大({megabytes:.1f} MB),单个附件不能超过 {MAX_UPLOAD_BYTES / 1024 / 1024:g} MB"


def stored_file_type(attachment: Attachment) -> FileType:
    with attachment.file.open("rb") as f:
        return sniff_file_type(f.read(SNIFF_BYTES)) or UNKNOWN


def _stored_name(original: str, file_type: FileType) -> str:
    """Keep the uploader's name (it often says what the file is) with the true extension."""
    stem = PurePosixPath(original.replace("\\", "/")).stem[:60] or "file"
    return f"{stem}.{file_type.extension}"


@recorded
@transaction.atomic
def attachment_add(
    *, actor: User, child: Child, kind: str, upload: UploadedFile, caption: str = ""
) -> Attachment:
    if not permissions.can_upload_attachments(actor):
        raise AccessDenied(_("您的角色不能上传附件"))
    # Scope, not division_visible: carers reach the child through a current pairing.
    if not scope(actor, Child.objects.filter(pk=child.pk)).exists():
        raise AccessDenied(_("该档案不在您的管辖范围内"))
    if kind not in AttachmentKind.values:
        raise DomainError(_("请选择附件类型"), field="kind")
    if upload.size > MAX_UPLOAD_BYTES:
        raise DomainError(too_big_message(upload.size), field="file")
    upload.seek(0)
    file_type = sniff_file_type(upload.read(SNIFF_BYTES))
    upload.seek(0)
    if file_type is None:
        raise DomainError(
            _(
                "只能上传 JPEG、PNG、WebP 格式的图片或 PDF 文件。"
                "系统按文件内容判断格式,改扩展名无效;请用手机相册或扫描软件另存后再上传。"
            ),
            field="file",
        )
    upload.name = _stored_name(upload.name or "", file_type)
    attachment = Attachment.objects.create(
        child=child, kind=kind, file=upload, caption=caption.strip(), uploaded_by=actor
    )
    audit(
        actor=actor,
        action=Action.CREATE,
        target=child,
        detail=f"上传附件 {attachment.pk}:{attachment.get_kind_display()} {attachment.caption}",
    )
    return attachment


def _attachments_in_scope(user: User, child: Child) -> QuerySet[Attachment]:
    return scope(user, Attachment.objects.filter(child=child)).select_related("uploaded_by")


def attachment_list_for(user: User, child: Child) -> QuerySet[Attachment]:
    """The child's attachments of the kinds the user's role sees (departments: documents)."""
    attachments = _attachments_in_scope(user, child)
    kinds = permissions.attachment_kinds_for(user)
    return attachments if kinds is None else attachments.filter(kind__in=kinds)


def attachment_get_for(user: User, child: Child, attachment_id: int) -> Attachment:
    """The attachment if it belongs to this child and the user sees the child (else 404) and
    its kind (else 403)."""
    attachment = _attachments_in_scope(user, child).filter(pk=attachment_id).first()
    if attachment is None:
        raise AccessDenied(_("没有找到该附件,或不在您的管辖范围内"))
    kinds = permissions.attachment_kinds_for(user)
    if kinds is not None and attachment.kind not in kinds:
        raise NotForRole(_("您所在部门不能查看儿童的照片、书信和作品"))
    return attachment


@recorded
def attachment_downloaded(*, actor: User, attachment: Attachment) -> None:
    audit(
        actor=actor,
        action=Action.DOWNLOAD,
        target=attachment.child,
        detail=f"下载附件 {attachment.pk}:{attachment.get_kind_display()} {attachment.caption}",
    )


def download_name(attachment: Attachment) -> str:
    extension = PurePosixPath(attachment.file.name).suffix
    return f"{attachment.child.name}-{attachment.get_kind_display()}-{attachment.pk}{extension}"


def thumbnail_bytes(attachment: Attachment) -> bytes | None:
    """A small JPEG of an image attachment, made once and kept beside it (files never change)."""
    storage = attachment.file.storage
    name = f"thumbnails/{attachment.file.name}.jpg"
    if storage.exists(name):
        with storage.open(name, "rb") as f:
            return f.read()
    try:
        if not stored_file_type(attachment).is_image:
            return None
        with attachment.file.open("rb") as f, Image.open(f) as image:
            if image.width * image.height > THUMBNAIL_SOURCE_MAX_PIXELS:
                return None
            # draft() lets the JPEG decoder skip detail we would throw away (much faster).
            image.draft("RGB", (THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            small = ImageOps.exif_transpose(image).convert("RGB")
            small.thumbnail((THUMBNAIL_PIXELS, THUMBNAIL_PIXELS))
            out = BytesIO()
            small.save(out, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None  # a damaged or missing image is still listed, just not previewed
    storage.save(name, ContentFile(out.getvalue()))
    return out.getvalue()


@dataclass(frozen=True)
class AttachmentCard:
    attachment: Attachment
    thumbnail_uri: str | None  # a data: URI, so pages and PDFs need no media URL


def attachment_cards(attachments) -> list[AttachmentCard]:
    cards = []
    for attachment in attachments:
        thumbnail = thumbnail_bytes(attachment)
        uri = (
            f"data:image/jpeg;base64,{base64.b64encode(thumbnail).decode()}" if thumbnail else None
        )
        cards.append(AttachmentCard(attachment, uri))
    return cards
