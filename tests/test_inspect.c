/* imbal init's library side: the facts imbal_inspect finds (class counts, imbalance ratio,
 * positive, categorical columns and why) against hand counts of the shipped datasets and of
 * CSV files written here; the plan's folds, repeats and per-technique parameters against the
 * stratification arithmetic; and the starter spec itself: loaded by imbal_spec_load, run by
 * the runner, with every technique's resampled class counts checked against what its
 * comment promises. */
#define _XOPEN_SOURCE 700 /* realpath */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imbal/inspect.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "imbal/starter.h"
#include "util.h"
#include "yaml_text.h"

#include <yaml.h>

static char test_dir[64]; /* this test's directory, "" until tmp_dir makes one */

/* A fresh directory for this test's files (Check forks each test), removed by teardown. */
static const char *tmp_dir(void)
{
    snprintf(test_dir, sizeof(test_dir), "/tmp/imbal_inspect_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(test_dir));
    return test_dir;
}

static void teardown(void)
{
    char cmd[128];
    if (test_dir[0] != '\0') {
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", test_dir);
        ck_assert_int_eq(system(cmd), 0);
        test_dir[0] = '\0';
    }
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fputs(text, f) >= 0, 1);
    ck_assert_int_eq(fclose(f), 0);
}

static imbal_inspection *inspect_ok(const char *path, const char *target, const char *positive)
{
    imbal_inspect_options opt = {target, positive};
    imbal_inspection *in = NULL;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_inspect(path, &opt, &in, &err) == IMBAL_OK, "%s: %s", path, err.msg);
    ck_assert_ptr_nonnull(in);
    return in;
}

static size_t label(const imbal_inspection *in, const char *name)
{
    for (size_t c = 0; c < in->n_classes; c++) {
        if (strcmp(in->class_names[c], name) == 0) {
            return c;
        }
    }
    ck_abort_msg("no label '%s'", name);
    return 0;
}

static const imbal_column_info *column(const imbal_inspection *in, const char *name)
{
    for (size_t j = 0; j < in->n_columns; j++) {
        if (strcmp(in->columns[j].name, name) == 0) {
            return &in->columns[j];
        }
    }
    ck_abort_msg("no column '%s'", name);
    return NULL;
}

static const imbal_starter_row *row_of(const imbal_starter_plan *plan, const char *name)
{
    for (size_t r = 0; r < plan->n_rows; r++) {
        if (strcmp(plan->rows[r].name, name) == 0) {
            return &plan->rows[r];
        }
    }
    ck_abort_msg("no plan row '%s'", name);
    return NULL;
}

/* The starter spec of in, written to dir/spec.yaml (data_path as the spec names it), loaded
 * through the spec loader; *yaml_out keeps the text when not NULL. */
static imbal_spec *starter_spec(const imbal_inspection *in, const imbal_starter_plan *plan,
                                const char *dir, const char *data_path, char **yaml_out)
{
    char path[256];
    char *yaml = NULL;
    imbal_error err;
    imbal_error_list errs = {NULL, 0, 0};
    imbal_spec *spec = NULL;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_starter_yaml(in, plan, "starter", data_path, "imbal init test", &yaml,
                                     &err) == IMBAL_OK,
                  "%s", err.msg);
    snprintf(path, sizeof(path), "%s/spec.yaml", dir);
    write_text(path, yaml);
    ck_assert_msg(imbal_spec_load(path, &spec, &errs) == IMBAL_OK, "%s:%ld:%ld: %s", path,
                  errs.n ? errs.items[0].line : 0L, errs.n ? errs.items[0].column : 0L,
                  errs.n ? errs.items[0].msg : "");
    ck_assert_uint_eq(errs.n, 0);
    imbal_error_list_free(&errs);
    if (yaml_out != NULL) {
        *yaml_out = yaml;
    } else {
        free(yaml);
    }
    return spec;
}

/* The comments of yaml as one line each paragraph would be unwrapped: every line break that
 * continues a comment ("\n   # ") becomes a space, in place, so phrases can be searched. */
static char *flat(char *yaml)
{
    char *w = yaml;
    for (const char *r = yaml; *r != '\0';) {
        if (*r == '\n' && w > yaml) {
            const char *q = r + 1;
            while (*q == ' ') {
                q++;
            }
            if (q[0] == '#' && q[1] == ' ' && r[-1] != '\n') {
                *w++ = ' ';
                r = q + 2;
                continue;
            }
        }
        *w++ = *r++;
    }
    *w = '\0';
    return yaml;
}

static imbal_starter_plan plan_ok(const imbal_inspection *in)
{
    imbal_starter_plan plan;
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_starter_plan_make(in, &plan, &err) == IMBAL_OK, "%s", err.msg);
    return plan;
}

/* The spec's datasets, evaluation and techniques are the plan's. */
static void check_spec_is_plan(const imbal_spec *spec, const imbal_inspection *in,
                               const imbal_starter_plan *plan)
{
    size_t t = 0;
    ck_assert_uint_eq(spec->n_datasets, 1);
    ck_assert_str_eq(spec->datasets[0].target, in->columns[in->target].name);
    ck_assert_str_eq(spec->datasets[0].positive, in->class_names[in->positive]);
    ck_assert_uint_eq(spec->datasets[0].n_categorical,
                      imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL));
    ck_assert_int_eq(spec->eval.protocol, IMBAL_PROTOCOL_REPEATED_KFOLD);
    ck_assert_uint_eq(spec->eval.folds, plan->folds);
    ck_assert_uint_eq(spec->eval.repeats, plan->repeats);
    ck_assert_str_eq(spec->classifier.type, "logistic_regression");
    ck_assert_uint_eq(spec->classifier.n_params, 2);
    ck_assert_str_eq(spec->classifier.params[1].name, "standardize");
    ck_assert_str_eq(spec->classifier.params[1].value, "true");
    ck_assert_uint_eq(spec->n_techniques, plan->n_included);
    for (size_t r = 0; r < plan->n_rows; r++) {
        const imbal_starter_row *row = &plan->rows[r];
        if (!row->included) {
            continue;
        }
        ck_assert_str_eq(spec->techniques[t].name, row->name);
        ck_assert_str_eq(spec->techniques[t].sampler, row->sampler);
        ck_assert_int_eq(spec->techniques[t].class_weight_set, row->class_weight_balanced);
        if (row->k_neighbors > 0) {
            char k[24];
            snprintf(k, sizeof(k), "%ld", row->k_neighbors);
            ck_assert_uint_eq(spec->techniques[t].n_params, 1);
            ck_assert_str_eq(spec->techniques[t].params[0].name, "k_neighbors");
            ck_assert_str_eq(spec->techniques[t].params[0].value, k);
        }
        t++;
    }
}

/* Runs spec (with repeats overridden when > 0) and checks each run against the plan: the
 * training folds hold at least the promised rows, and each technique's output has the class
 * counts its comment states (samplers with sampling_strategy auto balance the classes). */
static void run_and_check(imbal_spec *spec, const imbal_starter_plan *plan, size_t repeats)
{
    imbal_experiment *ex = NULL;
    imbal_error err;
    imbal_run_options opt = {2, 0, NULL, NULL, NULL, NULL};
    if (repeats > 0) {
        spec->eval.repeats = repeats;
    }
    imbal_error_clear(&err);
    ck_assert_msg(imbal_experiment_prepare(spec, &ex, &err) == IMBAL_OK, "%s", err.msg);
    ck_assert_msg(imbal_experiment_run(ex, &opt, &err) == IMBAL_OK, "%s: %s", err.key, err.msg);
    ck_assert_uint_eq(ex->n_runs, spec->n_techniques * spec->eval.folds * spec->eval.repeats);
    for (size_t i = 0; i < ex->n_runs; i++) {
        const imbal_run_result *r = &ex->runs[i];
        const char *s = spec->techniques[r->technique].sampler;
        ck_assert_uint_ge(r->n_train_pos, plan->train_positive_min);
        ck_assert_uint_ge(r->n_train_neg, plan->train_negative_min);
        ck_assert_uint_ge(r->n_test - (r->metrics.cm.tn + r->metrics.cm.fp),
                          plan->test_positive_min);
        if (strcmp(s, "random_over") == 0 || strcmp(s, "smote") == 0) {
            ck_assert_uint_eq(r->n_resampled_neg, r->n_train_neg);
            ck_assert_uint_eq(r->n_resampled_pos, r->n_train_neg);
        } else if (strcmp(s, "random_under") == 0 || strcmp(s, "cluster_centroids") == 0) {
            ck_assert_uint_eq(r->n_resampled_neg, r->n_train_pos);
            ck_assert_uint_eq(r->n_resampled_pos, r->n_train_pos);
        } else if (strcmp(s, "none") == 0) {
            ck_assert_uint_eq(r->n_resampled_neg, r->n_train_neg);
            ck_assert_uint_eq(r->n_resampled_pos, r->n_train_pos);
        } else if (strcmp(s, "tomek_links") == 0) {
            ck_assert_uint_le(r->n_resampled_neg, r->n_train_neg);
            ck_assert_uint_eq(r->n_resampled_pos, r->n_train_pos);
        }
        ck_assert(r->metrics.roc_auc >= 0.0 && r->metrics.roc_auc <= 1.0);
    }
    imbal_experiment_free(ex);
}

static char *real(const char *path)
{
    char *p = realpath(path, NULL);
    ck_assert_ptr_nonnull(p);
    return p;
}

START_TEST(abalone_csv_facts_plan_and_spec)
{
    /* datasets/SOURCES.md (and `cut -d, -f9 | sort | uniq -c`): 4142 negative, 32 positive */
    imbal_inspection *in = inspect_ok("datasets/abalone19.csv", NULL, NULL);
    const imbal_column_info *sex = column(in, "Sex");
    const char *dir = tmp_dir();
    char *data = real("datasets/abalone19.csv");
    imbal_starter_plan plan;
    imbal_spec *spec;
    ck_assert_int_eq(in->format, IMBAL_FORMAT_CSV);
    ck_assert_uint_eq(in->n_rows, 4174);
    ck_assert_uint_eq(in->n_columns, 9);
    ck_assert_str_eq(in->columns[in->target].name, "Class");
    ck_assert_int_eq(in->target_why, IMBAL_TARGET_LAST_COLUMN);
    ck_assert_uint_eq(in->n_classes, 2);
    ck_assert_uint_eq(in->class_counts[label(in, "negative")], 4142);
    ck_assert_uint_eq(in->class_counts[label(in, "positive")], 32);
    ck_assert_str_eq(in->class_names[in->positive], "positive");
    ck_assert_int_eq(in->positive_why, IMBAL_POSITIVE_MINORITY);
    ck_assert_uint_eq(in->n_tied, 1);
    ck_assert_uint_eq(in->n_positive, 32);
    ck_assert_uint_eq(in->n_negative, 4142);
    ck_assert_double_eq_tol(in->imbalance_ratio, 129.4375, 1e-12); /* 4142 / 32 */
    /* Sex is F, I, M: first row 'M' (line 2); 7 numeric + 2 dummies */
    ck_assert_int_eq(sex->role, IMBAL_ROLE_CATEGORICAL);
    ck_assert_int_eq(sex->why, IMBAL_CATEGORICAL_FIRST_CELL);
    ck_assert_uint_eq(sex->n_distinct, 3);
    ck_assert_str_eq(sex->first_text, "M");
    ck_assert_int_eq(sex->first_text_line, 2);
    ck_assert_uint_eq(imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL), 1);
    ck_assert_uint_eq(imbal_inspection_count_role(in, IMBAL_ROLE_NUMERIC), 7);
    ck_assert_uint_eq(in->n_features, 9);

    plan = plan_ok(in);
    /* 5 folds: test folds hold floor/ceil(32 / 5) = 6 or 7 positives, training folds 32 - 7 =
     * 25 or more, and 4142 - ceil(4142 / 5) = 3313 or more negatives */
    ck_assert_uint_eq(plan.folds, 5);
    ck_assert_uint_eq(plan.repeats, 10);
    ck_assert_uint_eq(plan.test_positive_min, 6);
    ck_assert_uint_eq(plan.test_positive_max, 7);
    ck_assert_uint_eq(plan.train_positive_min, 25);
    ck_assert_uint_eq(plan.train_negative_min, 3313);
    ck_assert_uint_eq(plan.n_rows, 23); /* adasyn .. kmeans_smote, smote_nc, smoten, IHT out */
    ck_assert_uint_eq(plan.n_included, 14);
    ck_assert_int_eq(row_of(&plan, "smote")->k_neighbors, 5);
    ck_assert_int_eq(row_of(&plan, "smote_tomek")->k_neighbors, 5);
    ck_assert_int_eq(row_of(&plan, "class_weight_balanced")->class_weight_balanced, 1);
    ck_assert_uint_eq(plan.suggest, in->n_classes);

    spec = starter_spec(in, &plan, dir, data, NULL);
    check_spec_is_plan(spec, in, &plan);
    ck_assert_str_eq(spec->datasets[0].categorical[0], "Sex");
    ck_assert_str_eq(spec->datasets[0].path, data);
    ck_assert_int_eq(spec->datasets[0].format, IMBAL_FORMAT_CSV);
    run_and_check(spec, &plan, 1);
    imbal_spec_free(spec);
    free(data);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(abalone_keel_reads_outputs_and_nominal)
{
    imbal_inspection *in = inspect_ok("datasets/abalone19.dat", NULL, NULL);
    const imbal_column_info *sex = column(in, "Sex");
    const char *dir = tmp_dir();
    char *data = real("datasets/abalone19.dat");
    imbal_starter_plan plan;
    imbal_spec *spec;
    ck_assert_int_eq(in->format, IMBAL_FORMAT_KEEL);
    ck_assert_str_eq(in->stem, "abalone19");
    ck_assert_uint_eq(in->n_rows, 4174);
    ck_assert_str_eq(in->columns[in->target].name, "Class");
    ck_assert_int_eq(in->target_why, IMBAL_TARGET_KEEL_OUTPUTS);
    ck_assert_uint_eq(in->class_counts[label(in, "negative")], 4142);
    ck_assert_uint_eq(in->class_counts[label(in, "positive")], 32);
    ck_assert_str_eq(in->class_names[in->positive], "positive");
    ck_assert_int_eq(sex->why, IMBAL_CATEGORICAL_NOMINAL); /* @attribute Sex {M, F, I} */
    ck_assert_uint_eq(sex->n_distinct, 3);
    ck_assert_ptr_null(sex->first_text);
    ck_assert_uint_eq(in->n_features, 9);
    plan = plan_ok(in);
    spec = starter_spec(in, &plan, dir, data, NULL);
    check_spec_is_plan(spec, in, &plan);
    ck_assert_int_eq(spec->datasets[0].format, IMBAL_FORMAT_KEEL);
    run_and_check(spec, &plan, 1);
    imbal_spec_free(spec);
    free(data);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(ecoli_minority_of_two_rows)
{
    /* datasets/SOURCES.md: cp 143, im 77, pp 52, imU 35, om 20, omL 5, imL 2, imS 2 */
    static const char *const names[] = {"cp", "im", "pp", "imU", "om", "omL", "imL", "imS"};
    static const size_t counts[] = {143, 77, 52, 35, 20, 5, 2, 2};
    imbal_inspection *in = inspect_ok("datasets/ecoli.dat", NULL, NULL);
    const char *dir = tmp_dir();
    char *data = real("datasets/ecoli.dat");
    char *yaml = NULL;
    imbal_starter_plan plan;
    imbal_spec *spec;
    ck_assert_uint_eq(in->n_rows, 336);
    ck_assert_uint_eq(in->n_classes, 8);
    for (size_t k = 0; k < 8; k++) {
        ck_assert_uint_eq(in->class_counts[label(in, names[k])], counts[k]);
    }
    /* labels sort bytewise: cp im imL imS imU om omL pp; imL and imS tie, the later wins */
    ck_assert_str_eq(in->class_names[2], "imL");
    ck_assert_str_eq(in->class_names[3], "imS");
    ck_assert_str_eq(in->class_names[in->positive], "imS");
    ck_assert_uint_eq(in->n_tied, 2);
    ck_assert_uint_eq(in->n_positive, 2);
    ck_assert_uint_eq(in->n_negative, 334);
    ck_assert_double_eq_tol(in->imbalance_ratio, 167.0, 1e-12);
    ck_assert_int_eq(in->target_why, IMBAL_TARGET_LAST_COLUMN); /* no @outputs line */
    ck_assert_uint_eq(imbal_inspection_count_role(in, IMBAL_ROLE_CATEGORICAL), 0);
    ck_assert_uint_eq(in->n_features, 7);

    plan = plan_ok(in);
    /* folds <= the 2 positives; each training fold keeps 2 - 1 = 1 of them */
    ck_assert_uint_eq(plan.folds, 2);
    ck_assert_uint_eq(plan.repeats, 25); /* ceil(50 / 2) */
    ck_assert_uint_eq(plan.train_positive_min, 1);
    ck_assert_uint_eq(plan.test_positive_min, 1);
    ck_assert_uint_eq(plan.test_positive_max, 1);
    ck_assert_int_eq(row_of(&plan, "smote")->included, 0);   /* k + 1 <= 1 impossible */
    ck_assert_int_eq(row_of(&plan, "smote_tomek")->included, 0);
    ck_assert_int_eq(row_of(&plan, "random_under")->included, 1);
    ck_assert_int_eq(row_of(&plan, "cluster_centroids")->included, 1);
    ck_assert_int_eq(row_of(&plan, "tomek_links")->included, 1);
    ck_assert_uint_eq(plan.n_included, 10);
    /* om (20): training folds keep 20 - 4 = 16 >= 6; omL (5) keeps 4 < 6 */
    ck_assert_str_eq(in->class_names[plan.suggest], "om");

    spec = starter_spec(in, &plan, dir, data, &yaml);
    check_spec_is_plan(spec, in, &plan);
    flat(yaml);
    ck_assert_ptr_nonnull(strstr(yaml, "imL has as many, and the tie goes to the later label"));
    ck_assert_ptr_nonnull(strstr(yaml, "--positive om"));
    ck_assert_ptr_nonnull(strstr(yaml, "Left out: smote."));
    ck_assert_ptr_nonnull(strstr(yaml, "cp 143, im 77, pp 52, imU 35, om 20, omL 5, imL 2, "
                                       "imS 2"));
    run_and_check(spec, &plan, 0); /* all 25 repeats: 300 runs on 336 rows */
    imbal_spec_free(spec);
    free(yaml);
    free(data);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(ecoli_positive_given_gets_the_full_plan)
{
    imbal_inspection *in = inspect_ok("datasets/ecoli.dat", NULL, "om");
    imbal_starter_plan plan;
    ck_assert_str_eq(in->class_names[in->positive], "om");
    ck_assert_int_eq(in->positive_why, IMBAL_POSITIVE_GIVEN);
    ck_assert_uint_eq(in->n_positive, 20);
    ck_assert_double_eq_tol(in->imbalance_ratio, 316.0 / 20.0, 1e-12);
    plan = plan_ok(in);
    ck_assert_uint_eq(plan.folds, 5);
    ck_assert_uint_eq(plan.train_positive_min, 16); /* 20 - ceil(20 / 5) */
    ck_assert_uint_eq(plan.n_included, 14);
    ck_assert_uint_eq(plan.suggest, in->n_classes);
    imbal_inspection_free(in);
}
END_TEST

/* colours.csv: 40 rows; colour cycles red, green, blue; y = 1 on every fifth row (8 rows) */
static void write_colours(const char *path)
{
    static const char *const colour[] = {"red", "green", "blue"};
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof(text), "colour,size,y\n");
    for (int i = 0; i < 40; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%s,%g,%d\n", colour[i % 3],
                                (i * 7) % 13 + (i % 5 == 0 ? 2.5 : 0.0), i % 5 == 0);
    }
    write_text(path, text);
}

START_TEST(csv_numeric_target_and_categorical)
{
    const char *dir = tmp_dir();
    char path[256];
    imbal_inspection *in;
    imbal_starter_plan plan;
    imbal_spec *spec;
    snprintf(path, sizeof(path), "%s/colours.csv", dir);
    write_colours(path);
    in = inspect_ok(path, NULL, NULL);
    ck_assert_uint_eq(in->n_rows, 40);
    ck_assert_uint_eq(in->class_counts[label(in, "0")], 32);
    ck_assert_uint_eq(in->class_counts[label(in, "1")], 8);
    ck_assert_str_eq(in->class_names[in->positive], "1");
    ck_assert_double_eq_tol(in->imbalance_ratio, 4.0, 1e-15);
    ck_assert_int_eq(column(in, "colour")->why, IMBAL_CATEGORICAL_FIRST_CELL);
    ck_assert_uint_eq(column(in, "colour")->n_distinct, 3);
    ck_assert_int_eq(column(in, "size")->role, IMBAL_ROLE_NUMERIC);
    ck_assert_uint_eq(in->n_features, 3); /* size + 2 colour dummies */
    plan = plan_ok(in);
    /* 8 positives in 5 folds: tests of 1 or 2, trainings of 8 - 2 = 6: SMOTE keeps k = 5 */
    ck_assert_uint_eq(plan.folds, 5);
    ck_assert_uint_eq(plan.test_positive_min, 1);
    ck_assert_uint_eq(plan.test_positive_max, 2);
    ck_assert_uint_eq(plan.train_positive_min, 6);
    ck_assert_int_eq(row_of(&plan, "smote")->k_neighbors, 5);
    spec = starter_spec(in, &plan, dir, "colours.csv", NULL);
    check_spec_is_plan(spec, in, &plan);
    ck_assert_str_eq(spec->datasets[0].categorical[0], "colour");
    run_and_check(spec, &plan, 0);
    imbal_spec_free(spec);
    imbal_inspection_free(in);
}
END_TEST

/* three.csv: 32 rows, label a (rows 0-19), b (20-28), c (29-31); grade is a number in every
 * row but row 7 ("high", line 9); code is 1, 2, 3 */
static void write_three(const char *path)
{
    char text[4096];
    size_t len = (size_t)snprintf(text, sizeof(text), "x1,grade,code,label\n");
    for (int i = 0; i < 32; i++) {
        char grade[16];
        if (i == 7) {
            snprintf(grade, sizeof(grade), "high");
        } else {
            snprintf(grade, sizeof(grade), "%d", i % 4);
        }
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%g,%s,%d,%s\n",
                                (i * 37) % 11 * 0.5 + (i >= 29 ? 3.0 : 0.0), grade, i % 3 + 1,
                                i < 20 ? "a" : i < 29 ? "b" : "c");
    }
    write_text(path, text);
}

START_TEST(csv_three_classes_smaller_k)
{
    const char *dir = tmp_dir();
    char path[256];
    char *yaml = NULL;
    const imbal_column_info *grade;
    imbal_inspection *in;
    imbal_starter_plan plan;
    imbal_spec *spec;
    snprintf(path, sizeof(path), "%s/three.csv", dir);
    write_three(path);
    in = inspect_ok(path, NULL, NULL);
    grade = column(in, "grade");
    ck_assert_uint_eq(in->n_classes, 3);
    ck_assert_uint_eq(in->class_counts[label(in, "a")], 20);
    ck_assert_uint_eq(in->class_counts[label(in, "b")], 9);
    ck_assert_uint_eq(in->class_counts[label(in, "c")], 3);
    ck_assert_str_eq(in->class_names[in->positive], "c");
    ck_assert_uint_eq(in->n_tied, 1);
    ck_assert_double_eq_tol(in->imbalance_ratio, 29.0 / 3.0, 1e-15);
    /* the loader would read grade as numeric and fail on row 7: listed as categorical */
    ck_assert_int_eq(grade->role, IMBAL_ROLE_CATEGORICAL);
    ck_assert_int_eq(grade->why, IMBAL_CATEGORICAL_LATER_CELL);
    ck_assert_str_eq(grade->first_text, "high");
    ck_assert_int_eq(grade->first_text_line, 9);
    ck_assert_uint_eq(grade->n_distinct, 5); /* 0 1 2 3 high */
    ck_assert_uint_eq(grade->n_numbers, 31); /* all but row 7's "high" */
    ck_assert_int_eq(column(in, "code")->whole_numbers, 1);
    ck_assert_uint_eq(column(in, "code")->n_distinct, 3);
    ck_assert_int_eq(column(in, "x1")->whole_numbers, 0);
    ck_assert_uint_eq(in->n_features, 6); /* x1, code + 4 grade dummies */
    plan = plan_ok(in);
    /* 3 positives: 3 folds of 1 test positive each, training folds keep 2: k = 1 */
    ck_assert_uint_eq(plan.folds, 3);
    ck_assert_uint_eq(plan.repeats, 17); /* ceil(50 / 3) */
    ck_assert_uint_eq(plan.train_positive_min, 2);
    ck_assert_uint_eq(plan.train_negative_min, 19); /* 29 - ceil(29 / 3) */
    ck_assert_int_eq(row_of(&plan, "smote")->included, 1);
    ck_assert_int_eq(row_of(&plan, "smote")->k_neighbors, 1);
    ck_assert_int_eq(row_of(&plan, "smote_tomek")->k_neighbors, 1);
    ck_assert_uint_eq(plan.n_included, 9);
    /* b (9): training folds keep 9 - 2 = 7 >= 6 */
    ck_assert_str_eq(in->class_names[plan.suggest], "b");
    spec = starter_spec(in, &plan, dir, "three.csv", &yaml);
    check_spec_is_plan(spec, in, &plan);
    flat(yaml);
    ck_assert_str_eq(spec->datasets[0].categorical[0], "grade");
    ck_assert_ptr_nonnull(strstr(yaml, "k_neighbors: 1, reduced from the default 5"));
    ck_assert_ptr_nonnull(strstr(yaml, "code: whole numbers with at most 10 distinct values"));
    ck_assert_ptr_nonnull(strstr(yaml, "('high' on line 9)"));
    run_and_check(spec, &plan, 0);
    imbal_spec_free(spec);
    free(yaml);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(csv_tiny_minority)
{
    /* 30 rows, 2 "pos": 2 folds, 1 positive per training fold: no SMOTE */
    const char *dir = tmp_dir();
    char path[256];
    char text[2048];
    char *yaml = NULL;
    size_t len = (size_t)snprintf(text, sizeof(text), "id,x2,cls\n");
    imbal_inspection *in;
    imbal_starter_plan plan;
    imbal_spec *spec;
    for (int i = 0; i < 30; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%d,%d,%s\n", i, (i * i) % 7,
                                i == 4 || i == 17 ? "pos" : "neg");
    }
    snprintf(path, sizeof(path), "%s/tiny.csv", dir);
    write_text(path, text);
    in = inspect_ok(path, NULL, NULL);
    ck_assert_str_eq(in->class_names[in->positive], "pos");
    ck_assert_uint_eq(in->n_positive, 2);
    ck_assert_double_eq_tol(in->imbalance_ratio, 14.0, 1e-15);
    ck_assert_uint_eq(column(in, "id")->n_distinct, 30);
    plan = plan_ok(in);
    ck_assert_uint_eq(plan.folds, 2);
    ck_assert_uint_eq(plan.train_positive_min, 1);
    ck_assert_int_eq(row_of(&plan, "smote")->included, 0);
    ck_assert_int_eq(row_of(&plan, "smote_tomek")->included, 0);
    ck_assert_uint_eq(plan.n_included, 7);
    ck_assert_uint_eq(plan.suggest, in->n_classes); /* two labels: nothing to suggest */
    spec = starter_spec(in, &plan, dir, "tiny.csv", &yaml);
    check_spec_is_plan(spec, in, &plan);
    flat(yaml);
    ck_assert_ptr_nonnull(strstr(yaml, "id: a different whole number in every row"));
    ck_assert_ptr_null(strstr(yaml, "sampler: smote"));
    run_and_check(spec, &plan, 0);
    imbal_spec_free(spec);
    free(yaml);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(csv_tie_and_names_that_need_quotes)
{
    /* 10 no, 10 yes: a tie, the later label "yes" is positive; every name needs quoting */
    const char *dir = tmp_dir();
    char path[256];
    char text[2048];
    size_t len = (size_t)snprintf(text, sizeof(text),
                                  "\"a b\",e: f,\"say \"\"hi\"\"\",\"cl ass#1\"\n");
    imbal_inspection *in;
    imbal_starter_plan plan;
    imbal_spec *spec;
    for (int i = 0; i < 20; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%d,%g,%s,%s\n", (i * 3) % 7,
                                i * 0.25, i % 4 == 0 ? "p: q" : "r", i % 2 == 0 ? "no" : "yes");
    }
    snprintf(path, sizeof(path), "%s/tie.csv", dir);
    write_text(path, text);
    in = inspect_ok(path, NULL, NULL);
    ck_assert_str_eq(in->class_names[in->positive], "yes");
    ck_assert_uint_eq(in->n_tied, 2);
    ck_assert_double_eq_tol(in->imbalance_ratio, 1.0, 1e-15);
    plan = plan_ok(in);
    spec = starter_spec(in, &plan, dir, "tie.csv", NULL);
    ck_assert_str_eq(spec->datasets[0].target, "cl ass#1");
    ck_assert_str_eq(spec->datasets[0].positive, "yes");
    ck_assert_uint_eq(spec->datasets[0].n_categorical, 1);
    ck_assert_str_eq(spec->datasets[0].categorical[0], "say \"hi\"");
    check_spec_is_plan(spec, in, &plan);
    run_and_check(spec, &plan, 1);
    imbal_spec_free(spec);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(singleton_label_is_not_guessed)
{
    /* a 10, b 5, c 1: c cannot be split, so b is positive; 5 folds, trainings keep 4: k = 3 */
    const char *dir = tmp_dir();
    char path[256];
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof(text), "x,y\n");
    imbal_inspection *in;
    imbal_starter_plan plan;
    imbal_spec *spec;
    for (int i = 0; i < 16; i++) {
        len += (size_t)snprintf(text + len, sizeof(text) - len, "%g,%s\n", (i * 5) % 9 * 0.5,
                                i < 10 ? "a" : i < 15 ? "b" : "c");
    }
    snprintf(path, sizeof(path), "%s/single.csv", dir);
    write_text(path, text);
    in = inspect_ok(path, NULL, NULL);
    ck_assert_str_eq(in->class_names[in->positive], "b");
    ck_assert_uint_eq(in->n_singletons, 1);
    ck_assert_uint_eq(in->n_negative, 11);
    plan = plan_ok(in);
    ck_assert_uint_eq(plan.folds, 5);
    ck_assert_uint_eq(plan.train_positive_min, 4);
    ck_assert_int_eq(row_of(&plan, "smote")->k_neighbors, 3);
    spec = starter_spec(in, &plan, dir, "single.csv", NULL);
    check_spec_is_plan(spec, in, &plan);
    run_and_check(spec, &plan, 0);
    imbal_spec_free(spec);
    imbal_inspection_free(in);
}
END_TEST

START_TEST(big_data_fewer_repeats_and_no_kmeans)
{
    /* facts as imbal_inspect would give them for 200,000 rows, 40,000 positive, 6 features */
    static char *names[] = {"0", "1"};
    static size_t counts[] = {160000, 40000};
    imbal_column_info cols[1];
    imbal_inspection in;
    imbal_starter_plan plan;
    memset(&in, 0, sizeof(in));
    memset(cols, 0, sizeof(cols));
    in.path = "big.csv";
    in.n_rows = 200000;
    in.n_columns = 1;
    in.columns = cols;
    in.n_classes = 2;
    in.class_names = names;
    in.class_counts = counts;
    in.positive = 1;
    in.n_positive = 40000;
    in.n_negative = 160000;
    in.imbalance_ratio = 4.0;
    in.n_features = 6;
    plan = plan_ok(&in);
    /* more than IMBAL_STARTER_BIG_ROWS: 10 test folds, 2 repeats of 5 */
    ck_assert_uint_eq(plan.folds, 5);
    ck_assert_uint_eq(plan.repeats, 2);
    ck_assert_uint_eq(plan.train_positive_min, 32000);
    /* 10 restarts x (160000 - 32000) negatives x 32000 centroids x 6 columns = 2.46e11 > 1e9 */
    ck_assert_int_eq(row_of(&plan, "cluster_centroids")->included, 0);
    ck_assert_ptr_nonnull(strstr(row_of(&plan, "cluster_centroids")->why, "2.5e+11"));
    ck_assert_uint_eq(plan.n_included, 13);
}
END_TEST

START_TEST(every_registered_technique_has_a_rule)
{
    /* a technique added to the registry must get its requirements checked here too */
    imbal_inspection *in = inspect_ok("datasets/abalone19.csv", NULL, NULL);
    imbal_starter_plan plan = plan_ok(in);
    ck_assert_uint_eq(plan.n_rows, imbal_technique_count() + 1); /* + class_weight_balanced */
    for (size_t r = 0; r < plan.n_rows; r++) {
        ck_assert_msg(strstr(plan.rows[r].why, "does not know") == NULL, "%s has no rule",
                      plan.rows[r].sampler);
        ck_assert_ptr_nonnull(imbal_technique_find(plan.rows[r].sampler));
    }
    imbal_inspection_free(in);
}
END_TEST

/* imbal_inspect fails with st; returns the error for further checks. */
static imbal_error inspect_fails(const char *path, const char *target, const char *positive,
                                 imbal_status st)
{
    imbal_inspect_options opt = {target, positive};
    imbal_inspection *in = (imbal_inspection *)&opt; /* must be reset to NULL */
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_inspect(path, &opt, &in, &err), st);
    ck_assert_ptr_null(in);
    ck_assert_int_eq(err.status, st);
    return err;
}

START_TEST(errors_name_the_file_and_the_choices)
{
    const char *dir = tmp_dir();
    char path[256];
    imbal_error err;
    imbal_inspection *in;
    imbal_starter_plan plan;
    err = inspect_fails("tests/data/no_such_file.csv", NULL, NULL, IMBAL_EIO);
    ck_assert_str_eq(err.file, "tests/data/no_such_file.csv");

    snprintf(path, sizeof(path), "%s/colours.csv", dir);
    write_colours(path);
    err = inspect_fails(path, "colur", NULL, IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "colur");
    ck_assert_str_eq(err.file, path);
    ck_assert_ptr_nonnull(strstr(err.msg, "target column 'colur' is not in the file; its "
                                          "columns: colour, size, y"));
    err = inspect_fails(path, NULL, "2", IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "y");
    ck_assert_ptr_nonnull(strstr(err.msg, "positive label '2' does not occur in column 'y'; its "
                                          "labels: 0 (32), 1 (8)"));

    snprintf(path, sizeof(path), "%s/one.csv", dir);
    write_text(path, "x,y\n1,a\n2,a\n3,a\n");
    err = inspect_fails(path, NULL, NULL, IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "one class only"));
    ck_assert_str_eq(err.key, "y");

    snprintf(path, sizeof(path), "%s/price.csv", dir);
    write_text(path, "x,price\n1,10.5\n2,11\n3,12.25\n4,9\n");
    err = inspect_fails(path, NULL, NULL, IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "each of the 4 labels of column 'price' occurs once"));

    snprintf(path, sizeof(path), "%s/missing.csv", dir);
    write_text(path, "x,y\n1,a\nNA,b\n3,a\n");
    err = inspect_fails(path, NULL, NULL, IMBAL_EPARSE);
    ck_assert_int_eq(err.line, 3);
    ck_assert_int_eq(err.column, 1);

    /* one positive row: nothing to cross-validate */
    snprintf(path, sizeof(path), "%s/lonely.csv", dir);
    write_text(path, "x,y\n1,a\n2,a\n3,b\n4,a\n");
    in = inspect_ok(path, NULL, NULL);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_starter_plan_make(in, &plan, &err), IMBAL_EINVAL);
    ck_assert_str_eq(err.key, "positive");
    ck_assert_ptr_nonnull(strstr(err.msg, "the positive class 'b' has 1 row"));
    imbal_inspection_free(in);
}
END_TEST

START_TEST(a_name_that_is_not_utf8_is_refused)
{
    const char *dir = tmp_dir();
    char path[256];
    char *yaml = (char *)dir; /* must be reset to NULL */
    imbal_error err;
    imbal_inspection *in;
    imbal_starter_plan plan;
    snprintf(path, sizeof(path), "%s/latin1.csv", dir);
    write_text(path, "caf\xe9,x,y\nu,1,a\nv,2,b\nu,3,a\nv,4,b\n");
    in = inspect_ok(path, NULL, NULL);
    plan = plan_ok(in);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_starter_yaml(in, &plan, "s", "latin1.csv", NULL, &yaml, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_null(yaml);
    ck_assert_str_eq(err.key, "caf\xe9");
    ck_assert_ptr_nonnull(strstr(err.msg, "not valid UTF-8"));
    imbal_inspection_free(in);
}
END_TEST

/* The value of key "k" in the one-mapping YAML text, as libyaml reads it (a new string). */
static char *yaml_value(const char *text)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    yaml_node_t *root;
    char *value = NULL;
    ck_assert_int_eq(yaml_parser_initialize(&parser), 1);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    ck_assert_msg(yaml_parser_load(&parser, &doc) == 1, "libyaml refused: %s", text);
    root = yaml_document_get_root_node(&doc);
    ck_assert_ptr_nonnull(root);
    ck_assert_int_eq(root->type, YAML_MAPPING_NODE);
    yaml_node_t *v = yaml_document_get_node(&doc, root->data.mapping.pairs.start->value);
    ck_assert_int_eq(v->type, YAML_SCALAR_NODE);
    value = strdup((const char *)v->data.scalar.value);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return value;
}

START_TEST(yaml_scalars_read_back_as_written)
{
    /* YAML indicators, booleans, numbers, quotes, escapes, control characters, UTF-8 */
    static const char *const cases[] = {
        "plain", "yes", "No", "null", "~", "1", "-1", "0.5", "a: b", "#x", "a #b", "- x", "[x]",
        "{x}", "&a", "*a", "!t", "%p", "@x", "`x`", "'q'", "x\"y\\z", "tab\there", "line\nbreak",
        "gr\xc3\xb6\xc3\x9f" "e", "", " lead", "trail ", "a,b", "?", "|", ">", "../data/x.csv"};
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        imbal_buf b = {NULL, 0, 0, 0};
        char *back;
        imbal_buf_printf(&b, "k: ");
        imbal_yaml_scalar(&b, cases[k]);
        imbal_buf_printf(&b, "  # a comment after it\n");
        ck_assert_int_eq(b.failed, 0);
        back = yaml_value(b.s);
        ck_assert_msg(strcmp(back, cases[k]) == 0, "'%s' came back as '%s' from %s", cases[k],
                      back, b.s);
        free(back);
        imbal_buf_free(&b);
    }
    /* plain only where nothing can be misread, by libyaml or by a YAML 1.1 reader that takes
     * yes/no/on/off/y/n for booleans and null for nothing */
    {
        imbal_buf b = {NULL, 0, 0, 0};
        imbal_yaml_scalar(&b, "abalone19.csv");
        imbal_yaml_scalar(&b, "imS");
        static const char *const words[] = {"yes", "No", "ON", "off", "y", "N", "true", "False",
                                            "null"};
        for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++) {
            imbal_yaml_scalar(&b, words[k]);
        }
        ck_assert_str_eq(b.s, "abalone19.csvimS\"yes\"\"No\"\"ON\"\"off\"\"y\"\"N\"\"true\""
                              "\"False\"\"null\"");
        imbal_buf_free(&b);
    }
}
END_TEST

START_TEST(comments_escape_what_would_break_them)
{
    /* a newline in a name would end the comment; invalid UTF-8 would make libyaml refuse */
    imbal_buf b = {NULL, 0, 0, 0};
    char *back;
    imbal_buf_printf(&b, "k: v\n");
    imbal_buf_printf(&b, "# ");
    imbal_yaml_safe(&b, "two\nlines caf\xe9 \xc3\xa9");
    imbal_buf_printf(&b, "\n");
    ck_assert_ptr_nonnull(strstr(b.s, "# two\\x0alines caf\\xe9 \xc3\xa9\n"));
    back = yaml_value(b.s);
    ck_assert_str_eq(back, "v");
    free(back);
    imbal_buf_free(&b);
    ck_assert_int_eq(imbal_yaml_utf8_valid("gr\xc3\xb6\xc3\x9f" "e \xf0\x9f\x98\x80"), 1);
    ck_assert_int_eq(imbal_yaml_utf8_valid("caf\xe9"), 0);         /* Latin-1 */
    ck_assert_int_eq(imbal_yaml_utf8_valid("\xc0\xaf"), 0);        /* overlong '/' */
    ck_assert_int_eq(imbal_yaml_utf8_valid("\xed\xa0\x80"), 0);    /* a surrogate */
    ck_assert_int_eq(imbal_yaml_utf8_valid("\xf4\x90\x80\x80"), 0); /* beyond U+10FFFF */
}
END_TEST

START_TEST(comment_lines_wrap_at_the_width)
{
    imbal_buf b = {NULL, 0, 0, 0};
    imbal_yaml_comment(&b, "  ", "aaa bbb ccc ddd eee", 14);
    /* "  # " + at most 10 characters per line, broken at spaces */
    ck_assert_str_eq(b.s, "  # aaa bbb\n  # ccc ddd\n  # eee\n");
    imbal_buf_free(&b);
    imbal_yaml_comment(&b, "", "averyveryverylongword x", 10);
    ck_assert_str_eq(b.s, "# averyveryverylongword\n# x\n");
    imbal_buf_free(&b);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("inspect");
    TCase *tc = tcase_create("inspect");
    tcase_set_timeout(tc, 300);
    tcase_add_checked_fixture(tc, NULL, teardown);
    tcase_add_test(tc, abalone_csv_facts_plan_and_spec);
    tcase_add_test(tc, abalone_keel_reads_outputs_and_nominal);
    tcase_add_test(tc, ecoli_minority_of_two_rows);
    tcase_add_test(tc, ecoli_positive_given_gets_the_full_plan);
    tcase_add_test(tc, csv_numeric_target_and_categorical);
    tcase_add_test(tc, csv_three_classes_smaller_k);
    tcase_add_test(tc, csv_tiny_minority);
    tcase_add_test(tc, csv_tie_and_names_that_need_quotes);
    tcase_add_test(tc, singleton_label_is_not_guessed);
    tcase_add_test(tc, big_data_fewer_repeats_and_no_kmeans);
    tcase_add_test(tc, every_registered_technique_has_a_rule);
    tcase_add_test(tc, errors_name_the_file_and_the_choices);
    tcase_add_test(tc, a_name_that_is_not_utf8_is_refused);
    tcase_add_test(tc, yaml_scalars_read_back_as_written);
    tcase_add_test(tc, comments_escape_what_would_break_them);
    tcase_add_test(tc, comment_lines_wrap_at_the_width);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
