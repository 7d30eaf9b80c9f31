/* The runner end to end: parity of the deterministic rows with the published references,
 * identical results for any thread count, reports written whole, leaky rows marked. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "imbal/report.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "util.h"

static imbal_spec *load(const char *path)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_status st = imbal_spec_load(path, &spec, &errs);
    ck_assert_msg(st == IMBAL_OK, "%s: %s", path, errs.n ? errs.items[0].msg : "");
    imbal_error_list_free(&errs);
    return spec;
}

static imbal_experiment *run(const imbal_spec *spec, int threads, int save_models)
{
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {threads, save_models, NULL, NULL, NULL, NULL};
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    return ex;
}

START_TEST(published_split_matches_reference_auc)
{
    /* tests/reference/abalone19_logreg.csv, exact_newton rows: test AUC at the true optimum */
    ref_table *ref = ref_read("tests/reference/abalone19_logreg.csv");
    imbal_spec *spec = load("tests/data/spec_good.yaml");
    imbal_experiment *ex = run(spec, 2, 1);
    static const char *const cw[] = {"none", "balanced", "w100"};
    ck_assert_uint_eq(ex->n_runs, 3);
    for (size_t t = 0; t < 3; t++) {
        const imbal_run_result *r = &ex->runs[t];
        for (size_t i = 0; i < ref->n_rows; i++) {
            if (strcmp(ref_str(ref, i, "class_weight"), cw[t]) == 0 &&
                strcmp(ref_str(ref, i, "solver"), "exact_newton") == 0) {
                ck_assert_double_eq_tol(r->metrics.roc_auc, ref_num(ref, i, "test_auc"), 1e-12);
                ck_assert_double_eq_tol(r->intercept, ref_num(ref, i, "intercept"),
                                        1e-7 * -ref_num(ref, i, "intercept"));
            }
        }
        ck_assert_uint_eq(r->n_train_neg, 3313);
        ck_assert_uint_eq(r->n_train_pos, 26);
        ck_assert_uint_eq(r->n_test, 835);
        ck_assert_uint_eq(r->metrics.cm.tn + r->metrics.cm.fp, 829);
        ck_assert_uint_eq(r->metrics.cm.fn + r->metrics.cm.tp, 6);
        ck_assert_ptr_nonnull(r->coef);
    }
    {
        /* original: tn 829, fp 0, fn 6, tp 0. negative: precision 829/835 = 0.99281, recall 1,
         * F1 2p/(p+1) = 0.99639; positive: all 0. macro = half of each: 0.4964 0.5000 0.4982;
         * weighted by support 829/835: 0.98570 0.99281 0.98923 */
        char *md = NULL;
        ck_assert_int_eq(imbal_report_markdown(ex, &md, NULL), IMBAL_OK);
        ck_assert_ptr_nonnull(strstr(md, "     macro avg    0.4964    0.5000    0.4982       835"));
        ck_assert_ptr_nonnull(strstr(md, "  weighted avg    0.9857    0.9928    0.9892       835"));
        ck_assert_ptr_nonnull(strstr(md, "      accuracy                        0.9928       835"));
        free(md);
    }
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    ref_free(ref);
}
END_TEST

START_TEST(published_python_table_reproduced)
{
    /* tests/reference/abalone19_table_888.csv: what scikit-learn 1.2 / imbalanced-learn 0.10
     * give with random_state=888, default LogisticRegression() and truncated dummies; all ten
     * rows under compat: sklearn, cluster_centroids with sklearn_threads: 2 (the reference was
     * made with scikit-learn's default threading on 2 cores) */
    ref_table *ref = ref_read("tests/reference/abalone19_table_888.csv");
    imbal_spec *spec = load("configs/abalone-published.yaml");
    imbal_experiment *ex = run(spec, 2, 0);
    size_t matched = 0;
    ck_assert_uint_eq(ex->n_runs, ref->n_rows + 9); /* + the catalogue's selecting samplers */
    for (size_t i = 0; i < ref->n_rows; i++) {
        for (size_t r = 0; r < ex->n_runs; r++) {
            const imbal_run_result *run_r = &ex->runs[r];
            if (strcmp(spec->techniques[run_r->technique].name, ref_str(ref, i, "technique")) != 0) {
                continue;
            }
            matched++;
            ck_assert_uint_eq(run_r->n_resampled_neg, (size_t)ref_num(ref, i, "n_neg_after"));
            ck_assert_uint_eq(run_r->n_resampled_pos, (size_t)ref_num(ref, i, "n_pos_after"));
            ck_assert_msg(fabs(run_r->metrics.roc_auc - ref_num(ref, i, "auc_truncate_dummies")) <=
                              1e-12,
                          "%s: AUC %.17g, scikit-learn %.17g", ref_str(ref, i, "technique"),
                          run_r->metrics.roc_auc, ref_num(ref, i, "auc_truncate_dummies"));
        }
    }
    ck_assert_uint_eq(matched, 10);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    ref_free(ref);
}
END_TEST

/* Every technique of configs/abalone-published.yaml and abalone-catalogue-compat.yaml with an
 * `expected` value (scikit-learn 1.2 / imbalanced-learn 0.10 on the same split and streams,
 * tests/reference/abalone19_compat_all_888.csv and abalone19_table_888.csv) agrees to 1e-12,
 * but the published cluster_centroids row (an older k-means). */
START_TEST(catalogue_rows_match_their_python_values)
{
    static const char *const specs[] = {"configs/abalone-published.yaml",
                                        "configs/abalone-catalogue-compat.yaml"};
    size_t checked = 0;
    for (size_t k = 0; k < 2; k++) {
        imbal_spec *spec = load(specs[k]);
        imbal_experiment *ex = run(spec, 2, 0);
        for (size_t r = 0; r < ex->n_runs; r++) {
            const imbal_run_result *rr = &ex->runs[r];
            const imbal_spec_technique *t = &spec->techniques[rr->technique];
            if (!t->has_expected || (k == 0 && strcmp(t->name, "cluster_centroids") == 0)) {
                continue;
            }
            ck_assert_msg(fabs(rr->metrics.roc_auc - t->expected) <= 1e-12,
                          "%s %s: AUC %.17g, Python %.17g", specs[k], t->name,
                          rr->metrics.roc_auc, t->expected);
            checked++;
        }
        imbal_experiment_free(ex);
        imbal_spec_free(spec);
    }
    ck_assert_uint_eq(checked, 18 + 24);
}
END_TEST

static void write_report(const imbal_experiment *ex, const char *dir)
{
    imbal_error err;
    imbal_report_options opt = {1, 0};
    imbal_error_clear(&err);
    ck_assert_msg(imbal_report_write(ex, dir, &opt, &err) == IMBAL_OK, "%s", err.msg);
}

START_TEST(thread_count_does_not_change_results)
{
    static const char *const files[] = {"runs.csv", "summary.csv", "summary.md", "summary.json",
                                        "models.csv"};
    imbal_spec *spec = load("tests/data/spec_synthetic.yaml");
    imbal_experiment *a = run(spec, 1, 1);
    imbal_experiment *b = run(spec, 2, 1);
    char dir_a[] = "/tmp/imbal-test-XXXXXX";
    char dir_b[] = "/tmp/imbal-test-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir_a));
    ck_assert_ptr_nonnull(mkdtemp(dir_b));
    /* 6 techniques x 2 repeats x 3 folds */
    ck_assert_uint_eq(a->n_runs, 36);
    for (size_t r = 0; r < a->n_runs; r++) {
        ck_assert(memcmp(&a->runs[r].metrics, &b->runs[r].metrics, sizeof(imbal_metrics)) == 0);
        ck_assert_uint_eq(a->runs[r].n_resampled_pos, b->runs[r].n_resampled_pos);
    }
    write_report(a, dir_a);
    write_report(b, dir_b);
    for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        char pa[256];
        char pb[256];
        char *sa;
        char *sb;
        snprintf(pa, sizeof(pa), "%s/%s", dir_a, files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", dir_b, files[i]);
        sa = slurp(pa);
        sb = slurp(pb);
        ck_assert_msg(strcmp(sa, sb) == 0, "%s differs between -j 1 and -j 2", files[i]);
        free(sa);
        free(sb);
        remove(pa);
        remove(pb);
    }
    remove_outdir(dir_a);
    remove_outdir(dir_b);
    imbal_experiment_free(a);
    imbal_experiment_free(b);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(resampling_touches_only_the_training_fold)
{
    imbal_spec *spec = load("tests/data/spec_synthetic.yaml");
    imbal_experiment *ex = run(spec, 2, 0);
    size_t counts[2] = {0, 0};
    imbal_dataset_class_counts(ex->data[0], counts);
    for (size_t r = 0; r < ex->n_runs; r++) {
        const imbal_run_result *run_r = &ex->runs[r];
        const imbal_fold *f = &ex->splits[0]->folds[run_r->split_fold];
        const imbal_metrics *m = &run_r->metrics;
        if (spec->techniques[run_r->technique].leaky) {
            /* the wrong way splits the resampled set: its test fold is larger than the data's */
            ck_assert_uint_gt(run_r->n_test, f->n_test);
            continue;
        }
        /* the test fold is the split's, whatever the sampler did to training */
        ck_assert_uint_eq(run_r->n_test, f->n_test);
        ck_assert_uint_eq(m->cm.tn + m->cm.fp + m->cm.fn + m->cm.tp, f->n_test);
        ck_assert_uint_eq(run_r->n_train_neg + run_r->n_train_pos, f->n_train);
        if (strcmp(spec->techniques[run_r->technique].sampler, "random_over") == 0) {
            ck_assert_uint_eq(run_r->n_resampled_pos, run_r->n_train_neg);
        }
        if (strcmp(spec->techniques[run_r->technique].sampler, "random_under") == 0) {
            ck_assert_uint_eq(run_r->n_resampled_neg, run_r->n_train_pos);
        }
    }
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(report_marks_leaky_rows_and_leaves_no_temp_files)
{
    imbal_spec *spec = load("tests/data/spec_synthetic.yaml");
    imbal_experiment *ex = run(spec, 2, 0);
    char dir[] = "/tmp/imbal-test-XXXXXX";
    char path[256];
    char *md;
    char *runs;
    size_t lines = 0;
    struct stat sb;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    write_report(ex, dir);
    snprintf(path, sizeof(path), "%s/summary.md", dir);
    md = slurp(path);
    ck_assert_ptr_nonnull(strstr(md, "| smote_leaky ⚠ LEAKY |"));
    ck_assert_ptr_nonnull(strstr(md, "### Per-class report"));
    snprintf(path, sizeof(path), "%s/runs.csv", dir);
    runs = slurp(path);
    for (const char *p = runs; *p != '\0'; p++) {
        lines += *p == '\n';
    }
    ck_assert_uint_eq(lines, 1 + ex->n_runs);
    ck_assert_ptr_nonnull(strstr(runs, "dataset,technique,leaky,repeat,fold,n_train_neg,"
                                       "n_train_pos,n_resampled_neg,n_resampled_pos"));
    snprintf(path, sizeof(path), "%s/runs.csv.tmp", dir);
    ck_assert_int_ne(stat(path, &sb), 0);
    free(md);
    free(runs);
    static const char *const files[] = {"runs.csv", "summary.csv", "summary.md", "summary.json",
                                        "models.csv"};
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        remove(path);
    }
    remove_outdir(dir);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("runner");
    TCase *tc = tcase_create("runs");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, published_split_matches_reference_auc);
    tcase_add_test(tc, published_python_table_reproduced);
    tcase_add_test(tc, thread_count_does_not_change_results);
    tcase_add_test(tc, catalogue_rows_match_their_python_values);
    tcase_add_test(tc, resampling_touches_only_the_training_fold);
    tcase_add_test(tc, report_marks_leaky_rows_and_leaves_no_temp_files);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
