"""`guanai care remind|materialise|terms`: the care jobs, for cron as well as the task queue."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError

from guanai.care.due import due_items_materialise
from guanai.care.reminders import care_daily
from guanai.care.services import terms_set_standard
from guanai.geo.models import Division, Level


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"日期格式应为 YYYY-MM-DD:{text}") from exc


class Command(BaseCommand):
    help = "关爱任务:生成到期任务、发送提醒、设置学期"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        remind = sub.add_parser("remind", help="每日运行:生成任务并提醒(可由 cron 调用)")
        remind.add_argument("--date", type=_day, default=None, help="按哪一天运行(默认今天)")
        remind.add_argument(
            "--enqueue", action="store_true", help="放入后台任务队列,而不是立即运行"
        )
        mat = sub.add_parser("materialise", help="为一段日期生成到期任务(可重复运行)")
        mat.add_argument("--start", type=_day, required=True)
        mat.add_argument("--end", type=_day, required=True)
        mat.add_argument("--prefix", default="", help="只处理该区划代码下的儿童")
        terms = sub.add_parser(
            "terms", help="为县(区)设置常规学期(春季 3/1-7/10,秋季 9/1-次年1/20)"
        )
        terms.add_argument("--county-code", required=True)
        terms.add_argument("--year", type=int, required=True)

    def handle(self, *args, **options):
        action = options["action"]
        if action == "remind":
            if options["enqueue"]:
                from guanai.care.tasks import care_daily_task

                result = care_daily_task.enqueue()
                self.stdout.write(f"已加入任务队列:{result.id}")
                return
            done = care_daily(on=options["date"])
            m = done.materialised
            self.stdout.write(
                f"新任务 {m.inserted},补记完成 {m.fulfilled},取消 {m.cancelled};"
                f"提醒结对人 {done.carer_notices} 人,提醒工作人员 {done.staff_notices} 人"
            )
        elif action == "materialise":
            if options["end"] < options["start"] or options["end"] - options["start"] > timedelta(
                days=800
            ):
                raise CommandError("日期范围不对(结束应晚于开始,且不超过两年)")
            m = due_items_materialise(
                start=options["start"], end=options["end"], prefix=options["prefix"]
            )
            self.stdout.write(f"新任务 {m.inserted},补记完成 {m.fulfilled},取消 {m.cancelled}")
        else:
            county = Division.objects.filter(
                code=options["county_code"], level=Level.COUNTY
            ).first()
            if county is None:
                raise CommandError(f"没有这个县(区):{options['county_code']}")
            made = terms_set_standard(actor=None, county=county, year=options["year"])
            self.stdout.write(f"已设置学期 {len(made)} 个")
