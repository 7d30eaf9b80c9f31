/* Spec loading: a valid spec resolves paths and defaults; invalid specs report every problem
 * at once with line, column and a "did you mean" suggestion, and return no spec. */
#include <string.h>

#include "imbal/spec.h"
#include "util.h"

/* Index of the error whose message contains needle, or -1. */
static long find_error(const imbal_error_list *l, const char *needle)
{
    for (size_t i = 0; i < l->n; i++) {
        if (strstr(l->items[i].msg, needle) != NULL) {
            return (long)i;
        }
    }
    return -1;
}

START_TEST(good_spec_resolves)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_good.yaml", &spec, &errs), IMBAL_OK);
    ck_assert_uint_eq(errs.n, 0);
    ck_assert_str_eq(spec->name, "good");
    ck_assert_uint_eq(spec->seed, 7);
    ck_assert_uint_eq(spec->n_datasets, 1);
    ck_assert_str_eq(spec->datasets[0].path, "tests/data/../../datasets/abalone19.csv");
    ck_assert_int_eq(spec->eval.protocol, IMBAL_PROTOCOL_SPLIT_FILE);
    ck_assert_double_eq(spec->eval.threshold, 0.5);
    ck_assert_uint_eq(spec->n_techniques, 3);
    ck_assert_int_eq(spec->techniques[1].class_weight_set, 1);
    ck_assert_int_eq(spec->techniques[1].class_weight.kind, IMBAL_CW_BALANCED);
    ck_assert_int_eq(spec->techniques[2].class_weight.kind, IMBAL_CW_EXPLICIT);
    /* classes kept as written, with their positions, until the data is loaded */
    ck_assert_uint_eq(spec->techniques[2].class_weight.n, 2);
    ck_assert_str_eq(spec->techniques[2].class_weight.classes[0].name, "negative");
    ck_assert_double_eq(spec->techniques[2].class_weight.classes[0].value, 1.0);
    ck_assert_str_eq(spec->techniques[2].class_weight.classes[1].name, "positive");
    ck_assert_double_eq(spec->techniques[2].class_weight.classes[1].value, 100.0);
    ck_assert_int_eq(spec->techniques[2].class_weight.classes[1].line, 18);
    ck_assert_int_eq(spec->techniques[2].class_weight.classes[1].column, 61);
    ck_assert_uint_eq(spec->classifier.n_params, 1); /* C; solver auto, resolved by the plan */
    ck_assert_ptr_null(spec->classifier.type);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(all_problems_reported_with_locations)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = (imbal_spec *)&errs; /* must be reset to NULL */
    long i;
    ck_assert_int_ne(imbal_spec_load("tests/data/spec_many_errors.yaml", &spec, &errs), IMBAL_OK);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 6);
    i = find_error(&errs, "unknown key 'datasetz' in the spec (did you mean 'datasets'?)");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 3);
    ck_assert_int_eq(errs.items[i].column, 1);
    ck_assert_str_eq(errs.items[i].file, "tests/data/spec_many_errors.yaml");
    i = find_error(&errs, "unknown protocol 'holdot' (did you mean 'holdout'?)");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 6);
    ck_assert_int_eq(errs.items[i].column, 13);
    i = find_error(&errs, "'test_size' must be a fraction");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 7);
    i = find_error(&errs, "'folds' must be a non-negative integer, not 'one'");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 8);
    i = find_error(&errs, "logistic_regression: C must be in [1e-12, 1e+12], got -1");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 10);
    ck_assert_int_eq(errs.items[i].column, 6);
    ck_assert_str_eq(errs.items[i].key, "C");
    /* class names are checked against the data when it is loaded (test_classes.c); the
     * weights themselves here */
    i = find_error(&errs, "'class_weight' must be a number, not 'lots'");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 11);
    ck_assert_int_eq(errs.items[i].column, 41);
    ck_assert_str_eq(errs.items[i].key, "class_weight");
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(missing_data_file_is_reported)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_missing_file.yaml", &spec, &errs),
                     IMBAL_EIO);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_int_eq(errs.items[0].line, 3);
    ck_assert_int_eq(errs.items[0].column, 11);
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "does_not_exist.csv' not found"));
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(yaml_syntax_error_has_location)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_syntax.yaml", &spec, &errs), IMBAL_EPARSE);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_int_eq(errs.items[0].line, 4); /* the flow mapping is still open at the end */
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "YAML:"));
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(unknown_technique_and_parameter_suggest)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    long i;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_bad_technique.yaml", &spec, &errs),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 2);
    i = find_error(&errs, "unknown technique 'smoth' (did you mean 'smote'?)");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 2);
    ck_assert_int_eq(errs.items[i].column, 24); /* 2 + "- {name: a, " (11) + "sampler: " (9) + 1 */
    i = find_error(&errs, "k_neighbors");
    ck_assert_int_ge(i, 0);
    ck_assert_int_eq(errs.items[i].line, 3);
    ck_assert_int_eq(errs.items[i].column, 40);
    ck_assert_str_eq(errs.items[i].key, "k_neigbors");
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(missing_spec_file)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/no_such_spec.yaml", &spec, &errs), IMBAL_EIO);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].file, "tests/data/no_such_spec.yaml");
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(shipped_configs_are_valid)
{
    static const char *const configs[] = {"configs/abalone.yaml", "configs/abalone-cv.yaml",
                                          "configs/demo.yaml", "configs/leakage.yaml",
                                          "configs/abalone-keel.yaml",
                                          "configs/abalone-published.yaml"};
    for (size_t i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
        imbal_error_list errs = {NULL, 0, 0};
        imbal_spec *spec = NULL;
        imbal_status st = imbal_spec_load(configs[i], &spec, &errs);
        ck_assert_msg(st == IMBAL_OK, "%s: %s", configs[i], errs.n ? errs.items[0].msg : "");
        imbal_spec_free(spec);
        imbal_error_list_free(&errs);
    }
}
END_TEST

START_TEST(suggestions_by_edit_distance)
{
    static const char *const names[] = {"holdout", "kfold", "repeated_kfold"};
    /* kitten -> sitting: substitute k, substitute e, insert g */
    ck_assert_uint_eq(imbal_edit_distance("kitten", "sitting"), 3);
    ck_assert_str_eq(imbal_suggest("kfodl", names, 3), "kfold");
    ck_assert_ptr_null(imbal_suggest("bootstrap", names, 3));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spec");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, good_spec_resolves);
    tcase_add_test(tc, all_problems_reported_with_locations);
    tcase_add_test(tc, missing_data_file_is_reported);
    tcase_add_test(tc, yaml_syntax_error_has_location);
    tcase_add_test(tc, unknown_technique_and_parameter_suggest);
    tcase_add_test(tc, missing_spec_file);
    tcase_add_test(tc, shipped_configs_are_valid);
    tcase_add_test(tc, suggestions_by_edit_distance);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
