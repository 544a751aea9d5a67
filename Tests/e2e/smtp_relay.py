"""A real SMTP server for the tests: PyPI's aiosmtpd with STARTTLS required (a throwaway CA made
with openssl) or TLS from the first byte (port 465 style), AUTH PLAIN/LOGIN, keeping every message
it accepted and refusing the recipients in `reject` with a permanent 550."""
import email
import email.policy
import ssl
import subprocess
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from conftest import free_port


def make_certificate(directory):
    key, cert = directory / "smtp.key", directory / "smtp.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1",
                    "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], check=True, capture_output=True)
    return key, cert


class Relay:
    def __init__(self, directory, user="mailer", password="s3cret-pass", require_tls=True, implicit_tls=False, reject=()):
        self.key, self.cert = make_certificate(directory)
        self.reject = set(reject)
        self.rejected = []
        self.messages = []
        self.logins = []
        self.arrived = threading.Condition()
        relay = self

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in relay.reject:
                    relay.rejected.append(address)
                    return "550 5.1.1 No such mailbox here"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                with relay.arrived:
                    relay.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content or envelope.content,
                                           session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None))
                    relay.arrived.notify_all()
                return "250 OK"

        def authenticate(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            relay.logins.append((mechanism, ok))
            return AuthResult(success=ok, handled=False)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(self.cert), str(self.key))
        self.port = free_port()
        tls = {"ssl_context": context} if implicit_tls else {"tls_context": context, "require_starttls": require_tls}
        # aiosmtpd's own TLS check only knows STARTTLS; with TLS from the first byte every command is encrypted anyway.
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, authenticator=authenticate, auth_require_tls=not implicit_tls,
                                     server_hostname="localhost", **tls)
        self.controller.start()

    def wait(self, count, timeout=30):
        with self.arrived:
            if not self.arrived.wait_for(lambda: len(self.messages) >= count, timeout):
                raise AssertionError(f"{len(self.messages)} of {count} messages arrived")
            return self.messages

    def wait_for(self, predicate, timeout=30):
        """The first message (its index) that `predicate(mail_from, rcpt_tos, raw)` accepts."""
        with self.arrived:
            found = []

            def match():
                found[:] = [i for i, m in enumerate(self.messages) if predicate(*m[:3])]
                return bool(found)
            if not self.arrived.wait_for(match, timeout):
                raise AssertionError(f"no such message among {len(self.messages)}")
            return found[0]

    def parsed(self, i):
        return email.message_from_bytes(self.messages[i][2], policy=email.policy.default)

    def stop(self):
        self.controller.stop()
