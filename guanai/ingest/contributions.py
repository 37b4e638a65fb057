"""What ingest adds to the registry (see registry/extensions.py): the departments' values on
the file page."""

from guanai.registry import extensions


def register() -> None:
    extensions.file_panel_add(
        extensions.FilePanel(key="sources", order=30, template="ingest/_child_sources.html")
    )
