"""Turns arrays and exceptions into plain JSON values (no NaN/Inf in the JSON)."""

import importlib
import math
import os
import traceback

import numpy as np

HARNESS_DIR = os.path.dirname(os.path.abspath(__file__))
STUB_DIR = os.path.join(os.path.dirname(HARNESS_DIR), "caffe_stub")
ENTRY_FILE = os.path.join(os.path.dirname(HARNESS_DIR), "run_layer.py")
IMPORTLIB_INIT = os.path.abspath(importlib.__file__)


def finite_or_none(value):
    value = float(value)
    return value if math.isfinite(value) else None


def array_stats(array):
    """Shape, dtype, min/max/mean/std over the finite values, and NaN/Inf counts."""
    arr = np.asarray(array)
    flat = arr.astype(np.float64).ravel()
    nan = int(np.isnan(flat).sum())
    inf = int(np.isinf(flat).sum())
    finite = flat[np.isfinite(flat)]
    stats = {
        "shape": [int(d) for d in arr.shape],
        "dtype": str(arr.dtype),
        "count": int(flat.size),
        "min": None,
        "max": None,
        "mean": None,
        "std": None,
        "nan": nan,
        "inf": inf,
    }
    if finite.size:
        stats["min"] = finite_or_none(finite.min())
        stats["max"] = finite_or_none(finite.max())
        stats["mean"] = finite_or_none(finite.mean())
        stats["std"] = finite_or_none(finite.std())
    return stats


def _is_harness_file(filename):
    path = os.path.abspath(filename)
    return path == ENTRY_FILE or path.startswith(HARNESS_DIR + os.sep)


def _is_import_machinery(filename):
    """Frames of Python's import system (importlib and its frozen bootstrap), between the harness's
    import of the layer's module and the module's own code: never the user's."""
    if filename.startswith("<frozen importlib"):
        return True
    return os.path.abspath(filename) == IMPORTLIB_INIT


def _is_stub_file(filename):
    return os.path.abspath(filename).startswith(STUB_DIR + os.sep)


def error_report(exc, phase, module_file=None):
    """{type, message, phase, traceback: [{file, line, function}], location?}.
    Frames of the harness itself and of Python's import system are dropped; `location` is the deepest frame in
    the layer's own file (else the deepest frame outside the harness/stand-in)."""
    frames = []
    for fs in traceback.extract_tb(exc.__traceback__):
        if _is_harness_file(fs.filename) or _is_import_machinery(fs.filename):
            continue
        frames.append({"file": fs.filename, "line": fs.lineno, "function": fs.name})
    if isinstance(exc, SyntaxError) and exc.filename:
        frame = {"file": exc.filename, "line": exc.lineno or 1, "function": "<module>"}
        if exc.offset:
            frame["column"] = exc.offset
        frames.append(frame)
    message = str(exc)
    if not message and exc.args:
        message = repr(exc.args)
    report = {
        "type": type(exc).__name__,
        "message": message,
        "phase": phase,
        "traceback": frames,
    }
    location = None
    if module_file:
        target = os.path.abspath(module_file)
        for frame in reversed(frames):
            if os.path.abspath(frame["file"]) == target:
                location = frame
                break
    if location is None:
        for frame in reversed(frames):
            if not _is_stub_file(frame["file"]) and not frame["file"].startswith("<"):
                location = frame
                break
    if location is not None:
        report["location"] = location
    return report


class LayerError(Exception):
    """An exception raised by the layer (or by building it), with the phase it happened in."""

    def __init__(self, cause, phase):
        Exception.__init__(self, str(cause))
        self.cause = cause
        self.phase = phase


class RequestError(Exception):
    """The request cannot be run as given (bad field, unreadable .npy, no pycaffe when required)."""
