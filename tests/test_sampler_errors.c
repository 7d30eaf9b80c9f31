/* Sampler refusals and failures: k_neighbors too large for a class, one class only,
 * sampling_strategy refusals, malformed folds, parameters of another technique (each with its
 * status, key, message and a NULL *out), and an allocation-failure walk over every technique
 * (leaks show under make asan). */
#include "alloc.h"
#include "sampler_fixtures.h"

/* Parses params for name, runs it, and expects status st with err.key == key (NULL: any) and
 * a message containing each of the given fragments. */
static void expect_fail(const char *name, const imbal_train_view *v, const char *pname,
                        const char *pvalue, imbal_status st, const char *key,
                        const char *frag1, const char *frag2)
{
    const imbal_technique *t = imbal_technique_find(name);
    imbal_param given = {pname, pvalue};
    imbal_param_values p;
    imbal_resampled *r = (imbal_resampled *)&p;  /* not NULL: must be reset */
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 1);
    imbal_error err = {0};
    ck_assert_int_eq(imbal_params_parse(t, &given, pname != NULL, NULL, 0, &p, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_resample(t, v, &p, rng, &r, &err), st);
    ck_assert_ptr_null(r);
    ck_assert_int_eq(err.status, st);
    if (key != NULL) {
        ck_assert_str_eq(err.key, key);
    }
    if (frag1 != NULL) {
        ck_assert_msg(strstr(err.msg, frag1) != NULL, "'%s' not in '%s'", frag1, err.msg);
    }
    if (frag2 != NULL) {
        ck_assert_msg(strstr(err.msg, frag2) != NULL, "'%s' not in '%s'", frag2, err.msg);
    }
    imbal_rng_free(rng);
}

START_TEST(k_neighbors_must_be_below_the_class_count)
{
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 1);
    imbal_resampled *r;
    /* class 1 has 4 rows: k = 4 asks for 5 neighbours (itself included) */
    expect_fail("smote", &v, "k_neighbors", "4", IMBAL_EINVAL, "k_neighbors", "class 1",
                "which has 4");
    expect_fail("smote", &v, NULL, NULL, IMBAL_EINVAL, "k_neighbors", "k_neighbors = 5",
                "class 1");
    /* k = 3 is the largest that works */
    r = run("smote", &v, "k_neighbors=3", rng);
    ck_assert_uint_eq(r->n, 30);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    /* a class left alone is not checked: only class 2 (7 rows) is raised here */
    rng = new_rng(IMBAL_RNG_NUMPY, 1);
    r = run("smote", &v, "sampling_strategy=2:10;k_neighbors=6", rng);
    ck_assert_uint_eq(r->n, 24);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

START_TEST(one_class_only_is_refused)
{
    static const char *const names[] = {"random_over", "random_under", "smote"};
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 1);
    imbal_resampled *r;
    for (size_t i = 0; i < f.n; i++) {
        f.y[i] = 2;  /* labels 0 and 1 exist but are absent */
    }
    for (size_t t = 0; t < 3; t++) {
        expect_fail(names[t], &v, NULL, NULL, IMBAL_EINVAL, "sampling_strategy",
                    "more than 1 class", "got 1");
    }
    /* the baseline copies whatever it gets */
    r = run("none", &v, NULL, rng);
    ck_assert_uint_eq(r->n, 21);
    imbal_resampled_free(r);
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

START_TEST(strategy_refusals_reach_the_caller)
{
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    expect_fail("random_over", &v, "sampling_strategy", "majority", IMBAL_EINVAL,
                "sampling_strategy", "majority", "over-sampler");
    expect_fail("random_under", &v, "sampling_strategy", "minority", IMBAL_EINVAL,
                "sampling_strategy", "minority", "under-sampler");
    expect_fail("smote", &v, "sampling_strategy", "0.5", IMBAL_EINVAL, "sampling_strategy",
                "binary", "3 classes");
    expect_fail("random_over", &v, "sampling_strategy", "1:3", IMBAL_EINVAL,
                "sampling_strategy", "4 rows", "asks 3");
    expect_fail("random_under", &v, "sampling_strategy", "0:11", IMBAL_EINVAL,
                "sampling_strategy", "10 rows", "asks 11");
    /* a name cannot be resolved without the class names: parse it again with them */
    expect_fail("random_under", &v, "sampling_strategy", "negative:3", IMBAL_EINVAL,
                "sampling_strategy", "class names", NULL);
    /* counts near 2^63 on several classes: the output row count wrapped around a size_t into
     * a small allocation that the sampler overran (issue 11); now refused before allocating */
    expect_fail("random_over", &v, "sampling_strategy",
                "1:9223372036854775807,2:9223372036854775807", IMBAL_EINVAL, "sampling_strategy",
                "more rows than can be stored", "class 1");
    expect_fail("random_over", &v, "sampling_strategy",
                "0:9223372036854775000,1:9223372036854775000,2:9223372036854775000",
                IMBAL_EINVAL, "sampling_strategy", "more rows than can be stored", NULL);
    expect_fail("smote", &v, "sampling_strategy", "1:9223372036854775807,2:9223372036854775807",
                IMBAL_EINVAL, "sampling_strategy", "more rows than can be stored", NULL);
    free_fold(&f);
}
END_TEST

START_TEST(malformed_folds_are_refused)
{
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    const imbal_technique *smote = imbal_technique_find("smote");
    imbal_param_values p;
    imbal_resampled *r = (imbal_resampled *)&p;
    imbal_error err = {0};
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 1);
    f.y[5] = 3;  /* outside 0 .. 2 */
    expect_fail("none", &v, NULL, NULL, IMBAL_EINVAL, NULL, "label 3 of row 5", NULL);
    f.y[5] = 2;
    v.n = 0;
    expect_fail("random_over", &v, NULL, NULL, IMBAL_EINVAL, NULL, "empty", NULL);
    v.n = 21;
    v.d = 0;
    expect_fail("random_over", &v, NULL, NULL, IMBAL_EINVAL, NULL, "empty", NULL);
    v.d = 2;
    /* parameters parsed for another technique */
    ck_assert_int_eq(imbal_params_parse(imbal_technique_find("random_over"), NULL, 0, NULL, 0,
                                        &p, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(imbal_resample(smote, &v, &p, rng, &r, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(r);
    ck_assert_ptr_nonnull(strstr(err.msg, "smote"));
    imbal_rng_free(rng);
    free_fold(&f);
}
END_TEST

/* Fails the 1st, 2nd, ... allocation of each technique until one run succeeds; each failed
 * run returns ENOMEM with *out NULL (leaks show under make asan). */
START_TEST(allocation_failures_are_reported_and_leak_nothing)
{
    static const char *const names[] = {"none", "random_over", "random_under", "smote"};
    static const char *const params[] = {NULL, "shrinkage=0.5", NULL, "k_neighbors=2"};
    fold f = toy_case();
    imbal_train_view v = view_of(&f, 2, 3);
    for (size_t t = 0; t < 4; t++) {
        const imbal_technique *tech = imbal_technique_find(names[t]);
        imbal_param given = {"k_neighbors", "2"};
        imbal_param_values p;
        imbal_status st = IMBAL_ENOMEM;
        long fail_at;
        if (params[t] != NULL) {
            char *eq = strchr(params[t], '=');
            static char name[32];
            snprintf(name, sizeof(name), "%.*s", (int)(eq - params[t]), params[t]);
            given.name = name;
            given.value = eq + 1;
        }
        ck_assert_int_eq(imbal_params_parse(tech, &given, params[t] != NULL, NULL, 0, &p, NULL),
                         IMBAL_OK);
        for (fail_at = 1; st == IMBAL_ENOMEM; fail_at++) {
            imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 3);
            imbal_resampled *r = (imbal_resampled *)&p;
            imbal_error err = {0};
            imbal_alloc_fail_after(fail_at);
            st = imbal_resample(tech, &v, &p, rng, &r, &err);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_ENOMEM) {
                ck_assert_ptr_null(r);
                ck_assert_int_eq(err.status, IMBAL_ENOMEM);
            } else {
                ck_assert_int_eq(st, IMBAL_OK);
                ck_assert_ptr_nonnull(r);
                imbal_resampled_free(r);
            }
            imbal_rng_free(rng);
        }
        ck_assert_int_gt(fail_at, 2);  /* at least one failure was exercised */
    }
    free_fold(&f);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("sampler_errors");
    TCase *tc = tcase_create("sampler_errors");
    tcase_add_test(tc, k_neighbors_must_be_below_the_class_count);
    tcase_add_test(tc, one_class_only_is_refused);
    tcase_add_test(tc, strategy_refusals_reach_the_caller);
    tcase_add_test(tc, malformed_folds_are_refused);
    tcase_add_test(tc, allocation_failures_are_reported_and_leak_nothing);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
