"""The harness under debugpy (`run_layer.py --debug-listen 127.0.0.1:PORT`).

debugpy listens on a loopback address (port 0: any free port), the harness writes
{"debugger": {"host", "port"}} as the first line of its result channel, waits until a
DAP client has attached and finished configuring (breakpoints set), and then runs the
request as usual. This folder (the harness, run_layer.py and the stand-in `caffe`)
and the real pycaffe package are library code for debugpy: with "justMyCode" they are
never stepped into and exceptions raised in them do not stop, whatever rules the client
sends (those replace pydevd's exclude filters, not its library roots).
"""

import importlib.util
import json
import os
import site
import sys
import sysconfig

HARNESS_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LOOPBACK = ("127.0.0.1", "::1", "localhost")


class DebugSetupError(Exception):
    """The debugger cannot be started (no debugpy, a bad address, the port is taken)."""

    def __init__(self, kind, message):
        Exception.__init__(self, message)
        self.kind = kind


def parse_listen(argv):
    """(host, port) from `--debug-listen HOST:PORT` in argv; None when it is absent."""
    for i, arg in enumerate(argv):
        if arg == "--debug-listen" or arg.startswith("--debug-listen="):
            value = arg.split("=", 1)[1] if "=" in arg else (argv[i + 1] if i + 1 < len(argv) else "")
            host, _, port = value.rpartition(":")
            host = host.strip("[]")
            if host not in LOOPBACK:
                raise DebugSetupError("DebugAddress", "the debugger listens on loopback only, not %r" % host)
            if not port.isdigit() or int(port) > 65535:
                raise DebugSetupError("DebugAddress", "--debug-listen needs HOST:PORT, got %r" % value)
            return host, int(port)
    return None


def _default_library_roots():
    """Where the interpreter keeps its own and installed packages (what debugpy counts as library)."""
    roots = set()
    names = set(sysconfig.get_path_names()) & {"stdlib", "platstdlib", "purelib", "platlib"}
    roots.update(sysconfig.get_path(name) for name in names)
    roots.add(os.path.dirname(os.__file__))
    if hasattr(site, "getsitepackages"):
        roots.update(site.getsitepackages())
    if hasattr(site, "getusersitepackages"):
        roots.add(site.getusersitepackages())
    roots.update(p for p in sys.path if os.path.basename(p) in ("site-packages", "dist-packages"))
    return [r for r in roots if r]


def _caffe_package():
    """The folder of the `caffe` package the run would import, without importing it."""
    try:
        spec = importlib.util.find_spec("caffe")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not spec.origin.endswith("__init__.py"):
        return None
    return os.path.dirname(spec.origin)


def library_roots():
    """The library roots debugpy should use: the given or default ones, this folder and pycaffe's."""
    given = os.environ.get("LIBRARY_ROOTS")
    roots = given.split(os.pathsep) if given else _default_library_roots()
    roots.append(HARNESS_ROOT)
    caffe_dir = _caffe_package()
    if caffe_dir:
        roots.append(caffe_dir)
    return sorted(set(roots))


class _detached_stdio(object):
    """debugpy's adapter process outlives the harness (it ends when its client leaves): it must not
    inherit the run's pipes, or whoever reads them would wait for the client too."""

    def __enter__(self):
        sys.stdout.flush()
        sys.stderr.flush()
        self.saved = [os.dup(fd) for fd in (0, 1, 2)]
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.close(null)

    def __exit__(self, *_):
        for fd, saved in zip((0, 1, 2), self.saved):
            os.dup2(saved, fd)
            os.close(saved)


def start(endpoint, channel):
    """Listens, announces the address on `channel` and waits for a configured client."""
    # pydevd reads its library roots once, when debugpy starts it (in listen()).
    os.environ["LIBRARY_ROOTS"] = os.pathsep.join(library_roots())
    # Its warning about frozen standard modules concerns breakpoints there, never the user's files.
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    try:
        import debugpy
    except ImportError as exc:
        python = sys.executable
        raise DebugSetupError(
            "DebugpyMissing",
            "debugpy is not installed for %s (%s). Install it with `%s -m pip install debugpy`"
            " (Debian's /usr/bin/python3: `apt install python3-debugpy`)." % (python, exc, python),
        )
    try:
        with _detached_stdio():
            host, port = debugpy.listen(endpoint)
    except Exception as exc:  # the port is taken, the adapter did not start...
        where = "%s:%d" % endpoint
        raise DebugSetupError("DebugListenFailed", "debugpy could not listen on %s: %s" % (where, exc))
    channel.write(json.dumps({"debugger": {"host": host, "port": port}}) + "\n")
    channel.flush()
    debugpy.wait_for_client()
