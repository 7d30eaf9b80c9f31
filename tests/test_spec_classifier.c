/* The spec's classifier section and a technique's override (spec.h: imbal_spec_classifier)
 * and the plan that resolves them (runner.h: imbal_classifier_plan): type with "did you mean",
 * each parameter checked against the type's schema at its line and column, a technique's
 * parameters laid over the spec's (the shorthand C / solver / standardize too), another type
 * replacing them, "auto" resolved per technique, and class_weight refused for a classifier
 * that takes none. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "imbal/runner.h"
#include "util.h"

static imbal_status load(const char *text, imbal_spec **spec, imbal_error_list *errs)
{
    return imbal_spec_load_buffer("tests/data/clf.yaml", text, strlen(text), spec, errs);
}

static const char head[] = "name: clf\nseed: 3\nevaluation: {protocol: kfold, folds: 3}\n";

START_TEST(unknown_type_suggests_the_closest)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    char text[1024];
    snprintf(text, sizeof(text),
             "%sclassifier:\n  type: logistic_regresion\ntechniques:\n  - {sampler: none}\n",
             head);
    ck_assert_int_eq(load(text, &spec, &errs), IMBAL_EINVAL);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].msg, "unknown classifier 'logistic_regresion' (did you mean "
                                        "'logistic_regression'?)");
    ck_assert_int_eq(errs.items[0].line, 5);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(parameters_are_checked_against_the_type)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    char text[1024];
    /* an unknown name in the spec's classifier, a bad value in a technique's override: both
     * reported, each at its place */
    snprintf(text, sizeof(text),
             "%sclassifier:\n  type: logistic_regression\n  Cc: 2\ntechniques:\n"
             "  - {sampler: none}\n",
             head);
    ck_assert_int_eq(load(text, &spec, &errs), IMBAL_EINVAL);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "unknown parameter 'Cc' for "
                                                    "logistic_regression (did you mean 'C'?)"));
    ck_assert_int_eq(errs.items[0].line, 6);
    ck_assert_int_eq(errs.items[0].column, 7);
    imbal_error_list_free(&errs);
    snprintf(text, sizeof(text),
             "%stechniques:\n  - {sampler: none}\n"
             "  - {name: t, sampler: none, classifier: {solver: newton}}\n",
             head);
    ck_assert_int_eq(load(text, &spec, &errs), IMBAL_EINVAL);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "solver"));
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "newton"));
    ck_assert_int_eq(errs.items[0].line, 6);
    ck_assert_str_eq(errs.items[0].key, "solver");
    imbal_error_list_free(&errs);
}
END_TEST

/* The plan of technique t on the (only) dataset. */
static const imbal_classifier_plan *plan(const imbal_experiment *ex, size_t t)
{
    return &ex->classifiers[t];
}

START_TEST(overrides_are_laid_over_the_spec_and_auto_resolved)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    char text[2048];
    snprintf(text, sizeof(text),
             "%sclassifier:\n  type: logistic_regression\n  C: 0.5\n  max_iter: 50\n"
             "techniques:\n"
             "  - {name: plain, sampler: none}\n"
             "  - {name: shorthand, sampler: none, C: 2, standardize: true}\n"
             "  - {name: mapping, sampler: none, classifier: {C: 4, solver: lbfgs}}\n"
             "  - {name: compat, sampler: none, compat: sklearn}\n"
             "  - {name: weighted, sampler: none, classifier: {class_weight: balanced}}\n",
             head);
    ck_assert_msg(load(text, &spec, &errs) == IMBAL_OK, "%s", errs.n ? errs.items[0].msg : "");
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_double_eq(imbal_param_num(&plan(ex, 0)->params, "C"), 0.5);
    ck_assert_double_eq(imbal_param_num(&plan(ex, 0)->params, "max_iter"), 50);
    ck_assert_str_eq(imbal_param_text(&plan(ex, 0)->params, "solver"), "exact");
    ck_assert_double_eq(imbal_param_num(&plan(ex, 1)->params, "C"), 2);
    ck_assert_double_eq(imbal_param_num(&plan(ex, 1)->params, "standardize"), 1);
    ck_assert_double_eq(imbal_param_num(&plan(ex, 1)->params, "max_iter"), 50); /* kept */
    ck_assert_double_eq(imbal_param_num(&plan(ex, 2)->params, "C"), 4);
    ck_assert_str_eq(imbal_param_text(&plan(ex, 2)->params, "solver"), "lbfgs");
    /* auto: lbfgs under compat: sklearn, as scikit-learn runs */
    ck_assert_str_eq(imbal_param_text(&plan(ex, 3)->params, "solver"), "lbfgs");
    ck_assert_int_eq(plan(ex, 3)->class_weight, IMBAL_CW_NONE);
    ck_assert_int_eq(plan(ex, 4)->class_weight, IMBAL_CW_BALANCED);
    ck_assert(isnan(imbal_param_num(&plan(ex, 0)->params, "tol"))); /* auto */
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(k_class_explicit_weights_by_name)
{
    /* iris: three classes, {virginica: 5}: the others weigh 1, in class order */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    const char *text = "name: w\ndatasets:\n  - {path: ../../datasets/iris_imbalanced.csv, "
                       "target: species}\nevaluation: {protocol: kfold, folds: 3}\n"
                       "techniques:\n  - {sampler: none, class_weight: {virginica: 5}}\n"
                       "  - {name: b, sampler: none, class_weight: {virginica: 5, setosa: 2}}\n";
    ck_assert_msg(load(text, &spec, &errs) == IMBAL_OK, "%s", errs.n ? errs.items[0].msg : "");
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_int_eq(plan(ex, 0)->class_weight, IMBAL_CW_EXPLICIT);
    ck_assert_double_eq(plan(ex, 0)->weight[0], 1.0);
    ck_assert_double_eq(plan(ex, 0)->weight[1], 1.0);
    ck_assert_double_eq(plan(ex, 0)->weight[2], 5.0);
    ck_assert_double_eq(plan(ex, 1)->weight[0], 2.0);
    ck_assert_double_eq(plan(ex, 1)->weight[2], 5.0);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spec_classifier");
    TCase *tc = tcase_create("classifier");
    tcase_add_test(tc, unknown_type_suggests_the_closest);
    tcase_add_test(tc, parameters_are_checked_against_the_type);
    tcase_add_test(tc, overrides_are_laid_over_the_spec_and_auto_resolved);
    tcase_add_test(tc, k_class_explicit_weights_by_name);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
