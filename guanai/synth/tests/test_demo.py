import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from guanai.accounts.models import User
from guanai.synth.demo import demo_accounts_ensure, demo_totp_code
from guanai.testing.factories import child_build


@pytest.mark.django_db
def test_demo_accounts_log_in_as_in_production_with_a_published_key(place):
    child_build(place.village_a)
    accounts = demo_accounts_ensure(place.county, "Demo-pass-2026")
    marked = {a.username for a in accounts if a.two_factor}
    assert marked == {"admin", "county", "education", "federation"}
    for username in marked:
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        assert device.verify_token(demo_totp_code())
    assert not TOTPDevice.objects.filter(user__username="director").exists()
    assert not User.objects.filter(must_change_password=True).exists()
    # Run again (make demo twice): still one authenticator each, the published one.
    demo_accounts_ensure(place.county, "Demo-pass-2026")
    assert TOTPDevice.objects.filter(user__username="county").count() == 1


@pytest.mark.django_db
def test_the_demo_county_has_an_officer_and_a_few_cases(place):
    from guanai.protection.models import ProtectionCase

    for n in range(5):
        child_build(place.village_a, f"测试{n}")
    demo_accounts_ensure(place.county, "Demo-pass-2026")
    assert User.objects.get(username="county").has_perm("protection.officer")
    assert ProtectionCase.objects.filter(division_code=place.village_a.code).count() == 3
    demo_accounts_ensure(place.county, "Demo-pass-2026")  # again: no more cases
    assert ProtectionCase.objects.count() == 3
