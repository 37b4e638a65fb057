"""Background tasks (django-tasks). Thin: each calls the runner of its job (jobs.py)."""

from django_tasks import task

from guanai.stats.jobs import report_run


@task()
def report_task(job_id: int) -> dict:
    job = report_run(job_id)
    return {"job": job.pk, "rows": job.rows}
