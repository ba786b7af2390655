from tests.factories import make_verified_user


def test_log_out_needs_a_post(client, db):
    client.force_login(make_verified_user())

    page = client.get("/accounts/logout/")

    assert page.status_code == 200
    assert "_auth_user_id" in client.session


def test_header_log_out_button_posts_and_logs_out(client, db):
    client.force_login(make_verified_user())
    home = client.get("/").content.decode()
    assert 'method="post" action="/accounts/logout/"' in home

    response = client.post("/accounts/logout/")

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
