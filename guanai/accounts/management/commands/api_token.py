"""`guanai api_token create --user USERNAME --name NAME`, `guanai api_token revoke PREFIX`, `list`."""

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext_lazy

from guanai.accounts import tokens
from guanai.accounts.models import User
from guanai.core.errors import DomainError


def _when(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}" if moment else "-"


class Command(BaseCommand):
    help = "接口令牌(供其他部门系统调用 /api/v1/):创建、吊销、列出"

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="创建令牌,令牌只显示这一次")
        create.add_argument(
            "--user", required=True, help="令牌代表的用户名(权限与管辖范围同该用户)"
        )
        create.add_argument("--name", required=True, help="用途,例如“县教育局学籍系统”")
        revoke = actions.add_parser("revoke", help="吊销令牌")
        revoke.add_argument("prefix", help="令牌前 8 位(见 list)")
        actions.add_parser("list", help="列出全部令牌(不显示令牌本身)")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"_{action}")(**options)
        except DomainError as exc:
            raise CommandError(exc.message) from exc

    def _create(self, *, user, name, **_):
        owner = User.objects.filter(username=user).first()
        if owner is None:
            raise DomainError(gettext_lazy("没有用户名为“%(user)s”的账户"), user=user)
        token, key = tokens.token_create(actor=None, user=owner, name=name)
        self.stdout.write(
            f"已为 {owner.get_username()} 创建接口令牌“{token.name}”(前缀 {token.prefix})。"
        )
        self.stdout.write("令牌只显示这一次,请立即妥善保存:")
        self.stdout.write(key)

    def _revoke(self, *, prefix, **_):
        token = tokens.token_revoke(actor=None, prefix=prefix)
        self.stdout.write(
            f"已吊销 {token.user.get_username()} 的令牌“{token.name}”(前缀 {token.prefix})。"
        )

    def _list(self, **_):
        for token in tokens.token_list():
            state = f"已吊销 {_when(token.revoked_at)}" if token.revoked_at else "有效"
            self.stdout.write(
                f"{token.prefix}  {token.user.get_username()}  {token.name}  "
                f"创建 {_when(token.created_at)}  最近使用 {_when(token.last_used_at)}  {state}"
            )
