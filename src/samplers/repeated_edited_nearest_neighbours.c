/* Repeated edited nearest neighbours as in imbalanced-learn 0.10's
 * RepeatedEditedNearestNeighbours (Tomek 1976): edited nearest neighbours (one
 * imbal_enn_pass) again and again on what the previous pass kept, at most max_iter times,
 * with imblearn's three stopping rules checked after each pass, whose result is kept: the
 * pass removed nothing; some class other than the minority (of the input, ties to the class
 * seen first, as Counter) now has fewer rows than the minority had; a class has vanished.
 * Each pass recomputes its classes to clean from the rows it sees, as imblearn refits its
 * ENN. The output lists the rows class by class. Reached only through resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_repeated_edited_nearest_neighbours_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to clean (auto: all but the minority; or a list of classes)"},
    {"n_neighbors", IMBAL_PARAM_INT, "3", 1, 1e6, NULL,
     "neighbours of a row (among all rows) that must agree with its class"},
    {"max_iter", IMBAL_PARAM_INT, "100", 1, 1e6, NULL, "most passes of edited nearest neighbours"},
    {"kind_sel", IMBAL_PARAM_STRING, "all", 0, 0, "all|mode",
     "all: every neighbour must share the class; mode: the most frequent label must"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

imbal_status imbal_repeated_edited_nearest_neighbours_run(const imbal_train_view *in,
                                                          const imbal_param_values *p,
                                                          imbal_rng *rng, imbal_resampled **out,
                                                          imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    long max_iter = (long)imbal_param_num(p, "max_iter");
    imbal_enn_kind kind = imbal_enn_kind_of(p);
    size_t *cur = imbal_malloc(in->n, sizeof(*cur));
    size_t *next = imbal_malloc(in->n, sizeof(*next));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    size_t m = in->n;
    size_t n_present = 0;
    int minority = 0;
    imbal_status st;
    (void)rng; /* deterministic */
    *out = NULL;
    if (cur == NULL || next == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for repeated edited nearest neighbours");
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        cur[i] = i;
    }
    st = imbal_counter_minority(in->y, cur, in->n, in->n_classes, &minority, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    size_t n_minority = counts[minority];
    for (size_t c = 0; c < in->n_classes; c++) {
        n_present += counts[c] > 0;
    }
    for (long iter = 0; iter < max_iter; iter++) {
        size_t m_next = 0;
        size_t present = 0;
        int below_minority = 0;
        st = imbal_enn_pass(in, p, cur, m, k, kind, next, &m_next, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        memset(counts, 0, in->n_classes * sizeof(*counts));
        for (size_t i = 0; i < m_next; i++) {
            counts[in->y[next[i]]]++;
        }
        for (size_t c = 0; c < in->n_classes; c++) {
            present += counts[c] > 0;
            below_minority |= counts[c] > 0 && (int)c != minority && counts[c] < n_minority;
        }
        int converged = m_next == m;
        size_t *swap = cur;
        cur = next;
        next = swap;
        m = m_next;
        if (converged || below_minority || present < n_present) {
            break;
        }
    }
    st = imbal_resampled_rows(in, cur, m, out, err);
cleanup:
    free(cur);
    free(next);
    free(counts);
    return st;
}

imbal_status imbal_repeated_edited_nearest_neighbours_check(const imbal_param_values *p,
                                                   const size_t *counts, size_t n_classes,
                                                   imbal_error *err)
{
    size_t n = 0;
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
    }
    imbal_status st = imbal_check_strategy(p, IMBAL_SAMPLER_CLEAN, counts, n_classes, NULL, err);
    if (st == IMBAL_OK) {
        st = imbal_check_neighbours((size_t)imbal_param_num(p, "n_neighbors"), 1, n,
                                    "n_neighbors", "(a row and its neighbours)", err);
    }
    return st;
}
