/* Timings and result fingerprints of imbal_kmeans_fit (never part of make check).
 * Build (from the repository root, after make): see bench/kmeans.sh.
 * Run:
 *   kmeans abalone FILE K REPS      the negatives of abalone19.csv (Sex one-hot, 9 columns),
 *                                   K clusters, REPS fits timed (CPU seconds, median, min)
 *   kmeans blobs N D K REPS [NINIT] Gaussian blobs (K / 10 + 1 centres, sd 1) in D dims
 *   kmeans dump N D K OUT           writes the blobs of "blobs N D K" to OUT (CSV, %.17g), for
 *                                   bench/kmeans_sklearn.py to time scikit-learn on them
 *   kmeans suite [FILE]             fingerprints (FNV-1a of the centres' bits, labels,
 *                                   inertia, n_iter) of many fits: default and numpy
 *                                   generators, sklearn_threads 1 and 2, small and large k,
 *                                   data with exact ties (integer grids, duplicated rows).
 *                                   Two builds must print identical lines.
 * The suite is how a change to src/kmeans*.c is checked to keep every result to the bit.
 * IMBAL_SIMD=generic runs the non-AVX2 kernels (the suite must print the same). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "imbal/kmeans.h"
#include "imbal/rng.h"
#include "imbal/simd.h"

static uint64_t bench_state = 0x9E3779B97F4A7C15u;

static double bench_uniform(void)
{
    uint64_t z = (bench_state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    z ^= z >> 31;
    return (double)(z >> 11) * 0x1.0p-53;
}

static double bench_normal(void)
{
    double u = bench_uniform();
    double v = bench_uniform();
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

/* kind 0: blobs; 1: integer grid 0..3 (many exact ties); 2: blobs with every row twice */
static double *bench_data(int kind, size_t n, size_t d, size_t n_cent)
{
    double *x = malloc(n * d * sizeof(*x));
    double *c = malloc(n_cent * d * sizeof(*c));
    for (size_t m = 0; m < n_cent * d; m++) {
        c[m] = 20.0 * bench_uniform() - 10.0;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(bench_uniform() * (double)n_cent);
        for (size_t f = 0; f < d; f++) {
            if (kind == 1) {
                x[i * d + f] = floor(4.0 * bench_uniform());
            } else if (kind == 2 && i % 2 == 1) {
                x[i * d + f] = x[(i - 1) * d + f];
            } else {
                x[i * d + f] = c[b * d + f] + bench_normal();
            }
        }
    }
    free(c);
    return x;
}

static double *bench_abalone(const char *path, size_t *n)
{
    FILE *fp = fopen(path, "r");
    char line[512];
    size_t cap = 8192;
    double *x = malloc(cap * 9 * sizeof(*x));
    *n = 0;
    if (fp == NULL || fgets(line, sizeof(line), fp) == NULL) {
        fprintf(stderr, "cannot read %s\n", path);
        exit(1);
    }
    while (fgets(line, sizeof(line), fp) != NULL) {
        if (strstr(line, "negative") == NULL) {
            continue;
        }
        double *r = x + *n * 9;
        r[0] = line[0] == 'I';
        r[1] = line[0] == 'M';
        char *p = strchr(line, ',') + 1;
        for (int f = 2; f < 9; f++) {
            r[f] = strtod(p, &p);
            p++;
        }
        (*n)++;
    }
    fclose(fp);
    return x;
}

static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t fnv(uint64_t h, const void *p, size_t len)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < len; i++) {
        h = (h ^ b[i]) * 0x100000001B3u;
    }
    return h;
}

static imbal_kmeans *fit(const double *x, size_t n, size_t d, size_t k, size_t n_init,
                         size_t threads, imbal_rng_kind kind, uint64_t seed)
{
    imbal_kmeans_params p;
    imbal_rng *rng = NULL;
    imbal_kmeans *km = NULL;
    imbal_error err;
    imbal_kmeans_params_default(&p);
    p.n_init = n_init;
    p.sklearn_threads = threads;
    if (imbal_rng_new(kind, seed, &rng, &err) != IMBAL_OK ||
        imbal_kmeans_fit(x, n, d, k, &p, rng, &km, &err) != IMBAL_OK) {
        fprintf(stderr, "fit failed\n");
        exit(1);
    }
    imbal_rng_free(rng);
    return km;
}

static uint64_t fingerprint(const imbal_kmeans *km)
{
    uint64_t h = 0xCBF29CE484222325u;
    h = fnv(h, km->centers, km->k * km->d * sizeof(double));
    h = fnv(h, km->labels, km->n * sizeof(size_t));
    h = fnv(h, &km->inertia, sizeof(double));
    h = fnv(h, &km->n_iter, sizeof(size_t));
    return h;
}

static void timed(const double *x, size_t n, size_t d, size_t k, size_t reps, size_t n_init)
{
    double *t = malloc(reps * sizeof(*t));
    uint64_t h = 0;
    size_t it = 0;
    for (size_t r = 0; r < reps; r++) {
        double t0 = cpu_now();
        imbal_kmeans *km = fit(x, n, d, k, n_init, 1, IMBAL_RNG_NUMPY, 42 + r);
        t[r] = cpu_now() - t0;
        h ^= fingerprint(km);
        it += km->n_iter;
        imbal_kmeans_free(km);
    }
    qsort(t, reps, sizeof(*t), cmp_double);
    printf("n %zu d %zu k %zu n_init %zu: cpu s median %.6f min %.6f (reps %zu, mean n_iter "
           "%.1f, xor fingerprint %016llx)\n",
           n, d, k, n_init, t[reps / 2], t[0], reps, (double)it / (double)reps,
           (unsigned long long)h);
    free(t);
}

static void suite_one(const char *name, const double *x, size_t n, size_t d, size_t k,
                      size_t n_init)
{
    for (int kind = 0; kind < 2; kind++) {
        for (size_t threads = 1; threads <= 2; threads++) {
            for (uint64_t seed = 0; seed < 3; seed++) {
                imbal_kmeans *km = fit(x, n, d, k, n_init, threads,
                                       kind ? IMBAL_RNG_NUMPY : IMBAL_RNG_DEFAULT, seed);
                printf("%s n=%zu d=%zu k=%zu init=%zu rng=%d thr=%zu seed=%llu: %016llx "
                       "iter %zu inertia %.17g\n",
                       name, n, d, k, n_init, kind, threads, (unsigned long long)seed,
                       (unsigned long long)fingerprint(km), km->n_iter, km->inertia);
                imbal_kmeans_free(km);
            }
        }
    }
}

static void suite(const char *abalone)
{
    static const struct {
        int kind;
        size_t n, d, n_cent, k, n_init;
    } cases[] = {
        {0, 1, 1, 1, 1, 10},     {0, 7, 1, 2, 3, 10},     {0, 50, 2, 5, 5, 10},
        {0, 300, 3, 8, 8, 10},   {0, 600, 5, 4, 20, 3},   {0, 1000, 6, 30, 63, 2},
        {0, 1000, 6, 30, 64, 2}, {0, 1000, 6, 30, 65, 2}, {0, 2000, 10, 50, 150, 1},
        {0, 700, 50, 20, 40, 2}, {0, 3000, 4, 3, 2, 10},  {1, 200, 2, 1, 6, 10},
        {1, 500, 3, 1, 20, 5},   {1, 400, 2, 1, 16, 10},  {1, 600, 4, 1, 90, 2},
        {2, 400, 3, 10, 12, 5},  {2, 800, 7, 40, 100, 2}, {1, 300, 1, 1, 4, 10},
        {0, 513, 2, 6, 7, 4},    {0, 1500, 13, 12, 30, 3},
    };
    for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
        bench_state = 0x9E3779B97F4A7C15u + c;
        double *x = bench_data(cases[c].kind, cases[c].n, cases[c].d, cases[c].n_cent);
        char name[32];
        snprintf(name, sizeof(name), "case%zu/kind%d", c, cases[c].kind);
        suite_one(name, x, cases[c].n, cases[c].d, cases[c].k, cases[c].n_init);
        free(x);
    }
    if (abalone != NULL) {
        size_t n;
        double *x = bench_abalone(abalone, &n);
        static const size_t ks[] = {2, 26, 64, 65, 200};
        for (size_t m = 0; m < sizeof(ks) / sizeof(ks[0]); m++) {
            suite_one("abalone", x, n, 9, ks[m], ks[m] > 64 ? 2 : 10);
        }
        free(x);
    }
}

int main(int argc, char **argv)
{
    const char *simd = getenv("IMBAL_SIMD");
    if (simd != NULL && strcmp(simd, "generic") == 0) {
        imbal_simd_set(IMBAL_SIMD_GENERIC);
    }
    if (argc >= 2 && strcmp(argv[1], "suite") == 0) {
        suite(argc >= 3 ? argv[2] : NULL);
        return 0;
    }
    if (argc == 5 && strcmp(argv[1], "abalone") == 0) {
        size_t n;
        double *x = bench_abalone(argv[2], &n);
        timed(x, n, 9, strtoull(argv[3], NULL, 10), strtoull(argv[4], NULL, 10), 10);
        free(x);
        return 0;
    }
    if ((argc == 6 || argc == 7) && strcmp(argv[1], "blobs") == 0) {
        size_t n = strtoull(argv[2], NULL, 10), d = strtoull(argv[3], NULL, 10);
        size_t k = strtoull(argv[4], NULL, 10);
        double *x = bench_data(0, n, d, k / 10 + 1);
        timed(x, n, d, k, strtoull(argv[5], NULL, 10),
              argc == 7 ? strtoull(argv[6], NULL, 10) : 10);
        free(x);
        return 0;
    }
    if (argc == 6 && strcmp(argv[1], "dump") == 0) {
        size_t n = strtoull(argv[2], NULL, 10), d = strtoull(argv[3], NULL, 10);
        size_t k = strtoull(argv[4], NULL, 10);
        double *x = bench_data(0, n, d, k / 10 + 1);
        FILE *fp = fopen(argv[5], "w");
        if (fp == NULL) {
            fprintf(stderr, "cannot write %s\n", argv[5]);
            return 1;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t f = 0; f < d; f++) {
                fprintf(fp, "%.17g%c", x[i * d + f], f + 1 < d ? ',' : '\n');
            }
        }
        fclose(fp);
        free(x);
        return 0;
    }
    fprintf(stderr, "usage: kmeans abalone FILE K REPS | blobs N D K REPS [NINIT] | "
                    "dump N D K OUT | suite [FILE]\n");
    return 2;
}
