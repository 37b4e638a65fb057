"""Background tasks (django-tasks). Thin: each calls a service."""

from django_tasks import task

from guanai.stats.services import report_run


@task()
def report_task(job_id: int) -> dict:
    job = report_run(job_id)
    return {"job": job.pk, "rows": job.rows}
