"""The upload page, the job it queues, the task that runs it and the job page."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from guanai.audit.models import AuditEvent
from guanai.ingest import jobs
from guanai.ingest.models import ImportBatch, ImportJob, JobStatus
from guanai.ingest.services import roster_import
from guanai.ingest.tests.factories import import_job_build, profile_build, xlsx_bytes
from guanai.registry import idnumber

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(rows, name="学生名册.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes(rows), content_type=XLSX)


def _post(client, upload, **data):
    return client.post(
        reverse("ingest:import_upload"), {"file": upload, "source": "education"} | data
    )


def _submit(client, django_capture_on_commit_callbacks, upload, **data) -> ImportJob:
    with django_capture_on_commit_callbacks() as callbacks:
        response = _post(client, upload, **data)
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ingest:import_job", args=[job.pk])
    assert len(callbacks) == 1  # the task is enqueued once the job row is committed
    return job


def test_it_uploads_queues_runs_and_shows_the_report(
    login, users, place, children, media, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    child = children["a"]
    upload = _upload([["姓名", "身份证号", "学校"], [child.name, child.id_number, "东风小学"]])
    job = _submit(
        client,
        django_capture_on_commit_callbacks,
        upload,
        village=place.village_a.code,
        as_of="2026-09-01",
    )
    assert job.status == JobStatus.QUEUED
    assert job.division_code == place.township_1.code
    assert job.file_name == "学生名册.xlsx" and job.as_of == date(2026, 9, 1)
    stored = Path(media) / job.file
    assert stored.exists() and stored.parent.parent.name == "imports"
    page = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page

    jobs.import_job_run(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.finished_at is not None
    assert job.report["new"] == 1 and job.report["linked"] == 1
    assert job.batch == ImportBatch.objects.get()
    assert job.batch.file_name == "学生名册.xlsx"
    assert not stored.exists()  # the batch keeps the rows; no copy of the roster stays
    fragment = client.get(reverse("ingest:import_job", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = fragment.content.decode()
    assert "已完成" in body and "自动关联" in body and "hx-trigger" not in body
    assert "<html" not in body  # the fragment only


def test_a_bad_file_lists_every_row_error_with_line_and_column(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    good = idnumber.make(region_code="360426", birth_date=date(2015, 1, 1), sequence=3, sex="M")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    upload = _upload(
        [["姓名", "身份证号"], ["张三", good], ["", good], ["李四", bad], ["王五", "12345"]]
    )
    job = _submit(client, django_capture_on_commit_callbacks, upload, village=place.village_a.code)
    jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert len(job.report["errors"]) == 2
    body = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "未导入" in body and "2 处错误" in body
    for line, column in [(3, "姓名"), (5, "出生日期")]:
        assert f"第 {line} 行 {column}" in body
    assert ImportBatch.objects.count() == 0
    assert "新建表头对应方案" not in body  # the columns were fine


def test_a_row_with_a_wrong_number_is_imported_and_its_note_shown(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    good = idnumber.make(region_code="360426", birth_date=date(2015, 1, 1), sequence=3, sex="M")
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    upload = _upload([["姓名", "身份证号"], ["张三", good], ["李四", bad]])
    job = _submit(client, django_capture_on_commit_callbacks, upload, village=place.village_a.code)
    jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["created"] == 2
    body = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "1 行有提示,已照常导入" in body
    assert f"第 3 行 身份证号:校验位错误,应为 {good[-1]};号码未采用,按其他信息关联" in body


def test_missing_columns_offer_a_profile_prefilled_with_the_headers(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    upload = _upload([["学生名字", "证件号", "性别"], ["张三", "x", "男"]])
    job = _submit(client, django_capture_on_commit_callbacks, upload, village=place.village_a.code)
    jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.REJECTED
    assert job.report["headers"] == ["学生名字", "证件号", "性别"]
    assert job.report["unknown_headers"] == ["学生名字", "证件号"]
    body = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "缺少必需的列" in body and "学生名字" in body
    offer = reverse("ingest:profile_create") + f"?job={job.pk}"
    assert offer in body
    form = client.get(offer).content.decode()
    assert 'value="学生名字"' in form and 'value="证件号"' in form
    assert '<option value="sex" selected>' in form  # a header the importer knows comes filled


def test_an_over_size_file_is_refused_before_it_is_saved(login, users, media, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client = login(users["supervisor_1"])
    big = SimpleUploadedFile("大.csv", ("姓名,出生日期\n" + "张三,2015-01-01\n" * 200).encode())
    response = _post(client, big)
    assert response.status_code == 200
    assert "文件过大" in response.content.decode()
    assert ImportJob.objects.count() == 0
    assert not (Path(media) / "imports").exists()


def test_other_file_types_are_refused(login, users):
    response = _post(login(users["supervisor_1"]), SimpleUploadedFile("a.pdf", b"%PDF-1.4"))
    assert "请上传 xlsx、xls 或 csv 文件" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_default_village_outside_the_node_is_refused(login, users, place):
    upload = _upload([["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]])
    response = _post(login(users["supervisor_1"]), upload, village=place.village_c.code)
    assert response.status_code == 200 and ImportJob.objects.count() == 0


def _dry_run(client, callbacks, place):
    """A one-row roster checked only, its job run."""
    upload = _upload([["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]])
    job = _submit(client, callbacks, upload, village=place.village_a.code, dry_run="on")
    jobs.import_job_run(job.pk)
    return job


def test_a_dry_run_saves_nothing(login, users, place, django_capture_on_commit_callbacks):
    client = login(users["supervisor_1"])
    job = _dry_run(client, django_capture_on_commit_callbacks, place)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["dry_run"] and job.batch is None
    assert ImportBatch.objects.count() == 0
    assert "校验通过" in client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()


def test_a_passed_dry_run_is_imported_for_real_from_the_same_file(
    login, users, place, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    job = _dry_run(client, django_capture_on_commit_callbacks, place)
    page = client.get(reverse("ingest:import_job", args=[job.pk])).content.decode()
    assert "正式导入" in page
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("ingest:import_job_commit", args=[job.pk]))
    real = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("ingest:import_job", args=[real.pk])
    assert len(callbacks) == 1 and not real.dry_run and real.file == job.file
    jobs.import_job_run(real.pk)
    real.refresh_from_db()
    assert real.status == JobStatus.DONE and real.report["created"] == 1
    # Only a passed dry run can be committed, and only once.
    response = client.post(reverse("ingest:import_job_commit", args=[real.pk]), follow=True)
    assert "只有校验通过" in response.content.decode()
    response = client.post(reverse("ingest:import_job_commit", args=[job.pk]), follow=True)
    page = response.content.decode()
    assert f"已经提交正式导入(任务 {real.pk})" in page
    assert reverse("ingest:import_job", args=[real.pk]) in page and "已删除" not in page
    assert ImportJob.objects.count() == 2


def test_a_profile_is_used_by_the_import(
    login, users, place, children, django_capture_on_commit_callbacks
):
    profile = profile_build("education", "学籍表", 学生名字="name", 证件号="id_number")
    client = login(users["supervisor_1"])
    child = children["a"]
    upload = _upload([["学生名字", "证件号"], [child.name, child.id_number]])
    job = _submit(
        client,
        django_capture_on_commit_callbacks,
        upload,
        village=place.village_a.code,
        profile=str(profile.pk),
    )
    assert job.profile == "学籍表"
    jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.report["linked"] == 1


def test_a_profile_of_another_source_is_refused(login, users, place):
    profile = profile_build("police", "户籍表")
    upload = _upload([["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]])
    response = _post(login(users["supervisor_1"]), upload, profile=str(profile.pk))
    assert "与来源部门不符" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_the_page_shows_progress_while_the_rows_are_saved_in_one_transaction(
    login, users, place, monkeypatch, django_capture_on_commit_callbacks
):
    """The save stage runs in one transaction; the page reads the progress file, not the row."""
    client = login(users["supervisor_1"])
    rows = [
        ["姓名", "出生日期", "性别"],
        ["张三", "2015-01-01", "男"],
        ["李四", "2016-02-02", "女"],
    ]
    job = _submit(
        client, django_capture_on_commit_callbacks, _upload(rows), village=place.village_a.code
    )
    depth = len(connection.atomic_blocks)
    seen = []

    def importing(**kwargs):
        report_progress = kwargs["progress"]

        def progress(stage, done, total):
            report_progress(stage, done, total)
            if stage == "写入与关联" and not seen:
                assert len(connection.atomic_blocks) > depth  # inside the importer's transaction
                row = ImportJob.objects.values("stage", "done", "total").get(pk=job.pk)
                assert row == {"stage": "读取文件", "done": 0, "total": 0}
                url = reverse("ingest:import_job", args=[job.pk])
                seen.append(client.get(url, HTTP_HX_REQUEST="true").content.decode())

        return roster_import(**kwargs | {"progress": progress})

    monkeypatch.setattr(jobs, "roster_import", importing)
    jobs.import_job_run(job.pk)

    assert "写入与关联" in seen[0] and "0 / 2 行" in seen[0] and 'hx-trigger="every 1s"' in seen[0]
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and (job.done, job.total) == (2, 2)
    assert not (Path(settings.MEDIA_ROOT) / job.file).parent.exists()  # upload and progress


def test_the_progress_file_is_replaced_whole_and_removed_when_the_job_ends(users, media):
    job = import_job_build(users["supervisor_1"], status=JobStatus.RUNNING, stage="读取文件")
    folder = Path(media) / job.file
    folder.parent.mkdir(parents=True)
    progress = jobs._ProgressFile(job)
    progress("校验", 500, 2000)
    state = jobs.import_job_state(job)
    assert (state.stage_label, state.done, state.total, state.percent) == ("校验", 500, 2000, 25)
    assert [p.name for p in folder.parent.iterdir()] == [f"progress-{job.pk}.json"]  # no temp
    progress.remove()
    assert jobs.import_job_state(job).stage == "读取文件"  # the row again


def test_a_progress_file_that_cannot_be_read_or_written_leaves_the_row_and_the_import(users, media):
    job = import_job_build(users["supervisor_1"], status=JobStatus.RUNNING, stage="读取文件")
    jobs._ProgressFile(job)("校验", 1, 2)  # the folder is gone: logged, not raised
    folder = (Path(media) / job.file).parent
    folder.mkdir(parents=True)
    (folder / f"progress-{job.pk}.json").write_text("{half")
    assert jobs.import_job_state(job).stage == "读取文件"


def test_an_unexpected_error_fails_the_job(users, monkeypatch):
    job = import_job_build(users["supervisor_1"])

    def broken(**kwargs):
        raise RuntimeError("磁盘坏了")

    monkeypatch.setattr(jobs, "roster_import", broken)
    with pytest.raises(RuntimeError):
        jobs.import_job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "磁盘坏了" in job.error
    assert job.finished_at is not None


def test_a_finished_job_is_not_run_again(users):
    job = import_job_build(users["supervisor_1"], status=JobStatus.DONE)
    assert jobs.import_job_run(job.pk).status == JobStatus.DONE


def test_the_submission_is_audited(login, users, place, django_capture_on_commit_callbacks):
    upload = _upload([["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]])
    _submit(login(users["supervisor_1"]), django_capture_on_commit_callbacks, upload)
    assert AuditEvent.objects.filter(object_type="ingest.importjob").count() == 1


@pytest.mark.parametrize("who", ["supervisor_2", "director_a", "carer_a"])
def test_it_is_not_found_outside_the_node(login, users, who):
    job = import_job_build(users["supervisor_1"], report={"errors": ["第 2 行 姓名:不能为空"]})
    client = login(users[who])
    url = reverse("ingest:import_job", args=[job.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(reverse("ingest:profile_create") + f"?job={job.pk}").status_code == 404


def test_the_list_shows_the_node_and_below(login, users):
    import_job_build(users["supervisor_1"], file_name="蒲亭镇名册.xlsx")
    import_job_build(users["supervisor_2"], file_name="聂桥镇名册.xlsx")
    mine = login(users["supervisor_1"]).get(reverse("ingest:import_job_list")).content.decode()
    assert "蒲亭镇名册" in mine and "聂桥镇名册" not in mine
    county = login(users["county"]).get(reverse("ingest:import_job_list")).content.decode()
    assert "蒲亭镇名册" in county and "聂桥镇名册" in county


@pytest.mark.parametrize("who", ["carer_a", "director_a", "department"])
def test_carers_directors_and_departments_cannot_import(login, users, who):
    client = login(users[who])
    assert client.get(reverse("ingest:import_upload")).status_code == 404
    upload = _upload([["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]])
    assert _post(client, upload).status_code == 404
    assert ImportJob.objects.count() == 0
    assert client.get(reverse("ingest:import_job_list")).status_code == 404
    assert "上传名册" not in client.get("/").content.decode()


def test_the_menu_leads_importers_to_the_upload_page(login, users):
    body = login(users["supervisor_1"]).get("/").content.decode()
    assert reverse("ingest:import_upload") in body
    page = login(users["supervisor_1"]).get(reverse("ingest:import_upload")).content.decode()
    assert "只校验不导入" in page and "东风村" in page and "河东村" not in page
