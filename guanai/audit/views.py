from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guanai.audit.decorators import search_audited
from guanai.audit.models import Action
from guanai.audit.selectors import audit_event_list_for


class AuditSearchForm(forms.Form):
    q = forms.CharField(label="用户/对象/地址", required=False)
    action = forms.ChoiceField(
        label="操作", choices=[("", "全部"), *Action.choices], required=False
    )
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_GET
@search_audited("审计日志查询", "audit.auditevent")
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    events = audit_event_list_for(
        request.user,
        text=criteria.get("q", ""),
        action=criteria.get("action", ""),
        date_from=criteria.get("date_from"),
        date_to=criteria.get("date_to"),
    )
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "page": page,
            "nav_active": "audit",
            "query_string": request.GET.urlencode(),
        },
    )
