"""A Caffe Python layer that multiplies its single bottom by a constant factor.

param_str holds the factor as a YAML (or JSON) mapping, e.g. "{'factor': 0.5}".
"""

import caffe
import yaml


class ScaleLayer(caffe.Layer):
    """top = factor * bottom; the gradient is scaled by the same factor."""

    def setup(self, bottom, top):
        if len(bottom) != 1 or len(top) != 1:
            raise Exception("ScaleLayer needs exactly one bottom and one top.")
        params = yaml.safe_load(self.param_str or "{}") or {}
        self.factor = float(params.get("factor", 1.0))

    def reshape(self, bottom, top):
        top[0].reshape(*bottom[0].data.shape)

    def forward(self, bottom, top):
        top[0].data[...] = self.factor * bottom[0].data

    def backward(self, top, propagate_down, bottom):
        if propagate_down[0]:
            bottom[0].diff[...] = self.factor * top[0].diff
