/* The resolved spec: `imbal run` on a run's resolved.yaml or summary.json repeats it byte for
 * byte (runs.csv, summary.csv, summary.md), and resolving a resolved spec changes nothing.
 * Data paths are relative to the output directory; each technique reports the solver it ran.
 * The binary is $BIN (set by make check), else build/release/imbal. Outputs outside the
 * project go to a fresh mkdtemp directory per test (fixed /tmp names were shared by the test
 * runs of several worktrees at once). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "util.h"

static const char *bin(void)
{
    const char *b = getenv("BIN");
    return b != NULL && b[0] != '\0' ? b : "build/release/imbal";
}

static char tmp_root[64];

/* tmp_root/name, the directory made on first use (in the test's own process). */
static const char *tmp_path(const char *name)
{
    static char buf[4][512];
    static int k;
    if (tmp_root[0] == '\0') {
        snprintf(tmp_root, sizeof(tmp_root), "/tmp/imbal_resolved_XXXXXX");
        ck_assert_ptr_nonnull(mkdtemp(tmp_root));
    }
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof(buf[k]), "%s/%s", tmp_root, name);
    return buf[k];
}

static void remove_tmp_root(void)
{
    char cmd[128];
    if (tmp_root[0] != '\0') {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_root);
        ck_assert_int_eq(system(cmd), 0);
    }
}

/* Runs "$BIN run spec -o out -q --no-timings"; returns the exit status. */
static int run_spec(const char *spec, const char *out)
{
    char cmd[2048];
    int rc;
    snprintf(cmd, sizeof(cmd),
             "rm -rf %s && mkdir -p %s && %s run %s -o %s -q --no-timings -j 2 2> %s.err", out, out,
             bin(), spec, out, out);
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static void same_file(const char *a_dir, const char *b_dir, const char *name)
{
    char pa[1024];
    char pb[1024];
    char *a;
    char *b;
    snprintf(pa, sizeof(pa), "%s/%s", a_dir, name);
    snprintf(pb, sizeof(pb), "%s/%s", b_dir, name);
    a = slurp(pa);
    b = slurp(pb);
    ck_assert_msg(strcmp(a, b) == 0, "%s and %s differ", pa, pb);
    free(a);
    free(b);
}

/* Runs spec into <tmp>/a, then a's resolved.yaml into b and a's summary.json into c. */
static void round_trip(const char *spec, const char *tag)
{
    static const char *const reports[] = {"runs.csv", "summary.csv", "summary.md"};
    char a[512];
    char b[512];
    char c[512];
    char from[600];
    snprintf(a, sizeof(a), "%s/a", tmp_path(tag));
    snprintf(b, sizeof(b), "%s/b", tmp_path(tag));
    snprintf(c, sizeof(c), "%s/c", tmp_path(tag));
    ck_assert_int_eq(run_spec(spec, a), 0);
    snprintf(from, sizeof(from), "%s/resolved.yaml", a);
    ck_assert_int_eq(run_spec(from, b), 0);
    snprintf(from, sizeof(from), "%s/summary.json", a);
    ck_assert_int_eq(run_spec(from, c), 0);
    for (size_t i = 0; i < 3; i++) {
        same_file(a, b, reports[i]);
        same_file(a, c, reports[i]);
    }
    /* a fixed point: b and c sit as deep as a, so even the paths agree */
    same_file(a, b, "resolved.yaml");
    same_file(a, c, "resolved.yaml");
    same_file(a, b, "summary.json");
    same_file(a, c, "summary.json");
}

START_TEST(demo_round_trips) { round_trip("configs/demo.yaml", "demo"); }
END_TEST

START_TEST(abalone_round_trips) { round_trip("configs/abalone.yaml", "abalone"); }
END_TEST

START_TEST(compat_spec_round_trips) { round_trip("configs/abalone-published.yaml", "published"); }
END_TEST

START_TEST(keel_partitions_round_trip) { round_trip("configs/abalone-keel.yaml", "keel"); }
END_TEST

/* Names that are not UTF-8 (the target, a categorical column, the positive label) come from
 * the defaults; resolved.yaml and summary.json used to write them with U+FFFD, so the resolved
 * spec named a label and columns the file does not have and did not run. */
START_TEST(latin1_names_round_trip) { round_trip("tests/data/latin1.yaml", "latin1"); }
END_TEST

START_TEST(every_override_round_trips)
{
    /* categorical on a numeric column, a middle target, ';', classes by label, per-technique
     * compat, C, standardize, solver, threshold, expected */
    char *yaml;
    round_trip("tests/data/spec_roundtrip.yaml", "roundtrip");
    yaml = slurp(tmp_path("roundtrip/a/resolved.yaml"));
    ck_assert_ptr_nonnull(strstr(yaml, "  target: label\n  positive: \"yes\"\n"
                                       "  categorical: [grade]\n"));
    ck_assert_ptr_nonnull(strstr(yaml, "  params: {sampling_strategy: {\"yes\": 30}, "
                                       "k_neighbors: 3}\n"));
    ck_assert_ptr_nonnull(strstr(yaml, "  params: {sampling_strategy: [\"no\"]}\n"));
    free(yaml);
}
END_TEST

START_TEST(each_technique_reports_its_solver)
{
    /* compat: sklearn on one technique of a spec without it runs lbfgs there, exact elsewhere */
    char *json;
    ck_assert_int_eq(run_spec("tests/data/spec_roundtrip.yaml", tmp_path("solver")), 0);
    json = slurp(tmp_path("solver/summary.json"));
    /* the spec's own classifier keeps solver auto; each technique records what it ran */
    ck_assert_ptr_nonnull(strstr(json, "\"classifier\": {\"type\": \"logistic_regression\", "
                                       "\"class_weight\": {\"yes\": 4}, \"C\": 0.5, "
                                       "\"standardize\": false, \"solver\": \"auto\", "
                                       "\"tol\": \"auto\", \"max_iter\": \"auto\"}"));
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"original\", \"sampler\": \"none\", "
                                       "\"params\": {}, \"classifier\": {\"type\": "
                                       "\"logistic_regression\", \"class_weight\": {\"yes\": 4}, "
                                       "\"C\": 0.5, \"standardize\": false, \"solver\": "
                                       "\"exact\", \"tol\": \"auto\", \"max_iter\": \"auto\"}, "
                                       "\"compat\": \"none\""));
    ck_assert_ptr_nonnull(strstr(json, "{\"name\": \"compat_one\", \"sampler\": \"none\", "
                                       "\"params\": {}, \"classifier\": {\"type\": "
                                       "\"logistic_regression\", \"class_weight\": {\"yes\": 4}, "
                                       "\"C\": 0.5, \"standardize\": false, \"solver\": "
                                       "\"lbfgs\", \"tol\": \"auto\", \"max_iter\": \"auto\"}, "
                                       "\"compat\": \"sklearn\""));
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"shrunk\", \"sampler\": \"random_over\", "
                                       "\"params\": {\"sampling_strategy\": \"auto\", "
                                       "\"shrinkage\": 0.25}, \"classifier\": {\"type\": "
                                       "\"logistic_regression\", \"class_weight\": {\"yes\": 4}, "
                                       "\"C\": 2, \"standardize\": true,"));
    ck_assert_ptr_nonnull(strstr(json, "\"name\": \"lbfgs_given\", \"sampler\": \"none\", "
                                       "\"params\": {}, \"classifier\": {\"type\": "
                                       "\"logistic_regression\", \"class_weight\": "
                                       "\"balanced\", \"C\": 0.5, \"standardize\": false, "
                                       "\"solver\": \"lbfgs\","));
    free(json);
}
END_TEST

START_TEST(paths_are_relative_to_the_output_directory)
{
    /* inside the project the output directory and the data share the project's directory:
     * build/<fresh directory>/good (util.h: test_mkdtemp; a fixed build/test_resolved was
     * shared by make check and make asan running at once), three levels down */
    char *yaml;
    const char *top = test_mkdtemp("build");
    char good[512];
    char moved[512];
    char spec[600];
    char cmd[4096];
    snprintf(good, sizeof(good), "%s/good", top);
    snprintf(moved, sizeof(moved), "%s/moved", top);
    snprintf(spec, sizeof(spec), "%s/resolved.yaml", good);
    ck_assert_int_eq(run_spec("tests/data/spec_good.yaml", good), 0);
    yaml = slurp(spec);
    ck_assert_ptr_nonnull(strstr(yaml, "\n  path: ../../../datasets/abalone19.csv\n"));
    ck_assert_ptr_nonnull(strstr(yaml, "\n  split_file: ../../../datasets/abalone19_split.csv\n"));
    free(yaml);
    /* so the results directory can move with the project, or to a place as deep */
    snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s && cp %s %s/", moved, moved, spec, moved);
    ck_assert_int_eq(system(cmd), 0);
    snprintf(spec, sizeof(spec), "%s/resolved.yaml", moved);
    ck_assert_int_eq(run_spec(spec, tmp_path("mv")), 0);
    same_file(good, tmp_path("mv"), "runs.csv");
}
END_TEST

START_TEST(only_a_summary_is_unwrapped)
{
    /* a spec with a 'spec' key but no imbal_version is a spec with an unknown key */
    char *err;
    FILE *f = fopen(tmp_path("notsummary.yaml"), "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "spec: {techniques: [{sampler: none}]}\ntechniques: [{sampler: none}]\n");
    fclose(f);
    ck_assert_int_eq(run_spec(tmp_path("notsummary.yaml"), tmp_path("ns")), 2);
    err = slurp(tmp_path("ns.err"));
    ck_assert_ptr_nonnull(strstr(err, "1:1: error: unknown key 'spec' in the spec"));
    free(err);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("resolved");
    TCase *tc = tcase_create("round trips");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, NULL, remove_tmp_root);
    tcase_add_test(tc, demo_round_trips);
    tcase_add_test(tc, abalone_round_trips);
    tcase_add_test(tc, compat_spec_round_trips);
    tcase_add_test(tc, keel_partitions_round_trip);
    tcase_add_test(tc, latin1_names_round_trip);
    tcase_add_test(tc, every_override_round_trips);
    tcase_add_test(tc, each_technique_reports_its_solver);
    tcase_add_test(tc, paths_are_relative_to_the_output_directory);
    tcase_add_test(tc, only_a_summary_is_unwrapped);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
