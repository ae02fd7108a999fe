"""Runs the layer object directly with the stand-in Blob objects, calling the
methods in the order Caffe's Layer::SetUp / Forward / Backward do."""

import numpy as np


class StandInBackend(object):
    used_pycaffe = False

    def __init__(self, caffe, layer_class, parsed):
        self.caffe = caffe
        self.parsed = parsed
        param = caffe.LayerParameter(
            name=parsed["layerName"],
            module=parsed["module"],
            layer=parsed["layer"],
            param_str=parsed["paramStr"],
            phase=self.phase_value(),
        )
        self.layer = layer_class(param)
        # Zeros until setup is done: in a Caffe net, layers are set up before any data arrives.
        self.bottom = [caffe.Blob(array.shape) for _name, array in parsed["bottoms"]]
        # A top named like a bottom is the same blob (an in-place layer).
        by_name = dict(zip([name for name, _ in parsed["bottoms"]], self.bottom))
        self.top = [by_name.get(name) or caffe.Blob(()) for name in parsed["tops"]]
        # What the layer's methods get: indexable, not iterable, like pycaffe's vectors.
        self.bottom_vec = caffe.RawBlobVec(self.bottom)
        self.top_vec = caffe.RawBlobVec(self.top)

    def phase_value(self):
        return self.caffe.TRAIN if self.parsed["phase"] == "TRAIN" else self.caffe.TEST

    # The four steps, each timed by the driver.
    def setup(self):
        # PythonLayer::LayerSetUp sets these two attributes, then calls setup.
        self.layer.param_str = self.parsed["paramStr"]
        self.layer.param_str_ = self.parsed["paramStr"]
        self.layer.phase = self.phase_value()
        self.layer.setup(self.bottom_vec, self.top_vec)
        for blob, (_name, array) in zip(self.bottom, self.parsed["bottoms"]):
            blob.data[...] = array

    def reshape(self):
        self.layer.reshape(self.bottom_vec, self.top_vec)

    def forward(self):
        # Layer::Forward reshapes before every forward pass.
        self.layer.reshape(self.bottom_vec, self.top_vec)
        self.call("forward", self.bottom_vec, self.top_vec)

    def backward(self, propagate_down):
        self.call("backward", self.top_vec, list(propagate_down), self.bottom_vec)

    def call(self, method, *args):
        fn = getattr(self.layer, method, None)
        if fn is None:
            raise AttributeError(
                "%s has no %s(); Caffe calls it on every pass" % (type(self.layer).__name__, method)
            )
        fn(*args)

    def reseed(self, seed):
        np.random.seed(seed)

    def bottoms(self):
        return self.bottom

    def tops(self):
        return self.top

    def params(self):
        return list(self.layer.blobs)

    def param_reads(self):
        """The param_str names the layer read (see caffe_stub's Layer)."""
        return set(self.layer.__dict__.get("_stand_in_param_reads", ()))

    def close(self):
        pass
