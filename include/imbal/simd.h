/* Which vector code the library runs. The hot loops (the k-NN distance kernel and KD-tree
 * gaps, the exact logistic regression's passes over the rows) have an AVX2 variant picked at
 * run time on CPUs that have it, and a generic one (plain C, or SSE2's 2-wide vectors on
 * x86-64) that every other machine runs. All variants perform the same IEEE operations in the
 * same order, so they give the same bits: the choice changes speed only. IMBAL_SIMD_GENERIC
 * exists so that a test on an AVX2 machine can run the generic code too and compare.
 * The setting is process-wide; change it only while no fit or neighbour index is running
 * (a k-NN index keeps the kernel it was built with). The library never reads the
 * environment; imbal's command line honours IMBAL_SIMD=generic|best. */
#ifndef IMBAL_SIMD_H
#define IMBAL_SIMD_H

typedef enum {
    IMBAL_SIMD_BEST = 0, /* default: the widest variant this CPU runs */
    IMBAL_SIMD_GENERIC   /* never the AVX2 variants */
} imbal_simd_level;

void imbal_simd_set(imbal_simd_level level);
imbal_simd_level imbal_simd_get(void);

/* 1 when the AVX2 variants are to run: level BEST and a CPU with AVX2. */
int imbal_simd_avx2(void);

#endif
