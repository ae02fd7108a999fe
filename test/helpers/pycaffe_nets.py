"""Builds many nets with the real pycaffe in one process and reports what Caffe made of each.

Usage: python3 pycaffe_nets.py JOBS.json FIRST FOLDER   (FOLDER: where each net is written to be read)
JOBS.json holds a list of {"text": prototxt, "phase": "TRAIN" | "TEST", "backward": bool (optional:
also run forward and backward once)}; jobs from index FIRST on are built in order. For each one a JSON line goes to stdout:
  {"i": index, "blobs": {name: shape}, "params": {layer: [blob count, ...]},
   "layers": [[name, type, [top names]]...], "topCounts": [[count per top]...],
   "nonFinite": [blobs holding a NaN or an infinity after the forward pass] (with "backward")}
or {"i": index, "error": "..."} when pycaffe raised. Caffe aborts the process on a failed CHECK: the
caller then restarts after the job whose "@@start index" marker is the last one on standard error.
Markers "@@start i" and "@@end i" on standard error bracket Caffe's own log of each net (run with
GLOG_minloglevel=0 to get its "Memory required for data" line).
"""

import json
import os
import sys


def mark(text):
    os.write(2, ("\n@@%s\n" % text).encode())


def describe(net):
    names = list(net._layer_names)
    layers = []
    top_counts = []
    blob_names = list(net._blob_names)
    for i, layer in enumerate(net.layers):
        tops = [blob_names[t] for t in net._top_ids(i)]
        layers.append([names[i], layer.type, tops])
        top_counts.append([int(net.blobs[t].count) for t in tops])
    return {
        "blobs": {name: [int(d) for d in blob.shape] for name, blob in net.blobs.items()},
        "params": {name: [int(b.count) for b in blobs] for name, blobs in net.params.items()},
        "layers": layers,
        "topCounts": top_counts,
    }


def non_finite(net):
    """The blobs holding a NaN or an infinity after a forward pass."""
    import numpy

    return [name for name, blob in net.blobs.items() if not numpy.isfinite(blob.data).all()]


def main():
    import caffe

    caffe.set_mode_cpu()
    with open(sys.argv[1]) as f:
        jobs = json.load(f)
    first = int(sys.argv[2])
    path = os.path.join(sys.argv[3], "net.prototxt")
    for i in range(first, len(jobs)):
        job = jobs[i]
        with open(path, "w") as f:
            f.write(job["text"])
        mark("start %d" % i)
        try:
            net = caffe.Net(path, caffe.TRAIN if job["phase"] == "TRAIN" else caffe.TEST)
            out = describe(net)
            if job.get("backward"):
                # One training step's passes: a layer refusing a gradient aborts in Backward.
                net.forward()
                out["nonFinite"] = non_finite(net)
                net.backward()
            del net
        except Exception as exc:  # pycaffe raises for what Caffe reports without aborting
            out = {"error": "%s: %s" % (type(exc).__name__, exc)}
        mark("end %d" % i)
        out["i"] = i
        sys.stdout.write(json.dumps(out) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
