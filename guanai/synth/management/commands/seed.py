"""`guanai seed --county-code CODE --children N --seed S`: a deterministic synthetic county.

Invented people only: names, ID numbers, phones and addresses are generated, never real.
"""

from django.core.management.base import BaseCommand, CommandError

from guanai.core.errors import DomainError
from guanai.synth.generator import SeedConfig
from guanai.synth.loader import SeedResult, county_seed, today_or


class Command(BaseCommand):
    help = "生成一个合成的县级区划:乡镇、村(居)、学校、家庭、父母、儿童与监护人(全部为虚构数据)"

    def add_arguments(self, parser):
        parser.add_argument("--county-code", required=True, help="6 位县级区划代码(须为现行代码)")
        parser.add_argument("--children", type=int, default=2000, help="儿童人数(默认 2000)")
        parser.add_argument("--seed", type=int, default=1, help="随机种子(默认 1)")
        parser.add_argument("--townships", type=int, help="乡镇(街道)数,默认按规模推算")
        parser.add_argument(
            "--villages-per-township", type=int, help="每个乡镇的村(居)数,默认按规模推算"
        )
        parser.add_argument("--today", help="基准日期 YYYY-MM-DD(计算年龄用,默认今天)")
        parser.add_argument(
            "--replace", action="store_true", help="先删除该县已有的儿童、家庭和学校数据"
        )
        parser.add_argument(
            "--chunk-size", type=int, default=20_000, help="每个事务写入的儿童数(默认 20000)"
        )

    def handle(self, *args, **options):
        code = (options["county_code"] or "").strip()
        if options["children"] < 0:
            raise CommandError("儿童人数不能为负数")
        if options["chunk_size"] < 1:
            raise CommandError("--chunk-size 应为正整数")
        verbosity = options["verbosity"]
        try:
            config = SeedConfig(
                county_code=code,
                children=options["children"],
                seed=options["seed"],
                today=today_or(options["today"]),
                townships=options["townships"],
                villages_per_township=options["villages_per_township"],
            )
            result = county_seed(
                config,
                replace=options["replace"],
                chunk_size=options["chunk_size"],
                progress=self._progress if verbosity >= 2 else None,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        if result.deleted_children:
            self.stdout.write(f"已删除原有儿童档案 {result.deleted_children} 份")
        self.stdout.write(
            f"{result.county_name}({result.county_code}):区划 {result.divisions} 个(新建或更新),"
            f"学校 {result.schools} 所,家庭 {result.households} 户,父母 {result.parents} 人,"
            f"儿童 {result.children} 名,监护人 {result.guardians} 条,"
            f"用时 {result.seconds:.1f} 秒"
        )

    def _progress(self, result: SeedResult) -> None:
        rate = result.children / result.seconds if result.seconds else 0
        self.stdout.write(f"  已写入儿童 {result.children} 名({rate:,.0f} 名/秒)")
