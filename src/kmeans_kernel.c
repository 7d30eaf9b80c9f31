/* The dot-product kernels of k-means: for the assignment step (kmeans_assign.c) four rows
 * against every centre at once, the centres stored feature-major (ct, d * kp, kp a multiple
 * of 8), so that each centre value loaded serves four rows and each row value eight centres;
 * for the seeding (kmeans_seed.c) one row against a list of rows, sixteen at a time, their
 * features transposed four by four in registers so that the lanes run across rows.
 * Every variant (generic C, AVX2 picked at run time unless simd.h says generic) gives each
 * dot product the bits of imbal_km_dot: the lanes run across centres and rows, never across
 * the features of one sum (added in feature order from 0), and nothing is contracted. */
#include <string.h>
#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#endif

#include "imbal/simd.h"
#include "kmeans_internal.h"

static void km_dots4_generic(const double *const xr[4], const double *ct, size_t kp, size_t d,
                             double *out)
{
    for (size_t j0 = 0; j0 < kp; j0 += 8) {
        double a0[8] = {0}, a1[8] = {0}, a2[8] = {0}, a3[8] = {0};
        for (size_t f = 0; f < d; f++) {
            const double *c = ct + f * kp + j0;
            const double v0 = xr[0][f], v1 = xr[1][f], v2 = xr[2][f], v3 = xr[3][f];
#pragma omp simd
            for (size_t t = 0; t < 8; t++) {
                a0[t] += v0 * c[t];
                a1[t] += v1 * c[t];
                a2[t] += v2 * c[t];
                a3[t] += v3 * c[t];
            }
        }
        memcpy(out + j0, a0, sizeof(a0));
        memcpy(out + kp + j0, a1, sizeof(a1));
        memcpy(out + 2 * kp + j0, a2, sizeof(a2));
        memcpy(out + 3 * kp + j0, a3, sizeof(a3));
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
typedef double km_v4 __attribute__((vector_size(32)));

__attribute__((target("avx2"))) static void km_dots4_avx2(const double *const xr[4],
                                                          const double *ct, size_t kp,
                                                          size_t d, double *out)
{
    for (size_t j0 = 0; j0 < kp; j0 += 8) {
        km_v4 a00 = {0, 0, 0, 0};
        km_v4 a01 = a00, a10 = a00, a11 = a00, a20 = a00, a21 = a00, a30 = a00, a31 = a00;
        for (size_t f = 0; f < d; f++) {
            km_v4 c0, c1;
            memcpy(&c0, ct + f * kp + j0, sizeof(c0));
            memcpy(&c1, ct + f * kp + j0 + 4, sizeof(c1));
            const km_v4 v0 = {xr[0][f], xr[0][f], xr[0][f], xr[0][f]};
            const km_v4 v1 = {xr[1][f], xr[1][f], xr[1][f], xr[1][f]};
            const km_v4 v2 = {xr[2][f], xr[2][f], xr[2][f], xr[2][f]};
            const km_v4 v3 = {xr[3][f], xr[3][f], xr[3][f], xr[3][f]};
            a00 += v0 * c0;
            a01 += v0 * c1;
            a10 += v1 * c0;
            a11 += v1 * c1;
            a20 += v2 * c0;
            a21 += v2 * c1;
            a30 += v3 * c0;
            a31 += v3 * c1;
        }
        memcpy(out + j0, &a00, sizeof(a00));
        memcpy(out + j0 + 4, &a01, sizeof(a01));
        memcpy(out + kp + j0, &a10, sizeof(a10));
        memcpy(out + kp + j0 + 4, &a11, sizeof(a11));
        memcpy(out + 2 * kp + j0, &a20, sizeof(a20));
        memcpy(out + 2 * kp + j0 + 4, &a21, sizeof(a21));
        memcpy(out + 3 * kp + j0, &a30, sizeof(a30));
        memcpy(out + 3 * kp + j0 + 4, &a31, sizeof(a31));
    }
}
#endif

void imbal_km_dots4(const double *const xr[4], const double *ct, size_t kp, size_t d,
                    double *out)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (imbal_simd_avx2()) {
        km_dots4_avx2(xr, ct, kp, d, out);
        return;
    }
#endif
    km_dots4_generic(xr, ct, kp, d, out);
}

static void km_dots_rows_generic(const double *q, const double *x, size_t d, const size_t *rows,
                                 size_t cnt, double *out)
{
    size_t m = 0;
    for (; m + 4 <= cnt; m += 4) {
        const double *a0 = x + rows[m] * d;
        const double *a1 = x + rows[m + 1] * d;
        const double *a2 = x + rows[m + 2] * d;
        const double *a3 = x + rows[m + 3] * d;
        double s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0;
        for (size_t f = 0; f < d; f++) {
            s0 += q[f] * a0[f];
            s1 += q[f] * a1[f];
            s2 += q[f] * a2[f];
            s3 += q[f] * a3[f];
        }
        out[m] = s0;
        out[m + 1] = s1;
        out[m + 2] = s2;
        out[m + 3] = s3;
    }
    for (; m < cnt; m++) {
        out[m] = imbal_km_dot(q, x + rows[m] * d, d);
    }
}

#if defined(__GNUC__) && defined(__x86_64__)
/* Four rows' dot products with q, lanes across the rows: features four at a time, the 4 x 4
 * block transposed, then added to the sums feature after feature. */
#define KM_ROWS4_STEP(acc, a0, a1, a2, a3)                                                     \
    do {                                                                                       \
        __m256d r0 = _mm256_loadu_pd((a0) + f), r1 = _mm256_loadu_pd((a1) + f);                \
        __m256d r2 = _mm256_loadu_pd((a2) + f), r3 = _mm256_loadu_pd((a3) + f);                \
        __m256d t0 = _mm256_unpacklo_pd(r0, r1), t1 = _mm256_unpackhi_pd(r0, r1);              \
        __m256d t2 = _mm256_unpacklo_pd(r2, r3), t3 = _mm256_unpackhi_pd(r2, r3);              \
        acc = _mm256_add_pd(acc, _mm256_mul_pd(q0, _mm256_permute2f128_pd(t0, t2, 0x20)));     \
        acc = _mm256_add_pd(acc, _mm256_mul_pd(q1, _mm256_permute2f128_pd(t1, t3, 0x20)));     \
        acc = _mm256_add_pd(acc, _mm256_mul_pd(q2, _mm256_permute2f128_pd(t0, t2, 0x31)));     \
        acc = _mm256_add_pd(acc, _mm256_mul_pd(q3, _mm256_permute2f128_pd(t1, t3, 0x31)));     \
    } while (0)

#define KM_ROWS4_TAIL(acc, a0, a1, a2, a3)                                                     \
    acc = _mm256_add_pd(acc, _mm256_mul_pd(_mm256_set1_pd(q[f]),                               \
                                           _mm256_set_pd((a3)[f], (a2)[f], (a1)[f], (a0)[f])))

__attribute__((target("avx2"))) static void km_dots_rows_avx2(const double *q, const double *x,
                                                              size_t d, const size_t *rows,
                                                              size_t cnt, double *out)
{
    size_t m = 0;
    for (; m + 16 <= cnt; m += 16) {
        const double *a[16];
        for (size_t r = 0; r < 16; r++) {
            a[r] = x + rows[m + r] * d;
        }
        __m256d s0 = _mm256_setzero_pd(), s1 = s0, s2 = s0, s3 = s0;
        size_t f = 0;
        for (; f + 4 <= d; f += 4) {
            const __m256d q0 = _mm256_set1_pd(q[f]), q1 = _mm256_set1_pd(q[f + 1]);
            const __m256d q2 = _mm256_set1_pd(q[f + 2]), q3 = _mm256_set1_pd(q[f + 3]);
            KM_ROWS4_STEP(s0, a[0], a[1], a[2], a[3]);
            KM_ROWS4_STEP(s1, a[4], a[5], a[6], a[7]);
            KM_ROWS4_STEP(s2, a[8], a[9], a[10], a[11]);
            KM_ROWS4_STEP(s3, a[12], a[13], a[14], a[15]);
        }
        for (; f < d; f++) {
            KM_ROWS4_TAIL(s0, a[0], a[1], a[2], a[3]);
            KM_ROWS4_TAIL(s1, a[4], a[5], a[6], a[7]);
            KM_ROWS4_TAIL(s2, a[8], a[9], a[10], a[11]);
            KM_ROWS4_TAIL(s3, a[12], a[13], a[14], a[15]);
        }
        _mm256_storeu_pd(out + m, s0);
        _mm256_storeu_pd(out + m + 4, s1);
        _mm256_storeu_pd(out + m + 8, s2);
        _mm256_storeu_pd(out + m + 12, s3);
    }
    km_dots_rows_generic(q, x, d, rows + m, cnt - m, out + m);
}
#endif

void imbal_km_dots_rows(const double *q, const double *x, size_t d, const size_t *rows,
                        size_t cnt, double *out)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (imbal_simd_avx2()) {
        km_dots_rows_avx2(q, x, d, rows, cnt, out);
        return;
    }
#endif
    km_dots_rows_generic(q, x, d, rows, cnt, out);
}
