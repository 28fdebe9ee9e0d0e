"""The home page after sign-in: the person's trust, collaborations, chairs and roles."""

from django.urls import reverse


def test_the_dashboard_shows_trust_collaborations_members_chair_and_roles(client, lead_of_las):
    client.force_login(lead_of_las)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "London Ambulance Service NHS Trust" in html
    assert "Southern Ambulance Services Collaboration" in html
    assert ">SECAmb</abbr>" in html and ">LAS</abbr>" in html
    assert "Chair: SECAmb (Chief Executive, SECAmb)" in html
    assert "Trust lead of London Ambulance Service NHS Trust (LAS)" in html
    # Another collaboration's business stays out of it.
    assert "Northern Ambulance Alliance" not in html


def test_a_programme_admin_sees_the_collaboration_they_administer(client, admin_of_northern):
    client.force_login(admin_of_northern)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Northern Ambulance Alliance" in html
    assert "You are a programme admin" in html


def test_the_dashboard_is_read_only(client, staff_of_las):
    client.force_login(staff_of_las)
    assert client.post(reverse("dashboard")).status_code == 405


def test_the_header_names_the_signed_in_person_and_their_trust(client, staff_of_las):
    client.force_login(staff_of_las)
    html = client.get(reverse("dashboard")).content.decode()
    assert 'data-testid="signed-in-person">Staff Las, LAS<' in html


def test_pages_send_a_content_security_policy_without_inline_scripts(client, staff_of_las):
    client.force_login(staff_of_las)
    response = client.get(reverse("dashboard"))
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert "<script>" not in response.content.decode()


def test_the_trust_page_lists_only_collaborations_the_trust_is_in_now(
    client, staff_of_las, las, southern
):
    client.force_login(staff_of_las)
    url = reverse("trust_detail", args=[las.slug])
    assert "Southern Ambulance Services Collaboration" in client.get(url).content.decode()
    membership = southern.memberships.get(trust=las)
    membership.left_on = membership.joined_on
    membership.save()
    assert "Southern Ambulance Services Collaboration" not in client.get(url).content.decode()
