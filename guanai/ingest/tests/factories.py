"""Builders for import-job tests (here and in the jurisdiction probe)."""

import io
import uuid

from guanai.accounts.models import User
from guanai.ingest.models import ImportJob, MappingProfile


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def import_job_build(user: User, **values) -> ImportJob:
    """A job as the upload page leaves it, on the user's node."""
    return ImportJob.objects.create(
        **{
            "source": "education",
            "file": "imports/none/名册.xlsx",
            "file_name": "名册.xlsx",
            "division_code": user.division.code if user.division_id else "",
            "created_by": user,
        }
        | values
    )


def stored_job_build(user: User, rows: list[list[object]] | None = None, **values) -> ImportJob:
    """A job with its upload on disk (in a folder of its own), as the upload page leaves it."""
    from guanai.ingest.jobs import IMPORT_DIR, job_path

    rows = rows or [["姓名", "出生日期", "性别"], ["张三", "2015-01-01", "男"]]
    job = import_job_build(user, file=f"{IMPORT_DIR}/{uuid.uuid4().hex}/学生名册.xlsx", **values)
    path = job_path(job)
    path.parent.mkdir(parents=True)
    path.write_bytes(xlsx_bytes(rows))
    return job


def profile_build(source: str = "education", name: str = "学校学籍表", **columns) -> MappingProfile:
    return MappingProfile.objects.create(
        source=source, name=name, columns=columns or {"学生名字": "name", "证件号": "id_number"}
    )


def csv_file(tmp_path, text: str, name: str = "roster.csv", encoding: str = "utf-8"):
    """A roster as a CSV file under the test's tmp_path."""
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path
