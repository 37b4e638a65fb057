"""Uploading and downloading a child's attachments. Files are only ever served from here."""

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from guanai.accounts import permissions
from guanai.core.errors import AccessDenied, DomainError
from guanai.core.uploads import limit_upload_size
from guanai.registry import attachments, selectors
from guanai.registry.forms import AttachmentForm


@limit_upload_size(lambda: attachments.MAX_UPLOAD_BYTES)
@require_POST
def attachment_upload(request, pk: int):
    child = selectors.child_get_for(request.user, pk)
    if not permissions.can_upload_attachments(request.user):
        raise AccessDenied(_("您的角色不能上传附件"))
    form = AttachmentForm(request.POST, request.FILES)
    if request.upload_limit.refused_size is not None:  # refused on arrival, nothing was kept
        messages.error(
            request,
            gettext("上传失败:%(errors)s")
            % {"errors": attachments.too_big_message(request.upload_limit.refused_size)},
        )
    elif not form.is_valid():
        errors = "".join(error for field_errors in form.errors.values() for error in field_errors)
        messages.error(request, gettext("上传失败:%(errors)s") % {"errors": errors})
    else:
        try:
            attachments.attachment_add(actor=request.user, child=child, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, gettext("上传失败:%(message)s") % {"message": exc.message})
        else:
            messages.success(request, gettext("附件已上传"))
    return redirect(reverse("registry:child_detail", args=[child.pk]) + "#attachments")


@require_GET
def attachment_download(request, pk: int, attachment_id: int):
    child = selectors.child_get_for(request.user, pk)
    attachment = attachments.attachment_get_for(request.user, child, attachment_id)
    file_type = attachments.stored_file_type(attachment)
    attachments.attachment_downloaded(actor=request.user, attachment=attachment)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachments.download_name(attachment),
        content_type=file_type.content_type,
    )
