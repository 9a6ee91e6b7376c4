"""The API token is read from the environment only and never shows in messages or reprs (no server needed)."""

from __future__ import annotations

import pytest

from khabar.cli import main
from khabar.labelstudio import client, server

TOKEN = "khabar-secret-0123456789abcdef"


def test_missing_token_is_an_input_error(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    monkeypatch.delenv(client.TOKEN_ENV_VAR, raising=False)
    assert main(["ls", "pull", "--url", "http://127.0.0.1:9", "--out", str(tmp_path / "o")]) == 2
    assert capsys.readouterr().err == (
        "Error: LABEL_STUDIO_API_KEY is not set (the token from Label Studio's Account & Settings page)\n"
    )


def test_failures_are_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    session = client.Session("http://127.0.0.1:9", token=TOKEN)
    assert TOKEN not in repr(session)

    def leaky() -> None:
        raise RuntimeError(f"request with header Authorization: Token {TOKEN} failed")

    with pytest.raises(client.ServerError) as raised:
        session.call("listing projects", leaky)
    assert str(raised.value) == (
        "http://127.0.0.1:9: listing projects failed: RuntimeError: request with header Authorization: Token *** failed"
    )


def test_unreachable_server_error_does_not_show_the_token(monkeypatch: pytest.MonkeyPatch, tmp_path, capsys) -> None:
    monkeypatch.setenv(client.TOKEN_ENV_VAR, TOKEN)
    # Port 9 (discard) on the loopback: nothing listens there, the connection is refused at once.
    assert main(["ls", "pull", "--url", "http://127.0.0.1:9", "--out", str(tmp_path / "o")]) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("Error: http://127.0.0.1:9: listing projects failed: ConnectError")
    assert TOKEN not in captured.out + captured.err


def test_server_credentials_hide_the_token() -> None:
    credentials = server.Credentials("a@khabar.test", "password", TOKEN)
    assert TOKEN not in repr(credentials)
