"""A backend named in GUANAI_NOTICE_BACKENDS that cannot be imported fails at start-up
(`guanai migrate`, `guanai serve`), not after the first notice is committed."""

from django.conf import settings
from django.core.checks import Error, register
from django.utils.module_loading import import_string


@register()
def notice_backends_import(app_configs, **kwargs) -> list[Error]:
    errors = []
    for path in getattr(settings, "NOTICE_BACKENDS", []):
        try:
            import_string(path)
        except ImportError as error:
            errors.append(
                Error(
                    f"GUANAI_NOTICE_BACKENDS 中的 {path} 无法导入:{error}",
                    hint="例如 guanai.notices.notify.ConsoleBackend 或 EmailBackend",
                    id="notices.E001",
                )
            )
    return errors
