#!/usr/bin/python3
"""High-precision optima of imbal's exact logistic regression on badly scaled problems.

Writes tests/reference/logreg_scale.csv (case,term,value) for tests/test_logreg_scale.c.
Each case is the abalone19 training fold (the published split, prepared as in
tests/reference/README.md) with extreme class weights, extreme C, separable labels, an added
constant or duplicate column, or a column multiplied by 1e300 or 1e-300, raw or standardised.
The objective is imbal's (include/imbal/logreg.h):

    0.5 ||w||^2 + C sum_i s_i log(1 + exp(-t_i (w.x_i + b)))

Independent of imbal's code: a float64 Newton method (numpy, dense solve, backtracking on the
objective) gives a start, then Newton's method in 50-digit arithmetic (mpmath) polishes it until
the step is below 1e-40 relative; the last gradient, relative to the size of its terms, is
printed as a certificate. Badly scaled columns are solved in rescaled coordinates
(u = x / D, w' = w D, penalty w'^2 / D^2, exact in mpmath), which is the same problem. Where
the optimum is known exactly in part (a constant column has coefficient 0: its gradient is
w_c + c * (the intercept's gradient), both zero at the optimum; two equal columns have equal
coefficients), that part is set and the rest solved without the column (with one column of a
pair and half its penalty). Last, four rows of one feature at 1e200. Runs in a few minutes:

    /usr/bin/python3 scripts/logreg_scale_reference.py > tests/reference/logreg_scale.csv
"""
import csv
import sys

import mpmath as mpm
import numpy as np

mpm.mp.dps = 50
ROOT = __file__.rsplit("/scripts/", 1)[0]
FEATURES = ["Length", "Diameter", "Height", "Whole_weight", "Shucked_weight",
            "Viscera_weight", "Shell_weight"]


def load():
    rows = list(csv.DictReader(open(ROOT + "/datasets/abalone19.csv")))
    split = list(csv.DictReader(open(ROOT + "/tests/reference/abalone19_split.csv")))
    out = {"train": ([], []), "test": ([], [])}
    for s in split:
        r = rows[int(s["row"])]
        x = [float(r[f]) for f in FEATURES]
        x += [1.0 if r["Sex"] == "I" else 0.0, 1.0 if r["Sex"] == "M" else 0.0]
        out[s["set"]][0].append(x)
        out[s["set"]][1].append(1 if r["Class"] == "positive" else 0)
    return out


def newton64(u, y, s, C, lam, b0):
    """float64 Newton with backtracking on f(w', b) for columns u and penalties lam."""
    n, d = u.shape
    a = np.hstack([u, np.ones((n, 1))])
    pen = np.append(lam, 0.0)
    t = 2.0 * y - 1.0
    theta = np.zeros(d + 1)
    theta[d] = b0

    def f(th):
        z = a @ th
        return 0.5 * np.sum(pen * th * th) + C * np.sum(s * np.logaddexp(0.0, -t * z))

    for _ in range(500):
        z = a @ theta
        p = 0.5 * (1.0 + np.tanh(0.5 * z))
        g = pen * theta + C * (a.T @ (s * (p - y)))
        h = np.diag(pen) + C * (a.T * (s * p * (1.0 - p))) @ a
        h += 1e-14 * np.max(np.diag(h)) * np.eye(d + 1)
        step = np.linalg.solve(h, -g)
        f0 = f(theta)
        k = 1.0
        while k > 1e-20 and not f(theta + k * step) <= f0 + 1e-4 * k * (g @ step):
            k *= 0.5
        if k <= 1e-20:
            break
        theta = theta + k * step
        if np.max(np.abs(k * step)) <= 1e-15 * (1.0 + np.max(np.abs(theta))):
            break
    return theta


def sigmoid_mp(z):
    return 1 / (1 + mpm.exp(-z)) if z >= 0 else mpm.exp(z) / (1 + mpm.exp(z))


def polish(u, y, s, C, lam, theta):
    """Newton in mpmath from theta; returns theta and the certificate max_j |g_j| / T_j."""
    n = len(u)
    d = len(lam)
    th = [mpm.mpf(v) for v in theta]
    rel = None
    for it in range(30):
        g = [lam[j] * th[j] for j in range(d)] + [mpm.mpf(0)]
        size = [abs(lam[j] * th[j]) for j in range(d)] + [mpm.mpf(0)]
        h = mpm.matrix(d + 1, d + 1)
        for j in range(d):
            h[j, j] = lam[j]
        for i in range(n):
            row = u[i] + [mpm.mpf(1)]
            z = mpm.fsum(row[j] * th[j] for j in range(d + 1))
            p = sigmoid_mp(z)
            r = C * s[i] * (p - y[i])
            c = C * s[i] * p * (1 - p)
            for j in range(d + 1):
                g[j] += r * row[j]
                size[j] += abs(r * row[j])
                cj = c * row[j]
                for k in range(j + 1):
                    h[j, k] += cj * row[k]
        for j in range(d + 1):
            for k in range(j):
                h[k, j] = h[j, k]
        rel = max(abs(g[j]) / size[j] for j in range(d + 1) if size[j] != 0)
        step = mpm.lu_solve(h, mpm.matrix([-v for v in g]))
        th = [th[j] + step[j] for j in range(d + 1)]
        big = max(abs(v) for v in th)
        if max(abs(step[j]) for j in range(d + 1)) <= mpm.mpf(10) ** -40 * big:
            break
    if rel > mpm.mpf(10) ** -30:
        sys.exit("no convergence: relative gradient %s" % mpm.nstr(rel, 5))
    return th, rel


def solve(x, y, s, C, scale, pen=None):
    """Optimum in the original coordinates of 0.5 sum_j pen_j w_j^2 + C sum s_i loss_i on
    columns x (mpf; pen 1 unless given), each column j solved as u = x / scale[j]."""
    n = len(x)
    d = len(x[0])
    pen = pen if pen is not None else [mpm.mpf(1)] * d
    u = [[x[i][j] / scale[j] for j in range(d)] for i in range(n)]
    lam = [pen[j] / (scale[j] * scale[j]) for j in range(d)]
    spos = mpm.fsum(s[i] for i in range(n) if y[i])
    sneg = mpm.fsum(s[i] for i in range(n) if not y[i])
    b0 = float(mpm.log(spos / sneg))
    start = newton64(np.array([[float(v) for v in r] for r in u]), np.array(y, dtype=float),
                     np.array([float(v) for v in s]), float(C),
                     np.array([float(v) for v in lam]), b0)
    th, rel = polish(u, y, s, C, lam, start)
    return [th[j] / scale[j] for j in range(d)] + [th[d]], rel


def standardized(x):
    """Population mean and std per column (scale 1 for a constant column), z = (x-m)/sd."""
    n = len(x)
    d = len(x[0])
    mean = [mpm.fsum(x[i][j] for i in range(n)) / n for j in range(d)]
    sd = []
    for j in range(d):
        var = mpm.fsum((x[i][j] - mean[j]) ** 2 for i in range(n)) / n
        sd.append(mpm.sqrt(var) if var != 0 else mpm.mpf(1))
    z = [[(x[i][j] - mean[j]) / sd[j] for j in range(d)] for i in range(n)]
    return z, mean, sd


def fit(case, xtr, ytr):
    """Reference coefficients (original space) and intercept for a case."""
    d = len(xtr[0])
    s = [mpm.mpf(case["w"][yy]) for yy in ytr]
    C = mpm.mpf(case["C"])
    drop = case.get("zero", [])  # columns whose coefficient is exactly 0 at the optimum
    # a column (a, b) whose copy b is dropped: w_a = w_b at the optimum (the objective depends
    # on w_a + w_b and the penalty on w_a^2 + w_b^2), so one column v = w_a + w_b with penalty
    # 0.5 v^2 / 2 gives both halves
    twin = case.get("twin")
    if twin is not None:
        drop = drop + [twin[1]]
    keep = [j for j in range(d) if j not in drop]
    pen = [mpm.mpf(0.5) if twin is not None and j == twin[0] else mpm.mpf(1) for j in keep]
    x = [[mpm.mpf(r[j]) for j in keep] for r in xtr]
    if case["std"]:
        z, mean, sd = standardized(x)
        th, rel = solve(z, ytr, s, C, [mpm.mpf(1)] * len(keep))
        coef = [th[k] / sd[k] for k in range(len(keep))]
        b = th[-1] - mpm.fsum(th[k] * mean[k] / sd[k] for k in range(len(keep)))
    else:
        # columns beyond 16 are solved rescaled (small ones need not be: their penalty
        # dominates and the problem stays well conditioned)
        top = [max(abs(r[j]) for r in xtr) for j in keep]
        scale = [mpm.mpf(t) if case.get("rescale") and t > 16 else mpm.mpf(1) for t in top]
        th, rel = solve(x, ytr, s, C, scale, pen)
        coef = th[:-1]
        b = th[-1]
    full = [mpm.mpf(0)] * d
    for k, j in enumerate(keep):
        full[j] = coef[k]
    if twin is not None:
        full[twin[0]] = full[twin[0]] / 2
        full[twin[1]] = full[twin[0]]
    return full, b, rel


def auc(score, y):
    pos = [v for v, t in zip(score, y) if t]
    neg = [v for v, t in zip(score, y) if not t]
    won = sum((1.0 if p > q else 0.5 if p == q else 0.0) for p in pos for q in neg)
    return won / (len(pos) * len(neg))


def transform(x, kind):
    """The columns a case fits: the 9 abalone features, changed as the test changes them."""
    out = []
    for r in x:
        r = list(r)
        if kind == "constant":
            r.append(7.0)
        elif kind == "constant_1e300":
            r.append(1e300)
        elif kind == "duplicate":
            r.append(r[0])
        elif kind == "duplicate_1e300":
            r[0] = r[0] * 1e300
            r.append(r[0])
        elif kind == "big":
            r[0] = r[0] * 1e300
        elif kind == "tiny":
            r[0] = r[0] * 1e-300
        elif kind == "mixed":
            r[0] = r[0] * 1e300
            r[1] = r[1] * 1e-300
        out.append(r)
    return out


CASES = [
    {"name": "weights_1_1e12", "C": 1.0, "w": (1.0, 1e12), "std": 0},
    {"name": "weights_1e-12_1", "C": 1.0, "w": (1e-12, 1.0), "std": 0},
    {"name": "C_1e-12", "C": 1e-12, "w": (1.0, 1.0), "std": 0},
    {"name": "C_1e12", "C": 1e12, "w": (1.0, 1.0), "std": 0},
    {"name": "C_1e-12_std", "C": 1e-12, "w": (1.0, 1.0), "std": 1},
    {"name": "separable_C_1e12", "C": 1e12, "w": (1.0, 1.0), "std": 0, "labels": "separable"},
    {"name": "constant", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "constant", "zero": [9]},
    {"name": "constant_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "constant",
     "zero": [9]},
    {"name": "constant_1e300", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "constant_1e300",
     "zero": [9]},
    {"name": "constant_1e300_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "constant_1e300",
     "zero": [9]},
    {"name": "duplicate", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "duplicate"},
    {"name": "duplicate_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "duplicate"},
    {"name": "duplicate_1e300", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "duplicate_1e300",
     "rescale": 1, "twin": (0, 9)},
    {"name": "big", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "big", "rescale": 1},
    {"name": "big_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "big"},
    {"name": "tiny", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "tiny"},
    {"name": "tiny_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "tiny"},
    {"name": "mixed", "C": 1.0, "w": (1.0, 1.0), "std": 0, "x": "mixed", "rescale": 1},
    {"name": "mixed_std", "C": 1.0, "w": (1.0, 1.0), "std": 1, "x": "mixed"},
    # added with the fit status (issue 11): the extreme weights and C = 1e12 standardised,
    # separable labels standardised
    {"name": "weights_1_1e12_std", "C": 1.0, "w": (1.0, 1e12), "std": 1},
    {"name": "weights_1e-12_1_std", "C": 1.0, "w": (1e-12, 1.0), "std": 1},
    {"name": "C_1e12_std", "C": 1e12, "w": (1.0, 1.0), "std": 1},
    {"name": "separable_C_1e12_std", "C": 1e12, "w": (1.0, 1.0), "std": 1,
     "labels": "separable"},
]


def main():
    data = load()
    print("case,term,value")
    for case in CASES:
        xtr = transform(data["train"][0], case.get("x"))
        xte = transform(data["test"][0], case.get("x"))
        ytr = data["train"][1]
        yte = data["test"][1]
        if case.get("labels") == "separable":
            ytr = [1 if r[6] > 0.61 else 0 for r in data["train"][0]]
            yte = [1 if r[6] > 0.61 else 0 for r in data["test"][0]]
        coef, b, rel = fit(case, xtr, ytr)
        score = [float(b + mpm.fsum(coef[j] * mpm.mpf(r[j]) for j in range(len(r))))
                 for r in xte]
        print("%s,intercept,%.17g" % (case["name"], float(b)))
        for j, c in enumerate(coef):
            print("%s,coef%d,%.17g" % (case["name"], j, float(c)))
        print("%s,test_auc,%.17g" % (case["name"], auc(score, yte)))
        print("%s: relative gradient %s" % (case["name"], mpm.nstr(rel, 3)), file=sys.stderr)
    # four rows on a line at 1e200 (not separable): the squares overflow a double
    line = [[-1e200], [1e200], [2e200], [-3e200]]
    coef, b, rel = fit({"C": 1.0, "w": (1.0, 1.0), "std": 0, "rescale": 1}, line, [0, 1, 0, 1])
    print("line_1e200,intercept,%.17g" % float(b))
    print("line_1e200,coef0,%.17g" % float(coef[0]))
    print("line_1e200: relative gradient %s" % mpm.nstr(rel, 3), file=sys.stderr)


if __name__ == "__main__":
    main()
