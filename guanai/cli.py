"""The `guanai` console command: manage.py for an installed guanai."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guanai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["guanai", *(sys.argv[1:] if argv is None else argv)])
