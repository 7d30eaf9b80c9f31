/* Extreme class weights and C through the whole pipeline (spec, runner, metrics): each run of
 * tests/data/spec_extreme.yaml must reach the test AUC of the 50-digit optimum in
 * tests/reference/logreg_scale.csv. Two ways to miss it: a solver that stops at its start
 * (w = 0, AUC 0.5; the stopping rule of logreg.h), and probabilities that saturate (with a
 * weight of 1e-12 on the negatives every test row scores 1 - 1e-10 to the last bit, so ranked by
 * probability they all tie: AUC 0.5; the runner ranks by decision value). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    imbal_run_options opt = {2, 0, NULL, NULL};
    ck_assert_msg(imbal_spec_load("tests/data/spec_extreme.yaml", &spec, &errs) == IMBAL_OK,
                  "%s", errs.n ? errs.items[0].msg : "");
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_runs, 5);
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

int main(void)
{
    Suite *s = suite_create("logreg_extreme");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, extreme_weights_and_C_reach_the_reference_auc);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
