"""The pairing card (爱心结对卡) as PDF, with WeasyPrint. Nothing is fetched: fonts come from
fontconfig ("Noto Sans CJK SC"), and any URL in the HTML is refused."""

from django.template.loader import render_to_string
from django.utils import timezone

from guanai.care.models import DutyTemplate, Pairing


class FetchRefused(ValueError):
    pass


def refuse_fetch(url: str, *args, **kwargs):
    raise FetchRefused(f"不加载外部资源: {url[:80]}")


def pairing_card_pdf(pairing: Pairing) -> bytes:
    from weasyprint import HTML

    duties = [
        t
        for t in DutyTemplate.objects.filter(active=True, per_child=True)
        if pairing.kind in t.carer_kinds
    ]
    html = render_to_string(
        "care/pairing_card.html",
        {
            "pairing": pairing,
            "child": pairing.child,
            "carer": pairing.carer,
            "duties": duties,
            "printed": timezone.localdate(),
        },
    )
    return HTML(string=html, base_url=None, url_fetcher=refuse_fetch).write_pdf()
