from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guanai.core.errors import DomainError
from guanai.geo.services import divisions_load, parse_division_csv


class Command(BaseCommand):
    help = "从 CSV 区划表(列 code,name[,level][,urban])导入行政区划"

    def add_arguments(self, parser):
        parser.add_argument("csv_path")

    def handle(self, csv_path, **options):
        path = Path(csv_path)
        if not path.exists():
            raise CommandError(f"文件不存在: {path}")
        try:
            count = divisions_load(parse_division_csv(path.read_text(encoding="utf-8-sig")))
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已导入 {count} 个行政区划")
