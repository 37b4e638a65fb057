"""Builders for tests (and the URL probe): report jobs."""

from datetime import date

from guanai.accounts.models import User
from guanai.geo.models import Division
from guanai.stats.models import ReportJob, ReportKind


def report_job_build(division: Division, user: User, kind: str = ReportKind.QUARTERLY) -> ReportJob:
    return ReportJob.objects.create(
        kind=kind,
        division=division,
        division_code=division.code,
        period_start=date(2026, 7, 1),
        period_end=date(2026, 9, 30),
        requested_by=user,
    )
