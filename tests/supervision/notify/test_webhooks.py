"""Webhook signatures: a receiver accepts what we sent, and nothing altered, forged or stale."""

from datetime import UTC, datetime, timedelta

import pytest

from supervision.notify.webhooks import (
    InvalidWebhookUrl,
    check_url,
    sign,
    signed_headers,
    verify,
)

SECRET = "ygwh_test-secret"
BODY = b'{"id":1,"topic":"warning.raised","data":{"caseNumber":"C-1"}}'
NOW = datetime(2026, 11, 21, 8, 0, tzinfo=UTC)


def _sent(body: bytes = BODY, secret: str = SECRET, at: datetime = NOW) -> tuple[str, str]:
    headers = signed_headers(secret, body, now=at)
    return headers["X-Yangguang-Timestamp"], headers["X-Yangguang-Signature"]


def test_a_signature_verifies():
    timestamp, signature = _sent()
    assert timestamp == str(int(NOW.timestamp()))
    assert signature.startswith("v1=") and len(signature) == 3 + 64
    assert verify(SECRET, BODY, timestamp, signature, now=NOW + timedelta(seconds=5))
    assert verify(SECRET, BODY.decode(), int(timestamp), signature, now=NOW.timestamp())


def test_the_signature_covers_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), b"1700000000." + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY, 1700000000) == f"v1={expected}"


def test_an_altered_body_fails():
    timestamp, signature = _sent()
    altered = BODY.replace(b"C-1", b"C-2")
    assert not verify(SECRET, altered, timestamp, signature, now=NOW)


def test_a_wrong_secret_fails():
    timestamp, signature = _sent(secret="another secret")
    assert not verify(SECRET, BODY, timestamp, signature, now=NOW)


def test_a_stale_timestamp_fails():
    timestamp, signature = _sent(at=NOW - timedelta(seconds=301))
    assert not verify(SECRET, BODY, timestamp, signature, now=NOW)
    assert verify(SECRET, BODY, timestamp, signature, now=NOW, tolerance=600)


def test_a_timestamp_from_the_future_fails():
    timestamp, signature = _sent(at=NOW + timedelta(minutes=10))
    assert not verify(SECRET, BODY, timestamp, signature, now=NOW)


def test_a_replayed_signature_with_a_new_timestamp_fails():
    _, signature = _sent(at=NOW - timedelta(hours=1))
    assert not verify(SECRET, BODY, str(int(NOW.timestamp())), signature, now=NOW)


def test_malformed_headers_fail():
    timestamp, signature = _sent()
    assert not verify(SECRET, BODY, "yesterday", signature, now=NOW)
    assert not verify(SECRET, BODY, timestamp, signature.removeprefix("v1="), now=NOW)
    assert not verify(SECRET, BODY, timestamp, "", now=NOW)


def test_one_of_several_signatures_may_match():
    timestamp, signature = _sent()
    assert verify(SECRET, BODY, timestamp, f"v1=deadbeef, {signature}", now=NOW)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/hook",
        "example.com/hook",
        "https://",
        "https://user:pass@example.com/hook",
        "https://example.com/hook#part",
        "https://example.com:99999/hook",
        "https://example.com/" + "x" * 500,
    ],
)
def test_urls_that_cannot_be_delivered_to_are_refused(url):
    with pytest.raises(InvalidWebhookUrl):
        check_url(url, https_only=False)


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/hook",
        "https://localhost/hook",
        "https://127.0.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
    ],
)
def test_production_takes_only_https_to_other_machines(url):
    with pytest.raises(InvalidWebhookUrl):
        check_url(url, https_only=True)


def test_good_urls_are_kept():
    assert check_url(" https://hooks.example.com/yg?x=1 ", https_only=True) == (
        "https://hooks.example.com/yg?x=1"
    )
    assert check_url("http://127.0.0.1:8080/hook", https_only=False) == (
        "http://127.0.0.1:8080/hook"
    )
    assert check_url("https://10.1.2.3/hook", https_only=True)  # government intranets
