"""Which attribute holds param_str. BVLC Caffe's PythonLayer sets `param_str` on the layer before
setup; older builds and forks (caffe-fast-rcnn among them) set `param_str_` instead. A layer that
reads the name its pycaffe does not set fails with AttributeError; these helpers say so plainly."""

import os
import re
import shutil
import tempfile

NAMES = ("param_str", "param_str_")

_MISSING = re.compile(r"has no attribute '(param_str_?)'")


def missing_name(exc):
    """The param_str name an AttributeError is about, or None."""
    if not isinstance(exc, AttributeError):
        return None
    found = _MISSING.search(str(exc))
    return found.group(1) if found else None


def names_set_by(caffe):
    """The param_str attribute names this pycaffe sets, found by building a one-layer net whose
    Python layer records them."""
    from . import param_probe

    folder = tempfile.mkdtemp(prefix="caffe-prototxt-probe-")
    try:
        path = os.path.join(folder, "probe.prototxt")
        with open(path, "w") as f:
            f.write(
                'layer { name: "probe" type: "Python" top: "probe" python_param { '
                'module: "caffe_prototxt_harness.param_probe" layer: "ParamProbe" param_str: "x" } }\n'
            )
        param_probe.ParamProbe.seen = None
        caffe.Net(path, caffe.TEST)
        return tuple(param_probe.ParamProbe.seen or ())
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hint(read, set_names, where):
    """Why reading `read` fails or would fail where only `set_names` are set; None when it does not."""
    if read in set_names or not set_names:
        return None
    other = set_names[0]
    return (
        "the layer reads self.%s, but %s sets only self.%s (BVLC Caffe sets param_str; older builds "
        "and forks such as caffe-fast-rcnn set param_str_). Read getattr(self, 'param_str', None) "
        "or self.param_str_ to work with both" % (read, where, other)
    )


def stand_in_note(reads):
    """A note for a layer run by the stand-in (which sets both names) that reads only one of them."""
    if "param_str_" in reads and "param_str" not in reads:
        return (
            "the layer reads self.param_str_; the stand-in sets it, and so do older Caffe builds and "
            "forks such as caffe-fast-rcnn, but BVLC pycaffe sets only self.param_str: there this "
            "layer fails with AttributeError"
        )
    return None  # reading param_str (BVLC's name) or both needs no word


def pycaffe_hint(caffe, exc):
    """For an exception of a layer run by pycaffe: why it failed when it is about a param_str name
    this pycaffe does not set, else None."""
    read = missing_name(exc)
    if read is None:
        return None
    try:
        set_names = names_set_by(caffe)
    except Exception:  # the probe itself failed: say nothing rather than guess
        return None
    return hint(read, set_names, "this pycaffe (%s)" % os.path.dirname(getattr(caffe, "__file__", "?")))
