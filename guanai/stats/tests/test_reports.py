"""Reports: queued as tasks, progress page, download only for users whose node covers it."""

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from guanai.audit.models import Action, AuditEvent
from guanai.registry.models import Child
from guanai.rules.services import registry_evaluate
from guanai.rules.tests.factories import left_behind_build
from guanai.stats.jobs import report_run
from guanai.stats.models import ReportJob, ReportKind, ReportStatus
from guanai.stats.testing import report_job_build

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.TASKS = IMMEDIATE


def download(client, job) -> list[tuple]:
    response = client.get(reverse("stats:report_download", args=[job.pk]))
    assert response.status_code == 200
    book = load_workbook(BytesIO(b"".join(response.streaming_content)))
    return list(book.active.iter_rows(values_only=True))


def test_a_request_runs_in_the_background_and_is_downloadable(
    login, users, place, children, django_capture_on_commit_callbacks
):
    client = login(users["supervisor_1"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("stats:report_list"),
            {
                "kind": ReportKind.QUARTERLY,
                "division": place.township_1.pk,
                "period_start": "2026-07-01",
                "period_end": "2026-09-30",
            },
        )
    job = ReportJob.objects.get()
    assert response.status_code == 302 and job.status == ReportStatus.DONE
    page = client.get(reverse("stats:report_status", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "下载 xlsx" in page.content.decode() and "every 2s" not in page.content.decode()
    rows = download(client, job)
    assert rows[1][0] == "区划"
    assert [r[0] for r in rows[2:5]] == ["东风村", "青石村", "合计(蒲亭镇)"]
    assert rows[6][0].startswith("口径")
    assert ReportJob.objects.get().rows == 3
    assert rows[4][1] == 2  # children in the township
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="stats.report").exists()


def test_a_queued_report_polls(login, users, place):
    job = report_job_build(place.township_1, users["supervisor_1"])
    body = login(users["supervisor_1"]).get(reverse("stats:report_status", args=[job.pk]))
    assert 'hx-trigger="every 2s"' in body.content.decode()


@pytest.mark.parametrize("username", ["director_a", "director_b", "supervisor_2", "carer_a"])
def test_outsiders_cannot_see_or_download_a_township_report(login, users, place, username):
    job = report_job_build(place.township_1, users["supervisor_1"])
    report_run(job.pk)
    client = login(users[username])
    assert client.get(reverse("stats:report_status", args=[job.pk])).status_code == 404
    assert client.get(reverse("stats:report_download", args=[job.pk])).status_code == 404


def test_director_a_cannot_request_village_bs_report(login, users, place):
    response = login(users["director_a"]).post(
        reverse("stats:report_list"),
        {
            "kind": ReportKind.YEARLY,
            "division": place.village_b.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )
    assert response.status_code == 200 and not ReportJob.objects.exists()


def test_the_left_behind_roster_is_formula_safe(login, users, place):
    left_behind_build(place.village_a, "=HYPERLINK(1)")
    left_behind_build(place.village_b, "李留守")
    registry_evaluate(as_of=date.today())
    assert Child.objects.count() == 2
    job = report_job_build(place.village_a, users["director_a"], ReportKind.LEFT_BEHIND_ROSTER)
    report_run(job.pk)
    rows = download(login(users["director_a"]), job)
    names = {value for row in rows[2:] for value in row}
    assert "'=HYPERLINK(1)" in names and "李留守" not in names


def test_the_yearly_summary_totals_its_rows(login, users, place, children):
    job = report_job_build(place.county, users["county"], ReportKind.YEARLY)
    report_run(job.pk)
    rows = download(login(users["county"]), job)
    assert [r[0] for r in rows[2:5]] == ["蒲亭镇", "聂桥镇", "合计(德安县)"]
    assert rows[4][1] == rows[2][1] + rows[3][1] == 3
    assert rows[4][2] == "未填报"


def ask_for_village_b_report(client, place):
    return client.post(
        reverse("stats:report_list"),
        {
            "node": place.village_b.code,
            "kind": ReportKind.YEARLY,
            "division": place.village_b.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-12-31",
        },
    )


def test_a_county_officer_can_report_on_a_village(login, users, place, children):
    client = login(users["county"])
    page = client.get(reverse("stats:report_list"), {"node": place.village_b.code})
    assert f'value="{place.village_b.pk}" selected' in page.content.decode()
    response = ask_for_village_b_report(client, place)
    assert response.status_code == 302
    assert ReportJob.objects.get().division == place.village_b


def test_director_a_cannot_ask_for_village_b_by_code(login, users, place):
    client = login(users["director_a"])
    response = ask_for_village_b_report(client, place)
    assert response.status_code == 200 and not ReportJob.objects.exists()
