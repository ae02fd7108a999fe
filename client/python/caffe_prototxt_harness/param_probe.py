"""A Python layer that records which param_str attributes Caffe set on it (see param_names.py)."""

import caffe

from .param_names import NAMES


class ParamProbe(caffe.Layer):
    seen = None

    def setup(self, bottom, top):
        ParamProbe.seen = tuple(name for name in NAMES if hasattr(self, name))

    def reshape(self, bottom, top):
        top[0].reshape(1)

    def forward(self, bottom, top):
        pass

    def backward(self, top, propagate_down, bottom):
        pass
