/* One vocabulary for per-class settings: class_weight and sampling_strategy name a class by
 * the data's own label, by the words negative / positive (binary data) or by its index, in the
 * classifier section and in technique overrides alike; names are resolved when the data is
 * loaded, and a class the data lacks is reported at its line and column with the dataset, its
 * classes and a suggestion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/resample.h"
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

/* prepare() must fail on path with status EINVAL at line:column, key, and every fragment. */
static void prepare_fails(const char *path, long line, long column, const char *key,
                          const char *const *frags, size_t n_frags)
{
    imbal_spec *spec = load(path);
    imbal_experiment *ex = (imbal_experiment *)spec; /* must be reset to NULL */
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_experiment_prepare(spec, &ex, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(ex);
    ck_assert_str_eq(err.file, path);
    ck_assert_int_eq(err.line, line);
    ck_assert_int_eq(err.column, column);
    ck_assert_str_eq(err.key, key);
    for (size_t i = 0; i < n_frags; i++) {
        ck_assert_msg(strstr(err.msg, frags[i]) != NULL, "'%s' not in '%s'", frags[i], err.msg);
    }
    imbal_spec_free(spec);
}

static char *yesno[] = {"no", "yes"};
static char *words[] = {"negative", "positive"};
static char *swapped[] = {"positive", "negative"};
static char *digits[] = {"1", "0"};
static char *three[] = {"a", "b", "c"};

START_TEST(find_by_name_then_word_then_index)
{
    ck_assert_int_eq(imbal_class_find("yes", 3, yesno, 2), 1);
    ck_assert_int_eq(imbal_class_find("no", 2, yesno, 2), 0);
    ck_assert_int_eq(imbal_class_find("positive", 8, yesno, 2), 1);
    ck_assert_int_eq(imbal_class_find("negative", 8, yesno, 2), 0);
    ck_assert_int_eq(imbal_class_find("1", 1, yesno, 2), 1);
    ck_assert_int_eq(imbal_class_find("0", 1, yesno, 2), 0);
    ck_assert_int_eq(imbal_class_find("yesno", 3, yesno, 2), 1); /* len counts, not the NUL */
    ck_assert_int_eq(imbal_class_find("Yes", 3, yesno, 2), -1);  /* exact, case too */
    ck_assert_int_eq(imbal_class_find("2", 1, yesno, 2), -1);
    ck_assert_int_eq(imbal_class_find("", 0, yesno, 2), -1);
    /* a class name wins over the word or index meaning another class */
    ck_assert_int_eq(imbal_class_find("positive", 8, swapped, 2), 0);
    ck_assert_int_eq(imbal_class_find("negative", 8, swapped, 2), 1);
    ck_assert_int_eq(imbal_class_find("1", 1, digits, 2), 0);
    ck_assert_int_eq(imbal_class_find("positive", 8, words, 2), 1);
    /* the words are for binary data only; indices for any */
    ck_assert_int_eq(imbal_class_find("positive", 8, three, 3), -1);
    ck_assert_int_eq(imbal_class_find("2", 1, three, 3), 2);
}
END_TEST

START_TEST(hint_suggests_and_lists_the_classes)
{
    char buf[200];
    ck_assert_str_eq(imbal_class_hint("yse", yesno, 2, buf, sizeof(buf)),
                     "did you mean 'yes'? the classes are 'no' (negative) and 'yes' (positive)");
    ck_assert_str_eq(imbal_class_hint("postive", words, 2, buf, sizeof(buf)),
                     "did you mean 'positive'? the classes are 'negative' and 'positive'");
    ck_assert_str_eq(imbal_class_hint("zzzzzz", three, 3, buf, sizeof(buf)),
                     "the classes are 'a', 'b', 'c'");
    ck_assert_str_eq(imbal_class_hint("yse", yesno, 2, buf, 12),
                     "did you mea"); /* 11 characters and the NUL */
}
END_TEST

START_TEST(three_ways_to_name_a_class_agree)
{
    imbal_spec *spec = load("tests/data/classes_yesno.yaml");
    imbal_experiment *ex = NULL;
    imbal_error err;
    const imbal_classifier_plan *lp;
    const imbal_strategy *s;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    lp = ex->classifiers;
    ck_assert_str_eq(ex->data[0]->class_names[1], "yes");
    for (size_t t = 0; t < 3; t++) { /* by_name, by_word, by_index */
        ck_assert_int_eq(lp[t].class_weight, IMBAL_CW_EXPLICIT);
        ck_assert_double_eq(lp[t].weight[1], 100.0);
        ck_assert_double_eq(lp[t].weight[0], t == 2 ? 2.0 : 1.0); /* unnamed classes weigh 1 */
    }
    /* the classifier section's {yes: 3}, for a technique that does not override it */
    ck_assert_int_eq(lp[3].class_weight, IMBAL_CW_EXPLICIT);
    ck_assert_double_eq(lp[3].weight[0], 1.0);
    ck_assert_double_eq(lp[3].weight[1], 3.0);
    s = imbal_param_strategy(&ex->params[4], "sampling_strategy");
    ck_assert_int_eq(s->kind, IMBAL_STRATEGY_COUNTS);
    ck_assert_int_eq(s->counts[0], 48);
    ck_assert_int_eq(s->counts[1], 40);
    s = imbal_param_strategy(&ex->params[5], "sampling_strategy");
    ck_assert_int_eq(s->counts[0], -1);
    ck_assert_int_eq(s->counts[1], 40);
    s = imbal_param_strategy(&ex->params[6], "sampling_strategy");
    ck_assert_int_eq(s->kind, IMBAL_STRATEGY_LIST); /* a YAML list of one class */
    ck_assert_int_eq(s->counts[0], 1);
    ck_assert_int_eq(s->counts[1], -1);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(a_class_name_wins_over_the_word)
{
    /* positive: negative makes the data's class 'positive' class 0; {positive: 5} weighs it */
    imbal_spec *spec = load("tests/data/classes_ambiguous.yaml");
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_str_eq(ex->data[0]->class_names[0], "positive");
    ck_assert_double_eq(ex->classifiers[0].weight[0], 5.0);
    ck_assert_double_eq(ex->classifiers[0].weight[1], 1.0);
    ck_assert_double_eq(ex->classifiers[1].weight[0], 1.0); /* "1": the index, class 'negative' */
    ck_assert_double_eq(ex->classifiers[1].weight[1], 5.0);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(unknown_class_weight_is_located)
{
    static const char *const frags[] = {
        "class_weight: 'yse' is not a class of dataset 'yesno'",
        "did you mean 'yes'? the classes are 'no' (negative) and 'yes' (positive)"};
    prepare_fails("tests/data/classes_bad_weight.yaml", 6, 55, "class_weight", frags, 2);
}
END_TEST

START_TEST(unknown_strategy_class_is_located)
{
    static const char *const frags[] = {
        "sampling_strategy: 'maybe' is not a class of dataset 'yesno'",
        "the classes are 'no' (negative) and 'yes' (positive)"};
    prepare_fails("tests/data/classes_bad_strategy.yaml", 8, 41, "sampling_strategy", frags, 2);
}
END_TEST

START_TEST(every_dataset_must_have_the_class)
{
    /* the words fit both datasets; 'yes' only the first */
    static const char *const frags[] = {"'yes' is not a class of dataset 'abalone19'",
                                        "the classes are 'negative' and 'positive'"};
    prepare_fails("tests/data/classes_two_datasets.yaml", 7, 49, "class_weight", frags, 2);
}
END_TEST

START_TEST(one_class_named_twice_is_refused)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_experiment *ex = NULL;
    imbal_error err;
    const char *path = test_tmp("imbal_classes_twice.yaml");
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "datasets:\n  - {path: %s/tests/data/yesno.csv, target: label}\n"
            "techniques:\n  - {sampler: none, class_weight: {yes: 2, positive: 3}}\n",
            getenv("PWD"));
    fclose(f);
    ck_assert_int_eq(imbal_spec_load(path, &spec, &errs), IMBAL_OK);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_experiment_prepare(spec, &ex, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(ex);
    ck_assert_int_eq(err.line, 4);
    ck_assert_int_eq(err.column, 44);
    ck_assert_ptr_nonnull(strstr(err.msg, "'yes' and 'positive' are the same class 'yes'"));
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(weights_by_name_fit_as_by_word)
{
    /* by_name and by_word resolve to the same weights, so their fits are the same */
    imbal_spec *spec = load("tests/data/classes_yesno.yaml");
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {1, 0, NULL, NULL, NULL, NULL};
    size_t folds;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    folds = ex->splits[0]->n_folds;
    for (size_t f = 0; f < folds; f++) {
        const imbal_run_result *a = &ex->runs[f];
        const imbal_run_result *b = &ex->runs[folds + f];
        ck_assert_double_eq(a->intercept, b->intercept); /* same objective, same bits */
        ck_assert_double_eq(a->metrics.roc_auc, b->metrics.roc_auc);
    }
    /* and the counts named by class name reach the classifier: 40 yes, 48 no */
    ck_assert_uint_eq(ex->runs[4 * folds].n_resampled_pos, 40);
    ck_assert_uint_eq(ex->runs[4 * folds].n_resampled_neg, 48);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("classes");
    TCase *tc = tcase_create("vocabulary");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, find_by_name_then_word_then_index);
    tcase_add_test(tc, hint_suggests_and_lists_the_classes);
    tcase_add_test(tc, three_ways_to_name_a_class_agree);
    tcase_add_test(tc, a_class_name_wins_over_the_word);
    tcase_add_test(tc, unknown_class_weight_is_located);
    tcase_add_test(tc, unknown_strategy_class_is_located);
    tcase_add_test(tc, every_dataset_must_have_the_class);
    tcase_add_test(tc, one_class_named_twice_is_refused);
    tcase_add_test(tc, weights_by_name_fit_as_by_word);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
