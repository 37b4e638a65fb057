"""The import pages in English (the language switch); stored text stays in Chinese."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guanai.audit.models import AuditEvent
from guanai.ingest import jobs, profiles, rows
from guanai.ingest.models import ImportJob, JobStatus
from guanai.ingest.services import roster_import
from guanai.ingest.testing import review_pair_build
from guanai.ingest.tests.factories import profile_build, stored_job_build, xlsx_bytes


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def english(login, users):
    client = login(users["supervisor_1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _get(client, name, *args) -> str:
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_the_upload_page_and_its_refusals(english, place, django_capture_on_commit_callbacks):
    page = _get(english, "ingest:import_upload")
    for text in ("Import a departmental roster", "Roster file", "Source department"):
        assert text in page
    assert "Education (schools)" in page and "Check only, do not import" in page
    assert "导入部门名册" not in page and "来源部门" not in page

    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4")
    page = english.post(reverse("ingest:import_upload"), {"file": pdf, "source": "education"})
    assert "Upload an xlsx, xls or csv file" in page.content.decode()

    upload = SimpleUploadedFile("名册.xlsx", xlsx_bytes([["姓名", "出生日期"], ["", "2015-01-01"]]))
    with django_capture_on_commit_callbacks():
        english.post(
            reverse("ingest:import_upload"),
            {"file": upload, "source": "education", "village": place.village_a.code},
        )
    job = ImportJob.objects.get()
    # The audit row is written in the team's language, whatever the page showed.
    assert "上传教育(学校)名册" in AuditEvent.objects.get(object_type="ingest.importjob").detail
    jobs.import_job_run(job.pk)
    page = _get(english, "ingest:import_job", job.pk)
    assert "Not imported" in page and "1 error; nothing was imported:" in page
    assert "Correct the file and upload it again" in page
    assert "第 2 行 姓名" in page  # row errors are the importer's, in Chinese


def test_the_job_pages(english, users):
    failed = stored_job_build(users["supervisor_1"], status=JobStatus.FAILED)
    page = _get(english, "ingest:import_job", failed.pk)
    assert "Import job" in page and "The import failed; nothing was imported." in page
    assert "Run again" in page and "Uploaded by" in page

    running = stored_job_build(users["supervisor_1"], status=JobStatus.RUNNING)
    progress = {"stage": "写入与关联", "done": 2, "total": 8, "at": timezone.now().isoformat()}
    (jobs.job_path(running).parent / f"progress-{running.pk}.json").write_text(json.dumps(progress))
    page = _get(english, "ingest:import_job", running.pk)
    assert "Importing" in page and "saving and linking" in page and "2 / 8 rows · 25%" in page

    dry_run = stored_job_build(
        users["supervisor_1"], status=JobStatus.DONE, dry_run=True, report={"rows": 1, "new": 1}
    )
    page = _get(english, "ingest:import_job", dry_run.pk)
    assert "Import for real" in page and "Rows" in page

    page = _get(english, "ingest:import_job_list")
    assert "Import jobs" in page and "Failed" in page and "check only" in page


def test_the_mapping_profile_pages(login, users):
    profile_build("education", "学籍表", 学生名字="name")
    client = login(users["county"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = _get(client, "ingest:profile_list")
    assert "Header mapping" in page and "New mapping" in page and "学生名字 → Name" in page
    assert "Education (schools) · 学籍表" in page
    page = _get(client, "ingest:profile_create")
    assert "New header mapping" in page and "Mapping name" in page and "(not imported)" in page
    # Every field has an English name.
    assert all(profiles.field_label(f) != field.label for f, field in rows.FIELDS.items())


def test_the_review_pages(english, children):
    pair = review_pair_build(children["a"], name="张晓明")
    page = _get(english, "ingest:review_list")
    assert "Pairs to confirm" in page and "Compare" in page and "line 2" in page
    page = _get(english, "ingest:review_detail", pair.pk)
    assert "Is this the same child?" in page and "Same child" in page
    assert "Civil affairs" in page and "Date of birth" in page


def test_the_file_pages_sources_section(login, users, place, children, tmp_path):
    child = children["a"]
    roster = tmp_path / "r.csv"
    roster.write_text(f"姓名,身份证号,住址\n{child.name},{child.id_number},旧地址\n")
    roster_import(
        actor=None,
        path=roster,
        source="civil",
        village=place.village_a.code,
        as_of=date(2020, 1, 1),
    )
    client = login(users["director_a"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("registry:child_detail", args=[child.pk])).content.decode()
    assert "What departmental rosters say" in page and "Appears in these rosters" in page
    assert "r.csv line 2" in page and "roster date 2020-01-01" in page
    assert "各部门名册中的信息" not in page
