"""How the debugger shows pycaffe's blob vectors: a layer's `bottom` and `top` (RawBlobVec) and its
`blobs` (BlobVec) are C++ vectors that Python sees without items, so the Variables view would show
them empty. Here they show as lists of their blobs (each with data, diff, shape...); the stand-in's
vectors of the same names, which cannot be iterated either, show the same way. Loaded by debugpy (pydevd) from its `pydevd_plugins.extensions` namespace; the harness
folder is on sys.path when it runs under the debugger.
"""

from _pydevd_bundle.pydevd_extension_api import StrPresentationProvider, TypeResolveProvider

VECTOR_TYPES = ("RawBlobVec", "BlobVec")
LENGTH = "len()"


def _is_caffe_vector(type_object, type_name):
    return type_name in VECTOR_TYPES and getattr(type_object, "__module__", "").startswith("caffe")


class CaffeBlobVectorResolver(TypeResolveProvider):
    def can_provide(self, type_object, type_name):
        return _is_caffe_vector(type_object, type_name)

    def get_dictionary(self, var):
        items = {str(i): var[i] for i in range(len(var))}
        items[LENGTH] = len(var)
        return items

    def resolve(self, var, attribute):
        return len(var) if attribute == LENGTH else var[int(attribute)]


class CaffeBlobVectorText(StrPresentationProvider):
    def can_provide(self, type_object, type_name):
        return _is_caffe_vector(type_object, type_name)

    def get_str(self, val):
        # By index: iterating a RawBlobVec gives raw pointers Python cannot convert.
        blobs = [val[i] for i in range(len(val))]
        shapes = ", ".join("x".join(str(d) for d in blob.shape) or "scalar" for blob in blobs)
        return "%s of %d blob%s [%s]" % (type(val).__name__, len(val), "" if len(val) == 1 else "s", shapes)
