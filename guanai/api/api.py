"""JSON API v1 for other departments' systems: children and households, read and write.

Thin on purpose: every read goes through the registry selectors (jurisdiction scoping), every
write through the registry services (rules, history, audit), every child's file through the page
form. An outsider gets 404, never 403; a role that may not write gets 403.
"""

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, ValidationError
from ninja.renderers import JSONRenderer

from guanai.accounts import permissions
from guanai.accounts.models import User
from guanai.api.auth import TokenAuth
from guanai.api.docs import docs_login_required
from guanai.api.messages import explain, field_of
from guanai.api.schemas import (
    ChildFile,
    ChildIn,
    ChildPage,
    ChildPatch,
    ChildQuery,
    DeactivateIn,
    HouseholdDetail,
    HouseholdPage,
    HouseholdQuery,
    Problem,
    child_file,
    is_sensitive,
)
from guanai.audit.models import Action
from guanai.audit.refusals import refusal_noted
from guanai.audit.services import audit
from guanai.core.errors import AccessDenied, DomainError, Message, NotForRole
from guanai.geo.models import Division
from guanai.registry import selectors, services
from guanai.registry.forms import ChildFileForm, DeactivateForm, initial_from_child
from guanai.registry.models import Child
from guanai.registry.presenters import file_key_section
from guanai.registry.selectors import ChildFilters

DESCRIPTION = """\
供其他部门系统调用的儿童与家庭档案接口。

- 认证:请求头 `Authorization: Bearer <令牌>`。令牌由管理员用 `guanai api_token create` 创建,
  代表一个用户,权限与管辖范围同该用户。本说明页与 `openapi.json` 须登录或带令牌访问。
- 管辖范围之外的档案一律返回 404;角色无权修改返回 403。
- 身份证号、电话、残疾与健康信息默认遮蔽;有权限的角色读取单个档案时加 `?reveal=1` 可看完整信息(记入审计)。
- 每次读取、修改均记入审计日志。
- 错误返回 `{"detail": "中文说明", "field": "出错字段"}`:422 数据不符合要求,409 档案已被他人修改。
- 日期一律写成 `YYYY-MM-DD` 字符串;电话为 11 位手机号或带区号的固定电话(全角数字、空格自动规范);
  分页 `offset` 最大 1000000000,超过总数时返回空页。
"""


class JSONRendererUTF8(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="关爱 · 儿童关爱保护一人一档 接口",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    auth=TokenAuth(),
    renderer=JSONRendererUTF8(),
    # The docs page only with ninja's bundled Swagger UI, which ninja serves when "ninja" is in
    # INSTALLED_APPS; otherwise it would load Swagger from a CDN, unreachable here (docs/decisions/0002).
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
    docs_decorator=docs_login_required,
)

READ: dict[int, Any] = {401: Problem, 404: Problem}
WRITE: dict[int, Any] = READ | {403: Problem, 422: Problem}


def _problem(request: HttpRequest, status: int, detail: Message, field: str | None = None, **more):
    return api.create_response(request, {"detail": detail, "field": field, **more}, status=status)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = _problem(request, 401, exc.message)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(AccessDenied)
def _not_found(request: HttpRequest, exc: AccessDenied) -> HttpResponse:
    refusal_noted(request, exc.message)  # the audit row keeps it in Chinese
    return _problem(request, 404, exc.message)


@api.exception_handler(NotForRole)
def _forbidden(request: HttpRequest, exc: NotForRole) -> HttpResponse:
    refusal_noted(request, exc.message)
    return _problem(request, 403, exc.message)


@api.exception_handler(services.StaleEdit)
def _stale(request: HttpRequest, exc: services.StaleEdit) -> HttpResponse:
    return _problem(request, 409, exc.message, exc.field)


@api.exception_handler(DomainError)
def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return _problem(request, 422, exc.message, exc.field)


@api.exception_handler(ValidationError)
def _malformed(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    detail = f"请求数据不符合接口格式:{explain(first)}"
    return _problem(request, 422, detail, field_of(first), errors=exc.errors)


def _require(allowed: bool, message: Message) -> None:
    if not allowed:
        raise NotForRole(message)


def _page(user: User, items: QuerySet, query: Schema, what: str) -> dict[str, Any]:
    """One page of a scoped list; the call is audited once, with its filter."""
    count = items.count()
    params = urlencode(query.model_dump(exclude_defaults=True)) or "无筛选"
    audit(
        actor=user,
        action=Action.API,
        object_type=items.model._meta.label_lower,
        label=what,
        detail=f"接口{what}:{params},共 {count} 条",
    )
    page = list(items[query.offset : query.offset + query.limit])
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": page}


def _cleaned(form) -> dict[str, Any]:
    """The form's cleaned data, or its first error as a DomainError (422)."""
    if form.is_valid():
        return form.cleaned_data
    field, messages = next(iter(form.errors.items()))
    if field == NON_FIELD_ERRORS:
        raise DomainError(messages[0])
    raise DomainError(
        _("%(label)s:%(error)s"), field=field, label=form.fields[field].label, error=messages[0]
    )


def _file_data(user: User, sent: dict[str, Any], base: dict[str, Any] | None = None):
    """What the client sent over `base` (the file as it is), validated by the page form."""
    for key, value in sent.items():
        if is_sensitive(key) and isinstance(value, str) and "*" in value:
            raise DomainError(_("这是遮蔽后的值,不能写回档案;不修改的字段请不要提交"), field=key)
    cleaned = _cleaned(ChildFileForm((base or {}) | sent, schools=selectors.school_list_for(user)))
    if base is None:  # a new file: what was not sent keeps the model's defaults (汉族, 未入学, ...)
        return {key: value for key, value in cleaned.items() if key in sent}
    return cleaned


def _village(user: User, code: str | None) -> Division:
    if not code:
        if user.division is None:
            raise DomainError(_("请填写所在村(居)的 12 位区划代码"), field="village")
        return user.division
    village = Division.objects.filter(code=code).first()
    if village is None:
        raise DomainError(_("没有区划代码为 %(code)s 的村(居)"), field="village", code=code)
    return village


def _child_to_change(user: User, child_id: int, refusal: Message) -> Child:
    """The child if in the user's jurisdiction (else 404) and the role may change files (else 403)."""
    child = selectors.child_get_for(user, child_id)
    _require(permissions.can_edit_children(user), refusal)
    return child


def _file(user: User, child_id: int) -> dict[str, Any]:
    """The file as it is after a write (masked; the writer already has what they sent)."""
    return child_file(selectors.child_get_for(user, child_id), reveal=False)


@api.get("/children", response={200: ChildPage, **READ}, url_name="child_list", tags=["儿童"])
def child_list(request, query: Query[ChildQuery]):
    """管辖范围内的儿童档案,可按姓名/拼音/身份证号、区划筛选,分页(每页最多 500)。"""
    filters = ChildFilters(
        text=query.q,
        division_code=query.division,
        include_inactive=query.include_inactive,
        missing_id=query.missing_id,
    )
    return _page(request.auth, selectors.child_list_for(request.auth, filters), query, "儿童列表")


@api.get(
    "/children/{child_id}",
    response={200: ChildFile, 403: Problem, **READ},
    url_name="child_get",
    tags=["儿童"],
)
def child_get(request, child_id: int, reveal: bool = False):
    """一名儿童的档案。`reveal=1` 显示完整敏感信息(限有权限的角色,记入审计)。"""
    user = request.auth
    child = selectors.child_get_for(user, child_id)
    if reveal:
        _require(permissions.can_reveal_sensitive(user), _("您的角色不能查看完整的敏感信息"))
    services.child_file_opened(actor=user, child=child, what="接口读取档案")
    if reveal:
        services.child_sensitive_revealed(actor=user, child=child)
    # A partner department gets the sections its work needs, as on the page (null otherwise).
    return {
        key: value
        for key, value in child_file(child, reveal=reveal).items()
        if permissions.can_see_file_section(user, file_key_section(key))
    }


@api.post("/children", response={201: ChildFile, **WRITE}, url_name="child_create", tags=["儿童"])
def child_create(request, body: ChildIn):
    """登记儿童(新家庭)。校验与登记页面相同。"""
    user = request.auth
    _require(permissions.can_register_children(user), _("您的角色不能登记儿童"))
    sent = body.model_dump(exclude_unset=True)
    village = _village(user, sent.pop("village", None))
    child = services.child_register(actor=user, village=village, data=_file_data(user, sent))
    return Status(201, _file(user, child.pk))


@api.patch(
    "/children/{child_id}",
    response={200: ChildFile, 409: Problem, **WRITE},
    url_name="child_update",
    tags=["儿童"],
)
def child_update(request, child_id: int, body: ChildPatch):
    """修改档案:只提交要改的字段和读取时的 `version`;值为 null 表示清空。"""
    user = request.auth
    child = _child_to_change(user, child_id, _("您的角色不能修改儿童档案"))
    sent = body.model_dump(exclude_unset=True)
    version = sent.pop("version")
    data = _file_data(user, sent, base=initial_from_child(child))
    services.child_update(actor=user, child=child, version=version, data=data)
    return _file(user, child_id)


@api.post(
    "/children/{child_id}/deactivate",
    response={200: ChildFile, **WRITE},
    url_name="child_deactivate",
    tags=["儿童"],
)
def child_deactivate(request, child_id: int, body: DeactivateIn):
    """注销档案(迁出、年满 18 周岁等):档案保留可查,不删除。"""
    user = request.auth
    child = _child_to_change(user, child_id, _("您的角色不能注销儿童档案"))
    data = _cleaned(DeactivateForm(body.model_dump()))
    services.child_deactivate(actor=user, child=child, **data)
    return _file(user, child_id)


@api.get(
    "/households", response={200: HouseholdPage, **READ}, url_name="household_list", tags=["家庭"]
)
def household_list(request, query: Query[HouseholdQuery]):
    """管辖范围内的家庭,可按区划筛选,分页(每页最多 500)。"""
    households = (
        selectors.household_list_for(request.auth)
        .filter(division_code__startswith=query.division)
        .select_related("division")
        .order_by("division_code", "id")
    )
    return _page(request.auth, households, query, "家庭列表")


@api.get(
    "/households/{household_id}",
    response={200: HouseholdDetail, **READ},
    url_name="household_get",
    tags=["家庭"],
)
def household_get(request, household_id: int):
    """一个家庭,及其中在您管辖范围内的儿童编号。"""
    user = request.auth
    household = selectors.household_get_for(user, household_id)
    household.child_ids = list(
        selectors.children_for(user)
        .filter(household=household)
        .order_by("id")
        .values_list("id", flat=True)
    )
    audit(actor=user, action=Action.VIEW, target=household, detail="接口读取家庭")
    return household
