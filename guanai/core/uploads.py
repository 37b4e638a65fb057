"""Refusing an oversized upload while it arrives, before Django stores it.

Django's own handlers keep an upload in memory or in a temporary file and only then does a view
see its size. `SizeLimitUploadHandler`, put first in `request.upload_handlers`, refuses it
earlier: at once when the request's Content-Length already says it is too big, otherwise as soon
as the file's bytes go over the limit.

It refuses the file (SkipFile), not the request (StopUpload): the parser then drops the file's
bytes unread into any handler and still reads the other fields, so the CSRF token is checked
and the view can answer with its own message. (StopUpload would drop the fields after the file,
and a connection reset leaves the browser with a network error instead of our page.)

Handlers can only be changed before anything reads request.POST or request.FILES, and
CsrfViewMiddleware reads request.POST: see `limit_upload_size`.
"""

from collections.abc import Callable
from functools import wraps

from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# What a form sends around one file: boundaries, part headers, the CSRF token and small fields.
FORM_OVERHEAD_BYTES = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.request_length = 0
        self.refused_size: int | None = None  # set when a file was refused: its size, or more

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.request_length = content_length
        return None  # the parsing itself is left to Django

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        announced = max(self.content_length or 0, self.request_length - FORM_OVERHEAD_BYTES)
        if announced > self.limit:
            self.refused_size = max(self.content_length or 0, self.request_length)
            raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.refused_size = max(start + len(raw_data), self.request_length)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None  # the next handler makes the file


def limit_upload_size(
    limit: Callable[[], int],
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Decorate a view that takes uploads: files over `limit()` bytes are refused on arrival.

    The view is CSRF-protected as usual; it finds the handler as `request.upload_limit` and
    `request.upload_limit.refused_size` tells it (after it has read request.FILES) that a file
    was refused. The outer function is csrf_exempt only so that the handler goes in before
    CsrfViewMiddleware reads the body; csrf_protect then checks the token in the inner view.
    """

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        protected = csrf_protect(view)

        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            handler = SizeLimitUploadHandler(request, limit())
            request.upload_handlers.insert(0, handler)
            request.upload_limit = handler  # type: ignore[attr-defined]
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapper)

    return decorate
