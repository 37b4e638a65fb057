"""Search by characters: full name, surname or given name, each served by an index."""

from importlib import import_module
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from guanai.registry.forms import initial_from_child
from guanai.registry.models import Child
from guanai.registry.names import given_name
from guanai.registry.selectors import ChildFilters, child_list_for, text_query
from guanai.registry.services import child_register, child_update
from guanai.registry.tests.test_services import base_data, number
from guanai.testing.factories import child_build

pytestmark = pytest.mark.django_db


@pytest.fixture
def named(place):
    return {
        name: child_build(place.village_a, name)
        for name in ("欧阳小雪", "欧小雪", "张小明", "张明", "司马光", "李光明")
    }


def found(user, text):
    return {c.name for c in child_list_for(user, ChildFilters(text=text))}


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("欧阳小雪", {"欧阳小雪"}),  # full name
        ("张小明", {"张小明"}),
        ("张", {"张小明", "张明"}),  # surname
        ("欧阳", {"欧阳小雪"}),  # compound surname
        ("司马", {"司马光"}),
        ("小雪", {"欧阳小雪", "欧小雪"}),  # given name, after a compound or a single surname
        ("小明", {"张小明"}),
        ("明", {"张明"}),
        ("光", {"司马光"}),
        ("光明", {"李光明"}),
        ("张小", {"张小明"}),  # the start of a full name, as typed
    ],
)
def test_it_finds_by_full_name_surname_or_given_name(users, named, text, names):
    assert found(users["county"], text) == names


def test_it_does_not_match_the_middle_of_a_name(users, named):
    # The price of an indexable search: part of a given name is no longer a substring match.
    assert found(users["county"], "阳小") == set()


def test_the_hanzi_search_has_no_substring_condition():
    sql = str(Child.objects.filter(text_query("小雪")).query)
    assert "%小雪%" not in sql and "given_name" in sql


def test_the_list_view_finds_by_given_name(client, users, named):
    client.force_login(users["county"])
    body = client.get(reverse("registry:child_list"), {"q": "小雪"}).content.decode()
    assert "欧阳小雪" in body and "张小明" not in body


def test_registering_and_editing_a_child_sets_the_given_name(users, place):
    child = child_register(
        actor=users["director_a"], village=place.village_a, data=base_data(name=" 欧阳思雨 ")
    )
    child.refresh_from_db()
    assert (child.name, child.given_name) == ("欧阳思雨", "思雨")
    data = initial_from_child(child) | {"name": "司马思雨", "id_number": number()}
    child_update(actor=users["director_a"], child=child, version=child.version, data=data)
    child.refresh_from_db()
    assert child.given_name == "思雨"
    assert not any("given_name" in key for key in child.revisions.latest("number").changes)


def test_a_seeded_child_has_its_given_name():
    call_command("seed", county_code="511321", children=200, seed=3, stdout=StringIO())
    rows = list(Child.objects.values_list("name", "given_name"))
    assert len(rows) == 200
    assert all(given and name.endswith(given) and len(given) < len(name) for name, given in rows)
    assert all(given == given_name(name) for name, given in rows)


def test_the_migration_fills_existing_rows(place, monkeypatch):
    migration = import_module("guanai.registry.migrations.0003_child_given_name")
    children = [child_build(place.village_a, n) for n in ("欧阳小雪", "张小明", "李红")]
    Child.objects.update(given_name="")

    class Editor:  # what RunPython hands the function: only .connection is used
        pass

    editor = Editor()
    editor.connection = connection
    monkeypatch.setattr(migration, "BATCH", 2)  # several ranges of primary keys
    migration.fill_given_names(apps, editor)
    assert dict(Child.objects.values_list("pk", "given_name")) == {
        children[0].pk: "小雪",
        children[1].pk: "小明",
        children[2].pk: "红",
    }


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the index is PostgreSQL's own")
def test_the_start_of_a_name_is_read_from_the_pattern_index_under_any_collation(users, named):
    # The test database's collation may not be C: only an index with the pattern operator
    # class can answer LIKE '张%' then. Scans switched off, so the plan shows what it can use.
    sql, params = Child.objects.filter(text_query("张")).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "child_name_prefix" in plan
    assert found(users["county"], "张") == {"张小明", "张明"}
