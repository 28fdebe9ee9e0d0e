"""Signing in with an email address, allauth's rate limits, and production settings."""

import os
import subprocess
import sys

from django.core.cache import cache
from django.urls import reverse

from tests.factories import PASSWORD


def test_a_person_signs_in_with_email_and_password(client, staff_of_las):
    response = client.post(
        reverse("account_login"), {"login": staff_of_las.email, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_a_wrong_password_is_reported_and_the_email_kept(client, staff_of_las):
    response = client.post(
        reverse("account_login"), {"login": staff_of_las.email, "password": "wrong-password"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "not correct" in html
    assert f'value="{staff_of_las.email}"' in html


def test_repeated_failed_sign_ins_are_rate_limited(client, settings, staff_of_las):
    cache.clear()
    settings.ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, as in production
    pages = [
        client.post(
            reverse("account_login"), {"login": staff_of_las.email, "password": "wrong-password"}
        ).content.decode()
        for _ in range(6)
    ]
    assert not any("Too many failed login attempts" in page for page in pages[:5])
    assert "Too many failed login attempts" in pages[5]
    # Even the right password is refused while the limit holds.
    response = client.post(
        reverse("account_login"), {"login": staff_of_las.email, "password": PASSWORD}
    )
    assert "Too many failed login attempts" in response.content.decode()


def test_production_settings_refuse_to_start_without_a_secret_key(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "SECRET_KEY"}
    environment["DJANGO_SETTINGS_MODULE"] = "collab.settings.production"
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_the_sign_in_form_uses_nhs_wording_without_placeholders(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "Email address" in html
    assert "Keep me signed in on this device" in html
    assert "placeholder=" not in html
