from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Department
from guanai.core.phones import PhoneField


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class UserCreateForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=[])
    division = forms.ModelChoiceField(label="所属区划", queryset=None, required=False)
    department = forms.ChoiceField(
        label="部门", choices=[("", "—"), *Department.choices], required=False
    )
    phone = PhoneField(label="联系电话", required=False)
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput, min_length=8)

    def __init__(self, *args, divisions, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions
        self.fields["role"].choices = roles

    def clean_password(self):
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password
