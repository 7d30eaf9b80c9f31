/* k-class metrics (see metrics_multi.h), computed as scikit-learn 1.2 / imbalanced-learn 0.10
 * compute them with labels = all k classes. Counts first (confusion matrix, supports), then
 * each metric from the counts; the ranking metrics reuse the binary ROC AUC of metrics.c on a
 * column and a 0/1 label per row, so ties are treated exactly as in the binary case. Means
 * are summed as numpy sums (pairwise.h): the last bits then agree with scikit-learn's. */
#include "imbal/metrics_multi.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/metrics.h"
#include "pairwise.h"

static const struct {
    const char *name;
    size_t offset;
} multi_fields[IMBAL_METRICS_MULTI_N] = {
    {"accuracy", offsetof(imbal_metrics_multi, accuracy)},
    {"balanced_accuracy", offsetof(imbal_metrics_multi, balanced_accuracy)},
    {"mcc", offsetof(imbal_metrics_multi, mcc)},
    {"g_mean", offsetof(imbal_metrics_multi, gmean)},
    {"roc_auc_ovr_macro", offsetof(imbal_metrics_multi, auc_ovr_macro)},
    {"roc_auc_ovr_weighted", offsetof(imbal_metrics_multi, auc_ovr_weighted)},
    {"roc_auc_ovo_macro", offsetof(imbal_metrics_multi, auc_ovo_macro)},
    {"precision_macro", offsetof(imbal_metrics_multi, precision_macro)},
    {"recall_macro", offsetof(imbal_metrics_multi, recall_macro)},
    {"f1_macro", offsetof(imbal_metrics_multi, f1_macro)},
    {"precision_weighted", offsetof(imbal_metrics_multi, precision_weighted)},
    {"recall_weighted", offsetof(imbal_metrics_multi, recall_weighted)},
    {"f1_weighted", offsetof(imbal_metrics_multi, f1_weighted)},
};

const char *imbal_metrics_multi_name(size_t i)
{
    return i < IMBAL_METRICS_MULTI_N ? multi_fields[i].name : NULL;
}

const imbal_metric_value *imbal_metrics_multi_at(const imbal_metrics_multi *m, size_t i)
{
    if (i >= IMBAL_METRICS_MULTI_N) {
        return NULL;
    }
    return (const imbal_metric_value *)((const char *)m + multi_fields[i].offset);
}

const imbal_metric_value *imbal_metrics_multi_get(const imbal_metrics_multi *m,
                                                  const char *name)
{
    for (size_t i = 0; i < IMBAL_METRICS_MULTI_N; i++) {
        if (strcmp(name, multi_fields[i].name) == 0) {
            return imbal_metrics_multi_at(m, i);
        }
    }
    return NULL;
}

void imbal_argmax_rows(const double *proba, size_t n, size_t k, int *pred)
{
    for (size_t i = 0; i < n; i++) {
        const double *p = proba + i * k;
        size_t best = 0;
        for (size_t c = 1; c < k; c++) {
            if (p[c] > p[best]) { /* strictly greater: the first maximum wins, as np.argmax */
                best = c;
            }
        }
        pred[i] = (int)best;
    }
}

static imbal_metric_value multi_defined(double v)
{
    imbal_metric_value m = {v, IMBAL_METRIC_DEFINED, NULL, SIZE_MAX};
    return m;
}

static imbal_metric_value multi_undefined(const char *reason, size_t cls)
{
    imbal_metric_value m = {NAN, IMBAL_METRIC_UNDEFINED, reason, cls};
    return m;
}

/* num / den, 0 when den is 0 (zero_division=0) */
static double multi_ratio(double num, double den)
{
    return den == 0.0 ? 0.0 : num / den;
}

/* np.average(a, weights=w): sum(a * w) / sum(w), both numpy sums; tmp holds k values. */
static double multi_weighted_mean(const double *a, const size_t *w, size_t k, double *tmp)
{
    double wsum;
    for (size_t c = 0; c < k; c++) {
        tmp[c] = (double)w[c];
    }
    wsum = imbal_pairwise_sum(tmp, k);
    for (size_t c = 0; c < k; c++) {
        tmp[c] = a[c] * (double)w[c];
    }
    return imbal_pairwise_sum(tmp, k) / wsum;
}

/* Per-class precision, recall and F1 (scikit-learn's fbeta with beta = 1), their macro and
 * support-weighted means. */
static void multi_prf(imbal_metrics_multi *m, double *tmp)
{
    size_t k = m->k;
    for (size_t c = 0; c < k; c++) {
        double tp = (double)m->confusion[c * k + c];
        double p = multi_ratio(tp, (double)m->predicted[c]);
        double r = multi_ratio(tp, (double)m->support[c]);
        double den = p + r;
        m->precision[c] = p;
        m->recall[c] = r;
        m->f1[c] = den == 0.0 ? 0.0 : 2.0 * p * r / den;
    }
    m->precision_macro = multi_defined(imbal_pairwise_sum(m->precision, k) / (double)k);
    m->recall_macro = multi_defined(imbal_pairwise_sum(m->recall, k) / (double)k);
    m->f1_macro = multi_defined(imbal_pairwise_sum(m->f1, k) / (double)k);
    m->precision_weighted = multi_defined(multi_weighted_mean(m->precision, m->support, k, tmp));
    m->recall_weighted = multi_defined(multi_weighted_mean(m->recall, m->support, k, tmp));
    m->f1_weighted = multi_defined(multi_weighted_mean(m->f1, m->support, k, tmp));
}

/* Balanced accuracy (mean recall over the classes in y_true) and G-mean (over the classes in
 * y_true or y_pred: a predicted class that never occurs has recall 0, so G-mean 0). */
static void multi_balanced(imbal_metrics_multi *m, double *tmp)
{
    size_t k = m->k;
    size_t present = 0;
    size_t in_union = 0;
    int zero = 0;
    for (size_t c = 0; c < k; c++) {
        if (m->support[c] > 0) {
            tmp[present++] = m->recall[c];
        }
    }
    m->balanced_accuracy = multi_defined(imbal_pairwise_sum(tmp, present) / (double)present);
    for (size_t c = 0; c < k; c++) {
        if (m->support[c] > 0 || m->predicted[c] > 0) {
            zero |= m->recall[c] == 0.0;
            tmp[in_union++] = zero ? 0.0 : log(m->recall[c]);
        }
    }
    /* scipy's gmean: exp(mean(log r)); a log(0) = -inf makes it exactly 0 */
    m->gmean = multi_defined(zero ? 0.0 : exp(imbal_pairwise_sum(tmp, in_union) /
                                               (double)in_union));
}

/* Accuracy and scikit-learn's multi-class MCC: every product is an integer, exact in a double
 * while n^2 < 2^53. */
static void multi_counts_metrics(imbal_metrics_multi *m)
{
    size_t k = m->k;
    double n = (double)m->n;
    double correct = 0.0;
    double tp_dot = 0.0;
    double pp_dot = 0.0;
    double tt_dot = 0.0;
    for (size_t c = 0; c < k; c++) {
        correct += (double)m->confusion[c * k + c];
        tp_dot += (double)m->support[c] * (double)m->predicted[c];
        pp_dot += (double)m->predicted[c] * (double)m->predicted[c];
        tt_dot += (double)m->support[c] * (double)m->support[c];
    }
    m->accuracy = multi_defined(correct / n);
    {
        double cov_ytyp = correct * n - tp_dot;
        double cov_ypyp = n * n - pp_dot;
        double cov_ytyt = n * n - tt_dot;
        double den = cov_ytyt * cov_ypyp;
        m->mcc = multi_defined(den == 0.0 ? 0.0 : cov_ytyp / sqrt(den));
    }
}

/* AUC of column col against label (y == pos) on the rows where keep(y) holds: rows with
 * y == pos or, when other < k, y == other. score and label are n scratch values. */
static imbal_status multi_auc(const int *y, const double *proba, size_t n, size_t k, size_t col,
                              size_t pos, size_t other, double *score, int *label, double *out,
                              imbal_error *err)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        size_t yi = (size_t)y[i];
        if (other < k && yi != pos && yi != other) {
            continue;
        }
        score[m] = proba[i * k + col];
        label[m] = yi == pos;
        m++;
    }
    return imbal_roc_auc(score, label, m, out, err);
}

/* One-vs-rest AUCs (macro and support-weighted), undefined when a class has no true row. */
static imbal_status multi_auc_ovr(imbal_metrics_multi *m, const int *y, const double *proba,
                                  double *score, int *label, double *tmp, imbal_error *err)
{
    size_t k = m->k;
    double *auc = tmp + k;
    for (size_t c = 0; c < k; c++) {
        if (m->support[c] == 0 || m->support[c] == m->n) {
            const char *why = m->support[c] == 0
                                  ? "a class has no row in the fold, so its one-vs-rest AUC "
                                    "is undefined"
                                  : "every row of the fold is of one class";
            m->auc_ovr_macro = multi_undefined(why, c);
            m->auc_ovr_weighted = multi_undefined(why, c);
            return IMBAL_OK;
        }
    }
    for (size_t c = 0; c < k; c++) {
        imbal_status st = multi_auc(y, proba, m->n, k, c, c, SIZE_MAX, score, label, &auc[c], err);
        if (st != IMBAL_OK) {
            return st;
        }
    }
    m->auc_ovr_macro = multi_defined(imbal_pairwise_sum(auc, k) / (double)k);
    m->auc_ovr_weighted = multi_defined(multi_weighted_mean(auc, m->support, k, tmp));
    return IMBAL_OK;
}

/* Hand & Till's one-vs-one AUC over the pairs of classes present in y_true, in
 * itertools.combinations order; pair scores live in pairs (k * (k - 1) / 2 values). */
static imbal_status multi_auc_ovo(imbal_metrics_multi *m, const int *y, const double *proba,
                                  double *score, int *label, double *pairs, imbal_error *err)
{
    size_t k = m->k;
    size_t n_pairs = 0;
    for (size_t a = 0; a < k; a++) {
        for (size_t b = a + 1; m->support[a] > 0 && b < k; b++) {
            double auc_a;
            double auc_b;
            imbal_status st;
            if (m->support[b] == 0) {
                continue;
            }
            st = multi_auc(y, proba, m->n, k, a, a, b, score, label, &auc_a, err);
            if (st == IMBAL_OK) {
                st = multi_auc(y, proba, m->n, k, b, b, a, score, label, &auc_b, err);
            }
            if (st != IMBAL_OK) {
                return st;
            }
            pairs[n_pairs++] = (auc_a + auc_b) / 2.0;
        }
    }
    if (n_pairs == 0) {
        m->auc_ovo_macro =
            multi_undefined("fewer than two classes in the fold: no pair for one-vs-one AUC",
                            SIZE_MAX);
    } else {
        m->auc_ovo_macro = multi_defined(imbal_pairwise_sum(pairs, n_pairs) / (double)n_pairs);
    }
    return IMBAL_OK;
}

static imbal_status multi_check(const int *y, const double *proba, size_t n, size_t k,
                                imbal_error *err)
{
    if (n == 0 || k < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "metrics need rows and at least 2 classes "
                                             "(got %zu rows, %zu classes)", n, k);
    }
    for (size_t i = 0; i < n; i++) {
        if (y[i] < 0 || (size_t)y[i] >= k) {
            return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, 0,
                                 "label %d of row %zu is not a class 0 .. %zu", y[i], i, k - 1);
        }
        for (size_t c = 0; c < k; c++) {
            if (isnan(proba[i * k + c])) {
                return imbal_fail_at(err, IMBAL_EINVAL, NULL, (long)i + 1, (long)c + 1,
                                     "probability of class %zu at row %zu is NaN", c, i);
            }
        }
    }
    return IMBAL_OK;
}

static imbal_metrics_multi *multi_alloc(size_t k)
{
    imbal_metrics_multi *m = imbal_calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->k = k;
    m->confusion = imbal_calloc(k * k, sizeof(*m->confusion)); /* checks k * k */
    m->support = imbal_calloc(k, sizeof(*m->support));
    m->predicted = imbal_calloc(k, sizeof(*m->predicted));
    m->precision = imbal_calloc(k, sizeof(*m->precision));
    m->recall = imbal_calloc(k, sizeof(*m->recall));
    m->f1 = imbal_calloc(k, sizeof(*m->f1));
    if (m->confusion == NULL || m->support == NULL || m->predicted == NULL ||
        m->precision == NULL || m->recall == NULL || m->f1 == NULL) {
        imbal_metrics_multi_free(m);
        return NULL;
    }
    return m;
}

imbal_status imbal_metrics_multi_compute(const int *y_true, const double *proba, size_t n,
                                         size_t k, imbal_metrics_multi **out, imbal_error *err)
{
    imbal_metrics_multi *m = NULL;
    int *pred = NULL;
    double *score = NULL;
    int *label = NULL;
    double *tmp = NULL;
    size_t n_tmp = 0;
    imbal_status st;
    *out = NULL;
    st = multi_check(y_true, proba, n, k, err);
    if (st != IMBAL_OK) {
        return st;
    }
    m = multi_alloc(k);
    n_tmp = m != NULL ? k * (k - 1) / 2 + 2 * k : 0; /* k * k fitted, so this cannot wrap */
    pred = imbal_malloc(n, sizeof(*pred));
    score = imbal_malloc(n, sizeof(*score));
    label = imbal_malloc(n, sizeof(*label));
    tmp = imbal_malloc(n_tmp, sizeof(*tmp));
    if (m == NULL || pred == NULL || score == NULL || label == NULL || tmp == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for metrics of %zu rows", n);
        goto cleanup;
    }
    m->n = n;
    imbal_argmax_rows(proba, n, k, pred);
    for (size_t i = 0; i < n; i++) {
        m->confusion[(size_t)y_true[i] * k + (size_t)pred[i]]++;
        m->support[y_true[i]]++;
        m->predicted[pred[i]]++;
    }
    multi_counts_metrics(m);
    multi_prf(m, tmp);
    multi_balanced(m, tmp);
    st = multi_auc_ovr(m, y_true, proba, score, label, tmp, err);
    if (st == IMBAL_OK) {
        st = multi_auc_ovo(m, y_true, proba, score, label, tmp, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    *out = m;
    m = NULL;
cleanup:
    imbal_metrics_multi_free(m);
    free(pred);
    free(score);
    free(label);
    free(tmp);
    return st;
}

void imbal_metrics_multi_free(imbal_metrics_multi *m)
{
    if (m == NULL) {
        return;
    }
    free(m->confusion);
    free(m->support);
    free(m->predicted);
    free(m->precision);
    free(m->recall);
    free(m->f1);
    free(m);
}
