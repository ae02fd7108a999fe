// The packages that provide the modules Caffe's Python layers import most, where the package is named
// otherwise than the module (`import cv2` comes from opencv-python) or is simply worth naming: for the
// "install it" advice of an import nothing provides. Debian names are those of Debian 12's Python 3.

interface Provider {
  pip: string;
  debian: string;
}

const PROVIDERS: ReadonlyMap<string, Provider> = new Map([
  ['cv2', { pip: 'opencv-python', debian: 'python3-opencv' }],
  ['yaml', { pip: 'PyYAML', debian: 'python3-yaml' }],
  ['skimage', { pip: 'scikit-image', debian: 'python3-skimage' }],
  ['PIL', { pip: 'Pillow', debian: 'python3-pil' }],
  ['sklearn', { pip: 'scikit-learn', debian: 'python3-sklearn' }],
  ['google', { pip: 'protobuf', debian: 'python3-protobuf' }],
  ['h5py', { pip: 'h5py', debian: 'python3-h5py' }],
  ['lmdb', { pip: 'lmdb', debian: 'python3-lmdb' }],
  ['plyvel', { pip: 'plyvel', debian: 'python3-plyvel' }],
  ['scipy', { pip: 'scipy', debian: 'python3-scipy' }],
  ['matplotlib', { pip: 'matplotlib', debian: 'python3-matplotlib' }],
  ['easydict', { pip: 'easydict', debian: 'python3-easydict' }],
  ['numpy', { pip: 'numpy', debian: 'python3-numpy' }],
  ['pandas', { pip: 'pandas', debian: 'python3-pandas' }],
  ['six', { pip: 'six', debian: 'python3-six' }],
  ['tqdm', { pip: 'tqdm', debian: 'python3-tqdm' }],
  ['pydot', { pip: 'pydot', debian: 'python3-pydot' }],
]);

/**
 * How to install the module `name` for the interpreter `label`: the package to ask pip for (and, for a
 * Python 3, Debian's) when the module is a known one, else the plain advice.
 */
export function installAdvice(name: string, label: string, major?: number): string {
  const known = PROVIDERS.get(name);
  if (!known) return `Install it for ${label}`;
  const debian = major === 2 ? '' : `, or Debian's ${known.debian}`;
  return `Install it for ${label} (pip package ${known.pip}${debian})`;
}
