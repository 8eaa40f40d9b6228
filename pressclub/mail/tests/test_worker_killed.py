"""A worker killed while it talks to the SMTP server: the next worker sends the rest of its batch, once.

Runs ``pressclub worker`` as the operator does, in subprocesses on an SQLite database, against a real
SMTP server that keeps the first recipient waiting until the first worker is dead. Slow.
"""

import json
import os
import signal
import sqlite3
import subprocess
import threading
import time

import pytest

from pressclub.tests.test_cli import COMMAND, REPO, _env

from .smtp import SmtpServer

SETTINGS = """
from pressclub.settings.dev import *
PRESSCLUB_MAIL_TRANSPORT = "pressclub.mail.transport.EmailBackend"
EMAIL_HOST, EMAIL_PORT, EMAIL_TIMEOUT = "127.0.0.1", {port}, 20
PRESSCLUB_MAIL_LEASE_SECONDS = 2
"""


@pytest.mark.slow
def test_killed_worker_mid_batch_then_a_new_worker_sends_the_rest_once(tmp_path):
    (tmp_path / "var").mkdir()
    hold = threading.Event()
    with SmtpServer(hold_rcpt=hold, hold_after=1) as server:  # the second message of the batch waits
        (tmp_path / "killed_worker_settings.py").write_text(SETTINGS.format(port=server.port))
        env = _env(tmp_path / "var", PYTHONPATH=str(tmp_path), DJANGO_SETTINGS_MODULE="killed_worker_settings")

        def run(*args):
            result = subprocess.run([*COMMAND, *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300)
            assert result.returncode == 0, result.stderr
            return result

        run("migrate", "mail", "--verbosity", "0")
        run("migrate", "django_tasks_database", "--verbosity", "0")
        run("shell", "-c", "from django.core.mail import send_mass_mail; "
                           "send_mass_mail([(f'Digest {i}', 'News', 'desk@example.org', [f'reader{i}@example.org'])"
                           " for i in range(3)])")
        worker = subprocess.Popen([*COMMAND, "worker"], cwd=REPO, env=env, start_new_session=True,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            assert server.rcpt_reached.wait(60), "the worker did not reach the SMTP server"
            os.killpg(worker.pid, signal.SIGKILL)  # killed mid-conversation
            worker.wait(10)
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGKILL)
        server.rcpt_reached.clear()
        hold.set()
        assert [m["Subject"] for m in server.messages] == ["Digest 0"]

        time.sleep(2.5)  # the dead worker's lease runs out
        run("worker", "--batch")
        run("worker", "--batch")  # and again: nothing more is sent

        assert [m["Subject"] for m in server.messages] == ["Digest 0", "Digest 1", "Digest 2"]
    with sqlite3.connect(tmp_path / "var" / "pressclub.sqlite3") as db:
        rows = db.execute("SELECT subject, status, attempts, last_error FROM mail_outgoingmail ORDER BY id")
        # Digest 1 was in flight when the worker died; Digest 2, taken with the batch, counts an
        # attempt it never had.
        assert rows.fetchall() == [("Digest 0", "sent", 1, ""), ("Digest 1", "sent", 2, ""), ("Digest 2", "sent", 2, "")]
        results = [
            (status, json.loads(value))
            for status, value in db.execute("SELECT status, return_value FROM django_tasks_database_dbtaskresult")
        ]
    # The killed worker's task was found lost when the next worker started (its process is gone) and
    # ran again (core.workers); the outbox may also have queued the rest again: the two went once.
    assert {status for status, _ in results} == {"SUCCESSFUL"}
    assert sum(value.get("sent", 0) for _, value in results) == 2
    assert set().union(*(value for _, value in results)) <= {"sent", "skipped"}
