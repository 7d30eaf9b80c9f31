/* Timings of imbal_knn_build + imbal_knn_query (never part of make check).
 * Build (from the repository root, after make):
 *   mkdir -p build/release/bench && cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -fopenmp -Iinclude \
 *       -Isrc bench/knn.c build/release/libimbal.a -lm -o build/release/bench/knn
 * Run: build/release/bench/knn DATA N D K ALG [SELF [CHECK]]
 *   DATA uniform | blobs<C> (C Gaussian blobs, sd 1, centres uniform in [-10, 10]^D, as
 *   scikit-learn's make_blobs) | lowdim<P> (blobs in P dimensions, mapped linearly into D)
 *   ALG auto | brute | kdtree; SELF 1 (default) queries the rows against themselves with
 *   skip_self, 0 without, -1 queries N / 10 other rows of the same distribution;
 *   CHECK rows (default 200) are re-solved by a plain scalar loop and must agree exactly.
 * Prints one line: data, n, queries, d, k, SELF, algorithm (what AUTO chose), build and
 * query seconds (wall; the query's CPU seconds too), threads, check. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#ifdef _OPENMP
#include <omp.h>
#endif

#include "imbal/knn.h"
#include "knn_internal.h" /* only to print the algorithm AUTO chose */

static uint64_t bench_state = 0x9E3779B97F4A7C15u;

/* splitmix64: a fixed stream, so every run times the same data */
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

static double *bench_data(const char *kind, size_t n, size_t d)
{
    double *x = malloc(n * d * sizeof(*x));
    size_t c = 0;
    size_t p = d;
    if (x == NULL) {
        return NULL;
    }
    if (strcmp(kind, "uniform") == 0) {
        for (size_t i = 0; i < n * d; i++) {
            x[i] = bench_uniform();
        }
        return x;
    }
    if (strncmp(kind, "blobs", 5) == 0) {
        c = (size_t)atol(kind + 5);
    } else if (strncmp(kind, "lowdim", 6) == 0) {
        p = (size_t)atol(kind + 6);
        c = 10;
    }
    if (c == 0 || p == 0 || p > d) {
        free(x);
        return NULL;
    }
    double *centre = malloc(c * p * sizeof(*centre));
    double *map = malloc(p * d * sizeof(*map));
    double *z = malloc(p * sizeof(*z));
    for (size_t i = 0; i < c * p; i++) {
        centre[i] = -10.0 + 20.0 * bench_uniform();
    }
    for (size_t i = 0; i < p * d; i++) {
        map[i] = bench_normal() / sqrt((double)p);
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = i % c;
        for (size_t f = 0; f < p; f++) {
            z[f] = centre[b * p + f] + bench_normal();
        }
        for (size_t f = 0; f < d; f++) {
            if (p == d) {
                x[i * d + f] = z[f];
            } else {
                double s = 0.0;
                for (size_t g = 0; g < p; g++) {
                    s += z[g] * map[g * d + f];
                }
                x[i * d + f] = s;
            }
        }
    }
    free(centre);
    free(map);
    free(z);
    return x;
}

/* CPU seconds of this process (all threads): less disturbed than wall time on a busy host. */
static double bench_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

static double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Plain scalar k-NN of row i, the definition the library must meet: nearest first, equal
 * squared distances by lower row. Returns 1 when idx/dist agree exactly. */
static int bench_check_row(const double *x, size_t n, size_t d, const double *q, size_t k,
                           int self, size_t i, const size_t *idx, const double *dist)
{
    double *bd = malloc(k * sizeof(*bd));
    size_t *bi = malloc(k * sizeof(*bi));
    size_t have = 0;
    int ok = 1;
    for (size_t j = 0; j < n; j++) {
        double s = 0.0;
        size_t p;
        if (self && j == i) {
            continue;
        }
        for (size_t f = 0; f < d; f++) {
            double t = q[i * d + f] - x[j * d + f];
            s += t * t;
        }
        if (have == k && !(s < bd[k - 1])) {
            continue;
        }
        p = have < k ? have++ : k - 1;
        while (p > 0 && bd[p - 1] > s) {
            bd[p] = bd[p - 1];
            bi[p] = bi[p - 1];
            p--;
        }
        bd[p] = s;
        bi[p] = j;
    }
    for (size_t j = 0; j < k; j++) {
        ok = ok && idx[i * k + j] == bi[j] && dist[i * k + j] == sqrt(bd[j]);
    }
    free(bd);
    free(bi);
    return ok;
}

int main(int argc, char **argv)
{
    const char *names[] = {"auto", "brute", "kdtree"};
    imbal_knn_algorithm alg = IMBAL_KNN_AUTO;
    imbal_knn *knn = NULL;
    imbal_error err = {0};
    size_t n, m, d, k, n_check = 200, bad = 0;
    int self = 1, threads = 1;
    double t0, t1, t2, c1, c2, *x, *q, *dist;
    size_t *idx;
    if (argc < 6) {
        fprintf(stderr, "usage: %s DATA N D K ALG [SELF [CHECK]]\n", argv[0]);
        return 2;
    }
    n = (size_t)atol(argv[2]);
    d = (size_t)atol(argv[3]);
    k = (size_t)atol(argv[4]);
    for (int a = 0; a < 3; a++) {
        if (strcmp(argv[5], names[a]) == 0) {
            alg = (imbal_knn_algorithm)a;
        }
    }
    if (argc > 6) {
        self = atoi(argv[6]);
    }
    if (argc > 7) {
        n_check = (size_t)atol(argv[7]);
    }
#ifdef _OPENMP
    threads = omp_get_max_threads();
#endif
    m = self >= 0 ? n : n / 10;
    x = bench_data(argv[1], self >= 0 ? n : n + m, d);
    q = self >= 0 ? x : x + n * d;
    idx = malloc(m * k * sizeof(*idx));
    dist = malloc(m * k * sizeof(*dist));
    if (x == NULL || idx == NULL || dist == NULL) {
        fprintf(stderr, "bad data kind or out of memory\n");
        return 2;
    }
    t0 = bench_now();
    if (imbal_knn_build(x, n, d, alg, &knn, &err) != IMBAL_OK) {
        fprintf(stderr, "build: %s\n", err.msg);
        return 1;
    }
    t1 = bench_now();
    c1 = bench_cpu();
    if (imbal_knn_query(knn, q, m, k, self > 0, idx, dist, &err) != IMBAL_OK) {
        fprintf(stderr, "query: %s\n", err.msg);
        return 1;
    }
    t2 = bench_now();
    c2 = bench_cpu();
    n_check = n_check < m ? n_check : m;
    for (size_t c = 0; c < n_check; c++) {
        size_t i = (size_t)((double)m * bench_uniform());
        bad += !bench_check_row(x, n, d, q, k, self > 0, i, idx, dist);
    }
    printf("%-9s n=%-7zu m=%-7zu d=%-3zu k=%-3zu self=%-2d %s%-6s build %6.3f s  query %7.3f s "
           "(cpu %7.3f s)  threads %d  check %zu/%zu %s\n",
           argv[1], n, m, d, k, self, alg == IMBAL_KNN_AUTO ? "auto:" : "", names[knn->alg],
           t1 - t0, t2 - t1, c2 - c1, threads,
           n_check - bad, n_check, bad ? "FAIL" : "ok");
    imbal_knn_free(knn);
    free(x);
    free(idx);
    free(dist);
    return bad ? 1 : 0;
}
