/* Binary classification metrics (see metrics.h), computed as scikit-learn 1.2 does.
 * The two ranking metrics sort (score, index) pairs once, descending by score with ties
 * broken by the lower index (qsort is unstable, so the index makes the order total), and
 * then walk the groups of equal scores: ROC AUC is Mann-Whitney's U with averaged ranks,
 * average precision is scikit-learn's step sum over the distinct thresholds. */
#include "imbal/metrics.h"

#include <math.h>
#include <stdlib.h>

#include "alloc.h"

typedef struct {
    double score;
    size_t idx;
    int label;
} metrics_item;

/* Descending score, then ascending index. Scores are never NaN here (checked first). */
static int metrics_cmp_desc(const void *a, const void *b)
{
    const metrics_item *p = a;
    const metrics_item *q = b;
    if (p->score > q->score) {
        return -1;
    }
    if (p->score < q->score) {
        return 1;
    }
    return (p->idx > q->idx) - (p->idx < q->idx);
}

/* Checks labels are 0/1, scores are not NaN and both classes occur; returns the sorted pairs
 * and the class counts. On error *out is NULL. */
static imbal_status metrics_sorted(const double *score, const int *label, size_t n,
                                   metrics_item **out, size_t *n_pos, size_t *n_neg,
                                   imbal_error *err)
{
    metrics_item *items = NULL;
    size_t pos = 0;
    *out = NULL;
    for (size_t i = 0; i < n; i++) {
        if (label[i] != 0 && label[i] != 1) {
            return imbal_fail(err, IMBAL_EINVAL, "label %d at row %zu is neither 0 nor 1",
                              label[i], i);
        }
        if (isnan(score[i])) {
            return imbal_fail(err, IMBAL_EINVAL, "score at row %zu is NaN", i);
        }
        pos += (size_t)label[i];
    }
    if (pos == 0 || pos == n) {
        return imbal_fail(err, IMBAL_EINVAL,
                          "metric needs both classes: %zu positive and %zu negative labels",
                          pos, n - pos);
    }
    items = imbal_malloc(n, sizeof(*items));
    if (items == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory sorting %zu scores", n);
    }
    for (size_t i = 0; i < n; i++) {
        items[i].score = score[i];
        items[i].idx = i;
        items[i].label = label[i];
    }
    qsort(items, n, sizeof(*items), metrics_cmp_desc);
    *out = items;
    *n_pos = pos;
    *n_neg = n - pos;
    return IMBAL_OK;
}

/* End (exclusive) of the group of scores equal to items[start].score. Exact comparison is the
 * contract: only equal doubles are tied, as numpy's np.diff(score) != 0. */
static size_t metrics_group_end(const metrics_item *items, size_t n, size_t start)
{
    size_t end = start + 1;
    while (end < n && items[end].score == items[start].score) {
        end++;
    }
    return end;
}

/* Both ranking metrics in one walk down the sorted pairs, group by group of equal scores.
 * ROC AUC: twice U, counted from the top: each positive beats every negative ranked strictly
 * below it and ties half of those in its own group (Mann-Whitney with averaged ranks). 2U stays
 * an integer, exact in a double below 2^53, so the AUC carries one rounding only.
 * Average precision: at each distinct threshold, from the highest, the gain in recall times
 * the precision there (tp + fp > 0 always holds), as scikit-learn's step sum. */
static void metrics_rank(const metrics_item *items, size_t n, size_t n_pos, size_t n_neg,
                         double *roc_auc, double *avg_precision)
{
    double twice_u = 0.0;
    double recall_prev = 0.0;
    double ap = 0.0;
    size_t tp = 0;
    size_t fp = 0;
    for (size_t start = 0; start < n;) {
        size_t end = metrics_group_end(items, n, start);
        size_t pos_g = 0;
        size_t neg_g = 0;
        for (size_t k = start; k < end; k++) {
            if (items[k].label == 1) {
                pos_g++;
            } else {
                neg_g++;
            }
        }
        /* negatives ranked below this group: n_neg - fp - neg_g; a tied pair counts half */
        twice_u += (double)pos_g * (double)(2 * (n_neg - fp - neg_g) + neg_g);
        tp += pos_g;
        fp += neg_g;
        double recall = (double)tp / (double)n_pos;
        double precision = (double)tp / (double)(tp + fp);
        ap += (recall - recall_prev) * precision;
        recall_prev = recall;
        start = end;
    }
    *roc_auc = twice_u / (2.0 * (double)n_pos * (double)n_neg);
    *avg_precision = ap;
}

/* Validates, sorts and ranks; either output may be NULL. */
static imbal_status metrics_ranking(const double *score, const int *label, size_t n,
                                    double *roc_auc, double *avg_precision, imbal_error *err)
{
    metrics_item *items = NULL;
    size_t n_pos = 0;
    size_t n_neg = 0;
    double auc = 0.0;
    double ap = 0.0;
    imbal_status st = metrics_sorted(score, label, n, &items, &n_pos, &n_neg, err);
    if (st != IMBAL_OK) {
        return st;
    }
    metrics_rank(items, n, n_pos, n_neg, &auc, &ap);
    free(items);
    if (roc_auc != NULL) {
        *roc_auc = auc;
    }
    if (avg_precision != NULL) {
        *avg_precision = ap;
    }
    return IMBAL_OK;
}

imbal_status imbal_roc_auc(const double *score, const int *label, size_t n, double *out,
                           imbal_error *err)
{
    return metrics_ranking(score, label, n, out, NULL, err);
}

imbal_status imbal_average_precision(const double *score, const int *label, size_t n,
                                     double *out, imbal_error *err)
{
    return metrics_ranking(score, label, n, NULL, out, err);
}

imbal_confusion imbal_confusion_at(const double *score, const int *label, size_t n,
                                   double threshold)
{
    imbal_confusion cm = {0, 0, 0, 0};
    for (size_t i = 0; i < n; i++) {
        int predicted = score[i] >= threshold;
        if (label[i] != 0) {
            if (predicted) {
                cm.tp++;
            } else {
                cm.fn++;
            }
        } else if (predicted) {
            cm.fp++;
        } else {
            cm.tn++;
        }
    }
    return cm;
}

/* num / den, or 0 when den is 0 (scikit-learn's zero_division=0). */
static double metrics_ratio(size_t num, size_t den)
{
    return den == 0 ? 0.0 : (double)num / (double)den;
}

/* Matthews correlation in scikit-learn's covariance form, so the rounding matches: every
 * product below is an integer, exact in a double while n^2 < 2^53. */
static double metrics_mcc(const imbal_confusion *cm)
{
    double t0 = (double)(cm->tn + cm->fp);
    double t1 = (double)(cm->fn + cm->tp);
    double p0 = (double)(cm->tn + cm->fn);
    double p1 = (double)(cm->fp + cm->tp);
    double n = p0 + p1;
    double correct = (double)(cm->tn + cm->tp);
    double cov_ytyp = correct * n - (t0 * p0 + t1 * p1);
    double cov_ypyp = n * n - (p0 * p0 + p1 * p1);
    double cov_ytyt = n * n - (t0 * t0 + t1 * t1);
    double den = cov_ytyt * cov_ypyp;
    if (den == 0.0) {
        return 0.0;
    }
    return cov_ytyp / sqrt(den);
}

void imbal_metrics_from_confusion(const imbal_confusion *cm, imbal_metrics *out)
{
    size_t n = cm->tn + cm->fp + cm->fn + cm->tp;
    double tpr = metrics_ratio(cm->tp, cm->tp + cm->fn);
    double tnr = metrics_ratio(cm->tn, cm->tn + cm->fp);
    double fpr = metrics_ratio(cm->fp, cm->tn + cm->fp);
    double precision = metrics_ratio(cm->tp, cm->tp + cm->fp);
    double f1_den = precision + tpr;
    out->precision = precision;
    out->recall = tpr;
    /* scikit-learn's fbeta form with beta = 1, 0 when precision + recall is 0 */
    out->f1 = f1_den == 0.0 ? 0.0 : 2.0 * precision * tpr / f1_den;
    out->specificity = tnr;
    out->balanced_accuracy = (tpr + tnr) / 2.0;
    out->auc_keel = (1.0 + tpr - fpr) / 2.0;
    out->gmean = sqrt(tpr * tnr);
    out->mcc = metrics_mcc(cm);
    out->accuracy = metrics_ratio(cm->tn + cm->tp, n);
    out->cm = *cm;
}

imbal_status imbal_metrics_compute(const double *score, const int *label, size_t n,
                                   double threshold, imbal_metrics *out, imbal_error *err)
{
    return imbal_metrics_compute_ranked(score, score, label, n, threshold, out, err);
}

imbal_status imbal_metrics_compute_ranked(const double *rank_score, const double *score,
                                          const int *label, size_t n, double threshold,
                                          imbal_metrics *out, imbal_error *err)
{
    imbal_confusion cm;
    double roc_auc = 0.0;
    double pr_auc = 0.0;
    imbal_status st = metrics_ranking(rank_score, label, n, &roc_auc, &pr_auc, err);
    if (st != IMBAL_OK) {
        return st;
    }
    cm = imbal_confusion_at(score, label, n, threshold);
    imbal_metrics_from_confusion(&cm, out);
    out->roc_auc = roc_auc;
    out->pr_auc = pr_auc;
    return IMBAL_OK;
}
