from django import forms
from django.utils.translation import gettext_lazy as _

from guanai.accounts.models import Department
from guanai.core.phones import PhoneField


class LoginForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput)


class UserCreateForm(forms.Form):
    username = forms.CharField(label=_("用户名"), max_length=150)
    full_name = forms.CharField(label=_("姓名"), max_length=50)
    role = forms.ChoiceField(label=_("角色"), choices=[])
    division = forms.ModelChoiceField(label=_("所属区划"), queryset=None, required=False)
    department = forms.ChoiceField(
        label=_("部门"), choices=[("", "—"), *Department.choices], required=False
    )
    phone = PhoneField(label=_("联系电话"), required=False)
    # Checked against the password policy by user_create (it needs the username).
    password = forms.CharField(
        label=_("初始密码"), widget=forms.PasswordInput, help_text=_("用户首次登录时须修改")
    )

    def __init__(self, *args, divisions, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = divisions
        self.fields["role"].choices = roles


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("验证码"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput)
    new_password = forms.CharField(
        label=_("新密码"),
        widget=forms.PasswordInput,
        help_text=_(
            "至少 10 位,包含大写字母、小写字母、数字、符号中的至少 3 类,不能包含用户名,不能与最近 5 次的密码相同"
        ),
    )
    new_password_again = forms.CharField(label=_("再次输入新密码"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password") != data.get("new_password_again"):
            self.add_error("new_password_again", _("两次输入的新密码不一致"))
        return data


class PasswordConfirmForm(forms.Form):
    password = forms.CharField(label=_("当前密码"), widget=forms.PasswordInput)
