/* The process-wide choice of vector code (see simd.h). An atomic, so threads reading it while
 * another sets it see one value or the other, never a torn one. */
#include "imbal/simd.h"

#include <stdatomic.h>

static atomic_int simd_level = IMBAL_SIMD_BEST;

void imbal_simd_set(imbal_simd_level level)
{
    atomic_store_explicit(&simd_level,
                          level == IMBAL_SIMD_GENERIC ? IMBAL_SIMD_GENERIC : IMBAL_SIMD_BEST,
                          memory_order_relaxed);
}

imbal_simd_level imbal_simd_get(void)
{
    return (imbal_simd_level)atomic_load_explicit(&simd_level, memory_order_relaxed);
}

int imbal_simd_avx2(void)
{
#if defined(__GNUC__) && defined(__x86_64__)
    return imbal_simd_get() == IMBAL_SIMD_BEST && __builtin_cpu_supports("avx2");
#else
    return 0;
#endif
}
