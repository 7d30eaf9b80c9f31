/* Binary classification metrics on scores, matching scikit-learn 1.2.
 * ROC AUC counts tied (positive, negative) pairs as half (Mann-Whitney U with averaged ranks);
 * average precision is scikit-learn's step sum over distinct thresholds,
 * sum_k (R_k - R_{k-1}) P_k; only exactly equal scores are tied. Both sort (score, index) pairs
 * once, in O(n log n), with ties broken by index so the order is deterministic.
 * A row is predicted positive when score >= threshold. Precision, recall, specificity and F1
 * are 0 when undefined (zero_division=0); MCC is 0 when a marginal is empty, as scikit-learn;
 * gmean = sqrt(TPR * TNR); balanced accuracy = (TPR + TNR) / 2 with an undefined rate as 0.
 * Results agree with scikit-learn to 1e-12 (tests/reference/metrics_*.csv). */
#ifndef IMBAL_METRICS_H
#define IMBAL_METRICS_H

#include <stddef.h>

#include "imbal/error.h"

typedef struct {
    size_t tn, fp, fn, tp;
} imbal_confusion;

typedef struct {
    double roc_auc;
    double pr_auc;            /* average precision */
    double precision;
    double recall;            /* sensitivity, TPR */
    double f1;
    double specificity;       /* TNR */
    double balanced_accuracy; /* (TPR + TNR) / 2 */
    double auc_keel;          /* (1 + TPR - FPR) / 2: the one-point "AUC" KEEL papers report */
    double gmean;             /* sqrt(TPR * TNR) */
    double mcc;               /* 0 when undefined, as scikit-learn */
    double accuracy;
    imbal_confusion cm;
} imbal_metrics;

/* label[i] is 1 for positive, 0 for negative. EINVAL when one class is absent, a label is
 * neither 0 nor 1, or a score is NaN; *out is then left unchanged. ENOMEM. */
imbal_status imbal_roc_auc(const double *score, const int *label, size_t n, double *out,
                           imbal_error *err);
imbal_status imbal_average_precision(const double *score, const int *label, size_t n,
                                     double *out, imbal_error *err);
/* Counts at a threshold (score >= threshold is positive; any label != 0 is positive). */
imbal_confusion imbal_confusion_at(const double *score, const int *label, size_t n,
                                   double threshold);
/* Threshold metrics from a confusion matrix (everything but roc_auc and pr_auc). */
void imbal_metrics_from_confusion(const imbal_confusion *cm, imbal_metrics *out);
/* Everything; errors as imbal_roc_auc, and *out is then left unchanged. */
imbal_status imbal_metrics_compute(const double *score, const int *label, size_t n,
                                   double threshold, imbal_metrics *out, imbal_error *err);
/* The same, but ROC AUC and average precision rank rank_score (any score that orders the rows
 * as score does, ties aside: decision values for probabilities), the threshold metrics use
 * score. A logistic model's probabilities round to exactly 1 (or tie in their last bit) where
 * decision values still differ, as with class weights of 1e12 or C = 1e-12; ranked by the
 * decision values those rows are told apart, and where no two rows' probabilities tie unless
 * their decision values do, the result is that of imbal_metrics_compute(score, ...).
 * Errors as imbal_roc_auc, on rank_score. */
imbal_status imbal_metrics_compute_ranked(const double *rank_score, const double *score,
                                          const int *label, size_t n, double threshold,
                                          imbal_metrics *out, imbal_error *err);

#endif
