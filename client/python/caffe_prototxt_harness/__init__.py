"""Internals of run_layer.py: request parsing, the two ways of running a layer
(the stand-in `caffe` module or a generated pycaffe net), blob statistics and
Caffe's gradient check."""
