import datetime

import pytest

from guanai.accounts.scoping import NotScopable, scope
from guanai.audit.models import AuditEvent
from guanai.care.models import CarerKind, Pairing
from guanai.registry.models import Child


def names(user):
    return set(scope(user, Child.objects.all()).values_list("name", flat=True))


@pytest.mark.django_db
def test_each_role_sees_its_node(users, children):
    assert names(users["director_a"]) == {"张小明"}
    assert names(users["director_b"]) == {"李小红"}
    assert names(users["supervisor_1"]) == {"张小明", "李小红"}
    assert names(users["supervisor_2"]) == {"王小刚"}
    assert names(users["county"]) == {"张小明", "李小红", "王小刚"}
    assert names(users["department"]) == {"张小明", "李小红", "王小刚"}
    assert names(users["admin"]) == {"张小明", "李小红", "王小刚"}


@pytest.mark.django_db
def test_a_carer_sees_only_current_pairings(users, children):
    carer = users["carer_a"]
    assert names(carer) == set()
    today = datetime.date.today()
    pairing = Pairing.objects.create(
        child=children["a"],
        carer=carer,
        kind=CarerKind.CARING_MOTHER,
        start_date=today - datetime.timedelta(days=30),
    )
    assert names(carer) == {"张小明"}
    pairing.end_date = today - datetime.timedelta(days=1)
    pairing.save()
    assert names(carer) == set()


@pytest.mark.django_db
def test_a_user_without_a_node_sees_nothing(users, children):
    user = users["director_a"]
    user.division = None
    assert names(user) == set()


@pytest.mark.django_db
def test_an_inactive_user_sees_nothing(users, children):
    user = users["county"]
    user.is_active = False
    assert names(user) == set()


def test_a_model_without_scope_cannot_be_scoped(db, users):
    with pytest.raises(NotScopable):
        scope(users["county"], AuditEvent.objects.all())
