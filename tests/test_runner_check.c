/* Fail early, fail per run (issue 11). A spec with a run that cannot run is refused by
 * validate and by run before any run (imbal_experiment_check: the counts come from the drawn
 * splits; the expected infeasible folds are found here by counting the folds' labels
 * independently); a run that fails at run time is recorded with its error while every other
 * run's result is kept and written (runs.csv status/message, summary n_failed, JSON null,
 * exit 1). The fixtures are tests/data/check_*.yaml. */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
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

static imbal_experiment *prepare(const imbal_spec *spec)
{
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    return ex;
}

static void count_progress(size_t done, size_t total, void *ctx)
{
    (void)done;
    (void)total;
    (*(size_t *)ctx)++;
}

/* Positives among the test rows of fold f of dataset 0, counted here. */
static size_t test_positives(const imbal_experiment *ex, size_t f)
{
    const imbal_fold *fold = &ex->splits[0]->folds[f];
    size_t pos = 0;
    for (size_t i = 0; i < fold->n_test; i++) {
        pos += ex->data[0]->y[fold->test[i]] == 1;
    }
    return pos;
}

/* imbal_experiment_run on an infeasible experiment: refused, and not one run started. */
static void assert_run_refused(imbal_experiment *ex)
{
    size_t calls = 0;
    imbal_run_options opt = {2, 0, count_progress, &calls, NULL, NULL};
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_experiment_run(ex, &opt, &err), IMBAL_EINVAL);
    ck_assert_uint_eq(calls, 0);
    ck_assert_uint_eq(ex->n_failed, 0);
    ck_assert_ptr_null(ex->runs); /* not even the results' slots were made */
}

START_TEST(k_neighbors_beyond_a_fold_is_refused_before_any_run)
{
    /* check_six.csv: 6 positives in 5 stratified folds; the fold whose test part holds 2 of
     * them trains on 4, fewer than k_neighbors + 1 = 5: that run, and only it, is infeasible */
    imbal_spec *spec = load("tests/data/check_k_neighbors.yaml");
    imbal_experiment *ex = prepare(spec);
    imbal_error_list errs = {NULL, 0, 0};
    imbal_error err;
    size_t bad = 99;
    size_t fold2 = SIZE_MAX;
    char want[64];
    imbal_error_clear(&err);
    for (size_t f = 0; f < ex->splits[0]->n_folds; f++) {
        size_t p = test_positives(ex, f);
        ck_assert(p == 1 || p == 2);
        if (p == 2) {
            ck_assert_uint_eq(fold2, SIZE_MAX);
            fold2 = f;
        }
    }
    ck_assert_uint_ne(fold2, SIZE_MAX);
    ck_assert_int_eq(imbal_experiment_check(ex, &errs, &bad, &err), IMBAL_EINVAL);
    ck_assert_uint_eq(bad, 1);
    ck_assert_uint_eq(errs.n, 1);
    snprintf(want, sizeof(want), "technique 'smote4', repeat 1, fold %zu:", fold2 + 1);
    ck_assert_msg(strstr(errs.items[0].msg, want) != NULL, "%s", errs.items[0].msg);
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "k_neighbors = 4 needs at least 5 rows"));
    ck_assert_ptr_nonnull(strstr(errs.items[0].msg, "which has 4"));
    ck_assert_str_eq(errs.items[0].key, "techniques[1].params.k_neighbors");
    ck_assert_int_eq(errs.items[0].line, 13); /* the line of k_neighbors: 4 */
    ck_assert_str_eq(errs.items[0].file, "tests/data/check_k_neighbors.yaml");
    ck_assert_str_eq(err.msg, errs.items[0].msg);
    assert_run_refused(ex);
    imbal_error_list_free(&errs);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(ten_folds_on_a_class_of_three_are_refused)
{
    /* 3 positives over 10 stratified folds: 7 test folds without one, each refused */
    imbal_spec *spec = load("tests/data/check_folds.yaml");
    imbal_experiment *ex = prepare(spec);
    imbal_error_list errs = {NULL, 0, 0};
    size_t bad = 0;
    size_t listed = 0;
    ck_assert_int_eq(imbal_experiment_check(ex, &errs, &bad, NULL), IMBAL_EINVAL);
    ck_assert_uint_eq(bad, 7);
    ck_assert_uint_eq(errs.n, 7);
    for (size_t f = 0; f < 10; f++) {
        char want[64];
        if (test_positives(ex, f) > 0) {
            continue;
        }
        snprintf(want, sizeof(want), "repeat 1, fold %zu: the test fold has", f + 1);
        ck_assert_msg(strstr(errs.items[listed].msg, want) != NULL, "%s", errs.items[listed].msg);
        ck_assert_ptr_nonnull(strstr(errs.items[listed].msg, "0 positive rows"));
        listed++;
    }
    ck_assert_uint_eq(listed, 7);
    assert_run_refused(ex);
    imbal_error_list_free(&errs);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(a_ratio_in_the_wrong_direction_is_refused)
{
    /* training folds hold 4 or 5 positives to 28 or 27 negatives: 0.1 is below every ratio */
    imbal_spec *spec = load("tests/data/check_ratio.yaml");
    imbal_experiment *ex = prepare(spec);
    imbal_error_list errs = {NULL, 0, 0};
    size_t bad = 0;
    ck_assert_int_eq(imbal_experiment_check(ex, &errs, &bad, NULL), IMBAL_EINVAL);
    ck_assert_uint_eq(bad, 5);
    for (size_t i = 0; i < errs.n; i++) {
        ck_assert_ptr_nonnull(strstr(errs.items[i].msg, "sampling_strategy 0.1 would remove"));
        ck_assert_str_eq(errs.items[i].key, "techniques[0].params.sampling_strategy");
    }
    assert_run_refused(ex);
    imbal_error_list_free(&errs);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(a_feasible_spec_passes_the_check)
{
    imbal_spec *spec = load("tests/data/golden.yaml");
    imbal_experiment *ex = prepare(spec);
    imbal_error_list errs = {NULL, 0, 0};
    size_t bad = 99;
    ck_assert_int_eq(imbal_experiment_check(ex, &errs, &bad, NULL), IMBAL_OK);
    ck_assert_uint_eq(bad, 0);
    ck_assert_uint_eq(errs.n, 0);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

/* ---- the command line ---- */

static char tmp_dir[64];

static void make_tmp(void)
{
    strcpy(tmp_dir, "/tmp/imbal_check_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
}

static void remove_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
}

static const char *tmp_path(const char *name)
{
    static char buf[4][256];
    static int next;
    char *p = buf[next++ % 4];
    snprintf(p, 256, "%s/%s", tmp_dir, name);
    return p;
}

/* "$BIN args" with stdout and stderr to tmp_dir/out and tmp_dir/err; the exit status. */
static int cli(const char *args)
{
    const char *b = getenv("BIN");
    char cmd[2048];
    int rc;
    snprintf(cmd, sizeof(cmd), "%s %s > %s/out 2> %s/err",
             b != NULL && b[0] != '\0' ? b : "build/release/imbal", args, tmp_dir, tmp_dir);
    rc = system(cmd);
    ck_assert_int_ne(rc, -1);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

START_TEST(validate_and_run_refuse_an_infeasible_spec_with_exit_2)
{
    char args[512];
    char *err;
    struct stat sb;
    make_tmp();
    ck_assert_int_eq(cli("validate tests/data/check_k_neighbors.yaml"), 2);
    err = slurp(tmp_path("err"));
    ck_assert_msg(strstr(err, "tests/data/check_k_neighbors.yaml:13:") != NULL, "%s", err);
    ck_assert_ptr_nonnull(strstr(err, "technique 'smote4', repeat 1, fold "));
    ck_assert_ptr_nonnull(strstr(err, "(techniques[1].params.k_neighbors)"));
    ck_assert_ptr_nonnull(strstr(err, "1 of 10 runs cannot run"));
    free(err);
    err = slurp(tmp_path("out"));
    ck_assert_ptr_null(strstr(err, "ok"));
    free(err);
    snprintf(args, sizeof(args), "run tests/data/check_folds.yaml -q -o %s", tmp_path("res"));
    ck_assert_int_eq(cli(args), 2);
    err = slurp(tmp_path("err"));
    ck_assert_ptr_nonnull(strstr(err, "7 of 10 runs cannot run"));
    ck_assert_ptr_nonnull(strstr(err, "nothing was run"));
    free(err);
    ck_assert_int_ne(stat(tmp_path("res"), &sb), 0); /* no report, not even the directory */
    remove_tmp();
}
END_TEST

/* ---- failures at run time ---- */

/* The lines of text, as an array of n copies. */
static char **lines(const char *text, size_t *n)
{
    char **out = NULL;
    size_t m = 0;
    const char *p = text;
    while (*p != '\0') {
        const char *e = strchr(p, '\n');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        out = realloc(out, (m + 1) * sizeof(*out));
        ck_assert_ptr_nonnull(out);
        out[m] = strndup(p, len);
        m++;
        p += len + (e != NULL);
    }
    *n = m;
    return out;
}

static void lines_free(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(l[i]);
    }
    free(l);
}

START_TEST(runs_that_fail_at_run_time_are_recorded_and_the_others_written)
{
    imbal_spec *spec = load("tests/data/check_runtime.yaml");
    imbal_experiment *ex = prepare(spec);
    imbal_run_options opt = {2, 0, NULL, NULL, NULL, NULL};
    imbal_report_options rep = {0, 0};
    imbal_error err;
    size_t failed[4] = {0, 0, 0, 0};
    csv_doc *runs;
    csv_doc *summary;
    char *text;
    json_t *js;
    json_error_t jerr;
    make_tmp();
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_experiment_check(ex, NULL, NULL, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_experiment_run(ex, &opt, &err), IMBAL_OK);
    for (size_t r = 0; r < ex->n_runs; r++) {
        failed[ex->runs[r].technique] += ex->runs[r].status != IMBAL_OK;
    }
    /* the fixture's premise: original and ros never fail, rus4_leaky on the one fold whose
     * test part holds no negative (4 negatives over 5 folds), ros_huge always */
    ck_assert_uint_eq(failed[0], 0);
    ck_assert_uint_eq(failed[1], 0);
    ck_assert_uint_eq(failed[2], 1);
    ck_assert_uint_eq(failed[3], 5);
    ck_assert_uint_eq(ex->n_failed, 6);
    ck_assert_int_eq(err.status, IMBAL_EINVAL); /* the first failed run, located */
    ck_assert_msg(strstr(err.msg, "technique 'rus4_leaky', repeat 1, fold ") != NULL, "%s",
                  err.msg);
    ck_assert_ptr_nonnull(strstr(err.msg, "metric needs both classes"));
    ck_assert_int_eq(imbal_report_write(ex, tmp_dir, &rep, &err), IMBAL_OK);

    text = slurp(tmp_path("runs.csv"));
    runs = csv_parse(text);
    free(text);
    ck_assert_uint_eq(runs->n_rows, 21);
    {
        size_t c_status = csv_col(runs, "status");
        size_t c_msg = csv_col(runs, "message");
        size_t c_auc = csv_col(runs, "auc");
        ck_assert_uint_eq(c_msg, runs->n_fields[0] - 1);
        ck_assert_uint_eq(c_status, c_msg - 1);
        for (size_t r = 0; r < ex->n_runs; r++) {
            char **f = runs->field[r + 1];
            const imbal_run_result *rr = &ex->runs[r];
            ck_assert_uint_eq(runs->n_fields[r + 1], runs->n_fields[0]);
            if (rr->status == IMBAL_OK) {
                ck_assert_str_eq(f[c_status], "ok");
                ck_assert_str_eq(f[c_msg], "");
                ck_assert_double_eq(strtod(f[c_auc], NULL), rr->metrics.roc_auc);
            } else {
                ck_assert_str_eq(f[c_status], "error");
                ck_assert_str_eq(f[c_msg], rr->message);
                ck_assert_ptr_nonnull(strstr(f[c_msg], rr->technique == 2
                                                           ? "metric needs both classes"
                                                           : "out of memory allocating"));
                for (size_t k = 5; k < c_status; k++) {
                    ck_assert_str_eq(f[k], ""); /* no number of a failed run */
                }
            }
        }
    }
    text = slurp(tmp_path("summary.csv"));
    summary = csv_parse(text);
    free(text);
    {
        size_t c_runs = csv_col(summary, "n_runs");
        size_t c_failed = csv_col(summary, "n_failed");
        size_t c_auc = csv_col(summary, "auc_mean");
        ck_assert_uint_eq(c_failed, c_runs + 1);
        for (size_t t = 0; t < 4; t++) {
            double sum = 0.0;
            size_t n_ok = 0;
            ck_assert_str_eq(summary->field[t + 1][c_runs], "5");
            ck_assert_uint_eq(strtoul(summary->field[t + 1][c_failed], NULL, 10), failed[t]);
            /* the mean is over the runs that succeeded, in run order */
            for (size_t r = 0; r < ex->n_runs; r++) {
                if (ex->runs[r].technique == t && ex->runs[r].status == IMBAL_OK) {
                    sum += ex->runs[r].metrics.roc_auc;
                    n_ok++;
                }
            }
            if (n_ok == 0) {
                ck_assert_str_eq(summary->field[t + 1][c_auc], "");
                ck_assert_str_eq(summary->field[t + 1][c_auc + 1], "");
            } else {
                double mean = sum / (double)n_ok;
                double ss = 0.0;
                for (size_t r = 0; r < ex->n_runs; r++) {
                    if (ex->runs[r].technique == t && ex->runs[r].status == IMBAL_OK) {
                        ss += (ex->runs[r].metrics.roc_auc - mean) *
                              (ex->runs[r].metrics.roc_auc - mean);
                    }
                }
                ck_assert_double_eq(strtod(summary->field[t + 1][c_auc], NULL), mean);
                ck_assert_double_eq(strtod(summary->field[t + 1][c_auc + 1], NULL),
                                    n_ok > 1 ? sqrt(ss / (double)(n_ok - 1)) : 0.0);
            }
        }
    }
    js = json_load_file(tmp_path("summary.json"), 0, &jerr);
    ck_assert_msg(js != NULL, "%s", jerr.text);
    {
        json_t *rows = json_object_get(js, "summary");
        for (size_t t = 0; t < 4; t++) {
            json_t *row = json_array_get(rows, t);
            json_t *auc = json_object_get(json_object_get(row, "metrics"), "auc");
            ck_assert_int_eq(json_integer_value(json_object_get(row, "n_failed")),
                             (json_int_t)failed[t]);
            ck_assert_int_eq(json_integer_value(json_object_get(row, "n_runs")), 5);
            ck_assert_int_eq(json_is_null(json_object_get(auc, "mean")), failed[t] == 5);
            ck_assert_int_eq(json_is_null(json_object_get(row, "confusion")), failed[t] == 5);
        }
    }
    json_decref(js);
    text = slurp(tmp_path("summary.md"));
    ck_assert_ptr_nonnull(strstr(text, "6 of 20 runs FAILED"));
    ck_assert_ptr_nonnull(strstr(text, "| ros_huge ⚠ FAILED (all 5 runs) | — |"));
    ck_assert_ptr_nonnull(strstr(text, "| rus4_leaky ⚠ LEAKY ⚠ FAILED (1 of 5 runs) |"));
    ck_assert_ptr_nonnull(strstr(text, "rus4_leaky (pooled over 4 runs)"));
    ck_assert_ptr_null(strstr(text, "ros_huge (pooled"));
    free(text);
    {
        /* bold marks the best complete row, never a row with failed runs: with one of ros's
         * runs marked failed, original is the only complete honest row */
        char *md = NULL;
        char *ros;
        ex->runs[5].status = IMBAL_ENOMEM;
        ex->runs[5].message = strdup("injected");
        ex->n_failed++;
        ck_assert_int_eq(imbal_report_markdown(ex, &md, NULL), IMBAL_OK);
        ros = strstr(md, "| ros ⚠ FAILED (1 of 5 runs) |");
        ck_assert_ptr_nonnull(ros);
        *strchr(ros, '\n') = '\0';
        ck_assert_ptr_null(strstr(ros, "**"));
        ck_assert_ptr_nonnull(strstr(md, "| original | 27/5 | **"));
        free(md);
    }
    csv_doc_free(runs);
    csv_doc_free(summary);
    remove_tmp();
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

START_TEST(run_writes_every_file_exits_1_and_keeps_the_others_results)
{
    /* the rows of original and ros are the rows a spec of those two alone writes, byte for
     * byte; -j 1 and -j 2 write the same files */
    char args[512];
    char *a;
    char *b;
    char **la;
    char **lb;
    size_t na;
    size_t nb;
    size_t same = 0;
    FILE *f;
    make_tmp();
    snprintf(args, sizeof(args), "run tests/data/check_runtime.yaml -q --no-timings -j 2 -o %s",
             tmp_path("all"));
    ck_assert_int_eq(cli(args), 1);
    a = slurp(tmp_path("err"));
    ck_assert_ptr_nonnull(strstr(a, "runs failed"));
    ck_assert_ptr_nonnull(strstr(a, "6 of 20 runs failed"));
    ck_assert_ptr_nonnull(strstr(a, "run failed: dataset 'six', technique 'ros_huge', repeat 1, "
                                    "fold 1: out of memory allocating"));
    free(a);
    snprintf(args, sizeof(args), "run tests/data/check_runtime.yaml -q --no-timings -j 1 -o %s",
             tmp_path("one"));
    ck_assert_int_eq(cli(args), 1);
    static const char *const files[] = {"runs.csv", "summary.csv", "summary.md", "summary.json",
                                        "resolved.yaml"};
    for (size_t i = 0; i < 5; i++) {
        char pa[300];
        char pb[300];
        snprintf(pa, sizeof(pa), "%s/%s", tmp_path("all"), files[i]);
        snprintf(pb, sizeof(pb), "%s/%s", tmp_path("one"), files[i]);
        a = slurp(pa);
        b = slurp(pb);
        ck_assert_msg(strcmp(a, b) == 0, "%s differs between -j 1 and -j 2", files[i]);
        free(a);
        free(b);
    }
    /* the same spec with original and ros alone */
    f = fopen(tmp_path("soft.yaml"), "w");
    ck_assert_ptr_nonnull(f);
    a = slurp("tests/data/check_runtime.yaml");
    *strstr(a, "  - {name: rus4_leaky") = '\0';
    {
        /* the data path, relative to tests/data/, made absolute */
        char cwd[1024];
        char *p = strstr(a, "path: check_six.csv");
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
        *p = '\0';
        fprintf(f, "%spath: %s/tests/data/%s", a, cwd, p + strlen("path: "));
    }
    fclose(f);
    free(a);
    snprintf(args, sizeof(args), "run %s -q --no-timings -o %s", tmp_path("soft.yaml"),
             tmp_path("soft"));
    ck_assert_int_eq(cli(args), 0);
    snprintf(args, sizeof(args), "%s/runs.csv", tmp_path("soft"));
    b = slurp(args);
    snprintf(args, sizeof(args), "%s/runs.csv", tmp_path("all"));
    a = slurp(args);
    la = lines(a, &na);
    lb = lines(b, &nb);
    ck_assert_uint_eq(na, 21);
    ck_assert_uint_eq(nb, 11);
    for (size_t i = 0; i < nb; i++) {
        ck_assert_str_eq(la[i], lb[i]);
        same++;
    }
    ck_assert_uint_eq(same, 11);
    lines_free(la, na);
    lines_free(lb, nb);
    free(a);
    free(b);
    remove_tmp();
}
END_TEST

int main(void)
{
    Suite *s = suite_create("runner_check");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, k_neighbors_beyond_a_fold_is_refused_before_any_run);
    tcase_add_test(tc, ten_folds_on_a_class_of_three_are_refused);
    tcase_add_test(tc, a_ratio_in_the_wrong_direction_is_refused);
    tcase_add_test(tc, a_feasible_spec_passes_the_check);
    tcase_add_test(tc, validate_and_run_refuse_an_infeasible_spec_with_exit_2);
    tcase_add_test(tc, runs_that_fail_at_run_time_are_recorded_and_the_others_written);
    tcase_add_test(tc, run_writes_every_file_exits_1_and_keeps_the_others_results);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
