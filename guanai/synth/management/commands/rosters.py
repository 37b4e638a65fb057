"""`guanai rosters --county-code CODE --out DIR`: sample departmental rosters of a seeded county.

The police, school, disabled persons' federation and civil-affairs rosters in the layouts those
departments send (see guanai/synth/rosters.py), to try the import page with. Synthetic only.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guanai.geo.models import Division, Level
from guanai.synth.rosters import department_rosters


class Command(BaseCommand):
    help = "按各部门常见格式,导出合成县的示例名册(公安、教育、残联、民政),用于试用导入"

    def add_arguments(self, parser):
        parser.add_argument("--county-code", required=True, help="6 位县级区划代码(须已生成)")
        parser.add_argument("--out", required=True, help="输出目录")
        parser.add_argument("--share", type=float, default=0.4, help="抽取的儿童比例(默认 0.4)")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(默认 1)")

    def handle(self, *args, county_code, out, share, seed, **options):
        if not Division.objects.filter(code=county_code, level=Level.COUNTY).exists():
            raise CommandError(f"县 {county_code} 还没有生成,请先运行 guanai seed")
        for path in department_rosters(Path(out), county_code, seed=seed, share=share):
            self.stdout.write(str(path))
