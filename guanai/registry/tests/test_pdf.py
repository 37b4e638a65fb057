import re
import zlib
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from guanai.audit.models import Action, AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry import reports
from guanai.registry.forms import initial_from_child
from guanai.registry.masking import mask_id_number
from guanai.registry.services import child_update
from guanai.testing.factories import attachment_build


def pdf_url(child, **query):
    url = reverse("registry:child_pdf", args=[child.pk])
    return f"{url}?reveal=1" if query.get("reveal") else url


def inflated(pdf: bytes) -> bytes:
    """The PDF's compressed streams, unpacked: font names and ToUnicode maps live in them."""
    parts = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            parts.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"".join(parts)


def html_of(user, child, *, reveal=False) -> str:
    return reports.child_pdf_html(user, child, reveal=reveal, printed_at=timezone.now())


@pytest.mark.django_db
class TestDownload:
    def test_it_is_a_real_pdf_with_chinese_fonts_embedded(self, login, users, children):
        child = children["a"]
        response = login(users["director_a"]).get(pdf_url(child))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        pdf = response.content
        assert pdf.startswith(b"%PDF-")
        streams = inflated(pdf)
        fonts = set(re.findall(rb"/FontName\s*/\w+\+([\w-]+)", streams))
        assert any(b"CJK" in font for font in fonts), fonts
        # The text is extractable: every character of the name has a ToUnicode entry
        # ("<glyph> <unicode>" in the font's CMap).
        for character in child.name:
            assert f"> <{ord(character):04x}>".encode() in streams, character

    def test_it_names_the_file_after_the_child_rfc_5987(self, login, users, children):
        response = login(users["director_a"]).get(pdf_url(children["a"]))
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        # 张小明 in UTF-8, percent-encoded
        assert "filename*=utf-8''%E5%BC%A0%E5%B0%8F%E6%98%8E-" in disposition

    def test_every_download_is_audited(self, login, users, children):
        client = login(users["director_a"])
        client.get(pdf_url(children["a"]))
        client.get(pdf_url(children["a"]))
        events = AuditEvent.objects.filter(action=Action.DOWNLOAD, object_id=str(children["a"].pk))
        assert events.count() == 2
        assert {e.detail for e in events} == {"打印档案PDF"}

    def test_reveal_is_audited_as_reveal(self, login, users, children):
        login(users["director_a"]).get(pdf_url(children["a"], reveal=True))
        actions = set(AuditEvent.objects.values_list("action", flat=True))
        assert {Action.REVEAL, Action.DOWNLOAD} <= actions

    def test_a_role_that_may_not_reveal_gets_404_for_reveal(self, login, users, children):
        response = login(users["department"]).get(pdf_url(children["a"], reveal=True))
        assert response.status_code == 404
        assert not AuditEvent.objects.filter(action__in=[Action.DOWNLOAD, Action.REVEAL]).exists()

    @pytest.mark.parametrize("outsider", ["director_a", "supervisor_2", "carer_a"])
    def test_outsiders_get_404(self, login, users, children, outsider):
        assert login(users[outsider]).get(pdf_url(children["b"])).status_code == 404
        assert not AuditEvent.objects.filter(action=Action.DOWNLOAD).exists()

    def test_a_carer_prints_a_paired_child(self, login, users, children):
        Pairing.objects.create(
            child=children["a"],
            carer=users["carer_a"],
            kind=CarerKind.CARING_MOTHER,
            start_date=date(2024, 1, 1),
        )
        assert login(users["carer_a"]).get(pdf_url(children["a"])).status_code == 200


@pytest.mark.django_db
class TestContent:
    def test_it_masks_as_the_page_does(self, users, children):
        child = children["a"]
        html = html_of(users["director_a"], child)
        assert child.id_number not in html
        assert mask_id_number(child.id_number) in html

    def test_reveal_shows_full_values(self, users, children):
        child = children["a"]
        html = html_of(users["director_a"], child, reveal=True)
        assert child.id_number in html
        assert "含完整的身份证号" in html

    def test_it_has_header_footer_and_every_section(self, users, children):
        html = html_of(users["supervisor_1"], children["a"])
        assert "德安县 蒲亭镇 东风村" in html
        assert "打印人 supervisor_1(儿童督导员)" in html
        assert 'counter(page) " 页 共 " counter(pages)' in html
        for title in ("基本信息", "家庭", "父亲", "母亲", "监护人", "就学", "残疾与健康"):
            assert f"<h2>{title}</h2>" in html
        assert "结对关爱" in html and "档案变更记录" in html

    def test_it_shows_pairings_photos_and_revisions(self, users, children):
        child = children["a"]
        Pairing.objects.create(
            child=child,
            carer=users["carer_a"],
            kind=CarerKind.PROXY_PARENT,
            start_date=date(2024, 3, 1),
        )
        attachment_build(child, caption="六一合影")
        attachment_build(child, kind="document", content=b"%PDF-1.4\n", name="证明.pdf")
        data = initial_from_child(child) | {"hobbies": "画画"}
        child_update(actor=users["director_a"], child=child, version=child.version, data=data)
        html = html_of(users["director_a"], child)
        assert "代理家长" in html and "carer_a" in html and "2024-03-01" in html and "至今" in html
        assert html.count("data:image/jpeg;base64,") == 1 and "六一合影" in html
        assert "修改档案" in html and "儿童·兴趣爱好:未填写 → 画画" in html

    def test_it_escapes_what_people_typed(self, users, children):
        child = children["a"]
        child.name = '<img src="http://example.com/x.png">'
        child.save()
        html = html_of(users["director_a"], child)
        assert '<img src="http://example.com' not in html


class TestFetcher:
    def test_it_refuses_the_network(self):
        with pytest.raises(ValueError, match="不从网络"):
            reports.LocalFilesOnly().fetch("http://example.com/logo.png")
        with pytest.raises(ValueError):
            reports.LocalFilesOnly().fetch("https://example.com/style.css")

    def test_it_refuses_files_outside_static_and_media(self):
        with pytest.raises(ValueError, match="本地"):
            reports.LocalFilesOnly().fetch("file:///etc/passwd")
        with pytest.raises(ValueError):
            reports.LocalFilesOnly().fetch("file:///work/../etc/passwd")

    def test_it_serves_media_files_and_data_uris(self, media_root):
        media_root.mkdir(parents=True)
        (media_root / "a.txt").write_bytes(b"hello")
        assert reports.LocalFilesOnly().fetch((media_root / "a.txt").as_uri()).read() == b"hello"
        assert reports.LocalFilesOnly().fetch("data:text/plain,hi").read() == b"hi"

    def test_a_remote_image_in_the_html_is_never_fetched(self, monkeypatch):
        from weasyprint import HTML

        fetched = []
        monkeypatch.setattr(
            "weasyprint.urls.URLFetcher.open", lambda self, *a, **k: fetched.append(a)
        )
        html = '<p>x</p><img src="http://example.com/a.png"><link rel=stylesheet href="http://example.com/a.css">'
        assert (
            HTML(string=html, url_fetcher=reports.LocalFilesOnly()).write_pdf().startswith(b"%PDF")
        )
        assert fetched == []
