"""The API answers in the language the caller chose (the language cookie, as on the pages);
the audit log keeps the refusal in Chinese."""

import re

import pytest
from django.conf import settings

from guanai.audit.models import Action, AuditEvent
from guanai.care.testing import pairing_build

pytestmark = pytest.mark.django_db
HAN = re.compile(r"[\u3400-\u9fff]")


@pytest.fixture
def english(call):
    call.client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return call


def test_an_outsiders_refusal_is_english_for_the_caller_and_chinese_in_the_log(
    english, users, children
):
    response = english(users["director_a"], "get", f"/children/{children['b'].pk}")
    assert response.status_code == 404
    detail = response.json()["detail"]
    assert detail and not HAN.search(detail)
    refused = AuditEvent.objects.get(actor=users["director_a"], action=Action.REFUSED)
    assert HAN.search(refused.detail) and detail not in refused.detail


def test_a_role_that_may_not_reveal_is_told_so_in_english(english, users, children):
    pairing_build(children["a"], users["carer_a"])
    response = english(users["carer_a"], "get", f"/children/{children['a'].pk}?reveal=1")
    assert response.status_code == 403
    assert response.json()["detail"] == "Your role may not see sensitive information in full"
    refused = AuditEvent.objects.get(actor=users["carer_a"], action=Action.REFUSED)
    assert refused.detail.endswith(":您的角色不能查看完整的敏感信息")
