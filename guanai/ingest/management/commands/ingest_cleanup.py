"""guanai ingest_cleanup: delete uploaded rosters no import job needs any more (for cron, daily)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from guanai.ingest.jobs import import_files_cleanup


class Command(BaseCommand):
    help = (
        "删除不再需要的上传名册文件(出错任务和未正式导入的校验任务的文件保留 "
        f"{settings.IMPORT_KEEP_DAYS} 天),并把后台进程已停止的导入任务记为出错"
    )

    def handle(self, *args, **options):
        done = import_files_cleanup()
        self.stdout.write(
            f"删除上传文件 {done.files_deleted} 个;中断的导入任务记为出错 {done.jobs_failed} 个"
        )
