#!/usr/bin/env python3
"""Starts a command the way systemd starts a Type=notify service and times it to READY=1.

    notify-ready.py LOG COMMAND [ARGS...]

Binds a unix datagram socket, passes it in NOTIFY_SOCKET, starts COMMAND (stdout and stderr to
LOG), waits for READY=1 and prints "<milliseconds from just before the fork to READY=1> <pid>".
The command keeps running; stop it yourself. Exits 1 if READY=1 does not come within 10 s or the
command exits first. Used by perf/daemon-startup.sh.
"""
import os
import socket
import subprocess
import sys
import time


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    log_path, command = sys.argv[1], sys.argv[2:]
    name = f"\0cretoai-fast-startup-{os.getpid()}"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(name)
        sock.settimeout(0.05)
        env = dict(os.environ, NOTIFY_SOCKET="@" + name[1:])
        with open(log_path, "wb") as log:
            started = time.monotonic()
            child = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        deadline = started + 10
        while time.monotonic() < deadline:
            try:
                message = sock.recv(4096)
            except socket.timeout:
                if child.poll() is not None:
                    print(f"notify-ready: the command exited with {child.returncode} before READY=1", file=sys.stderr)
                    return 1
                continue
            if b"READY=1" in message.split(b"\n"):
                print(f"{(time.monotonic() - started) * 1000:.0f} {child.pid}")
                return 0
        print("notify-ready: no READY=1 within 10 s", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
