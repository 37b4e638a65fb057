import time

from django.core.management.base import BaseCommand

from guanai.synth.demo import TOTP_STEP, demo_totp_code


class Command(BaseCommand):
    help = "显示演示账户手机验证器的当前验证码(仅适用于 guanai demo 创建的演示账户)"

    def handle(self, *args, **options):
        left = TOTP_STEP - int(time.time()) % TOTP_STEP
        self.stdout.write(f"{demo_totp_code()}({left} 秒内有效)")
