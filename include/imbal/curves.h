/* ROC and precision-recall curves from scores and binary truth, as scikit-learn 1.2 draws them
 * (sklearn.metrics.roc_curve, precision_recall_curve, auc, average_precision_score), their
 * average over cross-validation folds, and a CSV writer for them.
 *
 * Thresholds sit at the distinct scores (only exactly equal doubles tie), a row is predicted
 * positive when score >= threshold, and a group of tied rows enters the curve in one step, so
 * tied scores give one diagonal segment, never a staircase that depends on row order.
 * Agreement with scikit-learn 1.2.1 / numpy 1.24.2: 1e-12 (tests/reference/curves_*.csv, made
 * by scripts/ref_curves.py).
 *
 * Averaging over folds (one curve per fold, each on its own test rows):
 *   ROC, vertical averaging (Fawcett 2006, sec. 7.1) at a fixed FPR grid: each fold's TPR at a
 *     grid FPR f is read off the piecewise-linear ROC path through its points (the segments
 *     between thresholds are the classifiers obtained by randomising between the two, and the
 *     trapezoidal AUC integrates that path); where the path is vertical at f (several points
 *     with FPR == f), the highest TPR there is taken. This is numpy.interp(grid, fpr, tpr),
 *     what scikit-learn's cross-validated ROC example does (without its forced TPR 0 at FPR 0).
 *   PR, at a fixed recall grid: the interpolated precision of information retrieval,
 *     p_interp(r) = max { precision_k : recall_k >= r } over the curve's operating points
 *     (one per threshold; scikit-learn's appended end point (recall 0, precision 1) is left
 *     out), a non-increasing step function of r. Linear interpolation of precision between
 *     points would draw precisions no threshold reaches (Davis & Goadrich 2006).
 *   Then mean and sample sd (n - 1 denominator; 0 with one fold) over the folds per grid point.
 * The pooled curve is the curve of all folds' test rows together (scores of different folds'
 * models ranked on one scale, which assumes the models are calibrated alike). */
#ifndef IMBAL_CURVES_H
#define IMBAL_CURVES_H

#include <stddef.h>
#include <stdio.h>

#include "imbal/error.h"

typedef enum {
    IMBAL_CURVE_ROC = 0, /* x = false positive rate, y = true positive rate */
    IMBAL_CURVE_PR       /* x = recall, y = precision */
} imbal_curve_kind;

/* One curve. ROC: n points from (0, 0) to (1, 1) by increasing threshold index, threshold[0] =
 * the highest score + 1 (scikit-learn 1.2's convention for "nothing predicted positive"), then
 * the distinct scores descending; n_thresholds = n.
 * PR: scikit-learn's order, thresholds ascending: points k < n - 1 are the operating points at
 * threshold[k] (the distinct scores ascending, so recall falls from 1), and the last point is
 * (recall 0, precision 1) with no threshold; n_thresholds = n - 1. */
typedef struct {
    imbal_curve_kind kind;
    size_t n;
    size_t n_thresholds;
    double *x;
    double *y;
    double *threshold;
} imbal_curve;

/* ROC curve of score against label (1 positive, 0 negative). drop_intermediate: 1 drops the
 * points that lie on a straight line with their neighbours in count space (scikit-learn's
 * drop_intermediate=True, its default; the path and its AUC do not change), 0 keeps every
 * threshold. EINVAL when n = 0, a label is neither 0 nor 1, a score is not finite (NaN or
 * infinite: scikit-learn rejects both) or one class is absent (scikit-learn warns and returns
 * NaN rates there). ENOMEM. Free *out with imbal_curve_free; on error *out is NULL. */
imbal_status imbal_roc_curve(const double *score, const int *label, size_t n, int drop_intermediate,
                             imbal_curve **out, imbal_error *err);

/* Precision-recall curve, as sklearn.metrics.precision_recall_curve of scikit-learn 1.2 (every
 * threshold kept). Errors as imbal_roc_curve (no positive: EINVAL; no negative is fine). */
imbal_status imbal_pr_curve(const double *score, const int *label, size_t n, imbal_curve **out,
                            imbal_error *err);

void imbal_curve_free(imbal_curve *c);

/* Area under the curve's path by the trapezoidal rule, as sklearn.metrics.auc(x, y): x must be
 * monotonic (either direction). EINVAL when it is not or c has fewer than 2 points. For a ROC
 * curve this is the ROC AUC; for a PR curve it is the trapezoidal PR area, which is not the
 * average precision (the trapezoid overstates a PR curve between points). */
imbal_status imbal_curve_auc(const imbal_curve *c, double *out, imbal_error *err);

/* Average precision of a PR curve, sum_k (R_k - R_{k+1}) P_k over its points, as
 * sklearn.metrics.average_precision_score (the same number as imbal_average_precision of the
 * scores). EINVAL when c is not a PR curve. */
imbal_status imbal_curve_average_precision(const imbal_curve *c, double *out, imbal_error *err);

/* Fills grid[0..n-1] with n >= 2 evenly spaced values from 0 to 1, as numpy.linspace(0, 1, n):
 * grid[i] = i * (1 / (n - 1)), grid[n - 1] = 1 exactly. EINVAL when n < 2. */
imbal_status imbal_curve_grid(double *grid, size_t n, imbal_error *err);

/* Curve values at the grid points: ROC, TPR at FPR grid[g] on the linear path (numpy.interp,
 * the highest TPR of a vertical segment); PR, the interpolated precision max { precision_k :
 * recall_k >= grid[g] } (0 when no operating point reaches that recall, which cannot happen
 * for grid values in [0, 1]). grid must be ascending in [0, 1]; EINVAL otherwise. */
imbal_status imbal_curve_at(const imbal_curve *c, const double *grid, size_t n_grid, double *value,
                            imbal_error *err);

/* A curve averaged over folds at a fixed grid (see the top of this file). */
typedef struct {
    imbal_curve_kind kind;
    size_t n_grid;
    size_t n_folds;
    double *x;    /* the grid: FPR or recall */
    double *mean; /* mean TPR or interpolated precision over the folds */
    double *sd;   /* sample sd over the folds (0 with one fold) */
} imbal_curve_avg;

/* Vertical average of n_folds >= 1 curves of one kind at grid (ascending, in [0, 1]).
 * EINVAL when the kinds differ, n_folds or n_grid is 0 or the grid is invalid. ENOMEM. Free
 * *out with imbal_curve_avg_free; on error *out is NULL. */
imbal_status imbal_curve_average(const imbal_curve *const *fold, size_t n_folds, const double *grid,
                                 size_t n_grid, imbal_curve_avg **out, imbal_error *err);

void imbal_curve_avg_free(imbal_curve_avg *a);

/* Everything a report draws for one technique and one kind: the curve of each fold, the pooled
 * curve and the fold average. Built from the test rows of all runs in one flat list: row i has
 * score[i], label[i] and fold[i] in 0..n_folds-1 (a "fold" is one run: fold x repeat). */
typedef struct {
    imbal_curve_kind kind;
    size_t n_folds;
    imbal_curve **fold;   /* n_folds curves, owned */
    imbal_curve *pooled;  /* owned */
    imbal_curve_avg *avg; /* owned */
} imbal_curve_set;

/* Builds the set. drop_intermediate applies to ROC curves (ignored for PR). grid as
 * imbal_curve_average. EINVAL as imbal_roc_curve / imbal_pr_curve for the pooled rows or any
 * fold (the message names the fold: a fold whose test rows lack a class has no curve), when a
 * fold id is >= n_folds or a fold has no row. ENOMEM. Free with imbal_curve_set_free; on error
 * *out is NULL. */
imbal_status imbal_curve_set_build(imbal_curve_kind kind, const double *score, const int *label,
                                   const size_t *fold, size_t n, size_t n_folds,
                                   int drop_intermediate, const double *grid, size_t n_grid,
                                   imbal_curve_set **out, imbal_error *err);

void imbal_curve_set_free(imbal_curve_set *s);

/* One-vs-rest view of a k-class problem for class c: score_out[i] = prob[i * k + c] (row-major
 * n x k probabilities or decision values) and label_out[i] = (y[i] == c), so the curves of
 * class c against the rest are imbal_roc_curve(score_out, label_out, ...), as scikit-learn's
 * roc_curve(y == c, P[:, c]). EINVAL when k < 2 or c >= k. The caller owns both outputs
 * (n values each). */
imbal_status imbal_curve_ovr(const double *prob, const int *y, size_t n, size_t k, int c,
                             double *score_out, int *label_out, imbal_error *err);

/* The set as CSV text, one row per point, header
 *     kind,fold,fpr,tpr,tpr_sd,threshold                    (ROC)
 *     kind,fold,recall,precision,precision_sd,threshold     (PR)
 * kind is "fold" (fold = its 0-based id, threshold set where the point has one, sd empty),
 * "pooled" (fold and sd empty) or "mean" (fold and threshold empty, sd set): the layout of a
 * report's curves/roc_<technique>.csv and curves/pr_<technique>.csv. Numbers are written with
 * the fewest digits that read back as the same double. imbal_curve_set_csv returns a malloc'd
 * NUL-terminated text (*len its length; len may be NULL; free with free()); ENOMEM.
 * imbal_curve_set_write_csv writes the text to f (EIO when the write fails); the caller opens
 * and closes f and chooses where it goes. */
imbal_status imbal_curve_set_csv(const imbal_curve_set *s, char **text, size_t *len,
                                 imbal_error *err);
imbal_status imbal_curve_set_write_csv(const imbal_curve_set *s, FILE *f, imbal_error *err);

#endif
