/* The resampling module's plumbing: the registry, "did you mean" by edit distance, parameter
 * parsing against a schema, sampling_strategy parsing, and check_sampling_strategy's target
 * counts. Expected targets are worked out by hand in the comments (imblearn 0.10's rules,
 * cross-checked with /usr/bin/python3); every refusal is asserted with its status and key. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/resample.h"
#include "resample_internal.h"
#include "util.h"

/* ---- registry ---- */

START_TEST(registry_lists_each_technique_once)
{
    static const char *const mine[] = {"none", "random_over", "random_under", "smote"};
    size_t n = imbal_technique_count();
    ck_assert_uint_ge(n, 4);
    for (size_t k = 0; k < 4; k++) {
        const imbal_technique *t = imbal_technique_find(mine[k]);
        ck_assert_ptr_nonnull(t);
        ck_assert_str_eq(t->name, mine[k]);
        ck_assert(t->run != NULL);
        ck_assert_ptr_nonnull(t->params);
        ck_assert_ptr_nonnull(t->help);
    }
    for (size_t i = 0; i < n; i++) {
        const imbal_technique *t = imbal_technique_at(i);
        ck_assert_ptr_eq(imbal_technique_find(t->name), t);  /* names are unique */
        for (size_t j = 0; t->params[j].name != NULL; j++) {
            ck_assert_uint_lt(j, IMBAL_PARAM_MAX);
            ck_assert_ptr_nonnull(t->params[j].def);
        }
    }
    ck_assert_ptr_null(imbal_technique_at(n));
    ck_assert_ptr_null(imbal_technique_find("SMOTE"));  /* lookup is exact */
    ck_assert_ptr_null(imbal_technique_find(""));
}
END_TEST

START_TEST(every_default_parses)
{
    for (size_t i = 0; i < imbal_technique_count(); i++) {
        const imbal_technique *t = imbal_technique_at(i);
        imbal_param_values p;
        imbal_error err = {0};
        ck_assert_msg(imbal_params_parse(t, NULL, 0, NULL, 0, &p, &err) == IMBAL_OK, "%s: %s",
                      t->name, err.msg);
        ck_assert_ptr_eq(p.spec, t->params);
    }
}
END_TEST

/* ---- edit distance and suggestions ---- */

START_TEST(edit_distance_is_levenshtein_ignoring_case)
{
    ck_assert_uint_eq(imbal_edit_distance("kitten", "sitting"), 3);  /* k->s, e->i, +g */
    ck_assert_uint_eq(imbal_edit_distance("", "abc"), 3);
    ck_assert_uint_eq(imbal_edit_distance("abc", ""), 3);
    ck_assert_uint_eq(imbal_edit_distance("SMOTE", "smote"), 0);
    ck_assert_uint_eq(imbal_edit_distance("k_neigbors", "k_neighbors"), 1);  /* +h */
    ck_assert_uint_eq(imbal_edit_distance("ab", "ba"), 2);  /* no transpositions */
}
END_TEST

START_TEST(suggestions_only_when_close)
{
    const imbal_technique *smote = imbal_technique_find("smote");
    ck_assert_str_eq(imbal_technique_suggest("smot"), "smote");
    ck_assert_str_eq(imbal_technique_suggest("SMOTE"), "smote");
    ck_assert_str_eq(imbal_technique_suggest("random_ovr"), "random_over");
    ck_assert_str_eq(imbal_technique_suggest("random-under"), "random_under");
    /* "randomover" is 1 from random_over and 3 from random_under */
    ck_assert_str_eq(imbal_technique_suggest("randomover"), "random_over");
    ck_assert_ptr_null(imbal_technique_suggest("qwerty"));  /* >= 4 from every name */
    ck_assert_ptr_null(imbal_technique_suggest("xyz"));     /* "none" is 4 away */
    ck_assert_str_eq(imbal_param_suggest(smote, "k_neigbors"), "k_neighbors");
    ck_assert_ptr_null(imbal_param_suggest(smote, "k"));  /* 10 edits, limit 2 */
    ck_assert_str_eq(imbal_param_suggest(smote, "sampling_stratgy"), "sampling_strategy");
}
END_TEST

START_TEST(closest_name_limit_is_max_of_2_and_a_third)
{
    static const char *const cand[] = {"abcdefghijkl", "xy"};
    /* "abcdefghi" (9 chars, limit 3) is 3 deletions from the first */
    ck_assert_str_eq(imbal_closest_name("abcdefghi", cand, 2), "abcdefghijkl");
    /* "abcdefgh" (8 chars, limit 2) is 4 away */
    ck_assert_ptr_null(imbal_closest_name("abcdefgh", cand, 2));
    /* short names get 2: "q" is 2 from "xy" */
    ck_assert_str_eq(imbal_closest_name("q", cand, 2), "xy");
    /* ties go to the earlier candidate */
    {
        static const char *const twins[] = {"ab", "ac"};
        ck_assert_str_eq(imbal_closest_name("a", twins, 2), "ab");
    }
}
END_TEST

/* ---- parameters ---- */

static imbal_status parse1(const char *technique, const char *name, const char *value,
                           imbal_param_values *p, imbal_error *err)
{
    imbal_param given = {name, value};
    return imbal_params_parse(imbal_technique_find(technique), &given, 1, NULL, 0, p, err);
}

/* Expects parse1 to fail with st, key and a message containing frag. */
static void expect_param_error(const char *technique, const char *name, const char *value,
                               imbal_status st, const char *key, const char *frag)
{
    imbal_param_values p;
    imbal_error err = {0};
    ck_assert_int_eq(parse1(technique, name, value, &p, &err), st);
    ck_assert_int_eq(err.status, st);
    ck_assert_str_eq(err.key, key);
    ck_assert_msg(strstr(err.msg, frag) != NULL, "'%s' not in '%s'", frag, err.msg);
    ck_assert_uint_eq(p.n, 0);         /* *out zeroed */
    ck_assert_ptr_null(p.spec);
}

START_TEST(defaults_follow_imblearn)
{
    imbal_param_values p;
    ck_assert_int_eq(imbal_params_parse(imbal_technique_find("smote"), NULL, 0, NULL, 0, &p,
                                        NULL),
                     IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "k_neighbors"), 5.0);
    ck_assert_int_eq(imbal_param_strategy(&p, "sampling_strategy")->kind, IMBAL_STRATEGY_AUTO);
    ck_assert_str_eq(imbal_param_text(&p, "sampling_strategy"), "auto");
    ck_assert_int_eq(imbal_params_parse(imbal_technique_find("random_over"), NULL, 0, NULL, 0,
                                        &p, NULL),
                     IMBAL_OK);
    ck_assert(isnan(imbal_param_num(&p, "shrinkage")));  /* none: plain bootstrap */
    ck_assert_str_eq(imbal_param_text(&p, "shrinkage"), "none");
    ck_assert_int_eq(imbal_params_parse(imbal_technique_find("random_under"), NULL, 0, NULL, 0,
                                        &p, NULL),
                     IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "replacement"), 0.0);
}
END_TEST

START_TEST(given_values_are_parsed_by_type)
{
    imbal_param_values p;
    const imbal_technique *under = imbal_technique_find("random_under");
    imbal_param two[2] = {{"replacement", "yes"}, {"sampling_strategy", "0:5, 1:3"}};
    ck_assert_int_eq(parse1("smote", "k_neighbors", "7", &p, NULL), IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "k_neighbors"), 7.0);
    ck_assert_int_eq(parse1("random_over", "shrinkage", "0.25", &p, NULL), IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "shrinkage"), 0.25);
    ck_assert_int_eq(parse1("random_over", "shrinkage", "0", &p, NULL), IMBAL_OK);  /* min */
    ck_assert_double_eq(imbal_param_num(&p, "shrinkage"), 0.0);
    ck_assert_int_eq(imbal_params_parse(under, two, 2, NULL, 0, &p, NULL), IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "replacement"), 1.0);
    ck_assert_int_eq(imbal_param_strategy(&p, "sampling_strategy")->kind,
                     IMBAL_STRATEGY_COUNTS);
    ck_assert_int_eq(imbal_param_strategy(&p, "sampling_strategy")->counts[0], 5);
    ck_assert_int_eq(imbal_param_strategy(&p, "sampling_strategy")->counts[1], 3);
    ck_assert_int_eq(imbal_param_strategy(&p, "sampling_strategy")->counts[2], -1);
    ck_assert_int_eq(parse1("random_under", "replacement", "false", &p, NULL), IMBAL_OK);
    ck_assert_double_eq(imbal_param_num(&p, "replacement"), 0.0);
}
END_TEST

START_TEST(unknown_parameter_names_suggest_the_closest)
{
    imbal_param_values p;
    imbal_error err = {0};
    ck_assert_int_eq(parse1("smote", "k_neigbors", "5", &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "unknown parameter 'k_neigbors' for smote (did you mean "
                              "'k_neighbors'?)");
    ck_assert_str_eq(err.key, "k_neigbors");
    ck_assert_ptr_null(p.spec);
    imbal_error_clear(&err);
    ck_assert_int_eq(parse1("none", "k", "5", &p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.msg, "unknown parameter 'k' for none");
    ck_assert_str_eq(err.key, "k");
}
END_TEST

START_TEST(bad_values_are_refused_with_their_key)
{
    imbal_param twice[2] = {{"k_neighbors", "3"}, {"k_neighbors", "4"}};
    imbal_param_values p;
    imbal_error err = {0};
    expect_param_error("smote", "k_neighbors", "5.5", IMBAL_EINVAL, "k_neighbors",
                       "expected an integer, got '5.5'");
    expect_param_error("smote", "k_neighbors", "", IMBAL_EINVAL, "k_neighbors", "integer");
    expect_param_error("smote", "k_neighbors", " 5", IMBAL_EINVAL, "k_neighbors", "integer");
    expect_param_error("smote", "k_neighbors", "99999999999999999999", IMBAL_EINVAL,
                       "k_neighbors", "integer");
    expect_param_error("smote", "k_neighbors", "0", IMBAL_EINVAL, "k_neighbors",
                       "k_neighbors must be in [1, 1e+06], got 0");
    expect_param_error("random_over", "shrinkage", "-0.1", IMBAL_EINVAL, "shrinkage",
                       "must be in [0,");
    expect_param_error("random_over", "shrinkage", "nan", IMBAL_EINVAL, "shrinkage",
                       "expected a number or none");
    expect_param_error("random_over", "shrinkage", "None", IMBAL_EINVAL, "shrinkage",
                       "got 'None'");
    expect_param_error("random_under", "replacement", "maybe", IMBAL_EINVAL, "replacement",
                       "expected true or false");
    expect_param_error("random_under", "sampling_strategy", "atuo", IMBAL_EINVAL,
                       "sampling_strategy", "did you mean 'auto'?");
    expect_param_error("random_under", "sampling_strategy", "1.5", IMBAL_EINVAL,
                       "sampling_strategy", "(0, 1]");
    {
        char longv[200];
        memset(longv, '1', sizeof(longv) - 1);
        longv[sizeof(longv) - 1] = '\0';
        expect_param_error("smote", "k_neighbors", longv, IMBAL_EINVAL, "k_neighbors",
                           "longer than 127");
    }
    ck_assert_int_eq(imbal_params_parse(imbal_technique_find("smote"), twice, 2, NULL, 0, &p,
                                        &err),
                     IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "k_neighbors");
    ck_assert_ptr_nonnull(strstr(err.msg, "given twice"));
    ck_assert_ptr_null(p.spec);
}
END_TEST

/* ---- sampling_strategy parsing ---- */

static char *names2[] = {"negative", "positive"};

static imbal_strategy parse_ok(const char *text, char *const *names, size_t n_classes)
{
    imbal_strategy s;
    imbal_error err = {0};
    ck_assert_msg(imbal_strategy_parse(text, names, n_classes, &s, &err) == IMBAL_OK,
                  "%s: %s", text, err.msg);
    return s;
}

static void parse_fails(const char *text, char *const *names, size_t n_classes,
                        imbal_status st, const char *frag)
{
    imbal_strategy s;
    imbal_error err = {0};
    ck_assert_int_eq(imbal_strategy_parse(text, names, n_classes, &s, &err), st);
    ck_assert_msg(strstr(err.msg, frag) != NULL, "'%s' not in '%s'", frag, err.msg);
}

START_TEST(strategy_keywords_and_ratios)
{
    ck_assert_int_eq(parse_ok("auto", NULL, 0).kind, IMBAL_STRATEGY_AUTO);
    ck_assert_int_eq(parse_ok("minority", NULL, 0).kind, IMBAL_STRATEGY_MINORITY);
    ck_assert_int_eq(parse_ok("majority", NULL, 0).kind, IMBAL_STRATEGY_MAJORITY);
    ck_assert_int_eq(parse_ok(" not minority ", NULL, 0).kind, IMBAL_STRATEGY_NOT_MINORITY);
    ck_assert_int_eq(parse_ok("not majority", NULL, 0).kind, IMBAL_STRATEGY_NOT_MAJORITY);
    ck_assert_int_eq(parse_ok("all", NULL, 0).kind, IMBAL_STRATEGY_ALL);
    ck_assert_int_eq(parse_ok("0.5", NULL, 0).kind, IMBAL_STRATEGY_RATIO);
    ck_assert_double_eq(parse_ok("0.5", NULL, 0).ratio, 0.5);
    ck_assert_double_eq(parse_ok("1", NULL, 0).ratio, 1.0);  /* a lone number is a ratio */
    ck_assert_double_eq(parse_ok(".25", NULL, 0).ratio, 0.25);
    parse_fails("0", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("-0.5", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("1.0001", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("1e300", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("-1e-300", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("-nan", NULL, 0, IMBAL_EINVAL, "(0, 1]");
    parse_fails("1e-400", NULL, 0, IMBAL_EINVAL, "(0, 1]"); /* strtod underflows to 0 */
    parse_fails("", NULL, 0, IMBAL_EINVAL, "empty");
    parse_fails("not_minority", NULL, 0, IMBAL_EINVAL, "did you mean 'not minority'?");
    parse_fails("Auto", names2, 2, IMBAL_EINVAL, "did you mean 'auto'?");
    parse_fails("positiv", names2, 2, IMBAL_EINVAL, "unknown sampling_strategy 'positiv'");
}
END_TEST

START_TEST(strategy_counts_by_name_or_index)
{
    imbal_strategy s = parse_ok("positive:30, negative:100", names2, 2);
    ck_assert_int_eq(s.kind, IMBAL_STRATEGY_COUNTS);
    ck_assert_int_eq(s.counts[0], 100);
    ck_assert_int_eq(s.counts[1], 30);
    ck_assert_int_eq(s.counts[2], -1);
    ck_assert_int_eq(s.unresolved, 0);
    s = parse_ok("1:30", names2, 2);  /* index when no name matches */
    ck_assert_int_eq(s.counts[0], -1);
    ck_assert_int_eq(s.counts[1], 30);
    s = parse_ok("1:0", NULL, 0);  /* zero is a count (imblearn permutes and keeps none) */
    ck_assert_int_eq(s.counts[1], 0);
    s = parse_ok("positive:30", NULL, 0);  /* names not known yet: syntax only */
    ck_assert_int_eq(s.kind, IMBAL_STRATEGY_COUNTS);
    ck_assert_int_eq(s.unresolved, 1);
    parse_fails("positive:-3", names2, 2, IMBAL_EINVAL, "cannot be negative");
    parse_fails("positive:3.5", names2, 2, IMBAL_EINVAL, "not an integer");
    parse_fails("positive:", names2, 2, IMBAL_EINVAL, "not an integer");
    parse_fails("positive:3,negative", names2, 2, IMBAL_EINVAL, "not class:count");
    parse_fails("positive:3,positive:4", names2, 2, IMBAL_EINVAL, "named twice");
    parse_fails("1:3,positive:4", names2, 2, IMBAL_EINVAL, "named twice");
    parse_fails("neutral:3", names2, 2, IMBAL_EINVAL, "unknown class 'neutral'");
    parse_fails("2:3", names2, 2, IMBAL_EINVAL, "not a class of the data");
    parse_fails(":3", names2, 2, IMBAL_EINVAL, "empty class name");
    parse_fails("16:3", NULL, 0, IMBAL_EUNSUP, "at most 16 classes");
}
END_TEST

START_TEST(strategy_lists_for_cleaning)
{
    imbal_strategy s = parse_ok("negative, positive", names2, 2);
    ck_assert_int_eq(s.kind, IMBAL_STRATEGY_LIST);
    ck_assert_int_eq(s.counts[0], 1);
    ck_assert_int_eq(s.counts[1], 1);
    s = parse_ok("negative", names2, 2);  /* one class */
    ck_assert_int_eq(s.kind, IMBAL_STRATEGY_LIST);
    ck_assert_int_eq(s.counts[0], 1);
    ck_assert_int_eq(s.counts[1], -1);
    s = parse_ok("0,", NULL, 0);
    ck_assert_int_eq(s.kind, IMBAL_STRATEGY_LIST);
    ck_assert_int_eq(s.counts[0], 1);
    s = parse_ok("negative", NULL, 0);  /* far from every keyword: a class, resolved later */
    ck_assert_int_eq(s.unresolved, 1);
    parse_fails("negative,positive:3", names2, 2, IMBAL_EINVAL, "not class:count");
    parse_fails("positive:3,negative", names2, 2, IMBAL_EINVAL, "not class:count");
    parse_fails("negative,negative", names2, 2, IMBAL_EINVAL, "named twice");
}
END_TEST

/* ---- targets (check_sampling_strategy) ---- */

static void targets_are(const char *text, imbal_sampler_kind kind, const size_t *counts,
                        size_t n, long t0, long t1, long t2)
{
    const long want[3] = {t0, t1, t2};
    long got[3] = {-7, -7, -7};
    imbal_error err = {0};
    imbal_strategy s = parse_ok(text, NULL, 0);
    ck_assert_msg(imbal_strategy_targets(&s, kind, counts, n, got, &err) == IMBAL_OK,
                  "%s: %s", text, err.msg);
    for (size_t c = 0; c < n; c++) {
        ck_assert_msg(got[c] == want[c], "%s (kind %d): class %zu target %ld, want %ld", text,
                      (int)kind, c, got[c], want[c]);
    }
}

static void targets_fail(const char *text, imbal_sampler_kind kind, const size_t *counts,
                         size_t n, const char *frag)
{
    long got[3];
    imbal_error err = {0};
    imbal_strategy s = parse_ok(text, NULL, 0);
    ck_assert_int_eq(imbal_strategy_targets(&s, kind, counts, n, got, &err), IMBAL_EINVAL);
    ck_assert_msg(strstr(err.msg, frag) != NULL, "'%s' not in '%s'", frag, err.msg);
}

#define OVER IMBAL_SAMPLER_OVER
#define UNDER IMBAL_SAMPLER_UNDER
#define CLEAN IMBAL_SAMPLER_CLEAN

/* Counts 10, 4, 7: majority 0 (10 rows), minority 1 (4). Over-samplers raise targeted classes
 * to 10, under-samplers lower them to 4, cleaning samplers mark them with 1. */
START_TEST(targets_for_keywords_on_three_classes)
{
    const size_t n[3] = {10, 4, 7};
    targets_are("auto", OVER, n, 3, -1, 10, 10);  /* not majority */
    targets_are("minority", OVER, n, 3, -1, 10, -1);
    targets_are("not minority", OVER, n, 3, 10, -1, 10);
    targets_are("not majority", OVER, n, 3, -1, 10, 10);
    targets_are("all", OVER, n, 3, 10, 10, 10);
    targets_are("auto", UNDER, n, 3, 4, -1, 4);  /* not minority */
    targets_are("majority", UNDER, n, 3, 4, -1, -1);
    targets_are("not minority", UNDER, n, 3, 4, -1, 4);
    targets_are("not majority", UNDER, n, 3, -1, 4, 4);
    targets_are("all", UNDER, n, 3, 4, 4, 4);
    targets_are("auto", CLEAN, n, 3, 1, -1, 1);
    targets_are("majority", CLEAN, n, 3, 1, -1, -1);
    targets_are("all", CLEAN, n, 3, 1, 1, 1);
    targets_fail("majority", OVER, n, 3, "'majority' cannot be used with an over-sampler");
    targets_fail("minority", UNDER, n, 3, "'minority' cannot be used with an under-sampler");
    targets_fail("minority", CLEAN, n, 3, "cleaning sampler");
}
END_TEST

START_TEST(targets_for_counts_and_lists)
{
    const size_t n[3] = {10, 4, 7};
    targets_are("1:8,2:7", OVER, n, 3, -1, 8, 7);   /* 7 = its count: nothing added */
    targets_are("1:25", OVER, n, 3, -1, 25, -1);    /* above the majority: allowed */
    targets_are("0:5", UNDER, n, 3, 5, -1, -1);
    targets_are("0:0", UNDER, n, 3, 0, -1, -1);
    targets_are("0,2", CLEAN, n, 3, 1, -1, 1);
    targets_fail("1:3", OVER, n, 3, "has 4 rows and sampling_strategy asks 3");
    targets_fail("0:11", UNDER, n, 3, "has 10 rows and sampling_strategy asks 11");
    targets_fail("0:5", CLEAN, n, 3, "not supported by cleaning samplers");
    targets_fail("0,2", OVER, n, 3, "cleaning samplers only");
    targets_fail("0,2", UNDER, n, 3, "cleaning samplers only");
    targets_fail("5:3", OVER, n, 3, "class 5 of sampling_strategy is not present");
    /* 10 + 4 + (2^63 - 1): one class at LONG_MAX with the others' rows passes 2^63 - 1 */
    targets_fail("2:9223372036854775807", OVER, n, 3, "with class 2's 9223372036854775807");
    targets_are("2:9223372036854775793", OVER, n, 3, -1, -1, 9223372036854775793L);
    targets_fail("positive:3", UNDER, n, 3, "not resolved");
}
END_TEST

/* Binary 10 / 4. Over: int(10 r - 4) rows are added: r = 0.8 -> int(8 - 4) = 4 (target 8);
 * 0.75 -> int(3.5) = 3 (7); 0.4 -> int(0) = 0, refused (imblearn wants > 0). Under:
 * int(4 / r) rows kept: 0.5 -> 8; 0.41 -> int(9.756) = 9; 0.3 -> 13 > 10, refused. */
START_TEST(targets_for_ratios)
{
    const size_t n[2] = {10, 4};
    const size_t flipped[2] = {4, 10};
    const size_t three[3] = {10, 4, 7};
    targets_are("0.8", OVER, n, 2, -1, 8, 0);
    targets_are("0.75", OVER, n, 2, -1, 7, 0);
    targets_are("1", OVER, n, 2, -1, 10, 0);
    targets_are("0.5", UNDER, n, 2, 8, -1, 0);
    targets_are("0.41", UNDER, n, 2, 9, -1, 0);
    targets_are("1", UNDER, n, 2, 4, -1, 0);
    /* majority is class 1 here: int(10 * 0.5 - 4) = 1 added to class 0 */
    targets_are("0.5", OVER, flipped, 2, 5, -1, 0);
    targets_fail("0.4", OVER, n, 2, "would remove rows of class 1");
    targets_fail("0.3", UNDER, n, 2, "would add rows to class 0");
    /* int(4 / 1e-300) does not fit a long: refused, not converted (found by fuzz_params) */
    targets_fail("1e-300", UNDER, n, 2, "would add rows to class 0 (10 rows, asks 4e+300)");
    targets_fail("1e-300", OVER, n, 2, "would remove rows of class 1");
    targets_fail("0.5", CLEAN, n, 2, "cleaning sampler does not take a ratio");
    targets_fail("0.5", OVER, three, 3, "needs a binary target, got 3 classes");
}
END_TEST

START_TEST(targets_ties_and_absent_classes)
{
    const size_t tie_max[3] = {5, 5, 3};
    const size_t tie_min[3] = {3, 5, 3};
    const size_t absent[3] = {0, 6, 2};
    const size_t one[3] = {0, 5, 0};
    const size_t none[3] = {0, 0, 0};
    /* majority = the first class with the most rows (0); class 1 is raised to 5 = itself */
    targets_are("auto", OVER, tie_max, 3, -1, 5, 5);
    /* minority = the first class with the fewest rows (0) */
    targets_are("auto", UNDER, tie_min, 3, -1, 3, 3);
    targets_are("minority", OVER, tie_min, 3, 5, -1, -1);
    /* an absent class is not a class: minority is 2, majority 1 */
    targets_are("auto", OVER, absent, 3, -1, -1, 6);
    targets_are("all", UNDER, absent, 3, -1, 2, 2);
    targets_are("0.5", OVER, absent, 3, -1, -1, 3);  /* binary: 2 classes present */
    targets_fail("0:3", OVER, absent, 3, "class 0 of sampling_strategy is not present");
    targets_fail("auto", OVER, one, 3, "more than 1 class to resample, got 1");
    targets_fail("auto", UNDER, none, 3, "got 0");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resample");
    TCase *tc = tcase_create("resample");
    tcase_add_test(tc, registry_lists_each_technique_once);
    tcase_add_test(tc, every_default_parses);
    tcase_add_test(tc, edit_distance_is_levenshtein_ignoring_case);
    tcase_add_test(tc, suggestions_only_when_close);
    tcase_add_test(tc, closest_name_limit_is_max_of_2_and_a_third);
    tcase_add_test(tc, defaults_follow_imblearn);
    tcase_add_test(tc, given_values_are_parsed_by_type);
    tcase_add_test(tc, unknown_parameter_names_suggest_the_closest);
    tcase_add_test(tc, bad_values_are_refused_with_their_key);
    tcase_add_test(tc, strategy_keywords_and_ratios);
    tcase_add_test(tc, strategy_counts_by_name_or_index);
    tcase_add_test(tc, strategy_lists_for_cleaning);
    tcase_add_test(tc, targets_for_keywords_on_three_classes);
    tcase_add_test(tc, targets_for_counts_and_lists);
    tcase_add_test(tc, targets_for_ratios);
    tcase_add_test(tc, targets_ties_and_absent_classes);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
