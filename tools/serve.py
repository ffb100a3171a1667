"""Serve a built site on localhost, and rebuild it whenever something it is built from changes.

The server answers a path no file can have (a NUL byte, bytes that are not UTF-8) with 400
rather than an error page, and sends text gzip-compressed to a browser that accepts it, as
GitHub Pages does: what a page costs here (in the bench's Lighthouse runs too) is what it
costs a reader. Changes are watched with watchfiles (the file-system's own
notifications, with polling where there are none), limited to what a build reads
(:data:`tools.build.WATCHED`), so editing a maintainer tool does not rebuild the site.
"""
from __future__ import annotations

import functools
import gzip
import http.server
import io
import multiprocessing
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

from dataset.errors import BuildError
from tools import build as building

#: Besides text/*, the types sent compressed (GitHub Pages compresses these too).
COMPRESSED_TYPES = ("application/javascript", "application/json", "application/xml", "application/atom+xml", "image/svg+xml")


class _StaticHandler(http.server.SimpleHTTPRequestHandler):
    """Serves files, answering a path no file can have with 400."""

    def send_head(self):
        try:
            path = unquote(urlsplit(self.path).path, errors="strict")
        except UnicodeDecodeError:
            self.send_error(400, "Bad request: the path is not valid UTF-8")
            return None
        if "\0" in path:
            self.send_error(400, "Bad request: the path contains a NUL byte")
            return None
        compressed = self._gzipped(path)
        return compressed if compressed is not None else super().send_head()

    def _gzipped(self, path: str):
        """The file compressed, headers sent, when the browser accepts gzip and the file is
        text (HTML, CSS, scripts, SVG, JSON, XML); None to serve it as it is."""
        if "gzip" not in self.headers.get("Accept-Encoding", ""):
            return None
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return None  # the standard handler redirects to the address with a slash
            file = file / "index.html"
        content_type = self.guess_type(str(file))
        if not file.is_file() or not (content_type.startswith("text/") or content_type in COMPRESSED_TYPES):
            return None
        body = gzip.compress(file.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(file.stat().st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class _QuietHandler(_StaticHandler):
    def log_message(self, *args):
        pass


def serve_directory(directory: Path | str, port: int = 0, quiet: bool = True) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve a folder on 127.0.0.1 from a background thread; return the server and its base URL.

    The folder is looked up on every request, so a build swapped in meanwhile is served at once.
    """
    handler = functools.partial(_QuietHandler if quiet else _StaticHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def watched_paths(root: Path = building.ROOT) -> list[Path]:
    """The folders and files a build reads, as they exist now."""
    return [root / name for name in building.WATCHED if (root / name).exists()]


def _relevant(change, path: str) -> bool:
    """Changes worth a rebuild: not Python's byte-code caches, not editors' swap files."""
    name = Path(path).name
    return "__pycache__" not in Path(path).parts and not name.endswith(("~", ".swp", ".swx")) and not name.startswith(".#")


def _rebuild(root: Path, output: Path) -> None:
    """Build in a fresh interpreter, so an edit to the engine's own code (dataset/, charting/,
    plugin/, charts/) is what the build runs: this process imported the code as it was when
    serving began, and the memo would otherwise keep charts built by the old code under the
    new code's key."""
    process = multiprocessing.get_context("spawn").Process(target=_build_and_report, args=(str(root), str(output)))
    process.start()
    process.join()


def _build_and_report(root: str, output: str) -> None:
    try:
        result = building.build(Path(root) / "pelicanconf.py", Path(output))
    except BuildError as exc:
        print(f"Build failed; still serving the last good site:\n{exc}", flush=True)
        return
    if result.up_to_date:
        print("Up to date: nothing the site is built from changed.", flush=True)
    else:
        print(f"Built in {result.seconds:.1f}s; charts rendered: {len(result.charts_rendered)} of {result.charts_total}", flush=True)


def serve(port: int = 8000, output: Path | str | None = None, root: Path = building.ROOT, stop_event=None) -> None:
    """Build the project in ``root``, serve its output/ on localhost, and build again after
    each batch of changes to what the site is made from.

    ``stop_event`` (a :class:`threading.Event`) ends the loop; without it, Ctrl-C does.
    """
    import watchfiles

    root = Path(root)
    output = Path(output or root / "output")
    server, url = serve_directory(output, port, quiet=False)
    print(f"Serving {output} at {url}/ (Ctrl-C to stop)", flush=True)
    try:
        _rebuild(root, output)
        for changes in watchfiles.watch(*watched_paths(root), watch_filter=_relevant, stop_event=stop_event, raise_interrupt=False):
            changed = sorted({str(Path(path).relative_to(root)) for _, path in changes if Path(path).is_relative_to(root)})
            shown = ", ".join(changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
            print(f"Changed: {shown}", flush=True)
            _rebuild(root, output)
    finally:
        server.shutdown()
