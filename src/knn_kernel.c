/* The one distance kernel of the k-NN index: squared distances from a query to 16 reference
 * rows stored feature-major, each lane summing (q_f - x_f)^2 over f in index order, so every
 * variant (scalar, 2-wide, 4-wide AVX2 picked at run time unless simd.h says generic) gives the scalar loop's bits:
 * SIMD runs across rows, never across the features of one sum, and nothing is contracted. */
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#include "imbal/simd.h"
#include "knn_internal.h"

/* Features summed between two checks of the early exit. */
#define KNN_EXIT_STRIDE 8

/* Every kernel fills out[j] = sum_f (q[f] - x[f * ld + j])^2 for j < KNN_CHUNK and returns
 * the mask of lanes with out[j] <= bound (bit j for lane j). It stops early, returning 0 with
 * out unset, once every partial sum exceeds bound strictly: adding non-negative doubles never
 * lowers a sum, so every full sum would exceed it too. */

static unsigned kernel_scalar(const double *q, const double *x, size_t ld, size_t d,
                              double bound, double *out)
{
    double a[KNN_CHUNK] = {0};
    unsigned mask = 0;
    size_t f = 0;
    while (f < d) {
        size_t stop = d - f > KNN_EXIT_STRIDE ? f + KNN_EXIT_STRIDE : d;
        int above = 1;
        for (; f < stop; f++) {
            for (size_t j = 0; j < KNN_CHUNK; j++) {
                double t = q[f] - x[f * ld + j];
                a[j] += t * t;
            }
        }
        for (size_t j = 0; j < KNN_CHUNK; j++) {
            above = above && a[j] > bound;
        }
        if (f < d && above) {
            return 0;
        }
    }
    for (size_t j = 0; j < KNN_CHUNK; j++) {
        out[j] = a[j];
        mask |= (unsigned)(a[j] <= bound) << j;
    }
    return mask;
}

#if defined(__GNUC__)
/* Vectors never cross a function boundary: how 32-byte vectors are passed depends on
 * whether AVX is enabled (gcc's -Wpsabi); loads go through memcpy (no alignment assumed). */
typedef double kernel_v2 __attribute__((vector_size(16)));
typedef long long kernel_v2i __attribute__((vector_size(16)));

#define KERNEL_STEP(a, c, qf)                                                                     \
    do {                                                                                          \
        __typeof__(a) t_;                                                                         \
        memcpy(&t_, (c), sizeof(t_));                                                             \
        t_ = (qf) - t_;                                                                           \
        (a) += t_ * t_;                                                                           \
    } while (0)

/* Bits of the lanes of a 2-wide comparison result. */
static unsigned kernel_bits2(kernel_v2i g)
{
#if defined(__x86_64__)
    return (unsigned)_mm_movemask_pd((__m128d)g);
#else
    return (unsigned)(g[0] != 0) | (unsigned)(g[1] != 0) << 1;
#endif
}

static unsigned kernel_v2x8(const double *q, const double *x, size_t ld, size_t d,
                            double bound, double *out)
{
    const kernel_v2 b = {bound, bound};
    kernel_v2 a0 = {0, 0};
    kernel_v2 a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
    size_t f = 0;
    while (f < d) {
        size_t stop = d - f > KNN_EXIT_STRIDE ? f + KNN_EXIT_STRIDE : d;
        for (; f < stop; f++) {
            const kernel_v2 qf = {q[f], q[f]};
            const double *c = x + f * ld;
            KERNEL_STEP(a0, c, qf);
            KERNEL_STEP(a1, c + 2, qf);
            KERNEL_STEP(a2, c + 4, qf);
            KERNEL_STEP(a3, c + 6, qf);
            KERNEL_STEP(a4, c + 8, qf);
            KERNEL_STEP(a5, c + 10, qf);
            KERNEL_STEP(a6, c + 12, qf);
            KERNEL_STEP(a7, c + 14, qf);
        }
        if (f < d) {
            kernel_v2i g = (a0 <= b) | (a1 <= b) | (a2 <= b) | (a3 <= b) | (a4 <= b) |
                           (a5 <= b) | (a6 <= b) | (a7 <= b);
            if (kernel_bits2(g) == 0) {
                return 0;
            }
        }
    }
    memcpy(out, &a0, sizeof(a0));
    memcpy(out + 2, &a1, sizeof(a1));
    memcpy(out + 4, &a2, sizeof(a2));
    memcpy(out + 6, &a3, sizeof(a3));
    memcpy(out + 8, &a4, sizeof(a4));
    memcpy(out + 10, &a5, sizeof(a5));
    memcpy(out + 12, &a6, sizeof(a6));
    memcpy(out + 14, &a7, sizeof(a7));
    return kernel_bits2(a0 <= b) | kernel_bits2(a1 <= b) << 2 | kernel_bits2(a2 <= b) << 4 |
           kernel_bits2(a3 <= b) << 6 | kernel_bits2(a4 <= b) << 8 |
           kernel_bits2(a5 <= b) << 10 | kernel_bits2(a6 <= b) << 12 |
           kernel_bits2(a7 <= b) << 14;
}
#endif

#if defined(__GNUC__) && defined(__x86_64__)
typedef double kernel_v4 __attribute__((vector_size(32)));
typedef long long kernel_v4i __attribute__((vector_size(32)));

#define KERNEL_BITS4(g) ((unsigned)_mm256_movemask_pd((__m256d)(g)))

__attribute__((target("avx2"))) static unsigned kernel_v4x4(const double *q, const double *x,
                                                            size_t ld, size_t d, double bound,
                                                            double *out)
{
    const kernel_v4 b = {bound, bound, bound, bound};
    kernel_v4 a0 = {0, 0, 0, 0};
    kernel_v4 a1 = a0, a2 = a0, a3 = a0;
    size_t f = 0;
    while (f < d) {
        size_t stop = d - f > KNN_EXIT_STRIDE ? f + KNN_EXIT_STRIDE : d;
        for (; f < stop; f++) {
            const kernel_v4 qf = {q[f], q[f], q[f], q[f]};
            const double *c = x + f * ld;
            KERNEL_STEP(a0, c, qf);
            KERNEL_STEP(a1, c + 4, qf);
            KERNEL_STEP(a2, c + 8, qf);
            KERNEL_STEP(a3, c + 12, qf);
        }
        if (f < d && KERNEL_BITS4((a0 <= b) | (a1 <= b) | (a2 <= b) | (a3 <= b)) == 0) {
            return 0;
        }
    }
    memcpy(out, &a0, sizeof(a0));
    memcpy(out + 4, &a1, sizeof(a1));
    memcpy(out + 8, &a2, sizeof(a2));
    memcpy(out + 12, &a3, sizeof(a3));
    return KERNEL_BITS4(a0 <= b) | KERNEL_BITS4(a1 <= b) << 4 | KERNEL_BITS4(a2 <= b) << 8 |
           KERNEL_BITS4(a3 <= b) << 12;
}
#endif

imbal_knn_kernel imbal_knn_pick_kernel(imbal_knn_kernel_kind kind)
{
    if (kind == IMBAL_KNN_KERNEL_SCALAR) {
        return kernel_scalar;
    }
#if defined(__GNUC__) && defined(__x86_64__)
    if (kind == IMBAL_KNN_KERNEL_BEST && imbal_simd_avx2()) {
        return kernel_v4x4;
    }
#endif
#if defined(__GNUC__)
    return kernel_v2x8;
#else
    return kernel_scalar;
#endif
}
