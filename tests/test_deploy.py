"""Offline deployment: the build's precompressed files, Debian's nginx with the shipped
configuration, and scripts/serve.sh that installs only when it must."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from kb_tools.search.server import make_server
from kb_tools.site.precompress import MIN_BYTES, SUFFIXES
from tests.conftest import BUILDING_LAW, REPO, make_config, run_build, write_files

NGINX = Path("/usr/sbin/nginx")
KB_CONF = REPO / "deploy" / "nginx" / "kb.conf"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """A small real site with the search index (shards below search/kb/) and the default options."""
    root = tmp_path_factory.mktemp("deploy")
    write_files(root / "docs", {"index.md": "# 首页\n\n法规知识库。\n", "laws/建筑法.md": BUILDING_LAW})
    return run_build(make_config(root))


def test_the_build_writes_precompressed_text_files(site):
    texts = [p for p in site.rglob("*") if p.suffix in SUFFIXES and p.is_file() and p.stat().st_size >= MIN_BYTES]
    assert {p.suffix for p in texts} >= {".html", ".json", ".js", ".css"}
    for path in texts:
        gz = path.with_name(path.name + ".gz")
        assert gz.is_file(), path
        data = gz.read_bytes()
        assert gzip.decompress(data) == path.read_bytes()
        assert data[3] == 0 and data[4:8] == b"\0\0\0\0"  # no file name, no time: same bytes every build
        assert gz.stat().st_mtime_ns == path.stat().st_mtime_ns  # how kb serve knows it is current
    assert (site / "search" / "kb" / "manifest.json.gz").is_file()
    assert (site / "laws" / "建筑法" / "index.html.gz").is_file()


def test_precompress_can_be_turned_off(tmp_path):
    write_files(tmp_path / "docs", {"index.md": "# 首页\n", "laws/建筑法.md": BUILDING_LAW})
    built = run_build(make_config(tmp_path, {"precompress": False, "search_index": False}))
    assert (built / "index.html").is_file()
    assert [p.name for p in built.rglob("*.gz")] == ["sitemap.xml.gz"]  # MkDocs' own


# ---------------------------------------------------------------------------- nginx


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def nginx_config(tmp: Path, site: Path, port: int) -> Path:
    """A whole nginx.conf around the shipped server block, as a non-root user can run it: the
    shipped ``listen`` and ``root`` lines replaced, every path of nginx's own in ``tmp``."""
    text = KB_CONF.read_text(encoding="utf-8")
    text, listens = re.subn(r"^(\s*)listen 80;$", rf"\1listen 127.0.0.1:{port};", text, flags=re.M)
    text, roots = re.subn(r"^(\s*)root /srv/kb/site;$", rf"\1root {site.resolve()};", text, flags=re.M)
    assert (listens, roots) == (1, 1), "deploy/nginx/kb.conf must keep one `listen 80;` and one `root /srv/kb/site;`"
    (tmp / "kb.conf").write_text(text, encoding="utf-8")
    temp_paths = "\n".join(f"  {name}_temp_path {tmp}/{name};" for name in
                           ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(f"""daemon off;
master_process off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 64; }}
http {{
  include /etc/nginx/mime.types;
  default_type application/octet-stream;
  access_log off;
{temp_paths}
  include {tmp}/kb.conf;
}}
""", encoding="utf-8")
    return conf


@contextlib.contextmanager
def nginx(site: Path, tmp: Path) -> Iterator[tuple[str, int]]:
    port = free_port()
    conf = nginx_config(tmp, site, port)
    check = subprocess.run([str(NGINX), "-t", "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(conf)],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr
    child = subprocess.Popen([str(NGINX), "-e", str(tmp / "error.log"), "-p", str(tmp), "-c", str(conf)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert child.poll() is None, child.stderr.read().decode() if child.stderr else "nginx stopped"
                assert time.monotonic() < deadline, "nginx did not start"
                time.sleep(0.05)
        yield "127.0.0.1", port
    finally:
        child.terminate()
        child.wait(timeout=20)


def fetch(address: tuple[str, int], path: str, headers: dict[str, str] | None = None):
    conn = http.client.HTTPConnection(*address, timeout=30)
    try:
        conn.request("GET", urllib.parse.quote(path), headers=headers or {})
        response = conn.getresponse()
        return response, response.read()
    finally:
        conn.close()


@pytest.mark.skipif(not NGINX.exists(), reason="Debian's nginx is not installed (apt-get install nginx)")
def test_nginx_serves_the_site_with_the_shipped_config(site, tmp_path):
    shards = [p for p in (site / "search" / "kb").glob("*/*.json") if p.stat().st_size >= MIN_BYTES]
    shard = max(shards, key=lambda p: p.stat().st_size)  # a dictionary bucket, term or document shard
    with nginx(site, tmp_path) as address:
        response, body = fetch(address, "/laws/建筑法/", {"Accept-Encoding": "gzip"})
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (site / "laws" / "建筑法" / "index.html").read_bytes()
        assert response.getheader("Content-Type") == "text/html; charset=utf-8"

        rel = shard.relative_to(site).as_posix()
        response, body = fetch(address, f"/{rel}", {"Accept-Encoding": "gzip"})
        assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
        assert body == shard.with_name(shard.name + ".gz").read_bytes()  # the build's file, as it is
        assert response.getheader("Cache-Control") == "no-cache" and response.getheader("ETag")
        assert "Accept-Encoding" in (response.getheader("Vary") or "")
        response, body = fetch(address, f"/{rel}")
        assert response.getheader("Content-Encoding") is None and body == shard.read_bytes()

        bundle = next((site / "assets" / "javascripts").glob("bundle.*.min.js")).relative_to(site).as_posix()
        assert "immutable" in fetch(address, f"/{bundle}")[0].getheader("Cache-Control")

        response, body = fetch(address, "/laws/没有这部法规/")
        assert response.status == 404
        assert body == (site / "404.html").read_bytes()
        assert fetch(address, "/search/kb/.hidden")[0].status == 404


# ---------------------------------------------------------------------------- scripts/serve.sh


def fake_checkout(tmp: Path) -> Path:
    """The scripts and pyproject.toml of the repository, with a .venv whose python and kb only
    write down how they were called (pip would need the network this test must not use)."""
    repo = tmp / "repo"
    (repo / "scripts").mkdir(parents=True)
    for name in ("setup.sh", "serve.sh"):
        shutil.copy(REPO / "scripts" / name, repo / "scripts" / name)
    shutil.copy(REPO / "pyproject.toml", repo / "pyproject.toml")
    bin_dir = repo / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for tool in ("python", "kb"):
        script = bin_dir / tool
        script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{tmp}/calls.log"\n', encoding="utf-8")
        script.chmod(0o755)
    return repo


def calls(tmp: Path) -> list[str]:
    log = tmp / "calls.log"
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    log.unlink(missing_ok=True)
    return lines


def run_serve(repo: Path) -> None:
    env = {"PATH": os.environ["PATH"], "PORT": "8123", "HOME": str(repo)}
    subprocess.run(["bash", "scripts/serve.sh"], cwd=repo, env=env, check=True, timeout=60)


def test_serve_sh_installs_only_when_needed(tmp_path):
    repo = fake_checkout(tmp_path)
    run_serve(repo)  # never installed: pip runs, then kb serve
    first = calls(tmp_path)
    assert any("-m pip install" in line for line in first)
    assert first[-1] == "kb serve --host 127.0.0.1 --port 8123"

    run_serve(repo)  # installed from this pyproject.toml: straight to kb serve, no pip (no network)
    assert calls(tmp_path) == ["kb serve --host 127.0.0.1 --port 8123"]

    with (repo / "pyproject.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n# a new dependency\n")
    run_serve(repo)  # pyproject.toml changed since the install: install again
    assert any("-m pip install" in line for line in calls(tmp_path))
    run_serve(repo)
    assert calls(tmp_path) == ["kb serve --host 127.0.0.1 --port 8123"]


def test_kb_serve_answers_the_built_site_as_nginx_does(site):
    """The built 404 page with status 404, and the build's .gz as it is."""
    server = make_server(site, None, port=0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()
    try:
        response, body = fetch(server.server_address, "/laws/没有这部法规/", {"Accept-Encoding": "gzip"})
        assert response.status == 404 and response.getheader("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (site / "404.html").read_bytes()
        assert "页面不存在" in gzip.decompress(body).decode("utf-8")
        response, body = fetch(server.server_address, "/laws/建筑法/", {"Accept-Encoding": "gzip"})
        assert body == (site / "laws" / "建筑法" / "index.html.gz").read_bytes()
    finally:
        server.shutdown()
        server.server_close()


def test_kb_serve_command_serves_until_ctrl_c(site):
    port = free_port()
    kb = Path(sys.executable).with_name("kb")
    command = [str(kb), "serve", "--no-build", "-f", str(site.parent / "mkdocs.yml"), "--port", str(port)]
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=site.parent)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == f"法规知识库：http://127.0.0.1:{port}/  （Ctrl+C 停止）"
        response, body = fetch(("127.0.0.1", port), "/laws/建筑法/")
        assert response.status == 200 and "中华人民共和国建筑法" in body.decode("utf-8")
    finally:
        child.send_signal(signal.SIGINT)
        _, err = child.communicate(timeout=30)
    assert child.returncode == 0 and "Traceback" not in err
