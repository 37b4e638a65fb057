from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "guanai.geo"
    verbose_name = "行政区划"
