"""The second login step: enrolment at the first login, verification, recovery codes."""

import re
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts.models import User
from guanai.accounts.tokens import token_create
from guanai.audit.models import Action, AuditEvent
from guanai.testing.clients import bound_authenticator, totp_code
from guanai.testing.factories import PASSWORD


@pytest.fixture(autouse=True)
def no_otp_backoff(settings):
    """django-otp makes a device wait after a wrong code; these tests try codes back to back."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def post_login(client, username, password=PASSWORD, next_url=""):
    url = reverse("accounts:login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": username, "password": password})


def follow_to_step(client, response):
    """Where the page after the password sends the user."""
    return client.get(response["Location"])["Location"]


def secret_on_page(body: str) -> bytes:
    secret = re.search(r'id="otp-secret">([A-Z2-7 ]+)<', body).group(1).replace(" ", "")
    return b32decode(secret)


def code_for(key: bytes) -> str:
    return f"{TOTP(key).token():06d}"


@pytest.mark.django_db
def test_a_county_officer_enrols_at_the_first_login(client, users):
    response = post_login(client, "county", next_url="/children/")
    assert follow_to_step(client, response).startswith(reverse("accounts:otp_enrol"))
    # Logged in with the password only, nothing else is reachable: pages, downloads, the rest.
    for url in (reverse("home"), reverse("registry:child_list"), reverse("accounts:account")):
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith(
            reverse("accounts:otp_enrol")
        ), url
    assert not AuditEvent.objects.filter(action=Action.LOGIN, actor=users["county"]).exists()

    page = client.get(reverse("accounts:otp_enrol"))
    body = page.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body  # the QR code, drawn here
    assert reverse("registry:child_list") not in body  # no menu that would only lead back
    key = secret_on_page(body)
    assert (
        client.get(reverse("accounts:otp_enrol"))
        .content.decode()
        .count(body.split('id="otp-secret">')[1].split("<")[0])
    )  # the same secret until confirmed

    wrong = client.post(reverse("accounts:otp_enrol"), {"code": "000000"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    done = client.post(reverse("accounts:otp_enrol"), {"code": code_for(key), "next": "/children/"})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert 'href="/children/"' in done.content.decode()
    assert client.get(reverse("registry:child_list")).status_code == 200
    device = TOTPDevice.objects.get(user=users["county"])
    assert device.confirmed and device.bin_key == key
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, actor=users["county"], detail__startswith="启用两步验证"
    ).exists()


@pytest.mark.django_db
def test_an_enrolled_user_gives_a_code_after_the_password(client, users):
    device = bound_authenticator(users["admin"])
    response = post_login(client, "admin")
    assert follow_to_step(client, response).startswith(reverse("accounts:otp_verify"))
    assert client.get(reverse("accounts:user_list"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    # Enrolling another phone is no way round the step.
    assert client.get(reverse("accounts:otp_enrol"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
    wrong = client.post(reverse("accounts:otp_verify"), {"code": "123456"})
    assert wrong.status_code == 400 and "验证码不正确" in wrong.content.decode()
    assert AuditEvent.objects.filter(
        action=Action.LOGIN_FAILED, object_label="admin", detail="两步验证码错误"
    ).exists()
    done = client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert done.status_code == 302
    assert client.get(reverse("accounts:user_list")).status_code == 200
    assert AuditEvent.objects.filter(
        action=Action.LOGIN, actor=users["admin"], detail="两步验证(手机验证器)"
    ).exists()


@pytest.mark.django_db
def test_a_code_is_good_once(client, users):
    device = bound_authenticator(users["admin"])
    code = totp_code(device)
    post_login(client, "admin")
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 302
    client.logout()
    post_login(client, "admin")
    assert client.post(reverse("accounts:otp_verify"), {"code": code}).status_code == 400


@pytest.mark.django_db
def test_a_recovery_code_stands_in_once(client, users):
    client.force_login(users["county"])  # through both steps (guanai.testing.clients)
    page = client.post(reverse("accounts:recovery_codes_new"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(codes) == 10
    client.logout()

    post_login(client, "county")
    response = client.post(reverse("accounts:otp_verify"), {"code": codes[0].upper()})
    assert response.status_code == 302
    assert "还剩 9 个" in client.get(reverse("home")).content.decode()
    assert AuditEvent.objects.filter(
        action=Action.LOGIN, actor=users["county"], detail="两步验证(使用恢复码,剩余 9 个)"
    ).exists()
    client.logout()
    post_login(client, "county")
    assert client.post(reverse("accounts:otp_verify"), {"code": codes[0]}).status_code == 400
    assert StaticToken.objects.filter(device__user=users["county"]).count() == 9


@pytest.mark.django_db
def test_new_recovery_codes_replace_the_old(client, users):
    client.force_login(users["county"])
    first = client.post(reverse("accounts:recovery_codes_new")).content.decode()
    second = client.post(reverse("accounts:recovery_codes_new")).content.decode()
    old = set(re.findall(r"<code>([a-z2-7]{8})</code>", first))
    new = set(re.findall(r"<code>([a-z2-7]{8})</code>", second))
    assert not old & new
    stored = set(StaticToken.objects.values_list("token", flat=True))
    assert stored == new


@pytest.mark.django_db
def test_wrong_codes_lock_the_account_and_end_the_login(client, users, settings):
    settings.LOGIN_FAILURE_LIMIT = 3
    bound_authenticator(users["admin"])
    post_login(client, "admin")
    for _ in range(2):
        assert client.post(reverse("accounts:otp_verify"), {"code": "000000"}).status_code == 400
    response = client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert response["Location"] == reverse("accounts:login")
    assert "_auth_user_id" not in client.session
    assert User.objects.get(username="admin").is_locked
    assert "已锁定" in client.get(reverse("accounts:login")).content.decode()


@pytest.mark.django_db
def test_a_director_logs_in_with_the_password_only_and_may_turn_it_on(client, users):
    response = post_login(client, "director_a")
    assert client.get(response["Location"]).status_code == 200
    page = client.get(reverse("accounts:account")).content.decode()
    assert "启用两步验证" in page
    body = client.get(reverse("accounts:otp_enrol")).content.decode()
    assert "必须使用两步验证" not in body
    key = secret_on_page(body)
    assert client.post(reverse("accounts:otp_enrol"), {"code": code_for(key)}).status_code == 200
    client.logout()
    response = post_login(client, "director_a")
    assert follow_to_step(client, response).startswith(reverse("accounts:otp_verify"))
    client.logout()

    # Turning it off needs the password; a required role cannot.
    client.force_login(users["director_a"])
    client.post(reverse("accounts:two_factor_off"), {"password": "wrong"})
    assert TOTPDevice.objects.filter(user=users["director_a"]).exists()
    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert not TOTPDevice.objects.filter(user=users["director_a"]).exists()
    client.force_login(users["county"])
    client.post(reverse("accounts:two_factor_off"), {"password": PASSWORD})
    assert TOTPDevice.objects.filter(user=users["county"], confirmed=True).exists()


@pytest.mark.django_db
def test_the_required_roles_are_a_setting(client, users, settings):
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "civil_affairs", "child_supervisor"]
    response = post_login(client, "supervisor_1")
    assert follow_to_step(client, response).startswith(reverse("accounts:otp_enrol"))
    client.logout()
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin"]
    response = post_login(client, "county")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.django_db
def test_a_manager_resets_a_lost_phone(client, users):
    bound_authenticator(users["director_a"])
    client.force_login(users["county"])
    response = client.post(reverse("accounts:user_two_factor_reset", args=[users["director_a"].pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users["director_a"]).exists()
    client.force_login(users["supervisor_2"])  # an outsider
    bound_authenticator(users["director_a"])
    response = client.post(reverse("accounts:user_two_factor_reset", args=[users["director_a"].pk]))
    assert response.status_code == 404
    assert TOTPDevice.objects.filter(user=users["director_a"]).exists()


@pytest.mark.django_db
def test_the_api_takes_tokens_not_half_done_logins(client, users):
    """A session past the password but not the code opens nothing on the API either; a
    department's system uses its token, which an administrator issued on the server."""
    post_login(client, "county")
    for url in ("/api/v1/children", "/api/v1/openapi.json"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:otp_enrol"))
    key = token_create(actor=None, user=users["county"], name="测试")[1]
    response = client.get("/api/v1/children", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_foreign_next_is_not_offered(client, users):
    """The step pages carry ?next= on to the next step only when it is a page of this site."""
    bound_authenticator(users["admin"])
    post_login(client, "admin")
    page = client.get(reverse("accounts:otp_verify") + "?next=https://evil.example/")
    assert 'name="next" value=""' in page.content.decode()
    client.logout()
    post_login(client, "director_a")
    page = client.get(reverse("accounts:otp_enrol") + "?next=javascript:alert(1)")
    assert 'name="next" value=""' in page.content.decode()
    page = client.get(reverse("accounts:otp_enrol") + "?next=/children/")
    assert 'name="next" value="/children/"' in page.content.decode()


@pytest.mark.django_db
def test_the_password_alone_does_not_forgive_failures(client, users, settings):
    """Failures are forgiven when the last factor is right: knowing the password does not buy
    more tries at the code."""
    settings.LOGIN_FAILURE_LIMIT = 3
    device = bound_authenticator(users["admin"])
    post_login(client, "admin", "wrong-password")
    post_login(client, "admin", "wrong-password")
    post_login(client, "admin")
    assert User.objects.get(username="admin").failed_login_count == 2
    response = client.post(reverse("accounts:otp_verify"), {"code": "000000"})
    assert response["Location"] == reverse("accounts:login")
    assert User.objects.get(username="admin").is_locked
    User.objects.filter(username="admin").update(locked_until=None)
    post_login(client, "admin")
    client.post(reverse("accounts:otp_verify"), {"code": totp_code(device)})
    assert User.objects.get(username="admin").failed_login_count == 0


def test_a_misspelt_required_role_stops_the_start(settings):
    from guanai.accounts.checks import two_factor_roles_check

    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "county"]
    errors = two_factor_roles_check(None)
    assert [e.id for e in errors] == ["guanai.accounts.E001"] and "county" in errors[0].msg
    settings.TWO_FACTOR_REQUIRED_ROLES = ["admin", "civil_affairs"]
    assert two_factor_roles_check(None) == []


@pytest.mark.django_db
def test_managers_see_who_has_bound_an_authenticator(client, users):
    bound_authenticator(users["director_a"])
    client.force_login(users["county"])
    body = client.get(reverse("accounts:user_list")).content.decode()
    rows = {row.split("</td>")[0]: row for row in body.split('<td data-label="用户名">')[1:]}
    assert '<td data-label="两步验证">已启用' in rows["director_a"]
    assert '<td data-label="两步验证">未启用' in rows["director_b"]


@pytest.mark.django_db
def test_a_wrong_enrolment_code_is_counted_by_django_otp(client, users, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 1
    client.force_login(users["director_a"])
    client.get(reverse("accounts:otp_enrol"))
    client.post(reverse("accounts:otp_enrol"), {"code": "000000"})
    assert TOTPDevice.objects.get(user=users["director_a"]).throttling_failure_count == 1
