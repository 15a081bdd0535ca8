"""MAX_CA_FILE: the bot trusts a CA of its own beside the system's, as it must trust the
Ministry of Digital Development's root CA that signs platform-api2.max.ru's certificate."""

from __future__ import annotations

import ssl
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import aiohttp
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from bot.devtools.fake_max import TOKEN, FakeMax
from bot.handlers.backoff import Backoff
from bot.handlers.max.client import MaxClient


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def make_pki(folder: Path) -> tuple[Path, ssl.SSLContext]:
    """A root CA (its PEM written to `folder`) and a server context with a certificate for
    127.0.0.1 that it signed."""
    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(_name("Test Trusted Root CA"))
        .issuer_name(_name("Test Trusted Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("127.0.0.1"))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), critical=False
        )
        .add_extension(
            x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    ca_file = folder / "root_ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    chain = folder / "server.pem"
    chain.write_bytes(
        cert.public_bytes(serialization.Encoding.PEM)
        + key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server.load_cert_chain(chain)
    return ca_file, server


@pytest.fixture
async def https_max(tmp_path: Path) -> AsyncIterator[tuple[FakeMax, Path]]:
    ca_file, server_context = make_pki(tmp_path)
    fake = FakeMax()
    await fake.start(server_context)
    yield fake, ca_file
    await fake.stop()


async def test_the_ca_file_makes_the_certificate_trusted(https_max: tuple[FakeMax, Path]) -> None:
    fake, ca_file = https_max
    assert fake.base_url.startswith("https://")
    client = MaxClient(TOKEN, fake.base_url, ca_file=ca_file)
    try:
        me = await client.call("GET", "/me")
    finally:
        await client.close()
    assert me["is_bot"] is True


async def test_without_the_ca_file_the_certificate_is_refused(
    https_max: tuple[FakeMax, Path],
) -> None:
    fake, _ = https_max
    client = MaxClient(TOKEN, fake.base_url, backoff=Backoff(first=0.01, attempts=2))
    try:
        with pytest.raises(aiohttp.ClientConnectorCertificateError):
            await client.call("GET", "/me")
    finally:
        await client.close()
