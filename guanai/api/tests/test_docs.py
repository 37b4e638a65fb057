"""/api/v1/docs: ninja's bundled Swagger UI, served from our static files under our CSP."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_it_serves_the_docs_page_to_a_logged_in_user(client, users):
    client.force_login(users["county"])
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    assert b'id="swagger-ui"' in response.content


def test_it_sends_an_anonymous_visitor_to_the_login_page(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/v1/docs"


def test_it_serves_the_docs_page_to_a_token(client, users):
    from guanai.accounts.tokens import token_create

    key = token_create(actor=None, user=users["department"], name="文档")[1]
    response = client.get("/api/v1/docs", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


def test_it_references_only_local_static_files(client, users):
    client.force_login(users["county"])
    body = client.get("/api/v1/docs").content.decode()
    urls = re.findall(r'(?:src|href)="([^"]*)"', body)
    assert any(u.endswith("swagger-ui-bundle.js") for u in urls)
    for url in urls:
        assert url.startswith("/static/"), url
        assert finders.find(url.removeprefix("/static/")), f"{url} is not a local static file"
    assert "//" not in "".join(urls)  # no CDN, no other host


def test_it_runs_no_inline_script_under_our_csp(client, users):
    client.force_login(users["county"])
    response = client.get("/api/v1/docs")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    for attributes, content in re.findall(
        r"<script([^>]*)>(.*?)</script>", response.content.decode(), re.S
    ):
        # A script runs from a file of ours, or it is a JSON data block (never executed).
        assert 'src="/static/' in attributes or (
            'type="application/json"' in attributes and content.strip().startswith("{")
        )
