"""Heartbeats: the beating thread, the worker's file, and `guanai worker` beating and sweeping."""

import json
import socket
import subprocess
import threading
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from guanai.core import heartbeat
from guanai.ops.management.commands import worker


@pytest.fixture(autouse=True)
def var_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.JOB_SILENT_MINUTES = 5
    return tmp_path


def test_it_beats_at_once_and_then_until_the_block_ends():
    beats = []
    twice = threading.Event()

    def beat():
        beats.append(threading.current_thread().name)
        if len(beats) >= 3:
            twice.set()

    with heartbeat.Beating(beat, every=0.01) as beating:
        assert beats == ["MainThread"]  # before the work starts
        assert twice.wait(5)
    assert set(beats[1:]) == {"guanai-heartbeat"}
    assert not beating.thread.is_alive()  # stopped with the block


def test_a_failing_beat_is_logged_and_the_work_goes_on(caplog):
    def beat():
        raise OSError("disk full")

    with heartbeat.Beating(beat, every=0.01):
        pass
    assert "heartbeat failed" in caplog.text


def test_a_worker_counts_as_alive_while_its_file_is_fresh(var_dir):
    assert not heartbeat.worker_alive()
    heartbeat.worker_beat("w1")
    assert heartbeat.worker_alive()
    stale = {"pid": 1, "host": "h", "at": (timezone.now() - timedelta(minutes=6)).isoformat()}
    (var_dir / "workers" / "w1.json").write_text(json.dumps(stale))
    (var_dir / "workers" / "w2.json").write_text("{half")
    assert not heartbeat.worker_alive()
    heartbeat.worker_beat("w3")
    heartbeat.worker_gone("w3")
    assert not heartbeat.worker_alive()


def test_a_job_is_silent_after_the_set_minutes(settings):
    assert heartbeat.is_silent(None)
    assert not heartbeat.is_silent(timezone.now() - timedelta(minutes=4))
    assert heartbeat.is_silent(timezone.now() - timedelta(minutes=6))
    settings.JOB_SILENT_MINUTES = 10
    assert not heartbeat.is_silent(timezone.now() - timedelta(minutes=6))
    assert heartbeat.silent_reason() == "后台进程已停止响应(超过 10 分钟没有心跳)"
    assert heartbeat.died_silent(heartbeat.silent_reason())


@pytest.mark.django_db  # the dead worker's running tasks are looked for (ops.orphans)
def test_the_worker_beats_and_sweeps_while_it_runs_and_removes_its_file(monkeypatch, var_dir):
    seen = {}
    sweeps = []
    monkeypatch.setattr(worker, "SILENT_JOB_SWEEPS", (lambda: sweeps.append(1),))

    def run(self, *args, **options):
        seen["alive"] = heartbeat.worker_alive()
        seen["file"] = json.loads((var_dir / "workers" / "w-test.json").read_text())

    monkeypatch.setattr(worker.DatabaseWorkerCommand, "handle", run)
    killed = {"pid": 1, "host": "h", "at": (timezone.now() - timedelta(hours=1)).isoformat()}
    (var_dir / "workers").mkdir()
    (var_dir / "workers" / "killed.json").write_text(json.dumps(killed))
    call_command("worker", "--batch", "--worker-id", "w-test", "--no-startup-delay")
    assert seen["alive"] and seen["file"]["pid"] > 0 and sweeps
    assert not (var_dir / "workers" / "killed.json").exists()  # a dead worker's file forgotten
    assert not heartbeat.worker_alive() and not (var_dir / "workers" / "w-test.json").exists()


def test_a_worker_of_this_machine_whose_process_is_gone_is_dead_at_once(var_dir):
    gone = subprocess.Popen(["true"])
    gone.wait()
    fresh = {"pid": gone.pid, "host": socket.gethostname(), "at": timezone.now().isoformat()}
    (var_dir / "workers").mkdir()
    (var_dir / "workers" / "w-killed.json").write_text(json.dumps(fresh))
    elsewhere = fresh | {"host": "another-machine"}  # its pid says nothing here
    (var_dir / "workers" / "w-there.json").write_text(json.dumps(elsewhere))
    assert heartbeat.worker_alive()  # the other machine's
    assert heartbeat.workers_dead_forget() == ["w-killed"]
    assert not (var_dir / "workers" / "w-killed.json").exists()
