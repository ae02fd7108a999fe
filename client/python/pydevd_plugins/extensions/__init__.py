# A portion of debugpy's `pydevd_plugins` namespace: the harness folder adds its own extensions.
import pkgutil

__path__ = pkgutil.extend_path(__path__, __name__)
