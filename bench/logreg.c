/* Timing of imbal_logreg_fit (exact solver) on the abalone19 training fold of
 * tests/reference/abalone19_split.csv: 3339 x 9 with class_weight none, balanced and {1, 100},
 * that fold with its positives repeated to 6626 rows (random over-sampling's shape), with
 * 3287 interpolated positives instead (SMOTE's shape: no duplicates), and 52 rows (random
 * under-sampling's shape). Prints per-fit times (process CPU time, best of 7 rounds), iterations,
 * the intercept and a hash of the coefficients' bits (to compare builds, e.g. with
 * CFLAGS=-DPANEL_PASS= for the baseline-only passes). Run from the repository root:
 * sh bench/logreg.sh [case]. Timings only, never in make check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "imbal/logreg.h"

#define D 9
#define MAX_ROWS 4200
#define LINE_MAX_CHARS 512

typedef struct {
    size_t n;
    double *x;
    int *y;
} rows;

/* abalone19.csv: Sex,7 numbers,Class -> the 7 numbers, Sex_I, Sex_M (F dropped), positive = 1 */
static size_t load_abalone(const char *path, double *x, int *y)
{
    char line[LINE_MAX_CHARS];
    size_t n = 0;
    FILE *f = fopen(path, "r");
    if (f == NULL || fgets(line, sizeof(line), f) == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    while (n < MAX_ROWS && fgets(line, sizeof(line), f) != NULL) {
        char *cell = strtok(line, ",\r\n");
        double *xi = x + n * D;
        if (cell == NULL) {
            continue;
        }
        xi[7] = strcmp(cell, "I") == 0;
        xi[8] = strcmp(cell, "M") == 0;
        for (size_t j = 0; j < 7; j++) {
            xi[j] = strtod(strtok(NULL, ",\r\n"), NULL);
        }
        y[n] = strcmp(strtok(NULL, ",\r\n"), "positive") == 0;
        n++;
    }
    fclose(f);
    return n;
}

/* the training rows of abalone19_split.csv, in its order */
static void load_train(rows *out)
{
    static double all_x[MAX_ROWS * D];
    static int all_y[MAX_ROWS];
    char line[LINE_MAX_CHARS];
    size_t n_all = load_abalone("datasets/abalone19.csv", all_x, all_y);
    FILE *f = fopen("tests/reference/abalone19_split.csv", "r");
    out->x = malloc(2 * MAX_ROWS * D * sizeof(double));
    out->y = malloc(2 * MAX_ROWS * sizeof(int));
    out->n = 0;
    if (f == NULL || out->x == NULL || out->y == NULL || fgets(line, sizeof(line), f) == NULL) {
        fprintf(stderr, "cannot read the split\n");
        exit(1);
    }
    while (fgets(line, sizeof(line), f) != NULL) {
        size_t row = strtoul(line, NULL, 10);
        if (strstr(line, "train") != NULL && row < n_all) {
            memcpy(out->x + out->n * D, all_x + row * D, D * sizeof(double));
            out->y[out->n] = all_y[row];
            out->n++;
        }
    }
    fclose(f);
}

/* append positives until the classes balance: copies (share = 0) or points between one
 * positive and the next (share in (0, 1), different for every new row) */
static void add_positives(const rows *src, rows *dst, int interpolate)
{
    size_t pos[MAX_ROWS];
    size_t n_pos = 0;
    memcpy(dst->x, src->x, src->n * D * sizeof(double));
    memcpy(dst->y, src->y, src->n * sizeof(int));
    dst->n = src->n;
    for (size_t i = 0; i < src->n; i++) {
        if (src->y[i]) {
            pos[n_pos++] = i;
        }
    }
    for (size_t k = 0; dst->n < 2 * (src->n - n_pos); k++) {
        const double *a = src->x + pos[k % n_pos] * D;
        const double *b = src->x + pos[(k + 1) % n_pos] * D;
        double share = interpolate ? (double)(k + 1) / 4096.0 : 0.0; /* no two alike */
        for (size_t j = 0; j < D; j++) {
            dst->x[dst->n * D + j] = a[j] + share * (b[j] - a[j]);
        }
        dst->y[dst->n] = 1;
        dst->n++;
    }
}

/* the positives and as many of the first negatives */
static void under_sample(const rows *src, rows *dst)
{
    size_t n_pos = 0;
    size_t n_neg = 0;
    for (size_t i = 0; i < src->n; i++) {
        n_pos += (size_t)src->y[i];
    }
    dst->n = 0;
    for (size_t i = 0; i < src->n; i++) {
        if (src->y[i] || n_neg < n_pos) {
            n_neg += (size_t)!src->y[i];
            memcpy(dst->x + dst->n * D, src->x + i * D, D * sizeof(double));
            dst->y[dst->n] = src->y[i];
            dst->n++;
        }
    }
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* other load on the machine does not count */
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static const char *only; /* argv[1]: run only the case of that name */

/* FNV-1a over the bits of the coefficients and intercept: equal builds print equal hashes */
static unsigned long long model_bits(const imbal_logreg_model *m)
{
    unsigned long long h = 14695981039346656037ull;
    for (size_t j = 0; j <= D; j++) {
        unsigned char bytes[sizeof(double)];
        memcpy(bytes, j < D ? &m->coef[j] : &m->intercept, sizeof(bytes));
        for (size_t k = 0; k < sizeof(bytes); k++) {
            h = (h ^ bytes[k]) * 1099511628211ull;
        }
    }
    return h;
}

/* About a second of fits first: the first second of a process runs measurably slower
 * (allocator and page warm-up), which would penalise whichever case came first. */
static void warm_up(const rows *r)
{
    imbal_logreg_params p;
    double t0 = now();
    imbal_logreg_params_default(&p);
    while (now() - t0 < 1.0) {
        imbal_logreg_model *m = NULL;
        imbal_logreg_fit(r->x, r->y, r->n, D, NULL, &p, &m, NULL);
        imbal_logreg_model_free(m);
    }
}

/* best of 7 rounds of fits lasting about 0.1 s each: microseconds per fit */
static void bench(const char *name, const rows *r, imbal_class_weight_kind kind, double w1)
{
    imbal_logreg_params p;
    imbal_logreg_model *m = NULL;
    double best = 1e300;
    size_t reps = 1;
    if (only != NULL && strcmp(only, name) != 0) {
        return;
    }
    imbal_logreg_params_default(&p);
    p.class_weight = kind;
    p.weight[1] = w1;
    for (;;) {
        double t0 = now();
        for (size_t k = 0; k < reps; k++) {
            imbal_logreg_model_free(m);
            if (imbal_logreg_fit(r->x, r->y, r->n, D, NULL, &p, &m, NULL) != IMBAL_OK) {
                fprintf(stderr, "%s: fit failed\n", name);
                exit(1);
            }
        }
        if (now() - t0 > 0.1) {
            break;
        }
        reps *= 2;
    }
    for (int round = 0; round < 7; round++) {
        double t0 = now();
        double t;
        for (size_t k = 0; k < reps; k++) {
            imbal_logreg_model_free(m);
            imbal_logreg_fit(r->x, r->y, r->n, D, NULL, &p, &m, NULL);
        }
        t = (now() - t0) / (double)reps;
        best = t < best ? t : best;
    }
    printf("%-13s %5zu rows %7.1f us/fit %2zu iterations  max|grad| %.2e  b %.17g  bits %016llx\n",
           name, r->n, 1e6 * best, m->n_iter, m->grad_max, m->intercept, model_bits(m));
    imbal_logreg_model_free(m);
}

int main(int argc, char **argv)
{
    rows train;
    rows big;
    rows small;
    only = argc > 1 ? argv[1] : NULL;
    gsl_set_error_handler_off();
    load_train(&train);
    big.x = malloc(2 * MAX_ROWS * D * sizeof(double));
    big.y = malloc(2 * MAX_ROWS * sizeof(int));
    small.x = malloc(MAX_ROWS * D * sizeof(double));
    small.y = malloc(MAX_ROWS * sizeof(int));
    if (big.x == NULL || big.y == NULL || small.x == NULL || small.y == NULL) {
        return 1;
    }
    warm_up(&train);
    bench("none", &train, IMBAL_CW_NONE, 1.0);
    bench("balanced", &train, IMBAL_CW_BALANCED, 1.0);
    bench("w100", &train, IMBAL_CW_EXPLICIT, 100.0);
    add_positives(&train, &big, 0);
    bench("over-sampled", &big, IMBAL_CW_NONE, 1.0);
    add_positives(&train, &big, 1);
    bench("interpolated", &big, IMBAL_CW_NONE, 1.0);
    under_sample(&train, &small);
    bench("under-sampled", &small, IMBAL_CW_NONE, 1.0);
    free(train.x);
    free(train.y);
    free(big.x);
    free(big.y);
    free(small.x);
    free(small.y);
    return 0;
}
