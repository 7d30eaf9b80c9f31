/* Error records: first error wins, context is only added where missing, formatting. */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/error.h"
#include "util.h"

START_TEST(first_error_wins)
{
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_fail_at(&err, IMBAL_EPARSE, "a.csv", 3, 4, "bad cell '%s'", "x"),
                     IMBAL_EPARSE);
    ck_assert_int_eq(imbal_fail(&err, IMBAL_ENOMEM, "later"), IMBAL_ENOMEM);
    ck_assert_int_eq(err.status, IMBAL_EPARSE);
    ck_assert_str_eq(err.msg, "bad cell 'x'");
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.column, 4);
    imbal_error_set_file(&err, "b.csv");
    ck_assert_str_eq(err.file, "a.csv");
}
END_TEST

START_TEST(format_names_location)
{
    imbal_error err;
    char buf[512];
    imbal_error_clear(&err);
    imbal_fail(&err, IMBAL_EINVAL, "one class only");
    imbal_error_set_file(&err, "d.csv");
    ck_assert_str_eq(imbal_error_format(&err, buf, sizeof(buf)), "d.csv: error: one class only");
    imbal_error_clear(&err);
    imbal_fail_at(&err, IMBAL_EPARSE, "s.yaml", 7, 3, "unknown key");
    ck_assert_str_eq(imbal_error_format(&err, buf, sizeof(buf)), "s.yaml:7:3: error: unknown key");
}
END_TEST

START_TEST(null_error_is_allowed)
{
    ck_assert_int_eq(imbal_fail(NULL, IMBAL_EIO, "x"), IMBAL_EIO);
    ck_assert_str_eq(imbal_strerror(IMBAL_ENOCONV), "solver did not converge");
    ck_assert_str_eq(imbal_strerror(IMBAL_NSTATUS), "unknown status");
}
END_TEST

START_TEST(alloc_hook_fails_nth)
{
    void *a;
    void *b;
    imbal_alloc_fail_after(2);
    a = imbal_malloc(4, 4);
    b = imbal_malloc(4, 4);
    imbal_alloc_fail_after(0);
    ck_assert_ptr_nonnull(a);
    ck_assert_ptr_null(b);
    free(a);
    /* overflow of n * size is refused, not wrapped */
    ck_assert_ptr_null(imbal_malloc((size_t)-1 / 2, 4));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("error");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, first_error_wins);
    tcase_add_test(tc, format_names_location);
    tcase_add_test(tc, null_error_is_allowed);
    tcase_add_test(tc, alloc_hook_fails_nth);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
