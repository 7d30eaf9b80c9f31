/* Techniques tomek_links and smote_tomek. Parity with imbalanced-learn 0.10 on the published
 * abalone19 training fold (tests/reference/abalone19_kept.csv, abalone19_table_888.csv,
 * abalone19_smote_tomek_888.csv) and on three classes (multiclass3_*.csv); small hand-made
 * cases whose links the comments work out; a brute-force Tomek test on random grid points with
 * ties; every error path; an allocation-failure walk over the three cleaning techniques
 * (cluster_centroids and k-means: test_cluster_centroids.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "cleaning_fixtures.h"
#include "imbal/resample.h"
#include "util.h"

/* ---- tomek_links ---- */

START_TEST(tomek_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    ref_table *t = ref_read("tests/reference/abalone19_kept.csv");
    size_t k = 0;
    size_t count[2] = {0, 0};
    for (size_t row = 0; row < t->n_rows; row++) {
        if (strcmp(ref_str(t, row, "technique"), "tomek_links") != 0) {
            continue;
        }
        ck_assert_uint_lt(k, r->n);
        ck_assert_uint_eq(r->source[k], (size_t)ref_num(t, row, "kept_position"));
        k++;
    }
    ck_assert_uint_eq(k, r->n);
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
    }
    ck_assert_uint_eq(count[0], 3298); /* 15 negatives in links removed */
    ck_assert_uint_eq(count[1], 26);   /* the minority is not cleaned */
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    fold_free(&f);
}
END_TEST

/* Twelve points on a line (x, 0); class 1 at 1, 9 and 21, class 0 elsewhere:
 *   0 @ 0 (c0) <-> 1 @ 1 (c1): each other's nearest (1 < 4)           -> link
 *   2 @ 5, 3 @ 5.5: nearest pair but both c0                          -> no link
 *   4 @ 9 (c1): nearest 5 @ 10 (1); 5's nearest is 6 @ 10.4 (0.4)     -> no link
 *   7 @ 20 (c0) <-> 8 @ 21 (c1): nearest 1 apart, 9 @ 30 is 9 away    -> link
 *   9 @ 30, 10 @ 33, 11 @ 40: c0, nearest each other                  -> no link */
static const double line_x[] = {0,    0, 1,  0, 5,  0, 5.5, 0, 9,  0, 10, 0,
                                10.4, 0, 20, 0, 21, 0, 30,  0, 33, 0, 40, 0};
static const int line_y[] = {0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0};

START_TEST(tomek_removes_the_targeted_member_of_each_link)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t auto_removed[] = {0, 7}; /* auto: class 0 only (not the minority) */
    assert_kept_all_but(r, &v, auto_removed, 2);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    const size_t all_removed[] = {0, 1, 7, 8};
    assert_kept_all_but(r, &v, all_removed, 4);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=positive", NULL); /* a list: class 1 */
    const size_t pos_removed[] = {1, 8};
    assert_kept_all_but(r, &v, pos_removed, 2);
    imbal_resampled_free(r);

    r = run("tomek_links", &v, "sampling_strategy=majority", NULL);
    assert_kept_all_but(r, &v, auto_removed, 2);
    imbal_resampled_free(r);
}
END_TEST

/* Row 2 @ 0 (c0) is 1 from row 0 @ -1 (c1) and from row 1 @ 1 (c0): the tie goes to the
 * lower index, row 0, whose own nearest is row 2 (1 < 2): a link. With the labels of rows 0
 * and 1 swapped the tie picks row 0 again, now c0 like row 2: no link. Rows 3-5 are far c0
 * rows making class 0 the majority. */
START_TEST(tomek_breaks_distance_ties_by_lower_index)
{
    const double x[] = {-1, 1, 0, 100, 101, 200};
    const int y_link[] = {1, 0, 0, 0, 0, 0};
    const int y_none[] = {0, 1, 0, 0, 0, 0};
    imbal_train_view v = {x, y_link, 6, 1, 2, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t removed[] = {2};
    assert_kept_all_but(r, &v, removed, 1);
    imbal_resampled_free(r);

    v.y = y_none;
    r = run("tomek_links", &v, NULL, NULL);
    assert_kept_all_but(r, &v, NULL, 0);
    imbal_resampled_free(r);
}
END_TEST

/* Exact duplicates of different classes: each is the other's nearest other row (distance 0),
 * so they form a link and "all" removes both (imbal's rule; scikit-learn's column 1 of
 * kneighbors(X) depends on its tree layout there). */
START_TEST(tomek_links_exact_duplicates_of_different_classes)
{
    const double x[] = {3, 3, 3, 3, 10, 10, 20, 20, 40, 40};
    const int y[] = {0, 1, 0, 0, 1};
    imbal_train_view v = {x, y, 5, 2, 2, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    const size_t removed[] = {0, 1};
    assert_kept_all_but(r, &v, removed, 2);
    imbal_resampled_free(r);
}
END_TEST

/* Three classes on a line (counts 5, 3, 2: class c is the minority, auto cleans a and b):
 *   0 @ 0 (a) <-> 1 @ 1 (b)            link: both removed
 *   2 @ 10, 3 @ 10.8 (a, a)            no link
 *   4 @ 20 (b) <-> 5 @ 21 (c)          link: 4 removed, 5 (minority) kept
 *   6 @ 30 (c) <-> 7 @ 30.5 (a)        link: 7 removed, 6 kept
 *   8 @ 40 (a) <-> 9 @ 45 (b)          5 apart, 7 is 9.5 from 8: link, both removed */
START_TEST(tomek_cleans_several_classes)
{
    const double x[] = {0, 1, 10, 10.8, 20, 21, 30, 30.5, 40, 45};
    const int y[] = {0, 1, 0, 0, 1, 2, 2, 0, 0, 1};
    imbal_train_view v = {x, y, 10, 1, 3, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, NULL, NULL);
    const size_t removed[] = {0, 1, 4, 7, 8, 9};
    assert_kept_all_but(r, &v, removed, 6);
    imbal_resampled_free(r);
}
END_TEST

/* Random points on a coarse grid (many equal distances and some duplicates), three classes,
 * against a brute force written here: nearest other row by squared distance, first index
 * on ties, link when mutual with different classes, removed when its class is cleaned. */
START_TEST(tomek_matches_brute_force_on_random_grid_points)
{
    const size_t n = 300;
    double x[600];
    int y[300];
    size_t nn[300];
    size_t removed[300];
    imbal_rng *g = new_rng(IMBAL_RNG_DEFAULT, 7);
    for (size_t i = 0; i < n; i++) {
        x[2 * i] = (double)imbal_rng_below(g, 12);
        x[2 * i + 1] = (double)imbal_rng_below(g, 12);
        y[i] = i % 10 == 0 ? 2 : (int)imbal_rng_below(g, 2);
    }
    for (size_t i = 0; i < n; i++) {
        double best = INFINITY;
        for (size_t j = 0; j < n; j++) {
            double dx = x[2 * i] - x[2 * j];
            double dy = x[2 * i + 1] - x[2 * j + 1];
            double s = dx * dx + dy * dy;
            if (j != i && s < best) {
                best = s;
                nn[i] = j;
            }
        }
    }
    imbal_train_view v = {x, y, n, 2, 3, NULL, NULL};
    imbal_resampled *r = run("tomek_links", &v, "sampling_strategy=all", NULL);
    size_t n_removed = 0;
    for (size_t i = 0; i < n; i++) {
        if (y[nn[i]] != y[i] && nn[nn[i]] == i) {
            removed[n_removed++] = i;
        }
    }
    ck_assert_uint_gt(n_removed, 0);
    assert_kept_all_but(r, &v, removed, n_removed);
    imbal_resampled_free(r);
    imbal_rng_free(g);
}
END_TEST

START_TEST(tomek_rejects_bad_strategies)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL, NULL};
    /* imblearn: "minority" is for over-samplers, a ratio or counts for other samplers */
    assert_fails("tomek_links", &v, "sampling_strategy=minority", IMBAL_EINVAL,
                 "sampling_strategy");
    assert_fails("tomek_links", &v, "sampling_strategy=0.5", IMBAL_EINVAL, "sampling_strategy");
    assert_fails("tomek_links", &v, "sampling_strategy=negative:3", IMBAL_EINVAL,
                 "sampling_strategy");
    const int one_class[12] = {0};
    v.y = one_class;
    assert_fails("tomek_links", &v, NULL, IMBAL_EINVAL, "sampling_strategy");
}
END_TEST

/* ---- smote_tomek ---- */

START_TEST(smote_tomek_replays_imblearn_on_abalone19)
{
    fold f = abalone_train();
    imbal_train_view v = {f.x, f.y, f.n, ABALONE_D, 2, NULL, NULL};
    imbal_resampled *over = run("smote", &v, NULL, NULL);
    imbal_resampled *r = run("smote_tomek", &v, NULL, NULL);
    ref_table *t = ref_read("tests/reference/abalone19_smote_tomek_888.csv");
    size_t count[2] = {0, 0};
    size_t k = 0;
    size_t next = 0; /* next removed row of the reference */
    ck_assert_uint_eq(over->n, 6626);
    for (size_t i = 0; i < over->n; i++) {
        if (next < t->n_rows && (size_t)ref_num(t, next, "removed_position") == i) {
            ck_assert_int_eq(over->y[i], (int)ref_num(t, next, "class"));
            next++;
            continue;
        }
        ck_assert_uint_lt(k, r->n);
        ck_assert_uint_eq(r->source[k], over->source[i]);
        ck_assert_int_eq(r->y[k], over->y[i]);
        ck_assert(
            memcmp(r->x + k * ABALONE_D, over->x + i * ABALONE_D, ABALONE_D * sizeof(double)) == 0);
        count[r->y[k]]++;
        k++;
    }
    ck_assert_uint_eq(next, t->n_rows);
    ck_assert_uint_eq(k, r->n);
    ck_assert_uint_eq(count[0], 3309); /* abalone19_table_888.csv n_neg_after, n_pos_after */
    ck_assert_uint_eq(count[1], 3309);
    assert_copies_are_exact(r, &v);
    ref_free(t);
    imbal_resampled_free(r);
    imbal_resampled_free(over);
    fold_free(&f);
}
END_TEST

START_TEST(smote_tomek_rejects_bad_parameters)
{
    imbal_train_view v = {line_x, line_y, 12, 2, 2, NULL, NULL};
    /* 3 positives: SMOTE needs k_neighbors < 3 */
    assert_fails("smote_tomek", &v, "k_neighbors=3", IMBAL_EINVAL, "k_neighbors");
    assert_fails("smote_tomek", &v, "sampling_strategy=majority", IMBAL_EINVAL,
                 "sampling_strategy");
    imbal_resampled *r = run("smote_tomek", &v, "k_neighbors=2", NULL);
    size_t count[2] = {0, 0};
    for (size_t i = 0; i < r->n; i++) {
        count[r->y[i]]++;
    }
    /* SMOTE makes 9 + 9; each link then takes one row of each class */
    ck_assert_uint_le(count[0], 9);
    ck_assert_uint_eq(count[0], count[1]);
    imbal_resampled_free(r);
}
END_TEST

/* ---- three classes (tests/reference/multiclass3_*.csv) ---- */

START_TEST(three_classes_replay_imblearn_tomek_links)
{
    multiclass3 *m = multiclass3_load();
    imbal_train_view v = {m->x, m->y, 600, 5, 3, NULL, NULL};
    static const char *const forms[2][2] = {{"tomek_links", NULL},
                                            {"tomek_links_all", "sampling_strategy=all"}};
    size_t kept[600];
    for (size_t f = 0; f < 2; f++) {
        size_t n = multiclass3_positions(forms[f][0], kept, 600);
        imbal_resampled *r = run("tomek_links", &v, forms[f][1], NULL);
        ck_assert_uint_eq(r->n, n); /* auto: 587 (classes a, b cleaned), all: 578 */
        for (size_t i = 0; i < n; i++) {
            ck_assert_uint_eq(r->source[i], kept[i]);
        }
        imbal_resampled_free(r);
    }
    free(m);
}
END_TEST

/* SMOTETomek(random_state=7): SMOTE's 1077 rows minus the 20 listed. */
START_TEST(three_classes_replay_imblearn_smote_tomek)
{
    multiclass3 *m = multiclass3_load();
    imbal_train_view v = {m->x, m->y, 600, 5, 3, NULL, NULL};
    size_t removed[64];
    size_t n_removed = multiclass3_positions("smote_tomek_removed", removed, 64);
    imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 7);
    imbal_resampled *over = run("smote", &v, NULL, g);
    imbal_rng_free(g);
    g = new_rng(IMBAL_RNG_NUMPY, 7);
    imbal_resampled *r = run("smote_tomek", &v, NULL, g);
    ck_assert_uint_eq(over->n, 1077);
    ck_assert_uint_eq(r->n, over->n - n_removed);
    size_t k = 0;
    size_t next = 0;
    for (size_t i = 0; i < over->n; i++) {
        if (next < n_removed && removed[next] == i) {
            next++;
            continue;
        }
        ck_assert_uint_eq(r->source[k], over->source[i]);
        ck_assert(memcmp(r->x + k * 5, over->x + i * 5, 5 * sizeof(double)) == 0);
        k++;
    }
    ck_assert_uint_eq(k, r->n);
    imbal_resampled_free(r);
    imbal_resampled_free(over);
    imbal_rng_free(g);
    free(m);
}
END_TEST

/* ---- allocation failures ---- */

/* Fails the 1st, 2nd, ... allocation of each technique until one run succeeds: every
 * failure is ENOMEM with *out NULL (and the sanitizer build proves nothing leaks). */
START_TEST(techniques_survive_allocation_failures)
{
    static const char *const names[] = {"tomek_links", "cluster_centroids", "smote_tomek"};
    imbal_train_view v = {blob_x, blob_y, 15, 2, 2, NULL, NULL};
    for (size_t t = 0; t < 3; t++) {
        const imbal_technique *tech = imbal_technique_find(names[t]);
        imbal_param_values p;
        ck_assert_int_eq(parse(tech, t == 2 ? "k_neighbors=2" : NULL, 2, &p, NULL), IMBAL_OK);
        int done = 0;
        for (long fail_at = 1; fail_at < 1000 && !done; fail_at++) {
            imbal_rng *g = new_rng(IMBAL_RNG_NUMPY, 888);
            imbal_resampled *r = (imbal_resampled *)&r;
            imbal_error err = {0};
            imbal_alloc_fail_after(fail_at);
            imbal_status st = imbal_resample(tech, &v, &p, g, &r, &err);
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                ck_assert_ptr_nonnull(r);
                imbal_resampled_free(r);
                done = 1;
            } else {
                ck_assert_msg(st == IMBAL_ENOMEM, "%s at %ld: %s", names[t], fail_at, err.msg);
                ck_assert_ptr_null(r);
            }
            imbal_rng_free(g);
        }
        ck_assert_msg(done, "%s never succeeded", names[t]);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("cleaning");
    TCase *tc = tcase_create("tomek_links");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, tomek_replays_imblearn_on_abalone19);
    tcase_add_test(tc, tomek_removes_the_targeted_member_of_each_link);
    tcase_add_test(tc, tomek_breaks_distance_ties_by_lower_index);
    tcase_add_test(tc, tomek_links_exact_duplicates_of_different_classes);
    tcase_add_test(tc, tomek_cleans_several_classes);
    tcase_add_test(tc, tomek_matches_brute_force_on_random_grid_points);
    tcase_add_test(tc, tomek_rejects_bad_strategies);
    tcase_add_test(tc, three_classes_replay_imblearn_tomek_links);
    suite_add_tcase(s, tc);
    tc = tcase_create("smote_tomek");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, smote_tomek_replays_imblearn_on_abalone19);
    tcase_add_test(tc, smote_tomek_rejects_bad_parameters);
    tcase_add_test(tc, three_classes_replay_imblearn_smote_tomek);
    tcase_add_test(tc, techniques_survive_allocation_failures);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
