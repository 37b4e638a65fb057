"""Background tasks (django-tasks). Thin: each calls a service."""

from django_tasks import task

from guanai.care.reminders import care_daily


@task()
def care_daily_task() -> dict:
    """Daily: materialise due items around today and write reminders into notices."""
    result = care_daily()
    return {
        "inserted": result.materialised.inserted,
        "fulfilled": result.materialised.fulfilled,
        "cancelled": result.materialised.cancelled,
        "carer_notices": result.carer_notices,
        "staff_notices": result.staff_notices,
    }
