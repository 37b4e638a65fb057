from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "guanai.synth"
    verbose_name = "合成演示数据"
