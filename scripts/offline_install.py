#!/usr/bin/env python3
"""Install guanai from its offline bundle, with no network: the bundle's install.py.

    python3.11 install.py [--prefix /opt/guanai] [--no-migrate] [--debs]
    python3.11 scripts/offline_install.py --bundle guanai-bundle-….tar.gz [...]   (make install-offline)

Checks that the bundle was built for this Python and platform (refused with the reason
otherwise) and that every wheel is intact (sha256), creates a virtualenv at --prefix, installs
guanai with `pip install --no-index --find-links wheels/` (pip never asks an index), then runs
`guanai migrate` with the environment it was given (DATABASE_URL, GUANAI_VAR_DIR, ...). With
--debs (as root) it installs the bundled Debian packages that are missing (fonts, pango);
otherwise it names them. Only the standard library: it runs before anything is installed.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


class Refused(Exception):
    """The bundle does not fit this machine; the message says why, in Chinese and English."""


def target() -> dict:
    """This interpreter's tags: a bundle installs only where they are those it was built with."""
    libc, libc_version = platform.libc_ver()
    return {
        "python": f"cp{sys.version_info.major}{sys.version_info.minor}",
        "platform": sysconfig.get_platform().replace("-", "_").replace(".", "_"),
        "libc": libc,
        "libc_version": libc_version,
    }


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


def refusals(manifest: dict, here: dict) -> list[str]:
    """Why a bundle built for `manifest` cannot install where `here` holds; [] when it can."""
    problems = []
    if manifest.get("python") != here["python"]:
        problems.append(
            f"安装包为 Python {manifest.get('python')} 构建,本机是 {here['python']} / "
            f"the bundle is for Python {manifest.get('python')}, this is {here['python']}"
        )
    if manifest.get("platform") != here["platform"]:
        problems.append(
            f"安装包为平台 {manifest.get('platform')} 构建,本机是 {here['platform']} / "
            f"the bundle is for platform {manifest.get('platform')}, this is {here['platform']}"
        )
    built_libc = manifest.get("libc_version") or ""
    if (
        built_libc
        and manifest.get("libc") == here["libc"] == "glibc"
        and _version(here["libc_version"]) < _version(built_libc)
    ):
        problems.append(
            f"本机 glibc {here['libc_version']} 比构建机的 {built_libc} 旧 / this glibc "
            f"{here['libc_version']} is older than the build machine's {built_libc}"
        )
    return problems


def wheels_damaged(root: Path, manifest: dict) -> list[str]:
    damaged = []
    for name, digest in manifest.get("wheels", {}).items():
        path = root / "wheels" / name
        if not path.exists():
            damaged.append(f"{name}: 缺失 / missing")
            continue
        h = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                h.update(block)
        if h.hexdigest() != digest:
            damaged.append(f"{name}: 校验值不符 / checksum differs")
    return damaged


def check(root: Path) -> dict:
    """The bundle's manifest, once it fits this machine and its wheels are intact."""
    manifest_path = root / "manifest.json"
    if not manifest_path.exists():
        raise Refused(f"不是 guanai 安装包(没有 manifest.json)/ not a guanai bundle: {root}")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    problems = refusals(manifest, target()) + wheels_damaged(root, manifest)
    if problems:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise Refused(f"拒绝安装 / install refused:\n{lines}")
    return manifest


def missing_debs(root: Path) -> list[Path]:
    debs = sorted((root / "debs").glob("*.deb"))
    if not shutil.which("dpkg-query"):
        return debs
    missing = []
    for deb in debs:
        package = deb.name.split("_")[0]
        state = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True
        )
        if "install ok installed" not in state.stdout:
            missing.append(deb)
    return missing


def run(command: list[str], **kwargs) -> None:
    print("+", " ".join(command), flush=True)
    subprocess.run(command, check=True, **kwargs)


def install(root: Path, prefix: Path, migrate: bool, debs: bool) -> None:
    manifest = check(root)
    print(f"guanai {manifest['version']} ({manifest['python']}, {manifest['platform']})")
    missing = missing_debs(root)
    if missing and debs:
        run(["apt-get", "install", "-y", "--no-download", *[str(deb) for deb in missing]])
    elif missing:
        names = " ".join(str(deb) for deb in missing)
        print(f"缺少系统软件包 / Debian packages missing (PDFs need them): apt-get install {names}")
    wheels = str(root / "wheels")
    offline = ["--no-index", "--find-links", wheels, "--disable-pip-version-check", "--quiet"]
    env = os.environ | {"PIP_CONFIG_FILE": os.devnull}  # no index from any pip.conf either
    run([sys.executable, "-m", "venv", str(prefix)])
    pip = [str(prefix / "bin" / "python"), "-m", "pip", "install", *offline]
    run([*pip, "--upgrade", "pip", "setuptools", "wheel"], env=env)
    run([*pip, f"guanai=={manifest['version']}"], env=env)
    if migrate:
        run([str(prefix / "bin" / "guanai"), "migrate", "--noinput", "-v1"])
    print(f"已安装到 / installed in {prefix}; 启动 / start: {prefix}/bin/guanai serve --production")


def main() -> int:
    parser = argparse.ArgumentParser(description="guanai offline install")
    parser.add_argument("--bundle", type=Path, help="the .tar.gz (default: this directory)")
    parser.add_argument("--prefix", type=Path, default=Path("/opt/guanai"))
    parser.add_argument("--no-migrate", action="store_false", dest="migrate")
    parser.add_argument("--debs", action="store_true", help="install missing debs/ (root)")
    args = parser.parse_args()
    try:
        if args.bundle is None:
            install(HERE, args.prefix, args.migrate, args.debs)
            return 0
        with tempfile.TemporaryDirectory() as temp, tarfile.open(args.bundle) as tar:
            tar.extractall(temp, filter="data")
            (root,) = [p for p in Path(temp).iterdir() if p.is_dir()]
            install(root, args.prefix, args.migrate, args.debs)
    except Refused as refused:
        print(refused, file=sys.stderr)
        return 2
    except subprocess.CalledProcessError as failed:
        print(f"失败 / failed: {' '.join(map(str, failed.cmd))}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
