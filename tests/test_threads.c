/* The runner's progress callback under threads: called once per run, one thread at a time,
 * with a count that rises by one each call. Written for `make tsan` (scripts/tsan.sh), where
 * ThreadSanitizer also checks that nothing the callback touches is shared without order; under
 * `make check` the assertions alone catch a lost or repeated count. */
#include <stdlib.h>
#include <string.h>

#include "imbal/runner.h"
#include "imbal/spec.h"
#include "util.h"

typedef struct {
    size_t calls;
    size_t last;       /* done of the previous call */
    size_t total;      /* total of the first call */
    int inside;        /* 1 while a call runs: a second thread finding it set is an overlap */
    int overlapped;
    int out_of_order;  /* a call whose done is not the previous one plus one */
    size_t *seen;      /* done of each call, in call order */
    size_t cap;
} progress_log;

static void on_progress(size_t done, size_t total, void *ctx)
{
    progress_log *log = ctx;
    if (log->inside) {
        log->overlapped = 1;
    }
    log->inside = 1;
    if (log->calls == 0) {
        log->total = total;
    }
    if (done != log->last + 1 || total != log->total) {
        log->out_of_order = 1;
    }
    if (log->calls < log->cap) {
        log->seen[log->calls] = done;
    }
    log->calls++;
    log->last = done;
    log->inside = 0;
}

static imbal_spec *load(const char *path)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_status st = imbal_spec_load(path, &spec, &errs);
    ck_assert_msg(st == IMBAL_OK, "%s: %s", path, errs.n ? errs.items[0].msg : "");
    imbal_error_list_free(&errs);
    return spec;
}

START_TEST(progress_called_once_per_run_in_order)
{
    /* tests/data/spec_synthetic.yaml: 6 techniques x 2 repeats x 3 folds = 36 runs */
    imbal_spec *spec = load("tests/data/spec_synthetic.yaml");
    imbal_experiment *ex = NULL;
    imbal_error err;
    progress_log log = {0};
    imbal_run_options opt = {2, 0, on_progress, &log, NULL, NULL};
    log.cap = 64;
    log.seen = calloc(log.cap, sizeof(*log.seen));
    ck_assert_ptr_nonnull(log.seen);
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_uint_eq(ex->n_runs, 36);
    ck_assert_int_eq(ex->threads, 2);
    ck_assert_uint_eq(log.calls, 36);
    ck_assert_uint_eq(log.total, 36);
    ck_assert_int_eq(log.overlapped, 0);
    ck_assert_int_eq(log.out_of_order, 0);
    for (size_t i = 0; i < 36; i++) {
        ck_assert_uint_eq(log.seen[i], i + 1);
    }
    free(log.seen);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("threads");
    TCase *tc = tcase_create("progress");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, progress_called_once_per_run_in_order);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
