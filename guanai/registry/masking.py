"""Masking of identity numbers, phones and health facts for roles that do not need them."""

from guanai.registry.idnumber import mask as mask_id_number

MASK = "******"
HEALTH_FIELDS = frozenset(
    {
        "disability_category",
        "disability_grade",
        "disability_cert_number",
        "serious_illness",
        "has_aids",
    }
)


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_text(value: str) -> str:
    return MASK if value else ""


def mask_field(field_name: str, value: str) -> str:
    """The value of a field (or prefixed key: father_id_number) as shown before revealing."""
    if field_name.endswith("id_number"):
        return mask_id_number(value)
    if field_name.endswith("phone"):
        return mask_phone(value)
    if field_name.endswith(tuple(HEALTH_FIELDS)):
        return mask_text(value)
    return value


__all__ = ["HEALTH_FIELDS", "MASK", "mask_field", "mask_id_number", "mask_phone", "mask_text"]
