from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from guanai.audit.decorators import search_audited
from guanai.audit.models import Action
from guanai.audit.selectors import BIGGEST_ID, audit_event_list_for
from guanai.audit.subjects import file_subject
from guanai.core.paging import BoundedPaginator

PAGE_SIZE = 50


class AuditSearchForm(forms.Form):
    q = forms.CharField(label=_("用户/对象/地址"), required=False)
    actor = forms.CharField(label=_("用户名或姓名"), required=False, max_length=150)
    action = forms.ChoiceField(
        label=_("操作"), choices=[("", _("全部")), *Action.choices], required=False
    )
    child = forms.IntegerField(
        label=_("儿童档案编号"), required=False, min_value=1, max_value=BIGGEST_ID
    )
    date_from = forms.DateField(
        label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@require_GET
@search_audited("审计日志查询", "audit.auditevent")
def event_list(request):
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    # The file through its app's scoped getter: an outsider's number is refused (404).
    child = file_subject(request.user, criteria["child"]) if criteria.get("child") else None
    events = audit_event_list_for(
        request.user,
        text=criteria.get("q", ""),
        actor=criteria.get("actor", ""),
        action=criteria.get("action", ""),
        child=child,
        date_from=criteria.get("date_from"),
        date_to=criteria.get("date_to"),
    )
    if form.errors:
        events = events.none()  # a filter that did not read is not silently dropped
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/event_list.html",
        {
            "form": form,
            "child": child,
            "page": BoundedPaginator(events, PAGE_SIZE).get_page(request.GET.get("page")),
            "nav_active": "audit",
            "query_string": query.urlencode(),
        },
        status=400 if form.errors else 200,
    )
