"""Chinese for pydantic's complaints about a request: what is wrong, with the field named."""

from typing import Any

_BY_TYPE = {
    "missing": "必须填写",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "int_parsing_size": "数值过大",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为字符串",
    "string_unicode": "应为有效的文字",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不对,应符合 {pattern}",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "literal_error": "应为以下之一:{expected}",
    "date_type": "应为 YYYY-MM-DD 格式的日期字符串",
    "date_parsing": "应为 YYYY-MM-DD 格式的日期字符串",
    "date_from_datetime_parsing": "应为 YYYY-MM-DD 格式的日期字符串",
    "date_from_datetime_inexact": "应为 YYYY-MM-DD 格式的日期字符串",
    "model_attributes_type": "请求体应为 JSON 对象",
    "model_type": "请求体应为 JSON 对象",
    "dict_type": "请求体应为 JSON 对象",
    "json_invalid": "不是有效的 JSON",
    "json_type": "不是有效的 JSON",
    "extra_forbidden": "不是本接口的字段",
    "iso_date": "应为 YYYY-MM-DD 格式的日期字符串,如 2015-03-08",
}


def field_of(error: dict[str, Any]) -> str | None:
    """The field an error is about: the last name in its location (not "body" or "query")."""
    names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
    names = [name for name in names if name not in {"body", "query", "path"}]
    return names[-1] if names else None


def explain(error: dict[str, Any]) -> str:
    """One error of pydantic's list, in Chinese: "offset:不能大于 1000000000"."""
    template = _BY_TYPE.get(error.get("type", ""))
    context = error.get("ctx") or {}
    if template is None:
        # Our own validators (dates, phones) raise their message in Chinese already.
        cause = context.get("error")
        message = str(cause) if cause is not None else f"不符合接口格式({error.get('msg', '')})"
    else:
        message = template.format_map({key: str(value) for key, value in context.items()})
    field = field_of(error)
    return f"{field}:{message}" if field else message
