/* Metrics: every case of tests/reference/metrics_cases.csv against scikit-learn 1.2's values in
 * metrics_expected.csv (to 1e-12, counts exactly), hand-computed cases whose arithmetic is in
 * the comments, order invariance, and the error paths. */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/metrics.h"
#include "util.h"

#define MAX_CASE 1000

/* |got - want| <= 1e-12, relative for |want| > 1 (all reference values are in [-1, 1] but
 * the counts, which are compared exactly). */
static void assert_close(double got, double want, const char *what)
{
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    ck_assert_msg(fabs(got - want) <= 1e-12 * scale, "%s: got %.17g, want %.17g", what, got,
                  want);
}

/* Rows of one case, in i order; returns their count. */
static size_t load_case(const ref_table *cases, const char *name, double *score, int *label)
{
    size_t n = 0;
    for (size_t r = 0; r < cases->n_rows; r++) {
        if (strcmp(ref_str(cases, r, "case"), name) == 0) {
            size_t i = (size_t)ref_num(cases, r, "i");
            ck_assert_uint_lt(i, MAX_CASE);
            score[i] = ref_num(cases, r, "y_score");
            label[i] = (int)ref_num(cases, r, "y_true");
            n++;
        }
    }
    ck_assert_uint_gt(n, 0);
    return n;
}

static double metric_value(const imbal_metrics *m, const char *metric)
{
    static const struct {
        const char *name;
        size_t offset;
    } fields[] = {
        {"roc_auc", offsetof(imbal_metrics, roc_auc)},
        {"average_precision", offsetof(imbal_metrics, pr_auc)},
        {"precision", offsetof(imbal_metrics, precision)},
        {"recall", offsetof(imbal_metrics, recall)},
        {"f1", offsetof(imbal_metrics, f1)},
        {"mcc", offsetof(imbal_metrics, mcc)},
        {"balanced_accuracy", offsetof(imbal_metrics, balanced_accuracy)},
    };
    if (strcmp(metric, "tn") == 0) {
        return (double)m->cm.tn;
    }
    if (strcmp(metric, "fp") == 0) {
        return (double)m->cm.fp;
    }
    if (strcmp(metric, "fn") == 0) {
        return (double)m->cm.fn;
    }
    if (strcmp(metric, "tp") == 0) {
        return (double)m->cm.tp;
    }
    for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++) {
        if (strcmp(metric, fields[k].name) == 0) {
            return *(const double *)((const char *)m + fields[k].offset);
        }
    }
    ck_abort_msg("unknown metric %s", metric);
    return 0.0;
}

START_TEST(parity_with_sklearn)
{
    ref_table *cases = ref_read("tests/reference/metrics_cases.csv");
    ref_table *expected = ref_read("tests/reference/metrics_expected.csv");
    static double score[MAX_CASE];
    static int label[MAX_CASE];
    size_t checked = 0;
    ck_assert_uint_eq(expected->n_rows, 77);
    for (size_t r = 0; r < expected->n_rows; r++) {
        const char *name = ref_str(expected, r, "case");
        const char *metric = ref_str(expected, r, "metric");
        double want = ref_num(expected, r, "value");
        imbal_metrics m;
        char what[128];
        size_t n = load_case(cases, name, score, label);
        ck_assert_int_eq(imbal_metrics_compute(score, label, n, 0.5, &m, NULL), IMBAL_OK);
        snprintf(what, sizeof(what), "%s %s", name, metric);
        if (strlen(metric) == 2) {
            /* tn, fp, fn, tp: exact counts */
            ck_assert_msg(metric_value(&m, metric) == want, "%s", what);
        } else {
            assert_close(metric_value(&m, metric), want, what);
        }
        checked++;
    }
    ck_assert_uint_eq(checked, 77);
    ref_free(cases);
    ref_free(expected);
}
END_TEST

START_TEST(auc_counts_ties_as_half)
{
    /* 6 (pos, neg) pairs: 4 ordered, 1 tied, 1 inverted -> (4 + 0.5) / 6 */
    const double score[] = {0.9, 0.4, 0.8, 0.4, 0.1};
    const int label[] = {1, 1, 0, 0, 0};
    double auc = -1.0;
    ck_assert_int_eq(imbal_roc_auc(score, label, 5, &auc, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(auc, 0.75, 1e-15);
}
END_TEST

START_TEST(average_precision_steps)
{
    /* Distinct thresholds from the top: 0.9 -> tp 1, fp 0: recall 1/2, precision 1;
     * 0.8 -> tp 1, fp 1: recall unchanged; 0.4 (rows 1 and 3) -> tp 2, fp 2: recall 1,
     * precision 1/2; 0.1: recall unchanged. AP = 1/2 * 1 + 1/2 * 1/2 = 0.75. */
    const double score[] = {0.9, 0.4, 0.8, 0.4, 0.1};
    const int label[] = {1, 1, 0, 0, 0};
    double ap = -1.0;
    ck_assert_int_eq(imbal_average_precision(score, label, 5, &ap, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(ap, 0.75, 1e-15);
}
END_TEST

START_TEST(threshold_metrics_by_hand)
{
    /* At 0.5 rows 0 (pos) and 2 (neg) are predicted positive: tp 1, fp 1, fn 1, tn 2.
     * precision 1/2, recall 1/2, F1 1/2, specificity 2/3, balanced accuracy (1/2 + 2/3) / 2
     * = 7/12, KEEL AUC (1 + 1/2 - 1/3) / 2 = 7/12, gmean sqrt(1/2 * 2/3) = sqrt(1/3),
     * MCC (1 * 2 - 1 * 1) / sqrt(2 * 2 * 3 * 3) = 1/6, accuracy 3/5. */
    const double score[] = {0.9, 0.4, 0.8, 0.4, 0.1};
    const int label[] = {1, 1, 0, 0, 0};
    imbal_metrics m;
    ck_assert_int_eq(imbal_metrics_compute(score, label, 5, 0.5, &m, NULL), IMBAL_OK);
    ck_assert_uint_eq(m.cm.tp, 1);
    ck_assert_uint_eq(m.cm.fp, 1);
    ck_assert_uint_eq(m.cm.fn, 1);
    ck_assert_uint_eq(m.cm.tn, 2);
    ck_assert_double_eq_tol(m.precision, 0.5, 1e-15);
    ck_assert_double_eq_tol(m.recall, 0.5, 1e-15);
    ck_assert_double_eq_tol(m.f1, 0.5, 1e-15);
    ck_assert_double_eq_tol(m.specificity, 2.0 / 3.0, 1e-15);
    ck_assert_double_eq_tol(m.balanced_accuracy, 7.0 / 12.0, 1e-15);
    ck_assert_double_eq_tol(m.auc_keel, 7.0 / 12.0, 1e-15);
    ck_assert_double_eq_tol(m.gmean, sqrt(1.0 / 3.0), 1e-15);
    ck_assert_double_eq_tol(m.mcc, 1.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(m.accuracy, 0.6, 1e-15);
    ck_assert_double_eq_tol(m.roc_auc, 0.75, 1e-15);
    ck_assert_double_eq_tol(m.pr_auc, 0.75, 1e-15);
}
END_TEST

START_TEST(ranking_by_decision_values_when_probabilities_saturate)
{
    /* A logistic model's probabilities: sigmoid(z) rounds to exactly 1.0 for z > 36.7
     * (e^-37 = 8.5e-17 is below half an ulp of 1), so these five rows all score 1.0 although
     * their decision values 37 < 39 < 41 < 43 < 45 differ. Labels 0 1 0 1 1.
     * Ranked by the decision values, from the top: 45+ 43+ 41- 39+ 37-. ROC AUC: 45 and 43
     * beat both negatives, 39 beats 37: 5 of 6 pairs. Average precision: recall 1/3, 2/3 at
     * precision 1, then 1 at precision 3/4: 1/3 + 1/3 + 1/4 = 11/12. Ranked by the tied
     * probabilities instead: AUC 1/2 and average precision 3/5. The threshold metrics use the
     * probabilities (all >= 0.5): tp 3, fp 2. */
    const double z[] = {37.0, 39.0, 41.0, 43.0, 45.0};
    const int label[] = {0, 1, 0, 1, 1};
    double proba[5];
    imbal_metrics m;
    for (size_t i = 0; i < 5; i++) {
        proba[i] = 1.0 / (1.0 + exp(-z[i]));
        ck_assert_double_eq(proba[i], 1.0);
    }
    ck_assert_int_eq(imbal_metrics_compute_ranked(z, proba, label, 5, 0.5, &m, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(m.roc_auc, 5.0 / 6.0, 1e-15);
    ck_assert_double_eq_tol(m.pr_auc, 11.0 / 12.0, 1e-15);
    ck_assert_uint_eq(m.cm.tp, 3);
    ck_assert_uint_eq(m.cm.fp, 2);
    ck_assert_uint_eq(m.cm.fn, 0);
    ck_assert_uint_eq(m.cm.tn, 0);
    ck_assert_double_eq_tol(m.precision, 0.6, 1e-15);
    /* what ranking by the probabilities gives */
    ck_assert_int_eq(imbal_metrics_compute(proba, label, 5, 0.5, &m, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(m.roc_auc, 0.5, 1e-15);
    ck_assert_double_eq_tol(m.pr_auc, 0.6, 1e-15);
    ck_assert_uint_eq(m.cm.tp, 3);
    /* a NaN in the ranked scores is EINVAL as in imbal_roc_auc */
    {
        const double bad[] = {37.0, NAN, 41.0, 43.0, 45.0};
        ck_assert_int_eq(imbal_metrics_compute_ranked(bad, proba, label, 5, 0.5, &m, NULL),
                         IMBAL_EINVAL);
    }
}
END_TEST

START_TEST(threshold_is_inclusive)
{
    /* score == threshold counts as positive: 0.5 -> tp, 0.5 -> fp, 0.49 -> tn, 0.2 -> fn */
    const double score[] = {0.5, 0.5, 0.49, 0.2};
    const int label[] = {1, 0, 0, 1};
    imbal_confusion cm = imbal_confusion_at(score, label, 4, 0.5);
    ck_assert_uint_eq(cm.tp, 1);
    ck_assert_uint_eq(cm.fp, 1);
    ck_assert_uint_eq(cm.tn, 1);
    ck_assert_uint_eq(cm.fn, 1);
}
END_TEST

START_TEST(undefined_ratios_are_zero)
{
    /* nothing predicted positive: precision 0/0 -> 0, F1 0, MCC 0 (a marginal is empty);
     * recall 0/3, specificity 5/5, balanced accuracy 1/2, gmean 0, KEEL AUC (1 + 0 - 0) / 2 */
    imbal_confusion cm = {5, 0, 3, 0};
    imbal_metrics m;
    imbal_metrics_from_confusion(&cm, &m);
    ck_assert_double_eq(m.precision, 0.0);
    ck_assert_double_eq(m.recall, 0.0);
    ck_assert_double_eq(m.f1, 0.0);
    ck_assert_double_eq(m.mcc, 0.0);
    ck_assert_double_eq(m.specificity, 1.0);
    ck_assert_double_eq(m.balanced_accuracy, 0.5);
    ck_assert_double_eq(m.gmean, 0.0);
    ck_assert_double_eq(m.auc_keel, 0.5);
    ck_assert_double_eq_tol(m.accuracy, 5.0 / 8.0, 1e-15);
}
END_TEST

START_TEST(order_does_not_matter)
{
    /* Reversing the rows changes only the tie-breaking indices, so the ranking metrics must be
     * identical to the bit (they are sums over groups of equal scores). */
    ref_table *cases = ref_read("tests/reference/metrics_cases.csv");
    static double score[MAX_CASE];
    static int label[MAX_CASE];
    static double rscore[MAX_CASE];
    static int rlabel[MAX_CASE];
    double auc = 0.0;
    double rauc = 1.0;
    double ap = 0.0;
    double rap = 1.0;
    size_t n = load_case(cases, "random_1000", score, label);
    for (size_t i = 0; i < n; i++) {
        rscore[i] = score[n - 1 - i];
        rlabel[i] = label[n - 1 - i];
    }
    ck_assert_int_eq(imbal_roc_auc(score, label, n, &auc, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_roc_auc(rscore, rlabel, n, &rauc, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_average_precision(score, label, n, &ap, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_average_precision(rscore, rlabel, n, &rap, NULL), IMBAL_OK);
    ck_assert(auc == rauc);
    ck_assert(ap == rap);
    ref_free(cases);
}
END_TEST

START_TEST(one_class_is_einval)
{
    const double score[] = {0.9, 0.4, 0.8};
    const int label[] = {0, 0, 0};
    double auc = -1.0;
    imbal_metrics m;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_roc_auc(score, label, 3, &auc, &err), IMBAL_EINVAL);
    ck_assert_int_eq(err.status, IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "metric needs both classes: 0 positive and 3 negative labels");
    ck_assert_double_eq(auc, -1.0);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_average_precision(score, label, 3, &auc, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "metric needs both classes: 0 positive and 3 negative labels");
    ck_assert_double_eq(auc, -1.0);
    imbal_error_clear(&err);
    m.roc_auc = -1.0;
    ck_assert_int_eq(imbal_metrics_compute(score, label, 0, 0.5, &m, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "metric needs both classes: 0 positive and 0 negative labels");
    ck_assert_double_eq(m.roc_auc, -1.0);
}
END_TEST

START_TEST(bad_label_and_nan_are_einval)
{
    const double score[] = {0.9, 0.4, 0.8};
    const double nan_score[] = {0.9, NAN, 0.8};
    const int bad_label[] = {0, 2, 1};
    const int label[] = {0, 1, 1};
    double auc = -1.0;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_roc_auc(score, bad_label, 3, &auc, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "label 2 at row 1 is neither 0 nor 1");
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_roc_auc(nan_score, label, 3, &auc, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "score at row 1 is NaN");
    ck_assert_double_eq(auc, -1.0);
}
END_TEST

START_TEST(out_of_memory)
{
    const double score[] = {0.9, 0.4, 0.8};
    const int label[] = {0, 1, 1};
    double auc = -1.0;
    imbal_error err;
    imbal_error_clear(&err);
    imbal_alloc_fail_after(1);
    ck_assert_int_eq(imbal_roc_auc(score, label, 3, &auc, &err), IMBAL_ENOMEM);
    imbal_alloc_fail_after(0);
    ck_assert_int_eq(err.status, IMBAL_ENOMEM);
    ck_assert_double_eq(auc, -1.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("metrics");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, parity_with_sklearn);
    tcase_add_test(tc, auc_counts_ties_as_half);
    tcase_add_test(tc, average_precision_steps);
    tcase_add_test(tc, threshold_metrics_by_hand);
    tcase_add_test(tc, threshold_is_inclusive);
    tcase_add_test(tc, ranking_by_decision_values_when_probabilities_saturate);
    tcase_add_test(tc, undefined_ratios_are_zero);
    tcase_add_test(tc, order_does_not_matter);
    tcase_add_test(tc, one_class_is_einval);
    tcase_add_test(tc, bad_label_and_nan_are_einval);
    tcase_add_test(tc, out_of_memory);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
