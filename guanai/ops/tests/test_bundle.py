"""The offline bundle's installer (scripts/offline_install.py): it refuses a bundle built for
another Python or platform, or with a damaged wheel, before it installs anything.
`make bundle-check` builds a real bundle and installs it with no network (minutes)."""

import importlib.util
import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
spec = importlib.util.spec_from_file_location(
    "offline_install", ROOT / "scripts/offline_install.py"
)
offline_install = importlib.util.module_from_spec(spec)
spec.loader.exec_module(offline_install)

HERE = {"python": "cp311", "platform": "linux_x86_64", "libc": "glibc", "libc_version": "2.36"}


def test_a_bundle_for_this_machine_is_accepted():
    assert offline_install.refusals(dict(HERE), HERE) == []
    older_build = HERE | {"libc_version": "2.31"}  # built on an older glibc: its wheels run here
    assert offline_install.refusals(older_build, HERE) == []


def test_a_bundle_for_another_python_platform_or_newer_glibc_is_refused_with_the_reason():
    built = {
        "python": "cp312",
        "platform": "linux_aarch64",
        "libc": "glibc",
        "libc_version": "2.39",
    }
    problems = offline_install.refusals(built, HERE)
    assert len(problems) == 3
    assert "Python cp312, this is cp311" in problems[0] and "本机是 cp311" in problems[0]
    assert "platform linux_aarch64, this is linux_x86_64" in problems[1]
    assert "glibc 2.36 is older than the build machine's 2.39" in problems[2]


def bundle_dir(tmp_path: Path, **manifest) -> Path:
    root = tmp_path / "guanai-bundle-0.1.0"
    (root / "wheels").mkdir(parents=True)
    (root / "wheels" / "a-1.0-py3-none-any.whl").write_bytes(b"wheel")
    digest = "b0bd1bf4b1e2de1b0d4bbd6ff9d0b31d1fdfbcb5c5d59f2cf3d9e0d5f1a8e5e7"  # not its sha256
    values = offline_install.target() | {
        "version": "0.1.0",
        "wheels": {"a-1.0-py3-none-any.whl": digest},
    }
    (root / "manifest.json").write_text(json.dumps(values | manifest))
    return root


def test_a_damaged_wheel_is_refused(tmp_path):
    root = bundle_dir(tmp_path)
    with pytest.raises(offline_install.Refused, match="a-1.0-py3-none-any.whl: 校验值不符"):
        offline_install.check(root)
    (root / "wheels" / "a-1.0-py3-none-any.whl").unlink()
    with pytest.raises(offline_install.Refused, match="missing"):
        offline_install.check(root)


def test_the_installer_refuses_another_pythons_bundle_before_making_a_virtualenv(tmp_path):
    root = bundle_dir(tmp_path, python="cp27")
    archive = tmp_path / "bundle.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(root, arcname=root.name)
    prefix = tmp_path / "venv"
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts/offline_install.py"),
            "--bundle",
            str(archive),
            "--prefix",
            str(prefix),
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "拒绝安装 / install refused" in done.stderr and "Python cp27" in done.stderr
    assert not prefix.exists()


def test_what_is_not_a_bundle_is_refused(tmp_path):
    with pytest.raises(offline_install.Refused, match="not a guanai bundle"):
        offline_install.check(tmp_path)
