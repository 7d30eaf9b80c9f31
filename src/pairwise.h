/* numpy's summation of float64 arrays, for the code that must round as scikit-learn does
 * (compat lbfgs: the logistic loss and intercept gradient; k-means: means, variances,
 * inertia and the k-means++ potentials). One copy, so every caller sums alike; tested
 * against numpy 1.24 to the bit (tests/test_pairwise.c, tests/reference/numpy_sum.csv). */
#ifndef IMBAL_PAIRWISE_H
#define IMBAL_PAIRWISE_H

#include <stddef.h>

/* numpy's pairwise_sum of a[0 .. n): below 8 terms in index order; up to 128 terms eight
 * running sums over a[i + j] (j = i mod 8) added ((r0 + r1) + (r2 + r3)) + ((r4 + r5) +
 * (r6 + r7)), then the rest in order; above, the two halves (the first a multiple of 8 long)
 * summed the same way and added. What one inner-loop call of a reduction computes, e.g. each
 * row of A.sum(axis=1) for rows of at most 8192 values. */
double imbal_pairwise_sum(const double *a, size_t n);

/* np.add.reduce(a) (= a.sum()) of a contiguous 1-D float64 array: the reduction's iterator
 * hands the inner loop blocks of at most 8192 values (its buffer size), so the result is
 * 0 + pairwise(a[0 .. 8192)) + pairwise(a[8192 .. 16384)) + ..., left to right. Equal to
 * imbal_pairwise_sum for n <= 8192. */
double imbal_numpy_sum(const double *a, size_t n);

#endif
