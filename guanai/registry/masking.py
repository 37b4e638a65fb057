"""Masking of identity numbers, phones and health facts for roles that do not need them."""

from guanai.registry.idnumber import mask as mask_id_number

MASK = "******"


def mask_phone(phone: str) -> str:
    digits = phone.strip()
    if len(digits) < 7:
        return "*" * len(digits)
    return f"{digits[:3]}****{digits[-4:]}"


def mask_text(value: str) -> str:
    return MASK if value else ""


__all__ = ["mask_id_number", "mask_phone", "mask_text", "MASK"]
