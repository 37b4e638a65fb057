"""Small builders for tests: a county with two townships of two villages each, users, children."""

import itertools
from dataclasses import dataclass
from datetime import date
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image

from guanai.accounts.models import Department, Role, User
from guanai.accounts.services import user_create
from guanai.geo.models import Division
from guanai.geo.services import DivisionRow, divisions_load, infer_level
from guanai.registry import idnumber
from guanai.registry.choices import AttachmentKind
from guanai.registry.models import Attachment, Child, Household
from guanai.registry.names import name_initials, name_pinyin

PASSWORD = "Test-pass-9173"
COUNTY = "360426"  # 江西省九江市德安县 (a real GB/T 2260 code; the names below are invented)


@dataclass
class Place:
    county: Division
    township_1: Division
    township_2: Division
    village_a: Division  # in township_1
    village_b: Division  # in township_1, sibling of A
    village_c: Division  # in township_2


def place_build() -> Place:
    rows = [
        ("360000", "江西省"),
        ("360400", "九江市"),
        (COUNTY, "德安县"),
        (f"{COUNTY}001", "蒲亭镇"),
        (f"{COUNTY}002", "聂桥镇"),
        (f"{COUNTY}001001", "东风村"),
        (f"{COUNTY}001002", "青石村"),
        (f"{COUNTY}002001", "河东村"),
    ]
    divisions_load([DivisionRow(code=c, name=n, level=infer_level(c)) for c, n in rows])
    get = Division.objects.get
    return Place(
        county=get(code=COUNTY),
        township_1=get(code=f"{COUNTY}001"),
        township_2=get(code=f"{COUNTY}002"),
        village_a=get(code=f"{COUNTY}001001"),
        village_b=get(code=f"{COUNTY}001002"),
        village_c=get(code=f"{COUNTY}002001"),
    )


def user_build(username: str, role: Role, division: Division | None, **extra) -> User:
    return user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        role=role,
        division=division,
        full_name=extra.pop("full_name", username),
        must_change_password=extra.pop("must_change_password", False),
        **extra,
    )


# ID-number sequence numbers; each test rolls back, so they may repeat across tests (not within one).
_sequence = itertools.cycle(range(1, 500))


def child_build(
    village: Division,
    name: str = "张小明",
    *,
    birth: date = date(2015, 3, 9),
    sex: str = "M",
    with_id: bool = True,
    household: Household | None = None,
) -> Child:
    household = household or Household.objects.create(
        division=village, division_code=village.code, address=f"{village.name}一组1号"
    )
    number = (
        idnumber.make(region_code=COUNTY, birth_date=birth, sequence=next(_sequence), sex=sex)
        if with_id
        else None
    )
    return Child.objects.create(
        household=household,
        division=village,
        division_code=village.code,
        name=name,
        name_pinyin=name_pinyin(name),
        name_initials=name_initials(name),
        id_number=number,
        id_number_tail=(number or "")[-6:],
        birth_date=birth,
        sex=sex,
    )


def standard_users(place: Place) -> dict[str, User]:
    return {
        "director_a": user_build("director_a", Role.CHILD_DIRECTOR, place.village_a),
        "director_b": user_build("director_b", Role.CHILD_DIRECTOR, place.village_b),
        "director_c": user_build("director_c", Role.CHILD_DIRECTOR, place.village_c),
        "supervisor_1": user_build("supervisor_1", Role.CHILD_SUPERVISOR, place.township_1),
        "supervisor_2": user_build("supervisor_2", Role.CHILD_SUPERVISOR, place.township_2),
        "county": user_build("county", Role.CIVIL_AFFAIRS, place.county),
        "department": user_build(
            "department", Role.DEPARTMENT, place.county, department=Department.EDUCATION
        ),
        "carer_a": user_build("carer_a", Role.CARER, place.village_a),
        "admin": user_build("admin", Role.ADMIN, None),
    }


def image_bytes(image_format: str = "JPEG", size: tuple[int, int] = (64, 48)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, image_format)
    return out.getvalue()


def attachment_build(
    child: Child,
    *,
    kind: str = AttachmentKind.PHOTO,
    content: bytes | None = None,
    name: str = "照片.jpg",
    caption: str = "",
) -> Attachment:
    """An attachment stored as an upload would be (point MEDIA_ROOT at a temporary folder)."""
    return Attachment.objects.create(
        child=child,
        kind=kind,
        file=ContentFile(image_bytes() if content is None else content, name=name),
        caption=caption,
    )
