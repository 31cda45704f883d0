"""A development mail catcher: an SMTP server on localhost that accepts every
message and prints it, so the launcher's digests and escalation mail can be
read in instance/logs/mail.log instead of going anywhere.

    python -m deployments.mailcatcher --port 1025

Development only (aiosmtpd is a dev dependency). Production sets
OVERSIGHT_SMTP_HOST to the council's relay, and mail that cannot be sent
fails the run loudly (models/actions/mail_delivery.py)."""

from __future__ import annotations

import argparse
import email
import email.policy
import signal
import sys
import threading


class PrintingHandler:
    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        print("-" * 72)
        print(f"From: {envelope.mail_from}")
        print(f"To: {', '.join(envelope.rcpt_tos)}")
        print(f"Subject: {message['Subject']}")
        print()
        print(message.get_content() if not message.is_multipart() else message.as_string())
        sys.stdout.flush()
        return "250 Message accepted for delivery"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    args = parser.parse_args(argv)
    from aiosmtpd.controller import Controller

    controller = Controller(PrintingHandler(), hostname=args.host, port=args.port)
    controller.start()
    print(f"Catching mail on {args.host}:{args.port}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
