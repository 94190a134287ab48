"""Rebuild BERTopic's wheel without its hard dependency on sentence-transformers.

Why: `bertopic` requires `sentence-transformers`, which requires `torch`; on Linux a plain
`pip install` of torch pulls the CUDA build and several GB of nvidia wheels. Listening Lab never
uses sentence-transformers (it passes its own embedding backend to BERTopic), so the dependency is
dropped from the wheel's metadata and the wheel is re-versioned `+nost` ("no sentence-transformers")
so it can never be mistaken for the upstream file. The code inside is byte-for-byte upstream.

Usage (from the repo root): python vendor/build_bertopic_wheel.py PATH/TO/bertopic-0.17.4-py3-none-any.whl
"""
from __future__ import annotations

import base64
import hashlib
import sys
import zipfile
from pathlib import Path

DROP = ("sentence-transformers",)
LOCAL = "nost"


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def repack(src: Path, out_dir: Path) -> Path:
    name, version, *tail = src.name[:-4].split("-")
    new_version = f"{version}+{LOCAL}"
    old_info, new_info = f"{name}-{version}.dist-info/", f"{name}-{new_version}.dist-info/"
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(src) as zin:
        for item in zin.namelist():
            data = zin.read(item)
            item_new = item.replace(old_info, new_info, 1) if item.startswith(old_info) else item
            if item_new == new_info + "METADATA":
                lines = data.decode().splitlines()
                kept = [
                    f"Version: {new_version}" if ln.startswith("Version: ") else ln
                    for ln in lines
                    if not (ln.startswith("Requires-Dist:") and any(d in ln.lower() for d in DROP)
                            and "extra ==" not in ln)
                ]
                data = ("\n".join(kept) + "\n").encode()
            files[item_new] = data
    record_name = new_info + "RECORD"
    record = "".join(
        f"{path},{_digest(data)},{len(data)}\n" for path, data in files.items() if path != record_name
    ) + f"{record_name},,\n"
    files[record_name] = record.encode()
    out = out_dir / f"{name}-{new_version}-{'-'.join(tail)}.whl"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for path, data in files.items():
            zout.writestr(path, data)
    return out


if __name__ == "__main__":
    print(repack(Path(sys.argv[1]), Path(__file__).parent))
