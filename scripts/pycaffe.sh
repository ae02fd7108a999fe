#!/usr/bin/env bash
# Builds a CPU-only BVLC pycaffe (Python layers on) once per source checksum, in a cache folder outside
# the clone, and prints the folder to put on PYTHONPATH. Later runs with the same source reuse the build.
#
#   PYTHONPATH=$(scripts/pycaffe.sh) GLOG_minloglevel=2 /usr/bin/python3 -c "import caffe"
#
# Env: CAFFE_PROTOTXT_CACHE        cache root (default ~/.cache/caffe-prototxt)
#      CAFFE_PROTOTXT_PYCAFFE_SRC  folder holding build.sh and caffe-src.tar.gz (default ../shared/pycaffe
#                                  beside the repository)
#      PYCAFFE_OPT                 compiler optimisation (default -O0: builds fast, enough for tests)
#      PYCAFFE_JOBS                make parallelism (default: the number of cores)
# Everything but the printed folder goes to standard error; the build log is kept beside the build.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
src_dir=${CAFFE_PROTOTXT_PYCAFFE_SRC:-$root/../shared/pycaffe}
cache=${CAFFE_PROTOTXT_CACHE:-$HOME/.cache/caffe-prototxt}
archive=$src_dir/caffe-src.tar.gz
[ -f "$archive" ] && [ -f "$src_dir/build.sh" ] || {
  echo "pycaffe.sh: no build.sh and caffe-src.tar.gz in $src_dir (set CAFFE_PROTOTXT_PYCAFFE_SRC)" >&2
  exit 1
}
sum=$(sha256sum "$archive" | cut -c1-16)
dest=$cache/pycaffe-$sum
py=/usr/bin/python3 # pycaffe imports Debian's numpy, protobuf and scikit-image

imports() {
  [ -f "$1/python/caffe/_caffe.so" ] &&
    PYTHONPATH="$1/python" GLOG_minloglevel=2 "$py" -c \
      'import caffe, sys; sys.exit(0 if "Python" in list(caffe.layer_type_list()) else 1)' >/dev/null 2>&1
}

mkdir -p "$cache"
exec 9>"$dest.lock"
flock 9 # two builds of the same source on one machine wait for each other
if imports "$dest"; then
  echo "pycaffe.sh: reusing $dest" >&2
else
  # A finished build that no longer imports (a missing runtime package) is repaired in place: build.sh
  # installs what is missing and make rebuilds only what is out of date. Otherwise build beside the
  # destination and move it there only once it imports, so an interrupted build is never taken as done.
  target=$dest
  [ -f "$dest/python/caffe/_caffe.so" ] || {
    target=$dest.tmp
    rm -rf "$dest"
  }
  log=$dest.log
  echo "pycaffe.sh: building pycaffe in $target (log: $log)" >&2
  start=$(date +%s)
  if ! OPT=${PYCAFFE_OPT:--O0} JOBS=${PYCAFFE_JOBS:-$(nproc)} bash "$src_dir/build.sh" "$target" "$archive" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "pycaffe.sh: the build failed (whole log: $log)" >&2
    exit 1
  fi
  [ "$target" = "$dest" ] || mv "$target" "$dest"
  imports "$dest" || {
    echo "pycaffe.sh: $dest was built but does not import caffe with Python layers under $py" >&2
    exit 1
  }
  echo "pycaffe.sh: built in $(($(date +%s) - start)) s" >&2
fi
echo "$dest/python"
