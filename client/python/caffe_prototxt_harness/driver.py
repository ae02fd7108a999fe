"""Chooses pycaffe or the stand-in, builds the layer and runs it step by step."""

import importlib
import os
import sys
import time

from .gradcheck import check_gradients, seed_diffs, top_weights
from .param_names import pycaffe_hint, stand_in_note
from .report import STUB_DIR, LayerError, RequestError, array_stats


def _forget_caffe():
    for name in list(sys.modules):
        if name == "caffe" or name.startswith("caffe."):
            del sys.modules[name]


def load_caffe(mode):
    """Returns (caffe module, used_pycaffe, why pycaffe was not used or None)."""
    problem = None
    if mode != "never":
        try:
            import caffe  # noqa: the real pycaffe, when it is on the path

            if getattr(caffe, "IS_STAND_IN", False):
                problem = "the caffe module found is the stand-in"
            elif not hasattr(caffe, "Net"):
                problem = "the caffe module at %s has no Net" % getattr(caffe, "__file__", "?")
            elif "Python" not in list(caffe.layer_type_list()):
                problem = "pycaffe was built without Python layer support (WITH_PYTHON_LAYER)"
            else:
                return caffe, True, None
        except Exception as exc:  # any import failure means "no pycaffe"
            problem = "import caffe failed: %s: %s" % (type(exc).__name__, exc)
        if mode == "always":
            raise RequestError("pycaffe is required (usePycaffe: always) but " + problem)
    _forget_caffe()
    sys.path.insert(0, STUB_DIR)
    import caffe  # noqa: the stand-in

    return caffe, False, problem


def load_layer_class(parsed):
    """Imports the module and looks up the class; returns (class, module file)."""
    try:
        module = importlib.import_module(parsed["module"])
    except (Exception, SystemExit) as exc:
        raise LayerError(exc, "import")
    module_file = getattr(module, "__file__", None)
    cls = getattr(module, parsed["layer"], None)
    if cls is None:
        found = sorted(n for n in dir(module) if isinstance(getattr(module, n), type))
        raise LayerError(
            AttributeError(
                "module %s (%s) has no class %s; classes there: %s"
                % (parsed["module"], module_file, parsed["layer"], ", ".join(found) or "none")
            ),
            "import",
        )
    return cls, module_file


def timed(step, fn, timings, *args):
    start = time.perf_counter()
    try:
        fn(*args)
    except Exception as exc:
        raise LayerError(exc, step)
    finally:
        timings[step] = (time.perf_counter() - start) * 1000.0


def run(parsed, result):
    """Fills `result` in place so that a failure keeps what was learned before it."""
    for folder in reversed(parsed["searchPaths"]):
        sys.path.insert(0, os.path.abspath(folder))
    caffe, used_pycaffe, problem = load_caffe(parsed["pycaffe"])
    result["usedPycaffe"] = used_pycaffe
    if problem and parsed["pycaffe"] == "auto":
        result["pycaffeProblem"] = problem
    layer_class, module_file = load_layer_class(parsed)
    result["moduleFile"] = module_file
    if used_pycaffe:
        from .pycaffe_net import PycaffeBackend as Backend
    else:
        from .standin import StandInBackend as Backend
    try:
        backend = Backend(caffe, layer_class, parsed)
    except Exception as exc:
        raise LayerError(exc, "construct")

    timings = result["timings"]
    try:
        timed("setup", backend.setup, timings)
        timed("reshape", backend.reshape, timings)
        if parsed["stopAfter"] == "reshape":
            # Only the shapes are wanted: the tops as reshape left them, no forward or backward.
            result["tops"] = [array_stats(b.data) for b in backend.tops()]
            result["bottoms"] = [array_stats(b.data) for b in backend.bottoms()]
            result["params"] = [array_stats(b.data) for b in backend.params()]
            return
        backend.reseed(parsed["seed"])
        timed("forward", backend.forward, timings)
        result["tops"] = [array_stats(b.data) for b in backend.tops()]
        result["bottoms"] = [array_stats(b.data) for b in backend.bottoms()]
        seed_diffs(backend, top_weights(backend.tops(), parsed["seed"]))
        timed("backward", backend.backward, timings, parsed["propagateDown"])
        result["bottomDiffs"] = [
            array_stats(b.diff) if wanted else None
            for b, wanted in zip(backend.bottoms(), parsed["propagateDown"])
        ]
        result["params"] = [array_stats(b.data) for b in backend.params()]
        result["paramDiffs"] = [array_stats(b.diff) for b in backend.params()]
        if parsed["gradcheck"]:
            start = time.perf_counter()
            try:
                result["gradcheck"] = check_gradients(
                    backend,
                    parsed["propagateDown"],
                    parsed["step"],
                    parsed["threshold"],
                    parsed["seed"],
                    parsed["maxChecks"],
                )
            except Exception as exc:
                raise LayerError(exc, "gradcheck")
            finally:
                timings["gradcheck"] = (time.perf_counter() - start) * 1000.0
    except LayerError as exc:
        if used_pycaffe:
            exc.hint = pycaffe_hint(caffe, exc.cause)
        raise
    finally:
        note = stand_in_note(backend.param_reads()) if not used_pycaffe else None
        if note:
            result.setdefault("notes", []).append(note)
        backend.close()
