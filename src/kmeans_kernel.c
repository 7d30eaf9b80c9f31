/* The blocked dot-product kernel of the k-means assignment step (kmeans_assign.c): four rows
 * against every centre at once, the centres stored feature-major (ct, d * kp, kp a multiple
 * of 8), so that each centre value loaded serves four rows and each row value eight centres.
 * Every variant (generic C, AVX2 picked at run time unless simd.h says generic) gives each
 * dot product the bits of imbal_km_dot: the lanes run across centres and rows, never across
 * the features of one sum (added in feature order from 0), and nothing is contracted. */
#include <string.h>

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
