/* Splits: with a numpy-kind generator, hold-out and k-fold must reproduce scikit-learn 1.2.1
 * row for row (tests/reference/abalone19_split.csv, abalone19_skfold5_888.csv, and small
 * cases whose expected rows were printed by /usr/bin/python3, command in each comment);
 * the default kind is checked by properties; every error path by a bad input. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/split.h"
#include "util.h"

static imbal_rng *new_rng(imbal_rng_kind kind, uint64_t seed)
{
    imbal_rng *r = NULL;
    ck_assert_int_eq(imbal_rng_new(kind, seed, &r, NULL), IMBAL_OK);
    return r;
}

/* Labels of datasets/abalone19.csv: Class == "positive" -> 1 (its last column). */
static int *abalone_labels(size_t *n)
{
    ref_table *t = ref_read("datasets/abalone19.csv");
    int *y = malloc(t->n_rows * sizeof(*y));
    ck_assert_ptr_nonnull(y);
    for (size_t i = 0; i < t->n_rows; i++) {
        y[i] = strcmp(ref_str(t, i, "Class"), "positive") == 0;
    }
    *n = t->n_rows;
    ref_free(t);
    return y;
}

static void assert_rows(const size_t *got, size_t n_got, const size_t *want, size_t n_want)
{
    ck_assert_uint_eq(n_got, n_want);
    for (size_t i = 0; i < n_want; i++) {
        ck_assert_msg(got[i] == want[i], "position %zu: got row %zu, want %zu", i, got[i],
                      want[i]);
    }
}

/* Rows of a "row,set" reference, one set, in file order. */
static size_t ref_set_rows(const ref_table *t, const char *set, size_t *rows)
{
    size_t k = 0;
    for (size_t r = 0; r < t->n_rows; r++) {
        if (strcmp(ref_str(t, r, "set"), set) == 0) {
            rows[k++] = (size_t)ref_num(t, r, "row");
        }
    }
    return k;
}

static size_t count_label(const int *y, const size_t *rows, size_t n, int label)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        k += y[rows[i]] == label;
    }
    return k;
}

START_TEST(holdout_replays_abalone19_published_split)
{
    size_t n;
    int *y = abalone_labels(&n);
    ref_table *t = ref_read("tests/reference/abalone19_split.csv");
    size_t *want = malloc(n * sizeof(*want));
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    imbal_split *s = NULL;
    size_t k;
    ck_assert_uint_eq(n, 4174);
    ck_assert_int_eq(imbal_split_holdout(y, n, 2, 0.2, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 1);
    ck_assert_uint_eq(s->n_repeats, 1);
    /* n_test = ceil(0.2 * 4174) = ceil(834.8) = 835, n_train = 3339 */
    k = ref_set_rows(t, "train", want);
    assert_rows(s->folds[0].train, s->folds[0].n_train, want, k);
    k = ref_set_rows(t, "test", want);
    assert_rows(s->folds[0].test, s->folds[0].n_test, want, k);
    ck_assert_uint_eq(s->folds[0].n_train, 3339);
    ck_assert_uint_eq(s->folds[0].n_test, 835);
    /* 32 positives: train 32 / 4174 * 3339 = 25.6 -> 26 (largest remainder), test 6 */
    ck_assert_uint_eq(count_label(y, s->folds[0].train, 3339, 1), 26);
    ck_assert_uint_eq(count_label(y, s->folds[0].train, 3339, 0), 3313);
    ck_assert_uint_eq(count_label(y, s->folds[0].test, 835, 1), 6);
    ck_assert_uint_eq(count_label(y, s->folds[0].test, 835, 0), 829);
    imbal_split_free(s);
    imbal_rng_free(rng);
    ref_free(t);
    free(want);
    free(y);
}
END_TEST

/* Expected rows from
 *   train_test_split(np.arange(n), test_size=t, stratify=y, random_state=seed)
 * run with scikit-learn 1.2.1 / numpy 1.24.2. */
typedef struct {
    const char *what;
    int y[16];
    size_t n;
    size_t n_classes;
    double test_size;
    uint64_t seed;
    size_t train[16];
    size_t n_train;
    size_t test[16];
    size_t n_test;
} holdout_case;

static const holdout_case holdout_cases[] = {
    /* 3 classes of 5: 5 / 15 * 9 = 3 exactly, no tie to break */
    {"three equal classes", {2, 0, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 0, 2}, 15, 3, 0.4, 0,
     {11, 5, 2, 3, 8, 1, 4, 7, 14}, 9, {12, 10, 0, 13, 9, 6}, 6},
    {"three equal classes, seed 5", {2, 0, 1, 1, 0, 2, 2, 1, 0, 0, 1, 2, 1, 0, 2}, 15, 3, 0.4,
     5, {4, 5, 6, 10, 13, 12, 1, 7, 14}, 9, {0, 8, 3, 11, 9, 2}, 6},
    /* counts 3 3 2 4, train 7: 1.75 1.75 1.167 2.333 -> floors 1 1 1 2, 2 missing go to the
     * tied 0.75 pair, taken whole (numpy still draws permutation(2) for it) */
    {"whole tied group", {3, 1, 0, 2, 3, 1, 0, 3, 2, 0, 1, 3}, 12, 4, 5.0, 1,
     {10, 6, 7, 1, 4, 3, 9}, 7, {0, 2, 5, 8, 11}, 5},
    /* 4 classes of 3, train 7: 1.75 each, 3 of the 4 tied classes get the missing draws */
    {"thinned tied group", {3, 1, 2, 0, 3, 0, 1, 3, 2, 0, 2, 1}, 12, 4, 5.0, 3,
     {6, 5, 2, 0, 11, 4, 9}, 7, {8, 10, 1, 3, 7}, 5},
    /* ceil(0.3 * 10) = 3 test rows */
    {"fraction of ten", {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, 10, 2, 0.3, 0, {3, 2, 1, 9, 6, 5, 8}, 7,
     {0, 4, 7}, 3},
};

START_TEST(holdout_replays_python_small_cases)
{
    const holdout_case *c = &holdout_cases[_i];
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, c->seed);
    imbal_split *s = NULL;
    ck_assert_msg(imbal_split_holdout(c->y, c->n, c->n_classes, c->test_size, rng, &s, NULL) ==
                      IMBAL_OK,
                  "%s", c->what);
    assert_rows(s->folds[0].train, s->folds[0].n_train, c->train, c->n_train);
    assert_rows(s->folds[0].test, s->folds[0].n_test, c->test, c->n_test);
    imbal_split_free(s);
    imbal_rng_free(rng);
}
END_TEST

START_TEST(kfold_replays_abalone19_skfold5)
{
    size_t n;
    int *y = abalone_labels(&n);
    ref_table *t = ref_read("tests/reference/abalone19_skfold5_888.csv");
    size_t *fold_of = malloc(n * sizeof(*fold_of));
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 888);
    imbal_split *s = NULL;
    ck_assert_uint_eq(t->n_rows, n);
    for (size_t r = 0; r < n; r++) {
        fold_of[(size_t)ref_num(t, r, "row")] = (size_t)ref_num(t, r, "fold");
    }
    ck_assert_int_eq(imbal_split_kfold(y, n, 2, 5, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 5);
    ck_assert_uint_eq(s->n_repeats, 1);
    for (size_t f = 0; f < 5; f++) {
        const imbal_fold *fd = &s->folds[f];
        size_t te = 0;
        size_t tr = 0;
        ck_assert_uint_eq(fd->fold, f);
        ck_assert_uint_eq(fd->repeat, 0);
        /* test: the rows of fold f, train: the others, each in increasing row order */
        for (size_t i = 0; i < n; i++) {
            if (fold_of[i] == f) {
                ck_assert_uint_lt(te, fd->n_test);
                ck_assert_uint_eq(fd->test[te++], i);
            } else {
                ck_assert_uint_lt(tr, fd->n_train);
                ck_assert_uint_eq(fd->train[tr++], i);
            }
        }
        ck_assert_uint_eq(te, fd->n_test);
        ck_assert_uint_eq(tr, fd->n_train);
        /* 4142 negatives sort first, so the 32 positives hold sorted positions 4142 .. 4173
         * and are dealt to folds p mod 5 from 4142 mod 5 = 2 on: 2 3 4 0 1 2 3 ... -> 32 =
         * 6 * 5 + 2, folds 2 and 3 get 7, the others 6 */
        ck_assert_uint_eq(count_label(y, fd->test, fd->n_test, 1), (f == 2 || f == 3) ? 7 : 6);
    }
    imbal_split_free(s);
    imbal_rng_free(rng);
    ref_free(t);
    free(fold_of);
    free(y);
}
END_TEST

/* Labels first seen in the order 1, 0, 2 (StratifiedKFold numbers classes that way), and
 * class 2 has 2 rows < k = 3, which scikit-learn allows with a warning. Expected test rows:
 *   StratifiedKFold(3, shuffle=True, random_state=42).split(X, y3)
 *   RepeatedStratifiedKFold(n_splits=3, n_repeats=2, random_state=7).split(X, y3) */
static const int y3[] = {1, 1, 0, 2, 1, 0, 0, 1, 2, 0, 1, 0, 1};

static void assert_test_fold(const imbal_fold *fd, const size_t *want, size_t n_want, size_t n)
{
    size_t tr = 0;
    size_t te = 0;
    assert_rows(fd->test, fd->n_test, want, n_want);
    ck_assert_uint_eq(fd->n_train, n - n_want);
    for (size_t i = 0; i < n; i++) {
        if (te < n_want && want[te] == i) {
            te++;
        } else {
            ck_assert_uint_eq(fd->train[tr++], i);
        }
    }
}

START_TEST(kfold_replays_python_first_appearance_order)
{
    static const size_t want[3][5] = {{0, 1, 5, 8, 9}, {2, 6, 7, 12}, {3, 4, 10, 11}};
    static const size_t n_want[3] = {5, 4, 4};
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 42);
    imbal_split *s = NULL;
    ck_assert_int_eq(imbal_split_kfold(y3, 13, 3, 3, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 3);
    for (size_t f = 0; f < 3; f++) {
        assert_test_fold(&s->folds[f], want[f], n_want[f], 13);
    }
    imbal_split_free(s);
    imbal_rng_free(rng);
}
END_TEST

START_TEST(repeated_kfold_continues_one_stream)
{
    static const size_t want[6][5] = {{4, 8, 9, 10, 11}, {0, 2, 6, 7},  {1, 3, 5, 12},
                                      {0, 2, 3, 5, 12},  {1, 4, 6, 11}, {7, 8, 9, 10}};
    static const size_t n_want[6] = {5, 4, 4, 5, 4, 4};
    imbal_rng *rng = new_rng(IMBAL_RNG_NUMPY, 7);
    imbal_split *s = NULL;
    ck_assert_int_eq(imbal_split_repeated_kfold(y3, 13, 3, 3, 2, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 6);
    ck_assert_uint_eq(s->n_repeats, 2);
    for (size_t f = 0; f < 6; f++) {
        ck_assert_uint_eq(s->folds[f].repeat, f / 3);
        ck_assert_uint_eq(s->folds[f].fold, f % 3);
        assert_test_fold(&s->folds[f], want[f], n_want[f], 13);
    }
    imbal_split_free(s);
    imbal_rng_free(rng);
}
END_TEST

/* 100 rows, classes of 70, 23 and 7, interleaved deterministically. */
static void three_classes(int *y)
{
    for (size_t i = 0; i < 100; i++) {
        y[i] = (i * 37) % 100 < 70 ? 0 : ((i * 37) % 100 < 93 ? 1 : 2);
    }
}

static int same_split(const imbal_split *a, const imbal_split *b)
{
    if (a->n_folds != b->n_folds) {
        return 0;
    }
    for (size_t f = 0; f < a->n_folds; f++) {
        const imbal_fold *x = &a->folds[f];
        const imbal_fold *z = &b->folds[f];
        if (x->n_train != z->n_train || x->n_test != z->n_test ||
            memcmp(x->train, z->train, x->n_train * sizeof(size_t)) != 0 ||
            memcmp(x->test, z->test, x->n_test * sizeof(size_t)) != 0) {
            return 0;
        }
    }
    return 1;
}

START_TEST(default_kfold_properties)
{
    int y[100];
    const size_t class_size[3] = {70, 23, 7};
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 2024);
    imbal_split *s = NULL;
    imbal_split *again = NULL;
    imbal_split *other = NULL;
    three_classes(y);
    ck_assert_int_eq(imbal_split_repeated_kfold(y, 100, 3, 5, 3, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 15);
    for (size_t r = 0; r < 3; r++) {
        int times_in_test[100] = {0};
        for (size_t f = 0; f < 5; f++) {
            const imbal_fold *fd = &s->folds[r * 5 + f];
            int in_test[100] = {0};
            ck_assert_uint_eq(fd->repeat, r);
            ck_assert_uint_eq(fd->fold, f);
            ck_assert_uint_eq(fd->n_train + fd->n_test, 100);
            for (size_t i = 0; i < fd->n_test; i++) {
                in_test[fd->test[i]] = 1;
                times_in_test[fd->test[i]]++;
            }
            for (size_t i = 0; i < fd->n_train; i++) {
                ck_assert_int_eq(in_test[fd->train[i]], 0); /* disjoint; sizes: a partition */
            }
            for (int c = 0; c < 3; c++) {
                /* class c has class_size[c] rows: each fold gets floor or ceil of it / 5 */
                size_t k = count_label(y, fd->test, fd->n_test, c);
                ck_assert_uint_ge(k, class_size[c] / 5);
                ck_assert_uint_le(k, (class_size[c] + 4) / 5);
            }
        }
        for (size_t i = 0; i < 100; i++) {
            ck_assert_int_eq(times_in_test[i], 1);
        }
    }
    /* the three repeats differ: each continues the stream */
    ck_assert_int_ne(memcmp(s->folds[0].test, s->folds[5].test,
                            s->folds[0].n_test * sizeof(size_t)),
                     0);
    imbal_rng_free(rng);
    rng = new_rng(IMBAL_RNG_DEFAULT, 2024);
    ck_assert_int_eq(imbal_split_repeated_kfold(y, 100, 3, 5, 3, rng, &again, NULL), IMBAL_OK);
    ck_assert(same_split(s, again));
    imbal_rng_free(rng);
    rng = new_rng(IMBAL_RNG_DEFAULT, 2025);
    ck_assert_int_eq(imbal_split_repeated_kfold(y, 100, 3, 5, 3, rng, &other, NULL), IMBAL_OK);
    ck_assert(!same_split(s, other));
    imbal_split_free(s);
    imbal_split_free(again);
    imbal_split_free(other);
    imbal_rng_free(rng);
}
END_TEST

START_TEST(default_holdout_properties)
{
    int y[100];
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 7);
    imbal_split *s = NULL;
    imbal_split *again = NULL;
    int seen[100] = {0};
    three_classes(y);
    ck_assert_int_eq(imbal_split_holdout(y, 100, 3, 0.25, rng, &s, NULL), IMBAL_OK);
    /* 25 test rows: 70 / 100 * 75 = 52.5, 23 / 100 * 75 = 17.25, 7 / 100 * 75 = 5.25 -> floors
     * 52 17 5 (74), the one missing train row goes to class 0 (largest remainder .5); test
     * gets the rest: 17, 6, 2 (remainders of 70-53, 23-17, 7-5 over 25 are whole) */
    ck_assert_uint_eq(s->folds[0].n_test, 25);
    ck_assert_uint_eq(s->folds[0].n_train, 75);
    ck_assert_uint_eq(count_label(y, s->folds[0].train, 75, 0), 53);
    ck_assert_uint_eq(count_label(y, s->folds[0].train, 75, 1), 17);
    ck_assert_uint_eq(count_label(y, s->folds[0].train, 75, 2), 5);
    ck_assert_uint_eq(count_label(y, s->folds[0].test, 25, 0), 17);
    ck_assert_uint_eq(count_label(y, s->folds[0].test, 25, 1), 6);
    ck_assert_uint_eq(count_label(y, s->folds[0].test, 25, 2), 2);
    for (size_t i = 0; i < 75; i++) {
        seen[s->folds[0].train[i]]++;
    }
    for (size_t i = 0; i < 25; i++) {
        seen[s->folds[0].test[i]]++;
    }
    for (size_t i = 0; i < 100; i++) {
        ck_assert_int_eq(seen[i], 1);
    }
    imbal_rng_free(rng);
    rng = new_rng(IMBAL_RNG_DEFAULT, 7);
    ck_assert_int_eq(imbal_split_holdout(y, 100, 3, 25.0, rng, &again, NULL), IMBAL_OK);
    ck_assert(same_split(s, again)); /* 25 rows and 0.25 of 100 are the same request */
    imbal_split_free(s);
    imbal_split_free(again);
    imbal_rng_free(rng);
}
END_TEST

/* ---- validation errors ---- */

static void assert_einval(imbal_status st, const imbal_split *s, const imbal_error *err,
                          const char *needle)
{
    ck_assert_int_eq(st, IMBAL_EINVAL);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err->status, IMBAL_EINVAL);
    ck_assert_msg(strstr(err->msg, needle) != NULL, "'%s' lacks '%s'", err->msg, needle);
}

START_TEST(holdout_rejects_bad_input)
{
    const int y[] = {0, 0, 0, 1, 1, 0, 1, 0};
    const int lone[] = {0, 0, 0, 1, 0, 0, 0, 0};
    const int bad_label[] = {0, 0, 2, 1, 1, 0, 1, 0};
    const struct {
        const int *y;
        size_t n;
        double test_size;
        const char *needle;
    } bad[] = {
        {y, 8, 0.0, "test_size 0 must be"},
        {y, 8, -0.5, "test_size -0.5 must be"},
        {y, 8, NAN, "must be a fraction"},
        {y, 8, 1.5, "neither a fraction"},
        {y, 8, 8.0, "smaller than the number of rows (8)"},
        {y, 8, 0.99, "leaves the training fold empty"}, /* ceil(7.92) = 8 */
        {y, 8, 1.0, "test fold of 1 rows cannot hold all 2 classes"},
        {y, 8, 0.8, "training fold of 1 rows cannot hold all 2 classes"}, /* ceil(6.4) = 7 */
        {lone, 8, 0.5, "class 1 has 1 row"},
        {bad_label, 8, 0.5, "row 2 has label 2, outside 0 .. 1"},
        {y, 0, 0.5, "no rows"},
    };
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 1);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        imbal_error err;
        imbal_split *s = (imbal_split *)&err; /* must be reset to NULL */
        imbal_error_clear(&err);
        imbal_status st =
            imbal_split_holdout(bad[i].y, bad[i].n, 2, bad[i].test_size, rng, &s, &err);
        assert_einval(st, s, &err, bad[i].needle);
    }
    imbal_rng_free(rng);
}
END_TEST

START_TEST(kfold_rejects_bad_input)
{
    const int y[] = {0, 0, 0, 1, 1, 0, 1, 0}; /* 5 + 3 */
    imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 1);
    imbal_error err;
    imbal_split *s = NULL;
    imbal_status st;
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_kfold(y, 8, 2, 1, rng, &s, &err);
    assert_einval(st, s, &err, "at least 2");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_kfold(y, 8, 2, 6, rng, &s, &err);
    assert_einval(st, s, &err,
                  "more than the rows of every class (the largest has 5)");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_kfold(y, 8, 2, 9, rng, &s, &err);
    assert_einval(st, s, &err,
                  "k = 9 folds is more than the 8 rows");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_repeated_kfold(y, 8, 2, 2, 0, rng, &s, &err);
    assert_einval(st, s, &err,
                  "at least 1 repeat");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_kfold(y, 8, 1, 2, rng, &s, &err);
    assert_einval(st, s, &err,
                  "row 3 has label 1, outside 0 .. 0");
    /* k = 5 exceeds the 3 rows of class 1 but not class 0: allowed, as in scikit-learn;
     * class 1 then leaves two test folds without a row of its own */
    ck_assert_int_eq(imbal_split_kfold(y, 8, 2, 5, rng, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 5);
    imbal_split_free(s);
    imbal_split_free(NULL);
    imbal_rng_free(rng);
}
END_TEST

/* ---- split files ---- */

START_TEST(read_file_matches_published_split)
{
    ref_table *t = ref_read("tests/reference/abalone19_split.csv");
    size_t *want = malloc(4174 * sizeof(*want));
    imbal_split *s = NULL;
    size_t k;
    ck_assert_int_eq(imbal_split_read_file("datasets/abalone19_split.csv", 4174, &s, NULL),
                     IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 1);
    k = ref_set_rows(t, "train", want);
    ck_assert_uint_eq(k, 3339);
    assert_rows(s->folds[0].train, s->folds[0].n_train, want, k);
    k = ref_set_rows(t, "test", want);
    ck_assert_uint_eq(k, 835);
    assert_rows(s->folds[0].test, s->folds[0].n_test, want, k);
    imbal_split_free(s);
    ref_free(t);
    free(want);
}
END_TEST

START_TEST(read_file_keeps_order_crlf_and_blank_lines)
{
    const size_t train[] = {7, 9, 0};
    const size_t test[] = {2, 5};
    imbal_split *s = NULL;
    ck_assert_int_eq(imbal_split_read_file("tests/data/split_crlf_ok.csv", 10, &s, NULL),
                     IMBAL_OK);
    assert_rows(s->folds[0].train, s->folds[0].n_train, train, 3);
    assert_rows(s->folds[0].test, s->folds[0].n_test, test, 2);
    imbal_split_free(s);
}
END_TEST

static const struct {
    const char *path;
    imbal_status status;
    long line;
    long column;
    const char *needle;
} bad_files[] = {
    {"tests/data/split_bad_header.csv", IMBAL_EPARSE, 1, 1, "header 'row,set', found 'row,fold'"},
    {"tests/data/split_unknown_set.csv", IMBAL_EPARSE, 3, 3, "unknown set 'valid'"},
    {"tests/data/split_bad_row.csv", IMBAL_EPARSE, 3, 1, "row '-1' is not"},
    {"tests/data/split_no_comma.csv", IMBAL_EPARSE, 3, 1, "expected 'row,set', found '1 test'"},
    {"tests/data/split_out_of_range.csv", IMBAL_EINVAL, 3, 1, "row 10 is out of range"},
    {"tests/data/split_duplicate.csv", IMBAL_EINVAL, 4, 1, "row 0 is listed twice (first on "
                                                           "line 2)"},
    {"tests/data/split_both_sets.csv", IMBAL_EINVAL, 5, 1, "row 1 is in both sets (test on line "
                                                           "3, train here)"},
    {"tests/data/split_no_test.csv", IMBAL_EINVAL, 0, 0, "no test rows"},
    {"tests/data/split_no_train.csv", IMBAL_EINVAL, 0, 0, "no train rows"},
    {"tests/data/split_empty.csv", IMBAL_EPARSE, 1, 1, "empty file"},
    {"tests/data/split_missing.csv", IMBAL_EIO, 0, 0, "cannot open"},
};

START_TEST(read_file_rejects_bad_files)
{
    imbal_error err;
    imbal_split *s = (imbal_split *)&err; /* must be reset to NULL */
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_split_read_file(bad_files[_i].path, 10, &s, &err),
                     bad_files[_i].status);
    ck_assert_ptr_null(s);
    ck_assert_int_eq(err.status, bad_files[_i].status);
    ck_assert_str_eq(err.file, bad_files[_i].path);
    ck_assert_int_eq(err.line, bad_files[_i].line);
    ck_assert_int_eq(err.column, bad_files[_i].column);
    ck_assert_msg(strstr(err.msg, bad_files[_i].needle) != NULL, "'%s' lacks '%s'", err.msg,
                  bad_files[_i].needle);
}
END_TEST

START_TEST(from_blocks_makes_one_fold_per_pair)
{
    /* tra1 = rows 0..3, tst1 = 4..5, tra2 = 6..9, tst2 = 10..11 */
    const size_t row_start[] = {0, 4, 6, 10, 12};
    const size_t train2[] = {6, 7, 8, 9};
    const size_t test1[] = {4, 5};
    imbal_split *s = NULL;
    ck_assert_int_eq(imbal_split_from_blocks(row_start, 2, &s, NULL), IMBAL_OK);
    ck_assert_uint_eq(s->n_folds, 2);
    ck_assert_uint_eq(s->n_repeats, 1);
    ck_assert_uint_eq(s->folds[0].n_train, 4);
    ck_assert_uint_eq(s->folds[0].train[3], 3);
    assert_rows(s->folds[0].test, s->folds[0].n_test, test1, 2);
    assert_rows(s->folds[1].train, s->folds[1].n_train, train2, 4);
    ck_assert_uint_eq(s->folds[1].n_test, 2);
    ck_assert_uint_eq(s->folds[1].test[0], 10);
    ck_assert_uint_eq(s->folds[1].fold, 1);
    ck_assert_uint_eq(s->folds[1].repeat, 0);
    imbal_split_free(s);
}
END_TEST

START_TEST(from_blocks_rejects_empty_blocks)
{
    const size_t empty_test[] = {0, 4, 4};
    const size_t backwards[] = {0, 4, 6, 5, 8};
    imbal_error err;
    imbal_split *s = NULL;
    imbal_status st;
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_from_blocks(empty_test, 1, &s, &err);
    assert_einval(st, s, &err,
                  "block pair 1: rows 0 .. 4 (train) and 4 .. 4 (test)");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_from_blocks(backwards, 2, &s, &err);
    assert_einval(st, s, &err, "block pair 2");
    imbal_error_clear(&err);
    s = (imbal_split *)&err; /* must be reset to NULL */
    st = imbal_split_from_blocks(backwards, 0, &s, &err);
    assert_einval(st, s, &err, "no (train, test)");
}
END_TEST

/* ---- out of memory: fail the 1st, 2nd, ... allocation until the call succeeds ---- */

enum { OOM_HOLDOUT, OOM_KFOLD, OOM_FILE, OOM_BLOCKS, OOM_N };

static imbal_status oom_call(int which, imbal_rng *rng, imbal_split **s, imbal_error *err)
{
    static const int y[] = {0, 1, 0, 0, 1, 0, 2, 2, 0, 1, 0, 2};
    static const size_t row_start[] = {0, 4, 6, 10, 12};
    switch (which) {
    case OOM_HOLDOUT:
        return imbal_split_holdout(y, 12, 3, 0.5, rng, s, err);
    case OOM_KFOLD:
        return imbal_split_repeated_kfold(y, 12, 3, 3, 2, rng, s, err);
    case OOM_FILE:
        return imbal_split_read_file("tests/data/split_crlf_ok.csv", 10, s, err);
    default:
        return imbal_split_from_blocks(row_start, 2, s, err);
    }
}

START_TEST(out_of_memory_walk)
{
    for (long k = 1;; k++) {
        imbal_rng *rng = new_rng(IMBAL_RNG_DEFAULT, 3); /* made before the hook is armed */
        imbal_error err;
        imbal_split *s = (imbal_split *)&err; /* must be reset to NULL */
        imbal_status st;
        imbal_error_clear(&err);
        imbal_alloc_fail_after(k);
        st = oom_call(_i, rng, &s, &err);
        imbal_alloc_fail_after(0);
        imbal_rng_free(rng);
        if (st == IMBAL_OK) {
            ck_assert_int_gt(k, 1); /* at least the first allocation was failed */
            ck_assert_ptr_nonnull(s);
            imbal_split_free(s);
            break;
        }
        ck_assert_msg(st == IMBAL_ENOMEM, "call %d, allocation %ld: status %d", _i, k, st);
        ck_assert_ptr_null(s);
        ck_assert_int_eq(err.status, IMBAL_ENOMEM);
        ck_assert_int_lt(k, 1000);
    }
}
END_TEST

static Suite *split_suite(void)
{
    Suite *s = suite_create("split");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, holdout_replays_abalone19_published_split);
    tcase_add_loop_test(tc, holdout_replays_python_small_cases, 0,
                        (int)(sizeof(holdout_cases) / sizeof(holdout_cases[0])));
    tcase_add_test(tc, kfold_replays_abalone19_skfold5);
    tcase_add_test(tc, kfold_replays_python_first_appearance_order);
    tcase_add_test(tc, repeated_kfold_continues_one_stream);
    tcase_add_test(tc, default_kfold_properties);
    tcase_add_test(tc, default_holdout_properties);
    tcase_add_test(tc, holdout_rejects_bad_input);
    tcase_add_test(tc, kfold_rejects_bad_input);
    tcase_add_test(tc, read_file_matches_published_split);
    tcase_add_test(tc, read_file_keeps_order_crlf_and_blank_lines);
    tcase_add_loop_test(tc, read_file_rejects_bad_files, 0,
                        (int)(sizeof(bad_files) / sizeof(bad_files[0])));
    tcase_add_test(tc, from_blocks_makes_one_fold_per_pair);
    tcase_add_test(tc, from_blocks_rejects_empty_blocks);
    tcase_add_loop_test(tc, out_of_memory_walk, 0, OOM_N);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return run_suite(split_suite());
}
