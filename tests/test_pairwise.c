/* numpy's float64 summation (src/pairwise.h) against numpy 1.24.2 to the bit:
 * tests/reference/numpy_sum.csv (scripts/reference/numpy_sum.py) holds np.add.reduce of 1-D
 * arrays of 0 to 50,000 values, lengths on each side of the 8-term unroll, the 128-term
 * block and the 8,192-value buffer, and row sums of 2-D arrays (one pairwise call). The
 * inputs are rebuilt here from the script's integer formula, so nothing but the sums is
 * stored. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pairwise.h"
#include "util.h"

/* The script's splitmix64 and element formula, term for term. */
static uint64_t splitmix64(uint64_t x)
{
    uint64_t z = x + 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static double *values(uint64_t seed, size_t n)
{
    double *a = malloc((n + 1) * sizeof(*a));
    ck_assert_ptr_nonnull(a);
    for (size_t i = 0; i < n; i++) {
        double u = (double)(splitmix64((seed << 32) + i) >> 11) / 9007199254740992.0;
        a[i] = u * 1.1 - 0.3;
    }
    return a;
}

static ref_table *ref;

static void load_ref(void)
{
    ref = ref_read("tests/reference/numpy_sum.csv");
}

static void free_ref(void)
{
    ref_free(ref);
}

/* Every row of the given kind, compared bit for bit (strtod reads C99 hex floats). */
static size_t check_kind(const char *kind, double (*sum)(const double *, size_t))
{
    size_t checked = 0;
    for (size_t r = 0; r < ref->n_rows; r++) {
        if (strcmp(ref_str(ref, r, "kind"), kind) != 0) {
            continue;
        }
        uint64_t seed = (uint64_t)ref_num(ref, r, "seed");
        size_t n = (size_t)ref_num(ref, r, "n");
        double expected = strtod(ref_str(ref, r, "hex"), NULL);
        double *a = values(seed, n);
        double got = sum(a, n);
        ck_assert_msg(memcmp(&got, &expected, sizeof(got)) == 0,
                      "%s seed %llu n %zu: %a, numpy %a", kind, (unsigned long long)seed, n, got,
                      expected);
        ck_assert_double_eq(expected, ref_num(ref, r, "sum")); /* the two columns agree */
        free(a);
        checked++;
    }
    return checked;
}

START_TEST(numpy_sum_matches_add_reduce)
{
    /* 35 lengths x 2 seeds, up to 50,000 values (20,000 among them) */
    ck_assert_uint_eq(check_kind("reduce", imbal_numpy_sum), 70);
}
END_TEST

START_TEST(pairwise_sum_matches_row_sums)
{
    ck_assert_uint_eq(check_kind("row", imbal_pairwise_sum), 54);
}
END_TEST

/* Beyond 8,192 values a single pairwise sum is not numpy's (the bug review found in the lbfgs
 * copy): on these inputs it differs from np.add.reduce at n = 20,000 (seed 1), so the
 * reference can tell the two apart. */
START_TEST(one_pairwise_sum_is_not_numpy_beyond_the_buffer)
{
    size_t differ = 0;
    for (size_t r = 0; r < ref->n_rows; r++) {
        size_t n = (size_t)ref_num(ref, r, "n");
        if (strcmp(ref_str(ref, r, "kind"), "reduce") == 0 && n > 8192) {
            double *a = values((uint64_t)ref_num(ref, r, "seed"), n);
            differ += imbal_pairwise_sum(a, n) != strtod(ref_str(ref, r, "hex"), NULL);
            free(a);
        }
    }
    ck_assert_uint_ge(differ, 8);
}
END_TEST

START_TEST(small_cases_by_hand)
{
    /* n < 8: plain left-to-right, starting from +0 (so -0.0 alone sums to +0.0) */
    const double neg_zero[1] = {-0.0};
    const double big[9] = {1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    const double seven[7] = {1e16, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0};
    double z = imbal_pairwise_sum(neg_zero, 1);
    ck_assert(z == 0.0 && !signbit(z));
    /* 7 terms in order: each 1 is lost against 1e16 (ulp 2) by round-half-even */
    ck_assert_double_eq(imbal_pairwise_sum(seven, 7), 1e16);
    /* 9 terms: eight running sums a[0..7], no second pass; ((1e16 + 1) + (1 + 1)) + ((1 + 1) +
     * (1 + 1)) = (1e16 + 2) + 4 (1e16 + 1 ties to even: 1e16), then + a[8]: 1e16 + 7 ties to
     * the even 1e16 + 8. In index order it would stay 1e16. */
    ck_assert_double_eq(imbal_pairwise_sum(big, 9), 1e16 + 8.0);
    ck_assert_double_eq(imbal_numpy_sum(big, 0), 0.0);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pairwise");
    TCase *tc = tcase_create("numpy");
    tcase_add_unchecked_fixture(tc, load_ref, free_ref);
    tcase_add_test(tc, numpy_sum_matches_add_reduce);
    tcase_add_test(tc, pairwise_sum_matches_row_sums);
    tcase_add_test(tc, one_pairwise_sum_is_not_numpy_beyond_the_buffer);
    tcase_add_test(tc, small_cases_by_hand);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
