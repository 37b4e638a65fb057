#!/usr/bin/env python3
"""Write the offline install bundle: `make bundle` (docs/deploy.md, "Offline bundle").

    python scripts/bundle.py [--out DIR] [--no-debs]

var/dist/guanai-bundle-<version>-<python>-<platform>.tar.gz holds:

  wheels/         guanai's wheel and a wheel of every dependency, for this Python and platform
                  (pip wheel: binary wheels from the index, the rest built here)
  debs/           the Debian packages pip cannot give (scripts/sysdeps.sh: Chinese fonts for
                  PDFs, WeasyPrint's pango and harfbuzz), from `apt-get download`
  docs/           README.md, docs/ (deployment, decisions)
  install.py      the installer (scripts/offline_install.py), run by `make install-offline`
  manifest.json   version, Python tag, platform, glibc, the wheels and their sha256

guanai's static assets (vendored: htmx, echarts, fonts of the pages) are inside its wheel.
Run with the Python the county will run (3.11): the wheels are for it.
"""

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from offline_install import target  # noqa: E402  (the installer's own tags: the same test)

DEBS = ["fonts-noto-cjk", "libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"]


def version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as handle:
        return tomllib.load(handle)["project"]["version"]


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def build(out: Path, debs: bool) -> Path:
    tags = target()
    name = f"guanai-bundle-{version()}-{tags['python']}-{tags['platform']}"
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as temp:
        stage = Path(temp) / name
        wheels = stage / "wheels"
        wheels.mkdir(parents=True)
        # guanai and every runtime dependency, and what the installer itself needs.
        subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "wheel",
                "--quiet",
                "--wheel-dir",
                str(wheels),
                str(ROOT),
                "pip",
                "setuptools",
                "wheel",
            ],
            check=True,
        )
        if debs:
            (stage / "debs").mkdir()
            got = subprocess.run(["apt-get", "download", *DEBS], cwd=stage / "debs")
            if got.returncode != 0:
                print("apt-get download failed: debs/ left out (docs/deploy.md lists them)")
        (stage / "docs").mkdir()
        shutil.copy2(ROOT / "README.md", stage / "docs" / "README.md")
        shutil.copytree(ROOT / "docs", stage / "docs", dirs_exist_ok=True)
        shutil.copy2(ROOT / "scripts" / "offline_install.py", stage / "install.py")
        manifest = {
            "name": "guanai",
            "version": version(),
            **tags,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "wheels": {p.name: sha256(p) for p in sorted(wheels.glob("*.whl"))},
            "debs": sorted(p.name for p in (stage / "debs").glob("*.deb")),
        }
        (stage / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        archive = out / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz", compresslevel=6) as tar:
            tar.add(stage, arcname=name)
    size = archive.stat().st_size / 1024 / 1024
    took = time.monotonic() - started
    print(
        f"{archive}: {len(manifest['wheels'])} wheels, {len(manifest['debs'])} debs, "
        f"{size:.0f} MB, {took:.0f} s"
    )
    return archive


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "dist")
    parser.add_argument("--no-debs", action="store_true", help="leave out debs/")
    args = parser.parse_args()
    build(args.out, debs=not args.no_debs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
