from guanai.accounts.tokens import token_revoke


def test_it_refuses_a_call_without_a_token(call, users, children):
    response = call(None, "get", "/children")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Authorization: Bearer" in response.json()["detail"]


def test_it_refuses_a_session_without_a_token(call, client, users, children):
    client.force_login(users["county"])
    response = call(None, "get", f"/children/{children['a'].pk}")
    assert response.status_code == 401


def test_it_refuses_an_unknown_or_revoked_token(call, users, children):
    response = call(None, "get", "/children", HTTP_AUTHORIZATION="Bearer made-up")
    assert response.status_code == 401
    assert response.json()["detail"] == "接口令牌无效"
    director = users["director_a"]
    assert call(director, "get", "/children").status_code == 200
    token_revoke(actor=None, prefix=call.key_for(director)[:8])
    response = call(director, "get", "/children")
    assert response.status_code == 401
    assert response.json()["detail"] == "接口令牌已吊销"


def test_it_refuses_the_token_of_a_deactivated_user(call, users, children):
    director = users["director_a"]
    call.key_for(director)
    director.is_active = False
    director.save()
    response = call(director, "get", "/children")
    assert response.status_code == 401
    assert "停用" in response.json()["detail"]


def test_it_marks_answers_as_not_to_be_cached(call, users, children):
    response = call(users["director_a"], "get", f"/children/{children['a'].pk}")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"].startswith("application/json")
