"""Runs one Caffe Python layer: setup -> reshape -> forward -> backward, with an
optional gradient check. Reads a JSON request on stdin and writes one JSON
result on stdout; whatever the layer prints goes to stderr.

Usage: python3 run_layer.py [--debug-listen 127.0.0.1:PORT] < request.json
(see client/python/README.md)
"""

import json
import os
import sys

sys.dont_write_bytecode = True  # never leave __pycache__ in the user's folders


def _private_stdout():
    """Keeps the real stdout for the result and points fd 1 (and sys.stdout) at stderr."""
    sys.stdout.flush()
    fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return os.fdopen(fd, "w", encoding="utf-8")


def main(argv=()):
    out = _private_stdout()
    result = {
        "ok": False,
        "interpreter": sys.executable,
        "pythonVersion": "%d.%d.%d" % sys.version_info[:3],
        "usedPycaffe": False,
        "tops": [],
        "bottoms": [],
        "bottomDiffs": [],
        "params": [],
        "paramDiffs": [],
        "timings": {},
    }
    try:
        import numpy

        result["numpyVersion"] = numpy.__version__
        from caffe_prototxt_harness import debugging
        from caffe_prototxt_harness.driver import run
        from caffe_prototxt_harness.report import LayerError, RequestError, error_report
        from caffe_prototxt_harness.request import parse_request
    except ImportError as exc:
        result["error"] = {
            "type": type(exc).__name__,
            "message": "the harness needs numpy: %s" % exc,
            "phase": "harness",
            "traceback": [],
        }
        return _finish(out, result)

    try:
        text = sys.stdin.read()
        try:
            request = json.loads(text)
        except ValueError as exc:
            raise RequestError("the request is not valid JSON: %s" % exc)
        parsed = parse_request(request)
        endpoint = debugging.parse_listen(argv)
        if endpoint:
            debugging.start(endpoint, out)
        run(parsed, result)
        result["ok"] = True
    except RequestError as exc:
        result["error"] = {"type": "RequestError", "message": str(exc), "phase": "request", "traceback": []}
    except debugging.DebugSetupError as exc:
        result["error"] = {"type": exc.kind, "message": str(exc), "phase": "harness", "traceback": []}
    except LayerError as exc:
        result["error"] = error_report(exc.cause, exc.phase, result.get("moduleFile"))
        hint = getattr(exc, "hint", None)
        if hint:
            result["error"]["message"] += "; " + hint
    except BaseException as exc:  # SystemExit / KeyboardInterrupt from the layer too
        result["error"] = error_report(exc, "harness", result.get("moduleFile"))
    return _finish(out, result)


def _plain(value):
    """JSON has no NaN/Inf: they become null."""
    if isinstance(value, float):
        return value if value == value and value not in (float("inf"), float("-inf")) else None
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _finish(out, result):
    out.write(json.dumps(_plain(result), allow_nan=False, default=str))
    out.write("\n")
    out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
