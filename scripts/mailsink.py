#!/usr/bin/env python3
"""A local SMTP server for development and tests: accepts every message on loopback and keeps it as an .eml file.

    python3 scripts/mailsink.py --port 11025 --dir .data/mail [--pidfile .data/mail/mailsink.pid]

Built on Debian's python3-aiosmtpd (scripts/services.sh installs it when missing). Nothing is relayed anywhere.
"""
import argparse
import asyncio
import os
import time
import uuid

from aiosmtpd.controller import Controller


class KeepAsFiles:
    def __init__(self, folder):
        self.folder = folder

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:12]}.eml"
        temporary = os.path.join(self.folder, "." + name)
        with open(temporary, "wb") as f:
            # The envelope's recipients first, as a header a reader can check (Bcc leaves no other trace).
            f.write(("X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode())
            f.write(envelope.original_content or envelope.content)
        os.replace(temporary, os.path.join(self.folder, name))  # a reader never sees half a message
        return "250 Message accepted"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--pidfile")
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    controller = Controller(KeepAsFiles(args.dir), hostname="127.0.0.1", port=args.port)
    controller.start()
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write(str(os.getpid()))
    try:
        asyncio.get_event_loop().run_forever()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
