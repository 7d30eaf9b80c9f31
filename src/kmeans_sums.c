/* The cluster sums of k-means' update step in scikit-learn's order (kmeans_assign.c decides
 * the labels): lloyd_iter_chunked_dense deals 256-row chunks to its OpenMP threads, each
 * thread adds its rows in order into its own zeroed buffer, and the buffers are added to the
 * zeroed totals in thread order. Each block's rows are kept listed by cluster (in row order
 * within a cluster, merged with the rows that joined after each pass), so a cluster's sum runs
 * over its own rows only, and only when its rows in that block changed: the same rows added
 * in the same order give the same bits. */
#include <string.h>

#include "kmeans_internal.h"

void imbal_km_sums_reset(imbal_km_work *w)
{
    memset(w->dirty, 1, w->n_blocks * w->k);
    memset(w->n_moved, 0, w->n_blocks * sizeof(size_t));
    memset(w->side, 0, w->n_blocks);
    w->lists_fresh = 0;
}

/* The buffer holding block b's current lists (mem and mem2 alternate, block by block). */
static size_t *sums_lists(const imbal_km_work *w, size_t b)
{
    return w->side[b] ? w->mem2 : w->mem;
}

/* Block b's rows listed by cluster from scratch (a counting sort by label). */
static void sums_list_all(imbal_km_work *w, const size_t *labels, size_t b)
{
    const size_t k = w->k;
    size_t *mem = sums_lists(w, b);
    size_t *at = w->mst + b * (k + 1);
    memset(at, 0, (k + 1) * sizeof(size_t));
    for (size_t i = w->blk[b]; i < w->blk[b + 1]; i++) {
        at[labels[i] + 1]++;
    }
    at[0] = w->blk[b];
    for (size_t j = 0; j < k; j++) {
        at[j + 1] += at[j];
    }
    for (size_t i = w->blk[b]; i < w->blk[b + 1]; i++) {
        mem[at[labels[i]]++] = i; /* at[j] ends at the end of cluster j */
    }
    for (size_t j = k; j > 0; j--) {
        at[j] = at[j - 1];
    }
    at[0] = w->blk[b];
}

/* Block b's lists brought up to date into the other buffer: a stale cluster's list is its old
 * list without the rows that left, merged in row order with the rows that joined (the moved
 * rows, bucketed by new label); the others are copied. */
static void sums_list_merge(imbal_km_work *w, const size_t *labels, size_t b)
{
    const size_t k = w->k;
    const size_t *old = sums_lists(w, b);
    size_t *mem = w->side[b] ? w->mem : w->mem2;
    const size_t lo = w->blk[b];
    size_t *at = w->mst + b * (k + 1);
    const size_t *moved = w->moved_rows + lo;
    size_t n_moved = w->n_moved[b];
    size_t *jst = w->jstart; /* k + 1 */
    size_t *join = w->join + lo;
    unsigned char *dirty = w->dirty + b * k;
    memset(jst, 0, (k + 1) * sizeof(size_t));
    for (size_t m = 0; m < n_moved; m++) {
        jst[labels[moved[m]] + 1]++;
    }
    for (size_t j = 0; j < k; j++) {
        jst[j + 1] += jst[j];
    }
    for (size_t m = 0; m < n_moved; m++) { /* rows in order: each bucket in row order */
        join[jst[labels[moved[m]]]++] = moved[m];
    }
    size_t out = lo;
    size_t jfrom = 0;
    for (size_t j = 0; j < k; j++) {
        size_t from = at[j];
        size_t to = at[j + 1];
        size_t jto = jst[j];
        at[j] = out;
        if (!dirty[j]) {
            memcpy(mem + out, old + from, (to - from) * sizeof(size_t));
            out += to - from;
        } else {
            while (from < to || jfrom < jto) {
                size_t i;
                if (jfrom == jto || (from < to && old[from] < join[jfrom])) {
                    i = old[from++];
                    if (labels[i] != j) {
                        continue; /* left the cluster */
                    }
                } else {
                    i = join[jfrom++];
                }
                mem[out++] = i;
            }
        }
        jfrom = jto;
    }
    at[k] = out;
    w->side[b] = !w->side[b];
}

/* Block b's sums and counts of its stale clusters, from zero, rows in order. */
static void sums_block(imbal_km_work *w, const size_t *labels, size_t b)
{
    const size_t d = w->d;
    const size_t k = w->k;
    unsigned char *dirty = w->dirty + b * k;
    int any = 0;
    for (size_t j = 0; j < k; j++) {
        any |= dirty[j];
    }
    if (!any) {
        return;
    }
    if (!w->lists_fresh) {
        sums_list_all(w, labels, b);
    } else {
        sums_list_merge(w, labels, b);
    }
    const size_t *at = w->mst + b * (k + 1);
    const size_t *mem = sums_lists(w, b);
    double *sum = w->psum + b * k * d;
    double *weight = w->pweight + b * k;
    for (size_t j = 0; j < k; j++) {
        if (!dirty[j]) {
            continue;
        }
        double *s = sum + j * d;
        weight[j] = (double)(at[j + 1] - at[j]); /* a sum of ones: exact */
        memset(s, 0, d * sizeof(double));
        for (size_t m = at[j]; m < at[j + 1]; m++) {
            const double *xi = w->x + mem[m] * d;
#pragma omp simd
            for (size_t f = 0; f < d; f++) {
                s[f] += xi[f];
            }
        }
    }
    memset(dirty, 0, k);
    w->n_moved[b] = 0;
}

void imbal_km_sums(imbal_km_work *w, const size_t *labels, double *sums)
{
    const size_t kd = w->k * w->d;
    memset(sums, 0, kd * sizeof(double));
    memset(w->weight, 0, w->k * sizeof(double));
    for (size_t b = 0; b < w->n_blocks; b++) {
        sums_block(w, labels, b);
        const double *ps = w->psum + b * kd;
        const double *pw = w->pweight + b * w->k;
        for (size_t j = 0; j < w->k; j++) {
            w->weight[j] += pw[j];
        }
        for (size_t m = 0; m < kd; m++) {
            sums[m] += ps[m];
        }
    }
    w->lists_fresh = 1;
}
