/* Extreme class weights and C through the whole pipeline (spec, runner, metrics): each run of
 * tests/data/spec_extreme.yaml must reach the test AUC of the 50-digit optimum in
 * tests/reference/logreg_scale.csv. Two ways to miss it: a solver that stops at its start
 * (w = 0, AUC 0.5; the stopping rule of logreg.h), and probabilities that saturate (with a
 * weight of 1e-12 on the negatives every test row scores 1 - 1e-10 to the last bit, so ranked by
 * probability they all tie: AUC 0.5; the runner ranks by decision value).
 * Then fits that stop before their tolerance (tests/data/spec_unconverged.yaml): kept, marked
 * in runs.csv's fit column, counted per technique in summary.md and summary.json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>

#include "imbal/report.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "util.h"

static double reference_auc(const ref_table *ref, const char *name)
{
    for (size_t r = 0; r < ref->n_rows; r++) {
        if (strcmp(ref_str(ref, r, "case"), name) == 0 &&
            strcmp(ref_str(ref, r, "term"), "test_auc") == 0) {
            return ref_num(ref, r, "value");
        }
    }
    ck_abort_msg("no reference test_auc for %s", name);
    return NAN;
}

START_TEST(extreme_weights_and_C_reach_the_reference_auc)
{
    ref_table *ref = ref_read("tests/reference/logreg_scale.csv");
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {2, 0, NULL, NULL, NULL, NULL};
    ck_assert_msg(imbal_spec_load("tests/data/spec_extreme.yaml", &spec, &errs) == IMBAL_OK,
                  "%s", errs.n ? errs.items[0].msg : "");
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_runs, 8);
    for (size_t r = 0; r < ex->n_runs; r++) {
        const char *name = spec->techniques[ex->runs[r].technique].name;
        double want = reference_auc(ref, name);
        ck_assert_msg(fabs(ex->runs[r].metrics.roc_auc - want) <= 1e-12,
                      "%s: AUC %.17g, want %.17g", name, ex->runs[r].metrics.roc_auc, want);
        ck_assert_int_eq(ex->runs[r].converged, 1);
    }
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
    ref_free(ref);
}
END_TEST

/* "<dir>/<name>" in a static buffer */
static const char *path_in(const char *dir, const char *name)
{
    static char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return path;
}

START_TEST(unconverged_fits_are_kept_and_marked)
{
    /* max_iter 2: the exact solver and lbfgs stop early on all 3 folds; at C = 1e-12 the
     * exact solver converges in 1 iteration */
    static const char *const want_fit[3] = {"max_iter", "converged", "max_iter"};
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {2, 0, NULL, NULL, NULL, NULL};
    imbal_report_options rep = {0, 0};
    char dir[] = "/tmp/imbal_unconverged_XXXXXX";
    char *md;
    csv_doc *runs;
    json_t *root;
    json_error_t jerr;
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_unconverged.yaml", &spec, &errs),
                     IMBAL_OK);
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_runs, 9);
    for (size_t r = 0; r < 9; r++) {
        ck_assert_str_eq(imbal_logreg_fit_name(ex->runs[r].fit), want_fit[r / 3]);
        ck_assert_int_eq(ex->runs[r].converged, r / 3 == 1);
    }
    ck_assert_int_eq(imbal_report_write(ex, dir, &rep, &err), IMBAL_OK);
    /* runs.csv: the fit column, after converged */
    md = slurp(path_in(dir, "runs.csv"));
    runs = csv_parse(md);
    free(md);
    ck_assert_uint_eq(runs->n_rows, 10);
    {
        size_t fit = csv_col(runs, "fit");
        ck_assert_uint_eq(fit, csv_col(runs, "converged") + 1);
        for (size_t r = 0; r < 9; r++) {
            ck_assert_str_eq(runs->field[r + 1][fit], want_fit[r / 3]);
        }
    }
    csv_doc_free(runs);
    /* summary.md: the count per technique, none for the converged one */
    md = slurp(path_in(dir, "summary.md"));
    ck_assert_msg(strstr(md, "6 of 9 fits did not converge") != NULL, "%s", md);
    ck_assert_ptr_nonnull(strstr(md, "- synthetic / exact: 3 of 3 (max_iter 3, stalled 0)\n"));
    ck_assert_ptr_nonnull(strstr(md, "- synthetic / lbfgs: 3 of 3 (max_iter 3, stalled 0)\n"));
    ck_assert_ptr_null(strstr(md, "- synthetic / tiny_C"));
    free(md);
    /* summary.json: fit counts per row, one warning per technique that did not converge */
    root = json_load_file(path_in(dir, "summary.json"), 0, &jerr);
    ck_assert_msg(root != NULL, "summary.json: %d: %s", jerr.line, jerr.text);
    {
        json_t *summary = json_object_get(root, "summary");
        json_t *warnings = json_object_get(root, "warnings");
        ck_assert_uint_eq(json_array_size(summary), 3);
        for (size_t t = 0; t < 3; t++) {
            json_t *fit = json_object_get(json_array_get(summary, t), "fit");
            int bad = t != 1;
            ck_assert_int_eq(json_integer_value(json_object_get(fit, "converged")), bad ? 0 : 3);
            ck_assert_int_eq(json_integer_value(json_object_get(fit, "max_iter")), bad ? 3 : 0);
            ck_assert_int_eq(json_integer_value(json_object_get(fit, "stalled")), 0);
        }
        ck_assert_uint_eq(json_array_size(warnings), 2);
        ck_assert_str_eq(json_string_value(json_array_get(warnings, 0)),
                         "synthetic / exact: 3 of 3 fits did not converge (see runs.csv, "
                         "column fit)");
        ck_assert_str_eq(json_string_value(json_array_get(warnings, 1)),
                         "synthetic / lbfgs: 3 of 3 fits did not converge (see runs.csv, "
                         "column fit)");
    }
    json_decref(root);
    remove_outdir(dir);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("logreg_extreme");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, extreme_weights_and_C_reach_the_reference_auc);
    tcase_add_test(tc, unconverged_fits_are_kept_and_marked);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
