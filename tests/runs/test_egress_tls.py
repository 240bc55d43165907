"""HTTPS under the egress policy: the certificate is verified, and TLS's SNI names the host, not the address.

A loopback TLS server with a self-signed certificate for api.example.com; the address judge
is told to let 127.0.0.1 through for these tests only (the resolver answers it), as in
test_egress_policy's rebinding test.
"""

import datetime
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from runs.egress import client
from runs.egress.client import EgressSession
from runs.egress.policy import EgressPolicy, Refused


@pytest.fixture
def tls_server(tmp_path):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "api.example.com")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("api.example.com")]), critical=False)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    seen = {"sni": []}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    context.sni_callback = lambda sock, server_name, ctx: seen["sni"].append(server_name)
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen["port"] = server.server_address[1]
    seen["ca"] = str(tmp_path / "cert.pem")
    yield seen
    server.shutdown()
    server.server_close()


@pytest.fixture
def loopback_judged_public(monkeypatch):
    monkeypatch.setattr(client, "refusal", lambda a: None if str(a) == "127.0.0.1" else "private address")


def session_for(port):
    policy = EgressPolicy(hosts=(f"api.example.com:{port}",))
    return EgressSession(policy, resolver=lambda host, p: ["127.0.0.1"])


def test_an_unverifiable_certificate_is_refused_and_sni_names_the_host(tls_server, loopback_judged_public):
    with pytest.raises(Refused, match="SSL|certificate"):
        session_for(tls_server["port"]).fetch("GET", f"https://api.example.com:{tls_server['port']}/")
    assert tls_server["sni"] == ["api.example.com"]


def test_a_certificate_for_the_name_verifies_while_the_connection_goes_to_the_checked_address(
        tls_server, loopback_judged_public, monkeypatch):
    # Trust the test's certificate (as the system store trusts real ones): the name check
    # passes on api.example.com although the socket is connected to 127.0.0.1.
    original = client.urllib3.HTTPSConnectionPool

    def trusting(*args, **kwargs):
        return original(*args, ca_certs=tls_server["ca"], **kwargs)

    monkeypatch.setattr(client.urllib3, "HTTPSConnectionPool", trusting)
    response = session_for(tls_server["port"]).fetch("GET", f"https://api.example.com:{tls_server['port']}/")
    assert (response.status, response.body) == (200, "ok")


def test_a_trusted_certificate_for_another_name_is_refused(tls_server, loopback_judged_public, monkeypatch):
    original = client.urllib3.HTTPSConnectionPool
    monkeypatch.setattr(client.urllib3, "HTTPSConnectionPool",
                        lambda *args, **kwargs: original(*args, ca_certs=tls_server["ca"], **kwargs))
    port = tls_server["port"]
    session = EgressSession(EgressPolicy(hosts=(f"other.example.com:{port}",)), resolver=lambda host, p: ["127.0.0.1"])
    with pytest.raises(Refused, match="SSL|certificate|hostname"):
        session.fetch("GET", f"https://other.example.com:{port}/")
