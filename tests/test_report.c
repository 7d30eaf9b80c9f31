/* Reports read back by independent parsers: summary.json by Jansson (a real JSON parser that
 * also rejects ill-formed UTF-8), runs.csv and summary.csv by the RFC 4180 splitter of
 * tests/util.c. tests/data/names.yaml gives the dataset and techniques names with quotes,
 * backslashes, a tab, a control character, commas, non-ASCII UTF-8, edge spaces and a line
 * break; the class labels of tests/data/names.csv hold ill-formed UTF-8 (0xff, a truncated
 * sequence), which JSON carries as U+FFFD (strbuf.h) and CSV byte for byte. Numbers must agree
 * across the files: each summary mean is the runs' values summed in run order over n. Also
 * the escaping and quoting functions on hand-written cases. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "imbal/report.h"
#include "imbal/runner.h"
#include "imbal/spec.h"
#include "strbuf.h"
#include "util.h"

static imbal_spec *spec;
static imbal_experiment *ex;
static char dir[64];

static char *path_in(const char *name)
{
    static char buf[128];
    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

/* Runs tests/data/names.yaml once and writes its reports to a fresh temporary directory. */
static void run_names(void)
{
    imbal_error_list errs = {NULL, 0, 0};
    imbal_run_options ro = {1, 0, NULL, NULL, NULL, NULL};
    imbal_report_options rep = {0, 0};
    strcpy(dir, "/tmp/imbal_report_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(imbal_spec_load("tests/data/names.yaml", &spec, &errs), IMBAL_OK);
    imbal_error_list_free(&errs);
    ck_assert_int_eq(imbal_experiment_prepare(spec, &ex, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_experiment_run(ex, &ro, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_report_write(ex, dir, &rep, NULL), IMBAL_OK);
}

static void clean_names(void)
{
    static const char *const files[] = {"runs.csv", "summary.csv", "summary.md", "summary.json"};
    for (size_t i = 0; i < 4; i++) {
        remove(path_in(files[i]));
    }
    remove_outdir(dir);
    imbal_experiment_free(ex);
    imbal_spec_free(spec);
}

static const char *const dataset_name = "data \"q\" back\\slash\ttab\x01"
                                        "ctl \xc3\xa9 "
                                        "\xf0\x9f\x98\x80, comma";
static const char *const technique_names[3] = {"plain \"none\"", " spaced\nline ",
                                               "\xc3\xbcn\xc3\xaf\\c\xc3\xb6"
                                               "d\xc3\xa9"};
/* the labels of names.csv with each ill-formed sequence replaced by U+FFFD (EF BF BD) */
static const char *const json_class_names[2] = {"neg\xef\xbf\xbd\"x", "p\xc3\xa9s,\xef\xbf\xbd"};

START_TEST(spec_names_are_as_written)
{
    /* the YAML escapes decoded as the test expects, or the rest would prove nothing */
    ck_assert_str_eq(spec->datasets[0].name, dataset_name);
    for (size_t t = 0; t < 3; t++) {
        ck_assert_str_eq(spec->techniques[t].name, technique_names[t]);
    }
    ck_assert_str_eq(ex->data[0]->class_names[0], "neg\xff\"x");
    ck_assert_str_eq(ex->data[0]->class_names[1], "p\xc3\xa9s,\xe2\x82");
}
END_TEST

static json_t *load_json(void)
{
    json_error_t jerr;
    json_t *root = json_load_file(path_in("summary.json"), 0, &jerr);
    ck_assert_msg(root != NULL, "summary.json: %d:%d: %s", jerr.line, jerr.column, jerr.text);
    return root;
}

static double json_num(const json_t *o, const char *k1, const char *k2, const char *k3)
{
    const json_t *v = json_object_get(o, k1);
    if (k2 != NULL) {
        v = json_object_get(v, k2);
    }
    if (k3 != NULL) {
        v = json_object_get(v, k3);
    }
    ck_assert_msg(json_is_number(v), "%s.%s.%s is not a number", k1, k2 ? k2 : "", k3 ? k3 : "");
    return json_number_value(v);
}

START_TEST(json_parses_and_names_round_trip)
{
    json_t *root = load_json();
    json_t *summary = json_object_get(root, "summary");
    ck_assert(json_is_object(json_object_get(root, "spec")));
    ck_assert(json_is_array(summary));
    ck_assert_uint_eq(json_array_size(summary), 3);
    for (size_t t = 0; t < 3; t++) {
        json_t *row = json_array_get(summary, t);
        json_t *ds = json_object_get(row, "dataset");
        json_t *cr = json_object_get(row, "classification_report");
        ck_assert(json_is_string(ds));
        ck_assert_uint_eq(json_string_length(ds), strlen(dataset_name));
        ck_assert_str_eq(json_string_value(ds), dataset_name);
        ck_assert_str_eq(json_string_value(json_object_get(row, "technique")), technique_names[t]);
        for (int c = 0; c < 2; c++) {
            ck_assert_msg(json_is_object(json_object_get(cr, json_class_names[c])),
                          "class %d missing from classification_report", c);
        }
    }
    json_decref(root);
}
END_TEST

/* runs.csv rows of technique t, in run order. */
static size_t runs_of(const csv_doc *runs, size_t t, size_t *rows)
{
    size_t n = 0;
    size_t ct = csv_col(runs, "technique");
    for (size_t r = 1; r < runs->n_rows; r++) {
        if (strcmp(runs->field[r][ct], technique_names[t]) == 0) {
            rows[n++] = r;
        }
    }
    return n;
}

START_TEST(csv_names_round_trip_and_numbers_agree_with_json)
{
    static const char *const metrics[] = {"auc",   "pr_auc",      "precision",         "recall",
                                          "f1",    "specificity", "balanced_accuracy", "auc_keel",
                                          "gmean", "mcc",         "accuracy"};
    static const char *const counts[] = {"tn", "fp", "fn", "tp"};
    char *text = slurp(path_in("runs.csv"));
    csv_doc *runs = csv_parse(text);
    char *stext = slurp(path_in("summary.csv"));
    csv_doc *sum = csv_parse(stext);
    json_t *root = load_json();
    json_t *summary = json_object_get(root, "summary");
    ck_assert_uint_eq(runs->n_rows, 1 + 9); /* 3 techniques x 3 folds */
    ck_assert_uint_eq(sum->n_rows, 1 + 3);
    for (size_t r = 1; r < runs->n_rows; r++) {
        ck_assert_uint_eq(runs->n_fields[r], runs->n_fields[0]);
        ck_assert_str_eq(runs->field[r][csv_col(runs, "dataset")], dataset_name);
    }
    for (size_t t = 0; t < 3; t++) {
        size_t rows[16];
        size_t n = runs_of(runs, t, rows);
        json_t *row = json_array_get(summary, t);
        ck_assert_uint_eq(n, 3);
        ck_assert_str_eq(sum->field[1 + t][csv_col(sum, "dataset")], dataset_name);
        ck_assert_str_eq(sum->field[1 + t][csv_col(sum, "technique")], technique_names[t]);
        ck_assert_uint_eq((size_t)json_num(row, "n_runs", NULL, NULL), 3);
        for (size_t k = 0; k < sizeof(metrics) / sizeof(metrics[0]); k++) {
            double total = 0.0;
            char col[64];
            for (size_t i = 0; i < n; i++) {
                total += strtod(runs->field[rows[i]][csv_col(runs, metrics[k])], NULL);
            }
            /* exact: both files print %.17g of the same double, the mean of the runs */
            ck_assert_double_eq(json_num(row, "metrics", metrics[k], "mean"), total / (double)n);
            snprintf(col, sizeof(col), "%s_mean", metrics[k]);
            ck_assert_double_eq(strtod(sum->field[1 + t][csv_col(sum, col)], NULL),
                                total / (double)n);
        }
        for (size_t k = 0; k < 4; k++) {
            double total = 0.0;
            for (size_t i = 0; i < n; i++) {
                total += strtod(runs->field[rows[i]][csv_col(runs, counts[k])], NULL);
            }
            ck_assert_double_eq(json_num(row, "confusion", counts[k], NULL), total);
        }
    }
    json_decref(root);
    csv_doc_free(runs);
    csv_doc_free(sum);
    free(text);
    free(stext);
}
END_TEST

/* One string through imbal_buf_json_string, then through Jansson. */
static void json_round_trip(const char *in, const char *expected_text, const char *expected_value)
{
    imbal_buf b = {NULL, 0, 0, 0};
    json_error_t jerr;
    json_t *v;
    imbal_buf_json_string(&b, in);
    ck_assert(!b.failed);
    ck_assert_str_eq(b.s, expected_text);
    v = json_loads(b.s, JSON_DECODE_ANY, &jerr);
    ck_assert_msg(v != NULL, "%s: %s", b.s, jerr.text);
    ck_assert_str_eq(json_string_value(v), expected_value);
    json_decref(v);
    imbal_buf_free(&b);
}

START_TEST(json_escaping_by_hand)
{
    json_round_trip("a\"b\\c", "\"a\\\"b\\\\c\"", "a\"b\\c");
    json_round_trip("\t\n\x01\x1f\x7f", "\"\\u0009\\u000a\\u0001\\u001f\x7f\"", "\t\n\x01\x1f\x7f");
    /* well-formed UTF-8 passes unchanged: 2, 3 and 4 bytes, U+FFFF, U+10FFFF */
    json_round_trip("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf",
                    "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf\"",
                    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xef\xbf\xbf\xf4\x8f\xbf\xbf");
    /* ill-formed: a lone continuation byte, 0xff, an overlong '/', a surrogate (U+D800),
     * above U+10FFFF, a sequence cut by the end; each maximal subpart is one U+FFFD */
    json_round_trip("\x80"
                    "a",
                    "\"\\ufffda\"",
                    "\xef\xbf\xbd"
                    "a");
    json_round_trip("\xff", "\"\\ufffd\"", "\xef\xbf\xbd");
    json_round_trip("\xc0\xaf", "\"\\ufffd\\ufffd\"", "\xef\xbf\xbd\xef\xbf\xbd");
    json_round_trip("\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"",
                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    json_round_trip("\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"",
                    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
    json_round_trip("x\xe2\x82", "\"x\\ufffd\"", "x\xef\xbf\xbd");
    json_round_trip("\xf0\x9f\x98"
                    "b",
                    "\"\\ufffdb\"",
                    "\xef\xbf\xbd"
                    "b");
    json_round_trip("", "\"\"", "");
}
END_TEST

static void csv_field_is(const char *in, const char *expected)
{
    imbal_buf b = {NULL, 0, 0, 0};
    csv_doc *d;
    imbal_buf_csv_field(&b, in);
    ck_assert(!b.failed);
    ck_assert_str_eq(b.s != NULL ? b.s : "", expected);
    /* and read back as one field of one row */
    imbal_buf_printf(&b, ",end\n");
    d = csv_parse(b.s);
    ck_assert_uint_eq(d->n_rows, 1);
    ck_assert_uint_eq(d->n_fields[0], 2);
    ck_assert_str_eq(d->field[0][0], in);
    csv_doc_free(d);
    imbal_buf_free(&b);
}

START_TEST(csv_quoting_by_hand)
{
    csv_field_is("plain", "plain");
    csv_field_is("\xc3\xa9\xff", "\xc3\xa9\xff"); /* bytes as they are */
    csv_field_is("a,b", "\"a,b\"");
    csv_field_is("say \"hi\"", "\"say \"\"hi\"\"\"");
    csv_field_is("two\nlines", "\"two\nlines\"");
    csv_field_is("cr\r\nlf", "\"cr\r\nlf\"");
    /* imbal's reader trims unquoted fields, so edge spaces and tabs are quoted */
    csv_field_is(" lead", "\" lead\"");
    csv_field_is("trail\t", "\"trail\t\"");
    csv_field_is("in side", "in side");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("round_trip");
    TCase *th = tcase_create("by_hand");
    tcase_set_timeout(tc, 60);
    tcase_add_unchecked_fixture(tc, run_names, clean_names);
    tcase_add_test(tc, spec_names_are_as_written);
    tcase_add_test(tc, json_parses_and_names_round_trip);
    tcase_add_test(tc, csv_names_round_trip_and_numbers_agree_with_json);
    tcase_add_test(th, json_escaping_by_hand);
    tcase_add_test(th, csv_quoting_by_hand);
    suite_add_tcase(s, tc);
    suite_add_tcase(s, th);
    return run_suite(s);
}
