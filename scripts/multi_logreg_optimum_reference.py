#!/usr/bin/python3
"""High-precision optima of multinomial logistic regression on the ecoli and iris hold-outs.

Writes tests/reference/<name>_logreg_mp.csv (class_weight,class,intercept,<features>) for
tests/test_logreg_multi.c: the minimiser of imbal's objective (include/imbal/logreg_multi.h)

    0.5 ||W||^2 + C sum_i s_i (log sum_c exp(z_ic) - z_i,y_i),   z_ic = W_c . x_i + b_c

with C = 1, class_weight none and balanced (n / (k n_c)), on the training part of
tests/reference/<name>_split.csv, intercepts centred (the objective is flat along "all
intercepts + t"). Independent of imbal's code: a float64 Newton start (numpy), then Newton's
method in 40-digit arithmetic (mpmath) with the flat direction removed (the intercept of the
last class fixed at 0 during the solve, then all intercepts centred), until the step is below
1e-30 relative; the final max |gradient| is printed on stderr. A minute or two:

    for n in iris_imbalanced ecoli; do
        /usr/bin/python3 scripts/multi_logreg_optimum_reference.py $n > tests/reference/${n}_logreg_mp.csv
    done

The data are the doubles imbal reads (each cell parsed as a float64, then taken exactly), the
balanced weights the doubles n / (k n_c).
"""
import csv
import sys

import mpmath as mpm
import numpy as np

mpm.mp.dps = 40


def load(name):
    if name == "ecoli":
        rows = []
        with open("datasets/ecoli.dat") as f:
            for line in f:
                if line.startswith("@") or not line.strip():
                    continue
                rows.append([v.strip() for v in line.strip().split(",")])
        feats = ["a%d" % (j + 1) for j in range(7)]
    else:
        with open("datasets/iris_imbalanced.csv") as f:
            r = list(csv.reader(f))
        feats = r[0][:-1]
        rows = r[1:]
    x = [[v for v in row[:-1]] for row in rows]
    y = [row[-1] for row in rows]
    train = []
    with open("tests/reference/%s_split.csv" % name) as f:
        for r in csv.DictReader(f):
            if r["set"] == "train":
                train.append(int(r["row"]))
    classes = sorted(set(y))
    xt = [x[i] for i in train]
    yt = [classes.index(y[i]) for i in train]
    return feats, classes, xt, yt


def solve(xs, y, s, k, d, start):
    """Newton in mpmath on theta = (W_0, b_0, ..., W_{k-1}, b_{k-1}) with b_{k-1} fixed."""
    n = len(y)
    x = [[mpm.mpf(float(v)) for v in row] for row in xs]
    theta = [mpm.mpf(v) for v in start]
    free = [q for q in range(k * (d + 1)) if q != k * (d + 1) - 1]
    for it in range(60):
        g = [mpm.mpf(0)] * (k * (d + 1))
        h = [[mpm.mpf(0)] * len(free) for _ in free]
        for i in range(n):
            z = [sum(x[i][j] * theta[c * (d + 1) + j] for j in range(d)) + theta[c * (d + 1) + d]
                 for c in range(k)]
            top = max(z)
            e = [mpm.exp(v - top) for v in z]
            tot = sum(e)
            p = [v / tot for v in e]
            xt = x[i] + [mpm.mpf(1)]
            for c in range(k):
                r = s[i] * (p[c] - (1 if y[i] == c else 0))
                for j in range(d + 1):
                    g[c * (d + 1) + j] += r * xt[j]
            for a, qa in enumerate(free):
                c, j = divmod(qa, d + 1)
                for b in range(a, len(free)):
                    e2, l = divmod(free[b], d + 1)
                    w = s[i] * p[c] * ((1 if c == e2 else 0) - p[e2])
                    h[a][b] += w * xt[j] * xt[l]
        for q in range(k * (d + 1)):
            if q % (d + 1) != d:
                g[q] += theta[q]
        for a, qa in enumerate(free):
            if qa % (d + 1) != d:
                h[a][a] += 1
            for b in range(a):
                h[a][b] = h[b][a]
        gmax = max(abs(g[q]) for q in free)
        step = mpm.lu_solve(mpm.matrix(h), mpm.matrix([-g[q] for q in free]))
        for a, qa in enumerate(free):
            theta[qa] += step[a]
        size = max(abs(step[a]) for a in range(len(free)))
        big = max(abs(v) for v in theta)
        print("  iteration %d: max |g| %s, step %s" % (it, mpm.nstr(gmax, 3), mpm.nstr(size, 3)),
              file=sys.stderr)
        if size < mpm.mpf("1e-30") * big:
            break
    mean = sum(theta[c * (d + 1) + d] for c in range(k)) / k
    for c in range(k):
        theta[c * (d + 1) + d] -= mean
    return theta


def float_start(x, y, s, k, d):
    """A float64 Newton start (numpy), the last intercept fixed at 0."""
    x = np.asarray(x, float)
    y = np.asarray(y)
    n = len(y)
    xt = np.hstack([x, np.ones((n, 1))])
    m = k * (d + 1)
    free = np.arange(m - 1)
    theta = np.zeros(m)
    onehot = np.eye(k)[y]
    for _ in range(100):
        w = theta.reshape(k, d + 1)
        z = xt @ w.T
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        r = (p - onehot) * s[:, None]
        g = (r.T @ xt).ravel()
        pen = np.tile(np.r_[np.ones(d), 0.0], k)
        g += pen * theta
        h = np.zeros((m, m))
        for c in range(k):
            for e in range(k):
                wce = s * p[:, c] * ((c == e) - p[:, e])
                h[c * (d + 1):(c + 1) * (d + 1), e * (d + 1):(e + 1) * (d + 1)] = (xt * wce[:, None]).T @ xt
        h += np.diag(pen)
        step = np.linalg.solve(h[np.ix_(free, free)], -g[free])
        t = 1.0
        f0 = objective(theta, xt, y, s, k, d)
        while t > 1e-12:
            cand = theta.copy()
            cand[free] += t * step
            if objective(cand, xt, y, s, k, d) <= f0:
                break
            t /= 2
        theta = cand
        if np.abs(g[free]).max() < 1e-9:
            break
    return theta


def objective(theta, xt, y, s, k, d):
    w = theta.reshape(k, xt.shape[1])
    z = xt @ w.T
    top = z.max(axis=1, keepdims=True)
    lse = top[:, 0] + np.log(np.exp(z - top).sum(axis=1))
    pen = 0.5 * (w[:, :-1] ** 2).sum()
    return pen + (s * (lse - z[np.arange(len(y)), y])).sum()


def main():
    name = sys.argv[1]
    out = csv.writer(sys.stdout, lineterminator="\n")
    feats, classes, x, y = load(name)
    k, d, n = len(classes), len(feats), len(y)
    out.writerow(["class_weight", "class", "intercept"] + feats)
    for cw in ("none", "balanced"):
        counts = np.bincount(y, minlength=k)
        s = np.ones(n) if cw == "none" else np.array([n / (k * counts[c]) for c in y])
        print("%s %s" % (name, cw), file=sys.stderr)
        start = float_start([[float(v) for v in r] for r in x], y, s, k, d)
        theta = solve(x, y, [mpm.mpf(float(v)) for v in s], k, d, list(start))
        for c in range(k):
            row = theta[c * (d + 1):(c + 1) * (d + 1)]
            out.writerow([cw, classes[c], mpm.nstr(row[d], 17)]
                         + [mpm.nstr(v, 17) for v in row[:d]])


if __name__ == "__main__":
    main()
