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
