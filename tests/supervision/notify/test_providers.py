"""SMS providers: the logging one for development, your own one named in the settings."""

import pytest

from api.settings import SettingsError, load
from supervision.notify.providers import LoggingSmsProvider, SmsProvider, sms_provider


class FakeGateway:
    """What a deployment's own provider looks like (credentials from the environment)."""

    async def send(self, phone: str, text: str) -> None:
        raise RuntimeError("gateway said no")


class NotAProvider:
    pass


async def test_the_logging_provider_keeps_the_last_texts(caplog):
    provider = LoggingSmsProvider(keep=2)
    with caplog.at_level("INFO"):
        for n in range(3):
            await provider.send("13812345678", f"text {n}")
    assert list(provider.sent) == [("13812345678", "text 1"), ("13812345678", "text 2")]
    assert provider.to("13812345678") == ["text 1", "text 2"]
    assert "138****5678" in caplog.text and "13812345678" not in caplog.text


def test_log_is_the_default():
    assert isinstance(sms_provider(), LoggingSmsProvider)
    assert isinstance(sms_provider("log"), SmsProvider)


def test_a_provider_of_your_own_is_named_by_module_and_name():
    assert isinstance(sms_provider(f"{__name__}:FakeGateway"), FakeGateway)
    with pytest.raises(TypeError):
        sms_provider(f"{__name__}:NotAProvider")
    with pytest.raises(ValueError):
        sms_provider("aliyun")


def test_the_setting_is_checked_at_start():
    environ = {"YANGGUANG_ENV": "dev", "YANGGUANG_JWT_SECRET": "s" * 40}
    assert load(environ).sms_provider == "log"
    named = {**environ, "YANGGUANG_SMS_PROVIDER": "mysms.gateway:Provider"}
    assert load(named).sms_provider == "mysms.gateway:Provider"
    with pytest.raises(SettingsError, match="YANGGUANG_SMS_PROVIDER"):
        load({**environ, "YANGGUANG_SMS_PROVIDER": "some vendor"})
