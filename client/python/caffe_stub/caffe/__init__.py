"""A minimal stand-in for pycaffe's `caffe` module, used to run one Python layer
without a Caffe build. It models only what a Python layer sees: `caffe.Layer`,
its `blobs`, the `Blob` handed to setup/reshape/forward/backward, and the phase
constants. Differences from pycaffe are listed in client/python/README.md.
"""

import numpy as np

__version__ = "stand-in"
#: Lets a layer (or the harness) tell the stand-in from the real pycaffe.
IS_STAND_IN = True

# caffe_pb2.Phase values.
TRAIN = 0
TEST = 1

_LEGACY_AXES = 4


class Blob(object):
    """An N-d float32 array pair (data, diff) with Caffe's reshape semantics:
    the memory grows when needed and is reused when the count shrinks, so the
    arrays returned before a reshape are stale views afterwards."""

    def __init__(self, shape=()):
        self._shape = []
        self._data = np.zeros(0, dtype=np.float32)
        self._diff = np.zeros(0, dtype=np.float32)
        self._reshape(list(shape))

    def _reshape(self, shape):
        dims = []
        for d in shape:
            d = int(d)
            if d < 0:
                raise ValueError("blob dimensions must be non-negative, got %r" % (shape,))
            dims.append(d)
        count = int(np.prod(dims)) if dims else 1
        if count > self._data.size:
            self._data = np.zeros(count, dtype=np.float32)
            self._diff = np.zeros(count, dtype=np.float32)
        self._shape = dims

    def reshape(self, *args, **kwargs):
        if kwargs:
            raise RuntimeError("Blob.reshape takes no kwargs")
        self._reshape(args)

    @property
    def shape(self):
        # pycaffe returns a copy of the shape vector (an IntVec); a list is the
        # closest plain-Python equivalent.
        return list(self._shape)

    @property
    def count(self):
        return int(np.prod(self._shape)) if self._shape else 1

    @property
    def data(self):
        return self._data[: self.count].reshape(self._shape)

    @property
    def diff(self):
        return self._diff[: self.count].reshape(self._shape)

    def _legacy(self, index):
        if len(self._shape) > _LEGACY_AXES:
            raise RuntimeError(
                "Cannot use legacy accessors on Blobs with > 4 axes (shape %r)" % (self._shape,)
            )
        return self._shape[index] if index < len(self._shape) else 1

    @property
    def num(self):
        return self._legacy(0)

    @property
    def channels(self):
        return self._legacy(1)

    @property
    def height(self):
        return self._legacy(2)

    @property
    def width(self):
        return self._legacy(3)

    def __repr__(self):
        return "<caffe.Blob (stand-in) shape=%r>" % (self._shape,)


class BlobVec(object):
    """The list-like `Layer.blobs`: indexing, len, iteration and add_blob(*shape)."""

    def __init__(self):
        self._items = []

    def add_blob(self, *args, **kwargs):
        if kwargs:
            raise RuntimeError("BlobVec.add_blob takes no kwargs")
        self._items.append(Blob(args))

    def append(self, blob):
        if not isinstance(blob, Blob):
            raise TypeError("BlobVec holds caffe.Blob objects, got %s" % type(blob).__name__)
        self._items.append(blob)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        return self._items[index]

    def __iter__(self):
        return iter(self._items)

    def __repr__(self):
        return "<caffe.BlobVec (stand-in) %r>" % (self._items,)


class RawBlobVec(object):
    """The `bottom` and `top` that Caffe passes to a Python layer: len and indexing (a slice gives
    another RawBlobVec), but, as in BVLC pycaffe, no iteration or unpacking."""

    def __init__(self, items):
        self._items = list(items)

    def __len__(self):
        return len(self._items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return RawBlobVec(self._items[index])
        return self._items[index]

    def __iter__(self):
        raise TypeError("No to_python (by-value) converter found for C++ type: caffe::Blob<float>*")

    def __repr__(self):
        return "<caffe.RawBlobVec (stand-in) of %d blobs>" % len(self._items)


class LayerParameter(object):
    """Opaque like pycaffe's (which exposes no fields); the harness keeps the
    few values it knows for debugging."""

    def __init__(self, name="", module="", layer="", param_str="", phase=TRAIN):
        self._name = name
        self._module = module
        self._layer = layer
        self._param_str = param_str
        self._phase = phase

    def __repr__(self):
        return "<caffe.LayerParameter (stand-in) %s %s.%s>" % (self._name, self._module, self._layer)


def _param_str_attribute(name):
    """`param_str` and `param_str_`: set by the harness before setup like Caffe does; each read is
    recorded so the harness can say which name the layer relies on."""
    key = "_stand_in_" + name

    def read(self):
        self.__dict__.setdefault("_stand_in_param_reads", set()).add(name)
        if key not in self.__dict__:
            raise AttributeError("'%s' object has no attribute '%s'" % (type(self).__name__, name))
        return self.__dict__[key]

    def write(self, value):
        self.__dict__[key] = value

    return property(read, write)


class Layer(object):
    """Base class of Python layers. Caffe constructs the class with its
    LayerParameter, then sets `param_str` and `phase` just before `setup`."""

    param_str = _param_str_attribute("param_str")
    param_str_ = _param_str_attribute("param_str_")

    def __init__(self, param=None):
        self._stand_in_blobs = BlobVec()
        self._stand_in_param = param

    @property
    def blobs(self):
        # Created on first use too, for subclasses whose __init__ skips ours.
        if "_stand_in_blobs" not in self.__dict__:
            self._stand_in_blobs = BlobVec()
        return self._stand_in_blobs

    @property
    def type(self):
        return "Python"

    def setup(self, bottom, top):
        pass

    def reshape(self, bottom, top):
        pass


class Net(object):
    def __init__(self, *args, **kwargs):
        raise NotImplementedError(
            "caffe.Net is not available in the stand-in caffe module used by caffe-prototxt; "
            "install pycaffe to run whole nets"
        )


def set_mode_cpu():
    pass


def set_mode_gpu():
    raise RuntimeError("the stand-in caffe module runs on the CPU only")


def set_device(_device_id):
    pass


def set_random_seed(_seed):
    # Caffe seeds its own generator (used by its fillers and Dropout), which the
    # stand-in does not have; numpy's generator is left alone, as in pycaffe.
    pass


def solver_count():
    return 1


def solver_rank():
    return 0


def layer_type_list():
    return ["Python"]


def init_log(*_args):
    pass


def log(message):
    import sys

    sys.stderr.write(str(message) + "\n")
