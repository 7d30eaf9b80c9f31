/* Synthetic data (imbal_dataset_synthetic): exact class counts, shape, determinism in the
 * seed, cluster geometry (class means 0 or 2 * class_sep apart per informative feature,
 * unit variance) and label noise that swaps labels; parameter checks name the field. */
#include <math.h>
#include <string.h>

#include "imbal/dataset.h"
#include "util.h"

static imbal_dataset *synth_ok(const imbal_synthetic_params *p)
{
    imbal_dataset *ds = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_dataset_synthetic(p, &ds, &err) == IMBAL_OK, "%s", err.msg);
    return ds;
}

START_TEST(synthetic_counts_and_shape)
{
    /* 2000 * 0.05 = 100 positives, exactly: label noise swaps, it does not redraw */
    imbal_synthetic_params p;
    size_t counts[2];
    imbal_synthetic_params_default(&p);
    ck_assert_uint_eq(p.n_samples, 2000);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, NULL), IMBAL_OK);
    imbal_dataset *ds = synth_ok(&p);
    ck_assert_uint_eq(ds->n, 2000);
    ck_assert_uint_eq(ds->d, 10);
    ck_assert_uint_eq(ds->n_classes, 2);
    ck_assert_str_eq(ds->feature_names[9], "x9");
    ck_assert_str_eq(ds->class_names[1], "positive");
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[0], 1900);
    ck_assert_uint_eq(counts[1], 100);
    imbal_dataset_free(ds);
    /* 30 * 0.05 = 1.5 rounds to 2; 10 * 0.01 = 0.1 rounds to 0, raised to 2 */
    p.n_samples = 30;
    ds = synth_ok(&p);
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[1], 2);
    imbal_dataset_free(ds);
    p.n_samples = 10;
    p.weight_positive = 0.01;
    ds = synth_ok(&p);
    imbal_dataset_class_counts(ds, counts);
    ck_assert_uint_eq(counts[1], 2);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(synthetic_is_deterministic_in_seed)
{
    imbal_synthetic_params p;
    imbal_synthetic_params_default(&p);
    imbal_dataset *a = synth_ok(&p);
    imbal_dataset *b = synth_ok(&p);
    p.seed = 43;
    imbal_dataset *c = synth_ok(&p);
    size_t bytes = a->n * a->d * sizeof(double);
    ck_assert_int_eq(memcmp(a->x, b->x, bytes), 0);
    ck_assert_int_eq(memcmp(a->y, b->y, a->n * sizeof(int)), 0);
    ck_assert_int_ne(memcmp(a->x, c->x, bytes), 0);
    ck_assert_int_ne(memcmp(a->y, c->y, a->n * sizeof(int)), 0);
    imbal_dataset_free(a);
    imbal_dataset_free(b);
    imbal_dataset_free(c);
}
END_TEST

START_TEST(synthetic_clusters_are_class_sep_apart)
{
    /* balanced, no noise: per informative feature the class means differ by 0 or 2 * sep
     * (distinct hypercube vertices, so at least one 2 * sep); noise features by 0; unit
     * variance. Standard error of a mean difference: sqrt(2 / 2000) = 0.032; tolerance 0.15 */
    imbal_synthetic_params p;
    imbal_synthetic_params_default(&p);
    p.n_samples = 4000;
    p.n_features = 6;
    p.n_informative = 3;
    p.weight_positive = 0.5;
    p.flip_y = 0.0;
    p.class_sep = 1.5;
    imbal_dataset *ds = synth_ok(&p);
    size_t apart = 0;
    for (size_t j = 0; j < 6; j++) {
        double sum[2] = {0, 0};
        double sq[2] = {0, 0};
        size_t cnt[2] = {0, 0};
        for (size_t i = 0; i < ds->n; i++) {
            double v = ds->x[i * 6 + j];
            sum[ds->y[i]] += v;
            sq[ds->y[i]] += v * v;
            cnt[ds->y[i]]++;
        }
        double m0 = sum[0] / (double)cnt[0];
        double m1 = sum[1] / (double)cnt[1];
        double gap = fabs(m1 - m0);
        ck_assert_msg(gap < 0.15 || fabs(gap - 3.0) < 0.15, "feature %zu gap %g", j, gap);
        ck_assert(j < 3 || gap < 0.15);
        apart += gap > 1.5;
        for (int c = 0; c < 2; c++) {
            double m = sum[c] / (double)cnt[c];
            double var = sq[c] / (double)cnt[c] - m * m;
            ck_assert_msg(fabs(var - 1.0) < 0.1, "feature %zu class %d var %g", j, c, var);
        }
    }
    ck_assert_uint_ge(apart, 1);
    imbal_dataset_free(ds);
}
END_TEST

START_TEST(synthetic_flip_swaps_labels)
{
    /* flip_y only relabels (the draws for x come first): round(0.1 * 1000 / 2) = 50 rows
     * of each class swap labels, so 100 labels differ and the counts stay 800 / 200 */
    imbal_synthetic_params p;
    size_t counts[2];
    size_t changed[2] = {0, 0};
    imbal_synthetic_params_default(&p);
    p.n_samples = 1000;
    p.weight_positive = 0.2;
    p.flip_y = 0.0;
    imbal_dataset *clean = synth_ok(&p);
    p.flip_y = 0.1;
    imbal_dataset *noisy = synth_ok(&p);
    ck_assert_int_eq(memcmp(clean->x, noisy->x, 1000 * 10 * sizeof(double)), 0);
    for (size_t i = 0; i < 1000; i++) {
        if (clean->y[i] != noisy->y[i]) {
            changed[clean->y[i]]++;
        }
    }
    ck_assert_uint_eq(changed[0], 50);
    ck_assert_uint_eq(changed[1], 50);
    imbal_dataset_class_counts(noisy, counts);
    ck_assert_uint_eq(counts[1], 200);
    imbal_dataset_free(clean);
    imbal_dataset_free(noisy);
}
END_TEST

START_TEST(synthetic_params_rejected)
{
    imbal_synthetic_params p;
    imbal_error err;
    imbal_dataset *ds = (imbal_dataset *)&p; /* must be reset to NULL */
    imbal_synthetic_params_default(&p);
    p.n_informative = 11;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_dataset_synthetic(&p, &ds, &err), IMBAL_EINVAL);
    ck_assert_ptr_null(ds);
    ck_assert_str_eq(err.key, "n_informative");
    imbal_synthetic_params_default(&p);
    p.weight_positive = 0.6;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "weight_positive");
    imbal_synthetic_params_default(&p);
    p.flip_y = 1.0;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "flip_y");
    imbal_synthetic_params_default(&p);
    p.n_samples = 3;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_samples");
    imbal_synthetic_params_default(&p);
    p.class_sep = NAN;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "class_sep");
    imbal_synthetic_params_default(&p);
    p.n_features = 0;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_synthetic_params_check(&p, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "n_features");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("synthetic");
    TCase *ts = tcase_create("synthetic");
    tcase_add_test(ts, synthetic_counts_and_shape);
    tcase_add_test(ts, synthetic_is_deterministic_in_seed);
    tcase_add_test(ts, synthetic_clusters_are_class_sep_apart);
    tcase_add_test(ts, synthetic_flip_swaps_labels);
    tcase_add_test(ts, synthetic_params_rejected);
    suite_add_tcase(s, ts);
    return run_suite(s);
}
