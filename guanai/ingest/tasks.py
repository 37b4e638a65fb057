"""Background tasks (django-tasks). Thin: each calls a service."""

from django_tasks import task

from guanai.ingest.jobs import import_job_run


@task()
def import_task(job_id: int) -> dict:
    job = import_job_run(job_id)
    return {"job": job.pk, "status": job.status}
