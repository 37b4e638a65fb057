from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guanai.audit.models import Action, AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry import attachments
from guanai.registry.models import Attachment
from guanai.testing.factories import attachment_build, child_build, image_bytes

PDF_BYTES = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def upload(client, child, content: bytes, name: str, kind: str = "photo", caption: str = ""):
    return client.post(
        reverse("registry:attachment_upload", args=[child.pk]),
        {"kind": kind, "caption": caption, "upload": SimpleUploadedFile(name, content)},
        follow=True,
    )


def pair(carer, child):
    return Pairing.objects.create(
        child=child, carer=carer, kind=CarerKind.CARING_MOTHER, start_date=date(2024, 1, 1)
    )


@pytest.mark.django_db
class TestUpload:
    def test_it_stores_a_photo_under_the_childs_folder(self, login, users, children):
        child = children["a"]
        response = upload(
            login(users["director_a"]), child, image_bytes(), "IMG_0001.JPG", caption="六一"
        )
        assert "附件已上传" in response.content.decode()
        attachment = Attachment.objects.get(child=child)
        assert attachment.file.name.startswith(f"attachments/{child.division_code}/{child.pk}/")
        assert attachment.file.name.endswith(".jpg")
        assert attachment.caption == "六一" and attachment.uploaded_by == users["director_a"]
        assert AuditEvent.objects.filter(
            action=Action.CREATE, object_id=str(child.pk), detail__startswith="上传附件"
        ).exists()

    def test_it_names_the_file_by_its_content_not_its_extension(self, login, users, children):
        upload(login(users["director_a"]), children["a"], image_bytes("PNG"), "scan.jpg")
        assert Attachment.objects.get().file.name.endswith("/scan.png")

    @pytest.mark.parametrize(
        "content",
        [image_bytes("PNG"), image_bytes("WEBP"), PDF_BYTES],
        ids=["png", "webp", "pdf"],
    )
    def test_it_accepts_the_allowed_types(self, login, users, children, content):
        upload(login(users["director_a"]), children["a"], content, "file", kind="document")
        assert Attachment.objects.count() == 1

    def test_it_rejects_text_named_jpg(self, login, users, children):
        response = upload(login(users["director_a"]), children["a"], b"just text\n", "photo.jpg")
        body = response.content.decode()
        assert "上传失败" in body and "按文件内容判断格式" in body
        assert not Attachment.objects.exists()

    def test_it_rejects_html_pretending_to_be_a_picture(self, login, users, children):
        upload(login(users["director_a"]), children["a"], b"<html><script>", "a.png")
        assert not Attachment.objects.exists()

    def test_it_rejects_files_over_10_mb(self, login, users, children):
        big = image_bytes() + b"\0" * (10 * 1024 * 1024)
        response = upload(login(users["director_a"]), children["a"], big, "big.jpg")
        assert "不能超过 10 MB" in response.content.decode()
        assert not Attachment.objects.exists()

    def test_it_lets_a_carer_upload_for_a_paired_child(self, login, users, children):
        pair(users["carer_a"], children["a"])
        upload(login(users["carer_a"]), children["a"], image_bytes(), "p.jpg")
        assert Attachment.objects.filter(child=children["a"]).count() == 1

    def test_it_refuses_a_carer_for_an_unpaired_child(self, login, users, place, children):
        unpaired = child_build(place.village_a, "赵小花")  # same village, no pairing
        response = upload(login(users["carer_a"]), unpaired, image_bytes(), "p.jpg")
        assert response.status_code == 404
        assert not Attachment.objects.exists()

    def test_it_refuses_a_carer_whose_pairing_ended(self, login, users, children):
        pairing = pair(users["carer_a"], children["a"])
        pairing.end_date = date(2024, 6, 30)
        pairing.save()
        assert (
            upload(login(users["carer_a"]), children["a"], image_bytes(), "p.jpg").status_code
            == 404
        )

    def test_it_refuses_outsiders(self, login, users, children):
        response = upload(login(users["director_a"]), children["b"], image_bytes(), "p.jpg")
        assert response.status_code == 404
        assert not Attachment.objects.exists()

    def test_it_refuses_roles_that_do_not_upload(self, login, users, children):
        response = upload(login(users["department"]), children["a"], image_bytes(), "p.jpg")
        assert response.status_code == 404
        assert not Attachment.objects.exists()


@pytest.mark.django_db
class TestDownload:
    def url(self, child, attachment):
        return reverse("registry:attachment_download", args=[child.pk, attachment.pk])

    def test_it_serves_the_file_to_someone_in_scope_and_audits(self, login, users, children):
        child = children["b"]
        attachment = attachment_build(child, content=image_bytes("PNG"), name="x.png")
        response = login(users["supervisor_1"]).get(self.url(child, attachment))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith("attachment;")
        assert "filename*=utf-8''" in response["Content-Disposition"]  # 李小红-照片-N.png, RFC 5987
        assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
        event = AuditEvent.objects.get(action=Action.DOWNLOAD)
        assert event.object_id == str(child.pk) and event.actor == users["supervisor_1"]

    def test_it_answers_404_to_outsiders_without_auditing(self, login, users, children):
        attachment = attachment_build(children["b"])
        for who in ("director_a", "supervisor_2", "carer_a"):
            assert login(users[who]).get(self.url(children["b"], attachment)).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()

    def test_it_refuses_an_attachment_of_another_child(self, login, users, children):
        """The child in the URL is in scope but the attachment belongs to someone else."""
        attachment_of_b = attachment_build(children["b"])
        response = login(users["director_a"]).get(self.url(children["a"], attachment_of_b))
        assert response.status_code == 404

    def test_a_carer_downloads_only_for_paired_children(self, login, users, children):
        pair(users["carer_a"], children["a"])
        mine = attachment_build(children["a"])
        client = login(users["carer_a"])
        assert client.get(self.url(children["a"], mine)).status_code == 200

    def test_no_media_url_is_served(self, client, login, users, children):
        attachment = attachment_build(children["a"])
        response = login(users["director_a"]).get(f"/media/{attachment.file.name}")
        assert response.status_code == 404


@pytest.mark.django_db
class TestChildPage:
    def test_it_lists_attachments_with_thumbnails_and_offers_upload(self, login, users, children):
        attachment_build(children["a"], caption="春游")
        attachment_build(children["a"], kind="document", content=PDF_BYTES, name="证明.pdf")
        body = (
            login(users["director_a"])
            .get(reverse("registry:child_detail", args=[children["a"].pk]))
            .content.decode()
        )
        # One photo, one thumbnail: in the list of attachments, and on the summary card above.
        assert "春游" in body and body.count('src="data:image/jpeg;base64,') == 2
        assert 'class="summary-photo" src="data:image/jpeg;base64,' in body
        assert 'enctype="multipart/form-data"' in body

    def test_it_offers_no_upload_to_roles_that_do_not_upload(self, login, users, children):
        body = (
            login(users["department"])
            .get(reverse("registry:child_detail", args=[children["a"].pk]))
            .content.decode()
        )
        assert 'enctype="multipart/form-data"' not in body


def test_it_sniffs_types_by_magic_bytes():
    assert attachments.sniff_file_type(image_bytes()) is attachments.JPEG
    assert attachments.sniff_file_type(image_bytes("PNG")) is attachments.PNG
    assert attachments.sniff_file_type(image_bytes("WEBP")) is attachments.WEBP
    assert attachments.sniff_file_type(PDF_BYTES) is attachments.PDF
    assert attachments.sniff_file_type(b"GIF89a") is None
    assert attachments.sniff_file_type(b"RIFF\0\0\0\0WAVE") is None


@pytest.mark.django_db
def test_thumbnails_are_made_once_and_kept(users, children, media_root):
    attachment = attachment_build(children["a"], content=image_bytes(size=(2000, 1000)))
    first = attachments.thumbnail_bytes(attachment)
    assert (media_root / "thumbnails" / f"{attachment.file.name}.jpg").exists()
    assert attachments.thumbnail_bytes(attachment) == first


@pytest.mark.django_db
def test_a_damaged_image_gets_no_thumbnail(children):
    attachment = attachment_build(children["a"], content=b"\xff\xd8\xff broken")
    assert attachments.thumbnail_bytes(attachment) is None
