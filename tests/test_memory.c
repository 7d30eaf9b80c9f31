/* Memory flat in the grid size (issue 11 item 6): `imbal run` on synthetic grids of 5,000 and
 * 20,000 runs (the same shape, twice the techniques and twice the repeats) peaks at nearly the
 * same resident size, because each run's row is streamed to runs.csv as it finishes and the
 * summaries come from per-row accumulators. The peak is the child's own ru_maxrss (wait4).
 * What still grows with such a grid is the spec and its splits (the drawn folds, 20 row indices
 * each here) and one report row's runs: well under the 2 MB allowed. A child built with
 * AddressSanitizer runs without its quarantine (which would keep up to 256 MB of freed blocks
 * resident and measure the sanitizer, not imbal). */
#define _DEFAULT_SOURCE /* wait4: the rusage of one child */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util.h"

static char tmp_dir[64];

/* A grid of n_tech techniques x 5 folds x repeats on 20 synthetic rows. */
static void write_grid(const char *path, size_t n_tech, size_t repeats)
{
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f,
            "name: grid\n"
            "datasets:\n"
            "  - {name: s, format: synthetic, n_samples: 20, n_features: 2, n_informative: 2,\n"
            "     weights: [0.7, 0.3]}\n"
            "evaluation: {protocol: repeated_kfold, folds: 5, repeats: %zu}\n"
            "techniques:\n",
            repeats);
    for (size_t t = 0; t < n_tech; t++) {
        fprintf(f, "  - {name: t%zu, sampler: %s}\n", t, t % 2 ? "random_over" : "none");
    }
    fclose(f);
}

/* Runs `$BIN run spec -q --no-timings -j 2 -o out` as a child; its peak RSS in KB. */
static long run_peak_kb(const char *spec, const char *out)
{
    const char *bin = getenv("BIN");
    struct rusage ru;
    int status = 0;
    pid_t pid;
    if (bin == NULL || bin[0] == '\0') {
        bin = "build/release/imbal";
    }
    pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char opts[1024];
        const char *old = getenv("ASAN_OPTIONS");
        snprintf(opts, sizeof(opts), "%s%squarantine_size_mb=0:thread_local_quarantine_size_kb=0",
                 old != NULL ? old : "", old != NULL && old[0] != '\0' ? ":" : "");
        setenv("ASAN_OPTIONS", opts, 1);
        execl(bin, bin, "run", spec, "-q", "--no-timings", "-j", "2", "-o", out, (char *)NULL);
        _exit(127);
    }
    ck_assert_int_eq(wait4(pid, &status, 0, &ru), pid);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "imbal run %s failed", spec);
    return ru.ru_maxrss;
}

static size_t count_lines(const char *path)
{
    char *text = slurp(path);
    size_t n = 0;
    for (const char *p = text; *p != '\0'; p++) {
        n += *p == '\n';
    }
    free(text);
    return n;
}

START_TEST(peak_rss_does_not_grow_with_the_number_of_runs)
{
    char spec_small[128], spec_large[128], out_small[128], out_large[128], path[160];
    char cmd[128];
    long small_kb, large_kb;
    strcpy(tmp_dir, "/tmp/imbal_memory_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmp_dir));
    snprintf(spec_small, sizeof(spec_small), "%s/small.yaml", tmp_dir);
    snprintf(spec_large, sizeof(spec_large), "%s/large.yaml", tmp_dir);
    snprintf(out_small, sizeof(out_small), "%s/small", tmp_dir);
    snprintf(out_large, sizeof(out_large), "%s/large", tmp_dir);
    write_grid(spec_small, 10, 100); /* 10 x 5 x 100 = 5,000 runs */
    write_grid(spec_large, 20, 200); /* 20 x 5 x 200 = 20,000 runs */
    small_kb = run_peak_kb(spec_small, out_small);
    large_kb = run_peak_kb(spec_large, out_large);
    snprintf(path, sizeof(path), "%s/runs.csv", out_small);
    ck_assert_uint_eq(count_lines(path), 5001);
    snprintf(path, sizeof(path), "%s/runs.csv", out_large);
    ck_assert_uint_eq(count_lines(path), 20001);
    fprintf(stderr, "test_memory: peak RSS %ld KB at 5,000 runs, %ld KB at 20,000 runs\n", small_kb,
            large_kb);
    ck_assert_msg(large_kb - small_kb <= 2048,
                  "peak RSS grew by %ld KB from 5,000 to 20,000 runs (%ld -> %ld KB)",
                  large_kb - small_kb, small_kb, large_kb);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp_dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("memory");
    TCase *tc = tcase_create("grid");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, peak_rss_does_not_grow_with_the_number_of_runs);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
