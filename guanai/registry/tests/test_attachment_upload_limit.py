"""Attachments over the size limit are refused on arrival (guanai.core.uploads), before storage."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.test import Client
from django.urls import reverse

from guanai.registry import attachments
from guanai.registry.models import Attachment
from guanai.registry.tests.test_attachments import upload
from guanai.testing.factories import image_bytes

pytestmark = pytest.mark.django_db

LIMIT = 2000


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_UPLOAD_BYTES", LIMIT)


@pytest.fixture
def stored(monkeypatch):
    """Bytes that reached Django's own upload handlers (memory or temporary file)."""
    received = []
    for handler in (MemoryFileUploadHandler, TemporaryFileUploadHandler):
        original = handler.receive_data_chunk

        def spy(self, raw_data, start, original=original):
            received.append(len(raw_data))
            return original(self, raw_data, start)

        monkeypatch.setattr(handler, "receive_data_chunk", spy)
    return received


def of_size(size: int) -> bytes:
    head = image_bytes()
    assert len(head) < size
    return head + b"\0" * (size - len(head))


def test_it_accepts_a_file_of_exactly_the_limit(login, users, children, stored):
    response = upload(login(users["director_a"]), children["a"], of_size(LIMIT), "p.jpg")
    assert "附件已上传" in response.content.decode()
    assert Attachment.objects.get().file.size == LIMIT
    assert sum(stored) == LIMIT


def test_it_refuses_a_file_one_byte_over_the_limit_before_storing_it(
    login, users, children, stored
):
    response = upload(login(users["director_a"]), children["a"], of_size(LIMIT + 1), "p.jpg")
    body = response.content.decode()
    assert "上传失败:文件太大" in body and "单个附件不能超过" in body
    assert not Attachment.objects.exists()
    assert stored == []


def test_it_refuses_by_content_length_before_reading_the_file(login, users, children, stored):
    response = upload(login(users["director_a"]), children["a"], of_size(200_000), "p.jpg")
    assert "上传失败:文件太大(0.2 MB)" in response.content.decode()
    assert not Attachment.objects.exists()
    assert stored == []


def test_the_upload_view_still_checks_the_csrf_token(users, children):
    client = Client(enforce_csrf_checks=True)
    client.force_login(users["director_a"])
    url = reverse("registry:attachment_upload", args=[children["a"].pk])
    photo = SimpleUploadedFile("p.jpg", image_bytes())
    response = client.post(url, {"kind": "photo", "upload": photo})
    assert response.status_code == 403
    assert not Attachment.objects.exists()


def test_the_message_rounds_the_size_up(monkeypatch):
    monkeypatch.setattr(attachments, "MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
    message = attachments.too_big_message(10 * 1024 * 1024 + 1)
    assert message == "文件太大(10.1 MB),单个附件不能超过 10 MB"
