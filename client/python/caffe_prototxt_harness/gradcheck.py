"""Caffe's gradient check (include/caffe/test/test_gradient_check_util.hpp,
GradientChecker::CheckGradientSingle), applied to a Python layer.

Caffe perturbs every element of every checked blob by +/- step, runs Forward,
and compares the central difference of an objective with what Backward wrote:
the check fails where |analytic - numeric| > threshold * max(|analytic|, |numeric|, 1).
Caffe's objective is 0.5 * sum(top^2) (top_diff = top_data); here it is
sum(top_data * top_diff) for a fixed seeded random top_diff (1 for a
one-element top, as Caffe seeds a loss top with its loss weight), which checks
the same Jacobian-vector product but stays informative where the top is zero.
"""

import numpy as np


def top_weights(tops, seed):
    # A stream of its own, so top_diff is never a copy of a bottom seeded alike.
    rng = np.random.RandomState([seed, 1])
    weights = []
    for blob in tops:
        shape = tuple(blob.data.shape)
        if blob.count == 1:
            weights.append(np.ones(shape, dtype=np.float32))
        else:
            weights.append(rng.standard_normal(shape).astype(np.float32))
    return weights


def objective(tops, weights):
    total = 0.0
    for blob, w in zip(tops, weights):
        data = blob.data
        if tuple(data.shape) != tuple(w.shape):
            raise RuntimeError(
                "top shape changed during the gradient check: %s, was %s"
                % (list(data.shape), list(w.shape))
            )
        total += float(np.dot(data.astype(np.float64).ravel(), w.astype(np.float64).ravel()))
    return total


def seed_diffs(backend, weights):
    """Top diffs = weights; bottom and param diffs zeroed (fresh blobs in Caffe's test)."""
    for blob, w in zip(backend.tops(), weights):
        blob.diff[...] = w
    for blob in backend.bottoms():
        blob.diff[...] = 0
    for blob in backend.params():
        blob.diff[...] = 0


def pick_indices(count, limit, rng):
    if count <= limit:
        return np.arange(count), False
    return np.sort(rng.choice(count, size=limit, replace=False)), True


def check_gradients(backend, propagate_down, step, threshold, seed, max_checks):
    """Returns {passed, checks: [...], ...}. Exceptions from the layer propagate."""
    backend.reseed(seed)
    backend.forward()
    weights = top_weights(backend.tops(), seed)
    seed_diffs(backend, weights)
    backend.backward(propagate_down)

    targets = []
    for i, blob in enumerate(backend.bottoms()):
        if propagate_down[i]:
            targets.append(("bottom[%d]" % i, blob))
    for i, blob in enumerate(backend.params()):
        targets.append(("param[%d]" % i, blob))
    analytic = [np.array(blob.diff, dtype=np.float64, copy=True) for _, blob in targets]

    rng = np.random.RandomState([seed, 2])
    checks = []
    for (label, blob), grads in zip(targets, analytic):
        shape = [int(d) for d in blob.data.shape]
        indices, sampled = pick_indices(blob.count, max_checks, rng)
        worst = None
        failures = 0
        for flat_index in indices:
            flat_index = int(flat_index)
            original = np.float32(blob.data.flat[flat_index])
            plus = np.float32(original + np.float32(step))
            minus = np.float32(original - np.float32(step))
            blob.data.flat[flat_index] = plus
            backend.reseed(seed)
            backend.forward()
            positive = objective(backend.tops(), weights)
            blob.data.flat[flat_index] = minus
            backend.reseed(seed)
            backend.forward()
            negative = objective(backend.tops(), weights)
            blob.data.flat[flat_index] = original
            numeric = (positive - negative) / (float(plus) - float(minus))
            computed = float(grads.flat[flat_index])
            scale = max(abs(computed), abs(numeric), 1.0)
            error = abs(computed - numeric) / scale
            if not np.isfinite(error):
                error = float("inf")
            if error > threshold:
                failures += 1
            if worst is None or error > worst[0]:
                worst = (error, flat_index, computed, numeric)
        entry = {
            "blob": label,
            "shape": shape,
            "total": int(blob.count),
            "checked": int(len(indices)),
            "sampled": bool(sampled),
            "failures": failures,
            "passed": failures == 0,
        }
        if worst is not None:
            error, flat_index, computed, numeric = worst
            entry["maxError"] = error if np.isfinite(error) else None
            entry["at"] = [int(i) for i in np.unravel_index(flat_index, shape)] if shape else []
            entry["analytic"] = computed if np.isfinite(computed) else None
            entry["numeric"] = numeric if np.isfinite(numeric) else None
        checks.append(entry)
    # Leave the layer in the state of the unperturbed inputs.
    backend.reseed(seed)
    backend.forward()

    result = {
        "passed": bool(checks) and all(c["passed"] for c in checks),
        "step": step,
        "threshold": threshold,
        "seed": seed,
        "objective": "sum(top_data * top_diff), top_diff fixed seeded N(0,1) (1 for one-element tops)",
        "checks": checks,
    }
    if not checks:
        result["note"] = "No blobs to check: no bottom has propagate_down and the layer has no blobs."
    if any(c["sampled"] for c in checks):
        result["note"] = (
            "Blobs with more than %d elements were checked at %d random elements each." % (max_checks, max_checks)
        )
    return result
