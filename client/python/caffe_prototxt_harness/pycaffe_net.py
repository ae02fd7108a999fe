"""Runs the layer through the real pycaffe: a generated net of one Input layer
per bottom and the Python layer, built with caffe.Net like Caffe builds any net."""

import os
import shutil
import tempfile

import numpy as np


def proto_string(text):
    """A double-quoted prototxt string literal for any text."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif code < 0x20 or code == 0x7F:
            out.append("\\%03o" % code)
        elif code < 0x80:
            out.append(ch)
        else:
            # protobuf's text format reads byte escapes; write UTF-8 bytes.
            out.extend("\\%03o" % b for b in ch.encode("utf-8"))
    out.append('"')
    return "".join(out)


def net_text(parsed):
    lines = ['name: "caffe_prototxt_run"', "force_backward: true"]
    for i, (name, array) in enumerate(parsed["bottoms"]):
        dims = " ".join("dim: %d" % d for d in array.shape)
        lines.append(
            'layer { name: %s type: "Input" top: %s input_param { shape { %s } } }'
            % (proto_string("input%d_%s" % (i, name)), proto_string(name), dims)
        )
    body = [
        "name: %s" % proto_string(parsed["layerName"]),
        'type: "Python"',
    ]
    body += ["bottom: %s" % proto_string(name) for name, _ in parsed["bottoms"]]
    body += ["top: %s" % proto_string(name) for name in parsed["tops"]]
    body.append(
        "python_param { module: %s layer: %s param_str: %s }"
        % (proto_string(parsed["module"]), proto_string(parsed["layer"]), proto_string(parsed["paramStr"]))
    )
    lines.append("layer { %s }" % " ".join(body))
    return "\n".join(lines) + "\n"


class PycaffeBackend(object):
    """setup = building the net (Caffe calls LayerSetUp and Reshape there)."""

    used_pycaffe = True

    def __init__(self, caffe, _layer_class, parsed):
        self.caffe = caffe
        self.parsed = parsed
        self.net = None
        caffe.set_mode_cpu()

    def setup(self):
        folder = tempfile.mkdtemp(prefix="caffe-prototxt-run-")
        try:
            path = os.path.join(folder, "net.prototxt")
            with open(path, "w") as f:
                f.write(net_text(self.parsed))
            phase = self.caffe.TRAIN if self.parsed["phase"] == "TRAIN" else self.caffe.TEST
            self.net = self.caffe.Net(path, phase)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        self.layer_index = list(self.net._layer_names).index(self.parsed["layerName"])
        self.fill_bottoms()

    def fill_bottoms(self):
        for name, array in self.parsed["bottoms"]:
            self.net.blobs[name].data[...] = array

    def reshape(self):
        self.net.reshape()

    def forward(self):
        self.net._forward(0, len(self.net.layers) - 1)

    def backward(self, propagate_down):
        # force_backward makes Caffe pass propagate_down = True for every bottom;
        # the diffs of bottoms not asked for are zeroed afterwards.
        self.net._backward(len(self.net.layers) - 1, 0)
        for blob, wanted in zip(self.bottoms(), propagate_down):
            if not wanted:
                blob.diff[...] = 0

    def reseed(self, seed):
        self.caffe.set_random_seed(seed)
        np.random.seed(seed)

    def bottoms(self):
        return [self.net.blobs[name] for name, _ in self.parsed["bottoms"]]

    def tops(self):
        return [self.net.blobs[name] for name in self.parsed["tops"]]

    def params(self):
        return list(self.net.layers[self.layer_index].blobs)

    def close(self):
        self.net = None
