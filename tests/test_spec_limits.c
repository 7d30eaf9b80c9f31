/* The spec's YAML under attack (issue 11): repeated keys, which crashed the loader, are errors
 * naming both lines; nesting, strings, lists, nodes (aliases expanded) and listed problems
 * have limits (spec.h), each refused with its line; and every check is linear, so a spec of
 * 10,000 techniques or 2,000 aliases loads at once (timings are in bench/spec.sh, not here). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
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

/* Loads text as tests/data/gen.yaml; returns the status, *out the spec or NULL. */
static imbal_status load_text(const char *text, imbal_spec **out, imbal_error_list *errs)
{
    imbal_spec *sentinel = (imbal_spec *)errs;
    imbal_status st;
    *out = sentinel;
    st = imbal_spec_load_buffer("tests/data/gen.yaml", text, strlen(text), out, errs);
    ck_assert(*out != sentinel);
    ck_assert_int_eq(st == IMBAL_OK, *out != NULL);
    return st;
}

/* A growing text buffer for generated specs. */
typedef struct {
    char *s;
    size_t n, cap;
} text_buf;

static void put(text_buf *b, const char *s)
{
    size_t len = strlen(s);
    if (b->n + len + 1 > b->cap) {
        b->cap = 2 * (b->n + len + 1);
        b->s = realloc(b->s, b->cap);
        ck_assert_ptr_nonnull(b->s);
    }
    memcpy(b->s + b->n, s, len + 1);
    b->n += len;
}

/* Asserts the load fails with st and exactly one error at line:column containing frag. */
static void refused_once(const char *text, imbal_status st, long line, long column,
                         const char *frag)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(load_text(text, &spec, &errs), st);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_msg(strstr(errs.items[0].msg, frag) != NULL, "'%s' not in '%s'", frag,
                  errs.items[0].msg);
    ck_assert_int_eq(errs.items[0].line, line);
    ck_assert_int_eq(errs.items[0].column, column);
    ck_assert_str_eq(errs.items[0].file, "tests/data/gen.yaml");
    imbal_error_list_free(&errs);
}

START_TEST(params_twice_is_a_duplicate_key)
{
    /* crashed (a write past the first params array) before the loader saw repeated keys */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_dup_params.yaml", &spec, &errs),
                     IMBAL_EPARSE);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].msg, "duplicate key 'params' (first at line 3)");
    ck_assert_str_eq(errs.items[0].key, "params");
    ck_assert_int_eq(errs.items[0].line, 3);
    ck_assert_int_eq(errs.items[0].column, 54); /* 4 + "{sampler: random_over, " (23) + ... */
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(categorical_twice_is_a_duplicate_key)
{
    /* read and freed wild pointers before */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_dup_categorical.yaml", &spec, &errs),
                     IMBAL_EPARSE);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].msg, "duplicate key 'categorical' (first at line 5)");
    ck_assert_int_eq(errs.items[0].line, 6);
    ck_assert_int_eq(errs.items[0].column, 5);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(every_repeated_key_is_reported_with_both_lines)
{
    /* seed and datasets twice were silently accepted (the last one winning) */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    long i;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_dup_keys.yaml", &spec, &errs), IMBAL_EPARSE);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 3);
    i = find_error(&errs, "duplicate key 'folds' (first at line 6)");
    ck_assert_int_eq(i, 0);
    ck_assert_int_eq(errs.items[i].line, 7);
    ck_assert_int_eq(errs.items[i].column, 3);
    i = find_error(&errs, "duplicate key 'seed' (first at line 2)");
    ck_assert_int_eq(i, 1);
    ck_assert_int_eq(errs.items[i].line, 8);
    ck_assert_int_eq(errs.items[i].column, 1);
    i = find_error(&errs, "duplicate key 'datasets' (first at line 3)");
    ck_assert_int_eq(i, 2);
    ck_assert_int_eq(errs.items[i].line, 9);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(same_key_in_different_mappings_is_fine)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(load_text("seed: 3\ndatasets:\n  - {format: synthetic, seed: 5}\n"
                               "techniques:\n  - {name: a, sampler: none}\n"
                               "  - {name: b, sampler: none}\n",
                               &spec, &errs),
                     IMBAL_OK);
    ck_assert_uint_eq(spec->seed, 3);
    ck_assert_uint_eq(spec->datasets[0].synth.seed, 5);
    ck_assert_uint_eq(spec->n_techniques, 2);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(duplicate_names_name_the_first_use)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(load_text("datasets:\n  - {format: synthetic, name: s}\n"
                               "  - {format: synthetic, name: s}\n"
                               "techniques:\n  - {name: a, sampler: none}\n"
                               "  - {name: b, sampler: none}\n  - {name: a, sampler: smote}\n",
                               &spec, &errs),
                     IMBAL_EINVAL);
    ck_assert_uint_eq(errs.n, 2);
    ck_assert_str_eq(errs.items[0].msg, "dataset name 's' is used twice (first at line 2)");
    ck_assert_int_eq(errs.items[0].line, 3);
    ck_assert_ptr_nonnull(strstr(errs.items[1].msg, "technique name 'a' is used twice (first "
                                                    "at line 5;"));
    ck_assert_int_eq(errs.items[1].line, 7);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(aliases_share_nodes)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_aliases.yaml", &spec, &errs), IMBAL_OK);
    ck_assert_uint_eq(spec->n_techniques, 2);
    ck_assert_str_eq(spec->techniques[1].sampler, "smote_tomek");
    ck_assert_uint_eq(spec->techniques[1].n_params, 1);
    ck_assert_str_eq(spec->techniques[1].params[0].name, "k_neighbors");
    ck_assert_str_eq(spec->techniques[1].params[0].value, "3");
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(bad_aliases_and_documents_are_refused)
{
    refused_once("techniques:\n  - *nowhere\n", IMBAL_EPARSE, 2, 5, "unknown alias '*nowhere'");
    refused_once("techniques: &t\n  - *t\n", IMBAL_EPARSE, 2, 5,
                 "alias '*t' refers to a node that contains it");
    refused_once("techniques:\n  - {sampler: none}\n---\ntechniques: []\n", IMBAL_EPARSE, 3, 1,
                 "a spec is one YAML document; a second one starts here");
}
END_TEST

START_TEST(nul_in_a_value_is_refused)
{
    /* "a\0b" would read as "a" where names are compared, hiding a duplicate */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_nul.yaml", &spec, &errs), IMBAL_EPARSE);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].msg, "a value holds a NUL character");
    ck_assert_int_eq(errs.items[0].line, 2);
    ck_assert_int_eq(errs.items[0].column, 12);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(first_problem_gives_the_status)
{
    /* found by fuzz_spec: a duplicate key (EPARSE) before a value past the length limit
     * (EINVAL) returned EINVAL, not the first error's status */
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    ck_assert_int_eq(imbal_spec_load("tests/data/spec_fuzz_status_order.yaml", &spec, &errs),
                     IMBAL_EPARSE);
    ck_assert_uint_eq(errs.n, 2);
    ck_assert_str_eq(errs.items[0].msg, "duplicate key 'evaluation' (first at line 2)");
    ck_assert_int_eq(errs.items[1].status, IMBAL_EINVAL);
    ck_assert_str_eq(errs.items[1].msg, "a value of 4806 bytes (at most 4096 are allowed)");
    ck_assert_int_eq(errs.items[1].line, 17);
    imbal_error_list_free(&errs);
}
END_TEST

START_TEST(nesting_is_limited)
{
    /* 20,000 levels took seconds in libyaml's loader; refused at level 33 now */
    text_buf b = {NULL, 0, 0};
    put(&b, "techniques: ");
    for (int i = 0; i < 20000; i++) {
        put(&b, "[");
    }
    for (int i = 0; i < 20000; i++) {
        put(&b, "]");
    }
    /* the root mapping is level 1, techniques' list 2: the 32nd '[' opens level 33 */
    refused_once(b.s, IMBAL_EINVAL, 1, 13 + 31, "the spec nests deeper than 32 levels");
    free(b.s);
    b.s = NULL;
    b.n = b.cap = 0;
    put(&b, "techniques:\n  - {sampler: none, params: ");
    for (int i = 0; i < IMBAL_SPEC_MAX_DEPTH - 3; i++) {
        put(&b, "{a: ");
    }
    put(&b, "1");
    for (int i = 0; i < IMBAL_SPEC_MAX_DEPTH - 3; i++) {
        put(&b, "}");
    }
    put(&b, "}\n");
    /* 32 levels exactly are read: the technique then refuses its parameter */
    refused_once(b.s, IMBAL_EPARSE, 2, 34, "parameter 'a': a mapping of class: count expected");
    free(b.s);
}
END_TEST

START_TEST(strings_are_limited)
{
    text_buf b = {NULL, 0, 0};
    char *name = malloc(IMBAL_SPEC_MAX_STRING + 2);
    ck_assert_ptr_nonnull(name);
    memset(name, 'n', IMBAL_SPEC_MAX_STRING + 1);
    name[IMBAL_SPEC_MAX_STRING + 1] = '\0';
    put(&b, "techniques:\n  - name: ");
    put(&b, name);
    put(&b, "\n");
    refused_once(b.s, IMBAL_EINVAL, 2, 11, "a value of 4097 bytes (at most 4096 are allowed)");
    free(b.s);
    free(name);
}
END_TEST

START_TEST(lists_are_limited)
{
    text_buf b = {NULL, 0, 0};
    put(&b, "datasets: [");
    for (int i = 0; i <= IMBAL_SPEC_MAX_ITEMS; i++) {
        put(&b, "1,");
    }
    put(&b, "1]\n");
    /* item 100,001 starts at column 12 + 2 * 100,000 */
    refused_once(b.s, IMBAL_EINVAL, 1, 12 + 2 * IMBAL_SPEC_MAX_ITEMS,
                 "a list has more than 100000 items");
    free(b.s);
}
END_TEST

START_TEST(aliases_count_as_what_they_repeat)
{
    /* a billion laughs: 9 levels of 10 aliases each stand for 10^9 nodes in 300 bytes */
    text_buf b = {NULL, 0, 0};
    char line[128];
    put(&b, "techniques:\n  - &l0 {name: x, sampler: none}\n");
    for (int i = 1; i <= 9; i++) {
        snprintf(line, sizeof(line),
                 "  - &l%d [*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d,*l%d]\n", i, i - 1, i - 1,
                 i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
        put(&b, line);
    }
    /* l0 is 5 nodes, l1 = 1 + 10 * 5 = 51, ..., l5 = 511,111: past 500,000 on its line, 7 */
    {
        imbal_error_list errs = {NULL, 0, 0};
        imbal_spec *spec = NULL;
        ck_assert_int_eq(load_text(b.s, &spec, &errs), IMBAL_EINVAL);
        ck_assert_uint_eq(errs.n, 1);
        ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "the spec has more than 500000 nodes"));
        ck_assert_int_eq(errs.items[0].line, 7);
        imbal_error_list_free(&errs);
    }
    free(b.s);
}
END_TEST

START_TEST(problems_listed_are_limited)
{
    /* the 8 KB of aliases to one technique: 2000 duplicate names made ~2 million
     * errors (1.2 GB, 21 s); each repeat is one error now, and 100 are listed */
    text_buf b = {NULL, 0, 0};
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    put(&b, "techniques:\n  - &a {name: x, sampler: none}\n");
    for (int i = 1; i < 2000; i++) {
        put(&b, "  - *a\n");
    }
    ck_assert_int_eq(load_text(b.s, &spec, &errs), IMBAL_EINVAL);
    ck_assert_uint_eq(errs.n, IMBAL_SPEC_MAX_ERRORS + 1);
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "technique name 'x' is used twice"));
    ck_assert_str_eq(errs.items[IMBAL_SPEC_MAX_ERRORS].msg,
                     "too many problems: only the first 100 are listed");
    imbal_error_list_free(&errs);
    free(b.s);
}
END_TEST

START_TEST(ten_thousand_techniques_load)
{
    /* linear by construction (hashed names and keys, no rescans); bench/spec.sh times this
     * against 20,000 */
    text_buf b = {NULL, 0, 0};
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    char line[128];
    put(&b, "datasets:\n  - {format: synthetic}\ntechniques:\n");
    for (int i = 0; i < 10000; i++) {
        snprintf(line, sizeof(line), "  - {name: t%d, sampler: %s, params: {k_neighbors: %d}}\n", i,
                 i % 2 ? "smote" : "smote_tomek", 1 + i % 7);
        put(&b, line);
    }
    ck_assert_int_eq(load_text(b.s, &spec, &errs), IMBAL_OK);
    ck_assert_uint_eq(spec->n_techniques, 10000);
    ck_assert_str_eq(spec->techniques[9999].name, "t9999");
    ck_assert_str_eq(spec->techniques[9999].sampler, "smote");
    ck_assert_str_eq(spec->techniques[9999].params[0].value, "4"); /* 1 + 9999 % 7 */
    ck_assert_int_eq(spec->techniques[9999].line, 10003);
    imbal_spec_free(spec);
    imbal_error_list_free(&errs);
    free(b.s);
}
END_TEST

START_TEST(oversized_buffer_is_refused)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    size_t n = (size_t)IMBAL_SPEC_MAX_BYTES + 1;
    char *text = malloc(n);
    ck_assert_ptr_nonnull(text);
    memset(text, '#', n);
    ck_assert_int_eq(imbal_spec_load_buffer("big.yaml", text, n, &spec, &errs), IMBAL_EINVAL);
    ck_assert_ptr_null(spec);
    ck_assert_uint_eq(errs.n, 1);
    ck_assert_str_eq(errs.items[0].msg, "the spec is larger than 4194304 bytes");
    imbal_error_list_free(&errs);
    free(text);
}
END_TEST

/* Fails the 1st, 2nd, ... allocation of loading text until the load gets through: each
 * failure must give IMBAL_ENOMEM and no spec (and leak nothing: make asan); then the load
 * must give want, as without the failures. */
static void load_under_oom(const char *text, imbal_status want)
{
    imbal_status st = IMBAL_ENOMEM;
    long fail_at;
    for (fail_at = 1; st == IMBAL_ENOMEM; fail_at++) {
        imbal_error_list errs = {NULL, 0, 0};
        imbal_spec *spec = (imbal_spec *)&errs;
        imbal_alloc_fail_after(fail_at);
        st = imbal_spec_load_buffer("tests/data/gen.yaml", text, strlen(text), &spec, &errs);
        imbal_alloc_fail_after(0);
        ck_assert_msg(st == IMBAL_ENOMEM || st == want, "allocation %ld: status %d", fail_at,
                      (int)st);
        ck_assert_int_eq(st == IMBAL_OK, spec != NULL);
        imbal_spec_free(spec);
        imbal_error_list_free(&errs);
    }
    ck_assert_int_gt(fail_at, 3); /* the walk did fail some allocations */
}

START_TEST(out_of_memory_anywhere_is_clean)
{
    text_buf b = {NULL, 0, 0};
    char line[96];
    put(&b, "seed: 4\nseed: 5\ntechniques:\n");
    for (int i = 0; i < 120; i++) { /* enough keys and names to grow the hash sets */
        snprintf(line, sizeof(line),
                 "  - &t%d {name: t%d, sampler: smote, params: {k_neighbors: 2}}\n", i, i);
        put(&b, line);
    }
    put(&b, "  - *t3\n");
    load_under_oom(b.s, IMBAL_EPARSE); /* the duplicate seed, then the duplicate name t3 */
    load_under_oom(b.s + strlen("seed: 4\n"), IMBAL_EINVAL); /* only the name t3 */
    free(b.s);
    /* the error list's own allocation is the last one: losing the problem must not pass */
    load_under_oom("name: x\ndatasets: [{format: synthetic}]\ntechniques: [{sampler: none}]\n"
                   "zzz: 1\n",
                   IMBAL_EINVAL);
    load_under_oom("techniques:\n  - {name: a, sampler: smote, params: &p {k_neighbors: 3}}\n"
                   "  - {name: b, sampler: smote_tomek, params: *p}\n",
                   IMBAL_OK);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("spec_limits");
    TCase *tc = tcase_create("limits");
    tcase_set_timeout(tc, 60); /* generous for the sanitizer build; linear work takes ms */
    tcase_add_test(tc, params_twice_is_a_duplicate_key);
    tcase_add_test(tc, categorical_twice_is_a_duplicate_key);
    tcase_add_test(tc, every_repeated_key_is_reported_with_both_lines);
    tcase_add_test(tc, same_key_in_different_mappings_is_fine);
    tcase_add_test(tc, duplicate_names_name_the_first_use);
    tcase_add_test(tc, aliases_share_nodes);
    tcase_add_test(tc, bad_aliases_and_documents_are_refused);
    tcase_add_test(tc, nul_in_a_value_is_refused);
    tcase_add_test(tc, first_problem_gives_the_status);
    tcase_add_test(tc, nesting_is_limited);
    tcase_add_test(tc, strings_are_limited);
    tcase_add_test(tc, lists_are_limited);
    tcase_add_test(tc, aliases_count_as_what_they_repeat);
    tcase_add_test(tc, problems_listed_are_limited);
    tcase_add_test(tc, ten_thousand_techniques_load);
    tcase_add_test(tc, oversized_buffer_is_refused);
    tcase_add_test(tc, out_of_memory_anywhere_is_clean);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
