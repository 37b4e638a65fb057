"""Forms of the upload and mapping-profile pages (the services check everything again)."""

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from guanai.geo.models import Division
from guanai.ingest.models import MappingProfile, Source
from guanai.ingest.profiles import field_choices
from guanai.ingest.submissions import SUFFIXES

# The browser's date input reads and writes ISO dates, whatever the language.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Source names are stored in Chinese (models.Source); the forms show them translated.
SOURCES = [("", "---------"), *((value, _(label)) for value, label in Source.choices)]


class UploadForm(forms.Form):
    required_css_class = "required"
    # Filled from the query string when a rejected file is uploaded again, corrected.
    AGAIN = ("source", "profile", "village", "as_of", "own_rows_only")

    file = forms.FileField(
        label=_("名册文件"),
        help_text=_("xlsx、xls 或 csv;表头上方的标题、每村一个工作表、合并单元格都可以"),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(SUFFIXES)}),
    )
    source = forms.ChoiceField(label=_("来源部门"), choices=SOURCES)
    profile = forms.ChoiceField(
        label=_("表头对应方案"),
        required=False,
        help_text=_("文件表头与常用写法不同时选择;须属于所选来源部门"),
    )
    village = forms.ChoiceField(
        label=_("默认村(居)"),
        required=False,
        help_text=_("文件没有村(居)列时,每行都归入此村;不选则按住址中的村名或档案所在村"),
    )
    as_of = forms.DateField(
        label=_("名册日期"), required=False, widget=DATE, help_text=_("部门导出名册的日期;默认今天")
    )
    dry_run = forms.BooleanField(label=_("只校验不导入"), required=False)
    own_rows_only = forms.BooleanField(
        label=_("只导入本辖区的行"),
        required=False,
        help_text=_("全县(或更大范围)的名册:本辖区以外各村的行不导入,只列出行号"),
    )

    def __init__(self, *args, profiles, villages, **kwargs):
        super().__init__(*args, **kwargs)
        by_source: dict[str, list[tuple[str, str]]] = {}
        for p in profiles:
            by_source.setdefault(gettext(p.get_source_display()), []).append((str(p.pk), p.name))
        self.fields["profile"].choices = [("", _("(不使用)")), *by_source.items()]
        by_township: dict[str, list[tuple[str, str]]] = {}
        for v in villages:
            group = v.parent.name if v.parent_id else ""
            by_township.setdefault(group, []).append((v.code, v.name))
        self.fields["village"].choices = [
            ("", _("(按文件中的村(居)列或住址)")),
            *by_township.items(),
        ]
        self.profiles = {str(p.pk): p for p in profiles}

    def clean_profile(self) -> MappingProfile | None:
        value = self.cleaned_data.get("profile")
        return self.profiles.get(value) if value else None


class ProfileForm(forms.Form):
    required_css_class = "required"

    source = forms.ChoiceField(label=_("来源部门"), choices=SOURCES)
    name = forms.CharField(label=_("方案名称"), max_length=50)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["source"]


class HeaderRowForm(forms.Form):
    header = forms.CharField(label=_("表头"), max_length=100, required=False)
    field = forms.ChoiceField(label=_("字段"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("(不导入)")), *field_choices()]


HeaderRowFormSet = forms.formset_factory(HeaderRowForm, extra=3, max_num=100, absolute_max=100)


def villages_choice(node: Division | None):
    """The villages a user may name as default: under their node (all for the administrator)."""
    from guanai.geo.models import Level
    from guanai.geo.selectors import villages_under

    qs = villages_under(node) if node else Division.objects.filter(level=Level.VILLAGE)
    return qs.select_related("parent").order_by("code")
