import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_run_on_a_local_sqlite_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    for key in ("DATABASE_URL", "TELEGRAM_TOKEN", "DISCORD_TOKEN"):
        monkeypatch.delenv(key, raising=False)
    settings = load_settings()
    assert settings.database_url.startswith("sqlite:///")
    assert settings.telegram_token is None and settings.discord_token is None


def test_a_malformed_value_names_the_key(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DEFAULT_TIMEZONE", "Mars/Olympus")
    with pytest.raises(SettingsError) as err:
        load_settings()
    assert "DEFAULT_TIMEZONE" in str(err.value)
    assert "Mars/Olympus" in str(err.value)


def test_empty_values_in_env_mean_unset(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".env").write_text("TELEGRAM_TOKEN=\nDISCORD_GUILD_ID=\n")
    settings = load_settings()
    assert settings.telegram_token is None and settings.discord_guild_id is None


def test_tokens_do_not_show_in_the_settings_repr(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TELEGRAM_TOKEN", "123456:SECRET-token-value-abcdefghijklmnop")
    settings = load_settings()
    assert "SECRET-token" not in repr(settings)
    assert settings.telegram_token.get_secret_value().endswith("abcdefghijklmnop")
