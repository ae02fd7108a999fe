"""Validates the JSON request and builds the bottom arrays."""

import numpy as np

from .report import RequestError

PHASES = ("TRAIN", "TEST")
PYCAFFE_MODES = ("auto", "always", "never")
STOP_AFTER = ("backward", "reshape")
DEFAULT_MAX_CHECKS = 500


def _number(req, key, default, minimum=None):
    value = req.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RequestError("'%s' must be a number, got %r" % (key, value))
    if minimum is not None and value < minimum:
        raise RequestError("'%s' must be at least %s, got %r" % (key, minimum, value))
    return value


def _string(req, key, default=None):
    value = req.get(key, default)
    if not isinstance(value, str):
        raise RequestError("'%s' must be a string, got %r" % (key, value))
    return value


def _shape(value, where):
    if not isinstance(value, list) or not all(
        isinstance(d, int) and not isinstance(d, bool) and d >= 0 for d in value
    ):
        raise RequestError("%s: 'shape' must be a list of non-negative integers, got %r" % (where, value))
    return value


def make_bottom(spec, index):
    """Returns (name, float32 array) for one bottom description."""
    where = "bottoms[%d]" % index
    if not isinstance(spec, dict):
        raise RequestError("%s must be an object, got %r" % (where, spec))
    name = spec.get("name", "bottom%d" % index)
    if not isinstance(name, str) or not name:
        raise RequestError("%s: 'name' must be a non-empty string" % where)
    shape = spec.get("shape")
    if shape is not None:
        shape = _shape(shape, where)
    fill = spec.get("fill", "random")
    seed = spec.get("seed", 1701 + index)
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise RequestError("%s: 'seed' must be a non-negative integer, got %r" % (where, seed))
    if isinstance(fill, dict) and "npy" in fill:
        path = fill["npy"]
        if not isinstance(path, str):
            raise RequestError("%s: fill.npy must be a path string" % where)
        try:
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise RequestError("%s: cannot read %s: %s" % (where, path, exc))
        if shape is not None and list(array.shape) != shape:
            raise RequestError(
                "%s: %s holds shape %s but the shape asked for is %s"
                % (where, path, list(array.shape), shape)
            )
        return name, np.ascontiguousarray(array, dtype=np.float32)
    if shape is None:
        raise RequestError("%s: 'shape' is required unless the data comes from a .npy file" % where)
    if fill == "zeros":
        return name, np.zeros(shape, dtype=np.float32)
    if fill == "random":
        rng = np.random.RandomState(seed)
        return name, rng.standard_normal(shape).astype(np.float32)
    raise RequestError("%s: 'fill' must be 'random', 'zeros' or {\"npy\": path}, got %r" % (where, fill))


def parse_request(req):
    """Checks every field and returns a dict with defaults filled in."""
    if not isinstance(req, dict):
        raise RequestError("the request must be a JSON object")
    parsed = {
        "module": _string(req, "module"),
        "layer": _string(req, "layer"),
        "layerName": _string(req, "layerName", "layer"),
        "paramStr": _string(req, "paramStr", ""),
        "phase": _string(req, "phase", "TRAIN"),
        "gradcheck": bool(req.get("gradcheck", False)),
        "step": float(_number(req, "step", 1e-2)),
        "threshold": float(_number(req, "threshold", 1e-3)),
        "seed": int(_number(req, "seed", 1701, 0)),
        "maxChecks": int(_number(req, "maxChecks", DEFAULT_MAX_CHECKS, 1)),
        "pycaffe": _string(req, "pycaffe", "auto"),
        "stopAfter": _string(req, "stopAfter", "backward"),
    }
    if not parsed["module"] or not parsed["layer"]:
        raise RequestError("'module' and 'layer' must name the Python module and the layer class")
    if parsed["phase"] not in PHASES:
        raise RequestError("'phase' must be TRAIN or TEST, got %r" % parsed["phase"])
    if parsed["pycaffe"] not in PYCAFFE_MODES:
        raise RequestError("'pycaffe' must be auto, always or never, got %r" % parsed["pycaffe"])
    if parsed["stopAfter"] not in STOP_AFTER:
        raise RequestError("'stopAfter' must be backward or reshape, got %r" % parsed["stopAfter"])
    if parsed["stopAfter"] == "reshape" and parsed["gradcheck"]:
        raise RequestError("a gradient check needs forward and backward: it cannot stop after reshape")
    if parsed["step"] <= 0 or parsed["threshold"] <= 0:
        raise RequestError("'step' and 'threshold' must be positive")
    search = req.get("searchPaths", [])
    if not isinstance(search, list) or not all(isinstance(p, str) for p in search):
        raise RequestError("'searchPaths' must be a list of folder paths")
    parsed["searchPaths"] = search
    bottoms = req.get("bottoms", [])
    if not isinstance(bottoms, list):
        raise RequestError("'bottoms' must be a list")
    parsed["bottoms"] = [make_bottom(spec, i) for i, spec in enumerate(bottoms)]
    tops = req.get("tops", ["top"])
    if isinstance(tops, int) and not isinstance(tops, bool) and tops >= 0:
        tops = ["top%d" % i for i in range(tops)]
    if not isinstance(tops, list) or not all(isinstance(t, str) and t for t in tops):
        raise RequestError("'tops' must be a count or a list of top names")
    parsed["tops"] = tops
    propagate = req.get("propagateDown")
    if propagate is None:
        propagate = [True] * len(bottoms)
    if not isinstance(propagate, list) or len(propagate) != len(bottoms):
        raise RequestError("'propagateDown' must hold one boolean per bottom")
    parsed["propagateDown"] = [bool(p) for p in propagate]
    return parsed
