/* Multi-class end to end: specs run through the runner and the reports on the shared
 * reference's multi-class hold-outs (tests/reference/iris_imbalanced_split.csv,
 * ecoli_split.csv). Every k-class metric of iris_imbalanced_metrics.csv / ecoli_metrics.csv
 * (scikit-learn 1.2 / imbalanced-learn 0.10: multinomial logistic regression, C = 1, class
 * weights none and balanced, the true optimum and scikit-learn's lbfgs) to 1e-12; ecoli's
 * one-vs-rest AUCs are undefined (class imS is absent from the test part): empty cells in
 * runs.csv, null in summary.json, counted with their reason in summary.csv. The resamplers
 * under compat: sklearn against iris_imbalanced_compat_888.csv / ecoli_compat_888.csv
 * (balanced accuracy and the class counts after resampling). */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/report.h"
#include "imbal/runner.h"
#include "util.h"

static imbal_spec *load(const char *path)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_msg(imbal_spec_load(path, &spec, &errs) == IMBAL_OK, "%s: %s", path,
                  errs.n ? errs.items[0].msg : "");
    imbal_error_list_free(&errs);
    return spec;
}

static imbal_experiment *run(const imbal_spec *spec)
{
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {2, 1, NULL, NULL, NULL, NULL};
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_failed, 0);
    return ex;
}

/* The value of metric name for run rr (class names resolved against ds), or NAN when the
 * run says it is undefined; asserts the name is known. */
static double run_metric(const imbal_run_result *rr, const imbal_dataset *ds, const char *name)
{
    const imbal_metrics_multi *m = rr->multi;
    const imbal_metric_value *v = imbal_metrics_multi_get(m, name);
    if (v != NULL) {
        return v->state == IMBAL_METRIC_UNDEFINED ? NAN : v->value;
    }
    for (size_t c = 0; c < ds->n_classes; c++) {
        char key[128];
        snprintf(key, sizeof(key), "precision_%s", ds->class_names[c]);
        if (strcmp(name, key) == 0) {
            return m->precision[c];
        }
        snprintf(key, sizeof(key), "recall_%s", ds->class_names[c]);
        if (strcmp(name, key) == 0) {
            return m->recall[c];
        }
        snprintf(key, sizeof(key), "f1_%s", ds->class_names[c]);
        if (strcmp(name, key) == 0) {
            return m->f1[c];
        }
        for (size_t p = 0; p < ds->n_classes; p++) {
            snprintf(key, sizeof(key), "confusion_%s_%s", ds->class_names[c], ds->class_names[p]);
            if (strcmp(name, key) == 0) {
                return (double)m->confusion[c * ds->n_classes + p];
            }
        }
    }
    ck_abort_msg("unknown metric %s", name);
    return NAN;
}

/* Every metric of the reference for the four techniques of the spec: to 1e-12, and to
 * lbfgs_tol for scikit-learn's lbfgs fits. */
static void assert_metrics(const char *spec_path, const char *ref_path, double lbfgs_tol,
                           size_t *n_undefined)
{
    imbal_spec *spec = load(spec_path);
    imbal_experiment *ex = run(spec);
    ref_table *ref = ref_read(ref_path);
    static const char *const names[4][2] = {{"none", "exact"},
                                            {"balanced", "exact"},
                                            {"none", "sklearn_default_lbfgs"},
                                            {"balanced", "sklearn_default_lbfgs"}};
    size_t checked = 0;
    *n_undefined = 0;
    ck_assert_uint_eq(ex->n_runs, 4);
    ck_assert(ex->multiclass);
    for (size_t r = 0; r < 4; r++) {
        const imbal_run_result *rr = &ex->runs[r];
        ck_assert_ptr_nonnull(rr->multi);
        for (size_t i = 0; i < ref->n_rows; i++) {
            const char *want = ref_str(ref, i, "value");
            const char *metric = ref_str(ref, i, "metric");
            double got;
            if (strcmp(ref_str(ref, i, "class_weight"), names[rr->technique][0]) != 0 ||
                strcmp(ref_str(ref, i, "solver"), names[rr->technique][1]) != 0) {
                continue;
            }
            got = run_metric(rr, ex->data[0], metric);
            if (strcmp(want, "undefined") == 0) {
                ck_assert_msg(isnan(got), "%s %s: %.17g, reference undefined",
                              spec->techniques[rr->technique].name, metric, got);
                (*n_undefined)++;
            } else {
                double w = strtod(want, NULL);
                double tol = rr->technique >= 2 ? lbfgs_tol : 1e-12;
                ck_assert_msg(fabs(got - w) <= tol, "%s %s: %.17g, reference %.17g",
                              spec->techniques[rr->technique].name, metric, got, w);
            }
            checked++;
        }
    }
    ck_assert_uint_eq(checked, ref->n_rows);
    ref_free(ref);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}

START_TEST(iris_every_metric_matches_scikit_learn)
{
    size_t undefined;
    assert_metrics("tests/data/spec_iris_split.yaml", "tests/reference/iris_imbalanced_metrics.csv",
                   1e-12, &undefined);
    ck_assert_uint_eq(undefined, 0);
}
END_TEST

START_TEST(ecoli_every_metric_matches_and_ovr_auc_is_undefined)
{
    size_t undefined;
    /* ecoli's lbfgs fits stop at max_iter 100 far from the optimum, where the two L-BFGS-B
     * implementations have drifted apart (test_logreg_multi.c: lbfgs_path_ecoli): their
     * models, hence their AUCs, agree to 1e-3 only; the exact fits to 1e-12 */
    assert_metrics("tests/data/spec_ecoli_split.yaml", "tests/reference/ecoli_metrics.csv",
                   1e-3, &undefined);
    ck_assert_uint_eq(undefined, 8); /* OvR macro and weighted, four models */
}
END_TEST

/* The field of runs.csv's (or summary.csv's) data row r under header name. */
static const char *cell(const csv_doc *d, size_t r, const char *name)
{
    size_t c = csv_col(d, name);
    ck_assert_uint_lt(c, d->n_fields[r]);
    return d->field[r][c];
}

START_TEST(reports_leave_undefined_values_empty_and_count_them)
{
    imbal_spec *spec = load("tests/data/spec_ecoli_split.yaml");
    imbal_experiment *ex = run(spec);
    imbal_report_options ro = {1, 0};
    imbal_error err;
    const char *dir = test_tmp("ecoli");
    char path[1024];
    char *text;
    csv_doc *runs;
    csv_doc *sum;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_report_write(ex, dir, &ro, &err) == IMBAL_OK, "%s", err.msg);
    snprintf(path, sizeof(path), "%s/runs.csv", dir);
    text = slurp(path);
    runs = csv_parse(text);
    free(text);
    ck_assert_uint_eq(runs->n_rows, 5);
    /* k > 2: auc is the macro one-vs-rest AUC, undefined here: an empty cell, not 0 */
    ck_assert_str_eq(cell(runs, 1, "auc"), "");
    ck_assert_str_eq(cell(runs, 1, "auc_ovr_weighted"), "");
    ck_assert_str_eq(cell(runs, 1, "auc_ovo_macro"), "0.86539276729335213");
    ck_assert_str_eq(cell(runs, 1, "n_train_neg"), ""); /* binary columns do not apply */
    ck_assert_str_eq(cell(runs, 1, "tp"), "");
    ck_assert_str_eq(cell(runs, 1, "n_test_per_class"), "36 19 1 0 9 5 1 13");
    /* rows true: the 36 cp rows of the test part, then im's 19 */
    ck_assert_str_eq(cell(runs, 1, "confusion"), "32 3 0 0 0 0 0 1;3 10 0 0 4 0 1 1;0 0 0 0 1 0 0 "
                                                 "0;0 0 0 0 0 0 0 0;0 1 0 0 7 1 0 0;1 0 0 0 0 4 0 "
                                                 "0;0 0 0 0 0 0 1 0;4 0 0 0 2 0 0 7");
    csv_doc_free(runs);
    snprintf(path, sizeof(path), "%s/summary.csv", dir);
    text = slurp(path);
    sum = csv_parse(text);
    free(text);
    ck_assert_str_eq(cell(sum, 1, "auc_mean"), "");
    ck_assert_str_eq(cell(sum, 1, "auc_ovo_macro_mean"), "0.86539276729335213");
    ck_assert_ptr_nonnull(strstr(cell(sum, 1, "undefined"), "auc: 1 ("));
    ck_assert_ptr_nonnull(strstr(cell(sum, 1, "undefined"), "auc_ovr_weighted: 1 ("));
    csv_doc_free(sum);
    snprintf(path, sizeof(path), "%s/summary.json", dir);
    text = slurp(path);
    ck_assert_ptr_nonnull(strstr(text, "\"auc\": {\"mean\": null, \"std\": null, "
                                       "\"n_undefined\": 1, \"reason\": "));
    ck_assert_ptr_nonnull(strstr(text, "\"confusion\": {\"labels\": [\"cp\", \"im\", \"imL\", "
                                       "\"imS\", \"imU\", \"om\", \"omL\", \"pp\"], \"matrix\": "
                                       "[[32, 3, 0, 0, 0, 0, 0, 1], [3, 10,"));
    free(text);
    snprintf(path, sizeof(path), "%s/models.csv", dir);
    text = slurp(path);
    /* one block of coefficients per class */
    ck_assert_ptr_nonnull(strstr(text, "\necoli,none_exact,0,0,imS,(intercept),"));
    ck_assert_ptr_nonnull(strstr(text, "\necoli,none_exact,0,0,pp,a7,"));
    free(text);
    remove_outdir(dir);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

/* "name:count;..." in class-name order (the reference's form) from counts in class order. */
static void counts_text(const imbal_dataset *ds, const size_t *counts, char *out, size_t n)
{
    size_t order[64];
    size_t len = 0;
    ck_assert_uint_le(ds->n_classes, 64);
    for (size_t c = 0; c < ds->n_classes; c++) {
        order[c] = c;
    }
    for (size_t a = 0; a < ds->n_classes; a++) {
        for (size_t b = a + 1; b < ds->n_classes; b++) {
            if (strcmp(ds->class_names[order[b]], ds->class_names[order[a]]) < 0) {
                size_t t = order[a];
                order[a] = order[b];
                order[b] = t;
            }
        }
    }
    out[0] = '\0';
    for (size_t i = 0; i < ds->n_classes; i++) {
        len += (size_t)snprintf(out + len, n - len, "%s%s:%zu", i ? ";" : "",
                                ds->class_names[order[i]], counts[order[i]]);
    }
}

/* Every technique of the spec whose name is a row of the reference: status ok, the counts
 * after resampling, the balanced accuracy to tol (1e-12 where the fit is exact to
 * scikit-learn's). Returns how many matched. */
static size_t assert_compat(const char *spec_path, const char *ref_path, double tol)
{
    imbal_spec *spec = load(spec_path);
    imbal_experiment *ex = run(spec);
    ref_table *ref = ref_read(ref_path);
    size_t matched = 0;
    for (size_t r = 0; r < ex->n_runs; r++) {
        const imbal_run_result *rr = &ex->runs[r];
        const char *name = spec->techniques[rr->technique].name;
        for (size_t i = 0; i < ref->n_rows; i++) {
            char counts[512];
            double ba;
            if (strcmp(ref_str(ref, i, "technique"), name) != 0) {
                continue;
            }
            matched++;
            ck_assert_str_eq(ref_str(ref, i, "status"), "ok");
            counts_text(ex->data[0], rr->counts + rr->k, counts, sizeof(counts));
            ck_assert_msg(strcmp(counts, ref_str(ref, i, "train_counts_after")) == 0,
                          "%s: %s, imbalanced-learn %s", name, counts,
                          ref_str(ref, i, "train_counts_after"));
            ba = rr->multi->balanced_accuracy.value;
            ck_assert_msg(fabs(ba - ref_num(ref, i, "python_balanced_accuracy")) <= tol,
                          "%s: balanced accuracy %.17g, Python %.17g", name, ba,
                          ref_num(ref, i, "python_balanced_accuracy"));
        }
    }
    ref_free(ref);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    return matched;
}

START_TEST(iris_resamplers_match_imbalanced_learn)
{
    ck_assert_uint_eq(assert_compat("tests/data/spec_iris_compat.yaml",
                                    "tests/reference/iris_imbalanced_compat_888.csv", 1e-12),
                      23);
}
END_TEST

START_TEST(ecoli_resamplers_match_imbalanced_learn)
{
    ck_assert_uint_eq(assert_compat("tests/data/spec_ecoli_compat.yaml",
                                    "tests/reference/ecoli_compat_888.csv", 1e-12),
                      14);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("multiclass_run");
    TCase *tc = tcase_create("runs");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, iris_every_metric_matches_scikit_learn);
    tcase_add_test(tc, ecoli_every_metric_matches_and_ovr_auc_is_undefined);
    tcase_add_test(tc, reports_leave_undefined_values_empty_and_count_them);
    tcase_add_test(tc, iris_resamplers_match_imbalanced_learn);
    tcase_add_test(tc, ecoli_resamplers_match_imbalanced_learn);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
