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

/** The modules of BVLC Caffe's own Python package (python/caffe), none of them a layer's. */
const BVLC_CAFFE_MODULES = new Set([
  'caffe',
  'caffe._caffe',
  'caffe.pycaffe',
  'caffe.io',
  'caffe.classifier',
  'caffe.detector',
  'caffe.draw',
  'caffe.net_spec',
  'caffe.coord_map',
  'caffe.proto',
  'caffe.proto.caffe_pb2',
]);

/** Layer modules that forks ship inside their Caffe package, by package prefix. */
const FORK_CAFFE_MODULES: readonly { prefix: string; whose: string }[] = [
  {
    prefix: 'caffe.layers.detectnet',
    whose:
      "NVIDIA Caffe's package has it (python/caffe/layers/detectnet, for DIGITS' DetectNet); BVLC Caffe's has not.",
  },
];

/**
 * For a layer module inside Caffe's own package (`caffe.layers.detectnet.clustering`) that the
 * workspace does not hold: where such a module comes from; undefined for any other module.
 * `installed`: the interpreter that runs the layers, when it said that it imports a `caffe`.
 */
export function caffePackageNote(dotted: string, installed?: string): string | undefined {
  if (!dotted.startsWith('caffe.')) return undefined;
  const fork = FORK_CAFFE_MODULES.find((f) => dotted === f.prefix || dotted.startsWith(`${f.prefix}.`));
  const whose = fork
    ? ` ${fork.whose}`
    : BVLC_CAFFE_MODULES.has(dotted)
      ? ''
      : " BVLC Caffe's package has no such module: it is a fork's.";
  const where = installed
    ? `the caffe that ${installed} imports must be a build that has it`
    : 'it comes with the build of Caffe that runs the net, whose python folder must be on PYTHONPATH ' +
      '(here, the setting prototxt.python.extraPaths; the CLI: --python-path)';
  return `Module '${dotted}' is part of Caffe's own Python package, which the workspace does not hold: ${where}.${whose}`;
}
