/* numpy 1.24's float64 summation orders (see pairwise.h), retraced from
 * numpy/core/src/umath/loops_utils.h.src (pairwise_sum, PW_BLOCKSIZE 128) and the reduction
 * iterator's buffer of NPY_BUFSIZE = 8192 elements. */
#include "pairwise.h"

#define PAIRWISE_BLOCK 128     /* numpy's PW_BLOCKSIZE */
#define PAIRWISE_BUFSIZE 8192  /* numpy's NPY_BUFSIZE: elements per inner-loop call */

double imbal_pairwise_sum(const double *a, size_t n)
{
    if (n < 8) {
        double res = 0.0;
        for (size_t i = 0; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    if (n <= PAIRWISE_BLOCK) {
        double r[8];
        double res;
        size_t i;
        for (size_t j = 0; j < 8; j++) {
            r[j] = a[j];
        }
        for (i = 8; i < n - n % 8; i += 8) {
            for (size_t j = 0; j < 8; j++) {
                r[j] += a[i + j];
            }
        }
        res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; i++) {
            res += a[i];
        }
        return res;
    }
    size_t n2 = n / 2;
    n2 -= n2 % 8; /* the left half a multiple of the unroll */
    return imbal_pairwise_sum(a, n2) + imbal_pairwise_sum(a + n2, n - n2);
}

double imbal_numpy_sum(const double *a, size_t n)
{
    double acc = 0.0;
    for (size_t s = 0; s < n; s += PAIRWISE_BUFSIZE) {
        size_t len = n - s < PAIRWISE_BUFSIZE ? n - s : PAIRWISE_BUFSIZE;
        acc += imbal_pairwise_sum(a + s, len);
    }
    return acc;
}
