import os

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from guanai.accounts.passwords import password_generate
from guanai.accounts.scoping import unscoped_area, within
from guanai.care.bulk import care_bulk
from guanai.geo.models import Division, Level
from guanai.registry.models import Child
from guanai.synth.demo import DEMO_TOTP_SECRET, demo_accounts_ensure
from guanai.synth.rosters import department_rosters


class Command(BaseCommand):
    help = "准备演示县:没有数据时生成合成数据,并为每个角色创建演示账户"

    def add_arguments(self, parser):
        parser.add_argument("--county-code", default="360426")
        parser.add_argument("--children", type=int, default=3000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, county_code, children, seed, **options):
        demo_county = unscoped_area(county_code, purpose="seed")
        if not within(demo_county, Child.objects.all()).exists():
            self.stdout.write(f"生成演示县 {county_code}:{children} 名儿童 …")
            call_command("seed", county_code=county_code, children=children, seed=seed)
            # Categories and benefits, so the demo's lists and dashboards are not empty.
            call_command("rules", "evaluate", "--workers", "1")
            # Terms, pairings and this year's duties, three in four done up to today: every
            # role's landing page shows work done, due this week and overdue.
            care_bulk(county_code=county_code, year=timezone.localdate().year, seed=seed)
        county = Division.objects.filter(code=county_code, level=Level.COUNTY).first()
        if county is None:
            raise CommandError(f"未知的县级区划代码 {county_code}")
        rosters = settings.VAR_DIR / "demo-rosters"
        if not rosters.exists():
            # Files to try the import page with, in the layouts departments send.
            department_rosters(rosters, county_code, seed=seed)
        password = os.environ.get("GUANAI_DEMO_PASSWORD") or password_generate()
        accounts = demo_accounts_ensure(county, password)
        self.stdout.write("")
        self.stdout.write(f"演示账户(密码均为 {password}):")
        for account in accounts:
            mark = " *" if account.two_factor else ""
            self.stdout.write(f"  {account.username:<12} {account.role:<16} {account.node}{mark}")
        self.stdout.write("")
        self.stdout.write(
            "* 须两步验证:在手机验证器中手动添加密钥(基于时间)"
            f" {DEMO_TOTP_SECRET},或运行 `guanai demo_code` 显示当前验证码。"
        )
        self.stdout.write("")
        self.stdout.write(f"各部门示例名册(可在“导入”页面试用):{rosters}")
        self.stdout.write("打开 http://127.0.0.1:8000/ 登录。")
