/* Figures (include/imbal/plot.h): each figure type is drawn as SVG and, when the build has
 * cairo, as PNG; the SVG must be well-formed XML holding its axis and legend labels as text,
 * the PNG must be a PNG of the asked size (its IHDR read here). CD cliques are checked by hand,
 * and the errors, including PNG without cairo. Set IMBAL_PLOT_EXAMPLES to a directory to keep
 * the example figures there (they go to the test's temporary directory otherwise). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/curves.h"
#include "imbal/plot.h"
#include "imbal/rng.h"
#include "util.h"

#define N_TECH 4

static const char *out_path(const char *name)
{
    static char buf[1024];
    const char *dir = getenv("IMBAL_PLOT_EXAMPLES");
    if (dir == NULL || dir[0] == '\0') {
        return test_tmp(name);
    }
    snprintf(buf, sizeof(buf), "%s/%s", dir, name);
    return buf;
}

/* Width and height from a PNG's signature and IHDR chunk (bytes 16..23, big-endian). */
static void png_size(const char *path, unsigned long *w, unsigned long *h)
{
    static const unsigned char sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char b[24];
    FILE *f = fopen(path, "rb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fread(b, 1, 24, f), 24);
    fclose(f);
    ck_assert_int_eq(memcmp(b, sig, 8), 0);
    ck_assert_int_eq(memcmp(b + 12, "IHDR", 4), 0);
    *w = ((unsigned long)b[16] << 24) | ((unsigned long)b[17] << 16) | ((unsigned long)b[18] << 8) |
         b[19];
    *h = ((unsigned long)b[20] << 24) | ((unsigned long)b[21] << 16) | ((unsigned long)b[22] << 8) |
         b[23];
}

/* A small XML check, independent of the writer: every tag closes in order, attributes are
 * quoted, and text holds no raw '<' or a bare '&' (entities only). Returns 1 when fine. */
static int xml_well_formed(const char *s)
{
    char stack[64][32];
    int depth = 0;
    int roots = 0;
    const char *p = s;
    if (strncmp(p, "<?xml", 5) == 0) {
        p = strstr(p, "?>");
        if (p == NULL) {
            return 0;
        }
        p += 2;
    }
    while (*p != '\0') {
        if (*p == '&') {
            const char *e = strchr(p, ';');
            if (e == NULL || e - p > 8 || strncmp(p, "&#", 2) == 0) {
                if (e == NULL) {
                    return 0;
                }
            }
            if (strncmp(p, "&amp;", 5) != 0 && strncmp(p, "&lt;", 4) != 0 &&
                strncmp(p, "&gt;", 4) != 0 && strncmp(p, "&quot;", 6) != 0 &&
                strncmp(p, "&apos;", 6) != 0) {
                return 0;
            }
            p = e + 1;
            continue;
        }
        if (*p == '>') {
            return 0;
        }
        if (*p != '<') {
            p++;
            continue;
        }
        int closing = p[1] == '/';
        const char *name = p + 1 + closing;
        size_t nl = strcspn(name, " \t\n/>");
        if (nl == 0 || nl >= 32) {
            return 0;
        }
        const char *q = name + nl;
        int in_quote = 0;
        while (*q != '\0' && (in_quote || *q != '>')) {
            if (*q == '"') {
                in_quote = !in_quote;
            } else if (!in_quote && *q == '<') {
                return 0;
            }
            q++;
        }
        if (*q != '>') {
            return 0;
        }
        int self = q[-1] == '/';
        if (closing) {
            if (depth == 0 || strlen(stack[depth - 1]) != nl ||
                strncmp(stack[depth - 1], name, nl) != 0) {
                return 0;
            }
            depth--;
        } else if (!self) {
            if (depth == 64) {
                return 0;
            }
            if (depth == 0) {
                roots++;
            }
            memcpy(stack[depth], name, nl);
            stack[depth][nl] = '\0';
            depth++;
        } else if (depth == 0) {
            roots++;
        }
        p = q + 1;
    }
    return depth == 0 && roots == 1;
}

static void assert_has(const char *svg, const char *text)
{
    ck_assert_msg(strstr(svg, text) != NULL, "SVG lacks '%s'", text);
}

/* The SVG at path: well-formed, with a <text> element per wanted string. */
static char *check_svg(const char *path, const char *const *want, size_t n_want)
{
    char *svg = slurp(path);
    ck_assert_msg(xml_well_formed(svg), "%s is not well-formed", path);
    assert_has(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\"");
    for (size_t i = 0; i < n_want; i++) {
        char el[256];
        snprintf(el, sizeof(el), ">%s</text>", want[i]);
        assert_has(svg, el);
    }
    return svg;
}

static void check_png(const char *path, int w, int h)
{
    unsigned long pw = 0;
    unsigned long ph = 0;
    png_size(path, &pw, &ph);
    ck_assert_uint_eq(pw, (unsigned long)w);
    ck_assert_uint_eq(ph, (unsigned long)h);
}

/* Scores of N_TECH techniques on one data set of 5 folds: normal noise plus a shift for the
 * positives that grows with the technique (so the curves differ), 8% positives. */
typedef struct {
    size_t n;
    double score[N_TECH][500];
    int label[500];
    size_t fold[500];
} scores;

static void make_scores(scores *s)
{
    imbal_rng *rng = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 14, &rng, NULL), IMBAL_OK);
    s->n = 500;
    for (size_t i = 0; i < s->n; i++) {
        s->label[i] = imbal_rng_uniform(rng) < 0.08;
        s->fold[i] = i % 5;
        for (size_t t = 0; t < N_TECH; t++) {
            double z = imbal_rng_normal(rng);
            s->score[t][i] = 1.0 / (1.0 + exp(-(z + (0.6 + 0.5 * (double)t) * s->label[i] - 1.5)));
        }
    }
    imbal_rng_free(rng);
}

static void draw_curves(imbal_curve_kind kind, imbal_plot_format fmt, const char *path)
{
    static scores s;
    double grid[101];
    imbal_curve_set *set[N_TECH];
    imbal_plot_series series[N_TECH];
    const char *label[N_TECH] = {"none (fold mean, sd)", "random_over (fold mean, sd)",
                                 "smote (pooled)", "class_weight (pooled)"};
    make_scores(&s);
    ck_assert_int_eq(imbal_curve_grid(grid, 101, NULL), IMBAL_OK);
    size_t pos = 0;
    for (size_t i = 0; i < s.n; i++) {
        pos += (size_t)s.label[i];
    }
    for (size_t t = 0; t < N_TECH; t++) {
        ck_assert_int_eq(imbal_curve_set_build(kind, s.score[t], s.label, s.fold, s.n, 5, 1, grid,
                                               101, &set[t], NULL),
                         IMBAL_OK);
        /* the first two as fold averages with their sd band, the others pooled */
        series[t] = t < 2 ? imbal_plot_series_avg(set[t]->avg, label[t])
                          : imbal_plot_series_curve(set[t]->pooled, label[t]);
    }
    imbal_plot_params p;
    imbal_plot_params_default(&p);
    p.format = fmt;
    p.path = path;
    p.title = kind == IMBAL_CURVE_ROC ? "ROC (synthetic scores, 5 folds)" : "Precision-recall";
    imbal_error err;
    imbal_error_clear(&err);
    ck_assert_msg(imbal_plot_curves(&p, kind, series, N_TECH, (double)pos / (double)s.n, &err) ==
                      IMBAL_OK,
                  "%s", err.msg);
    for (size_t t = 0; t < N_TECH; t++) {
        imbal_curve_set_free(set[t]);
    }
}

START_TEST(curve_figures)
{
    for (int kind = 0; kind < 2; kind++) {
        const char *svg_path = out_path(kind == 0 ? "roc.svg" : "pr.svg");
        draw_curves((imbal_curve_kind)kind, IMBAL_PLOT_SVG, svg_path);
        const char *roc_want[] = {"False positive rate",
                                  "True positive rate",
                                  "none (fold mean, sd)",
                                  "random_over (fold mean, sd)",
                                  "smote (pooled)",
                                  "class_weight (pooled)",
                                  "no skill (AUC 0.5)",
                                  "0.5",
                                  "1.0"};
        const char *pr_want[] = {"Recall",
                                 "Precision",
                                 "none (fold mean, sd)",
                                 "random_over (fold mean, sd)",
                                 "smote (pooled)",
                                 "class_weight (pooled)",
                                 "no skill (prevalence)",
                                 "Precision-recall"};
        char *svg = kind == 0 ? check_svg(svg_path, roc_want, 9) : check_svg(svg_path, pr_want, 8);
        assert_has(svg, "<polygon");         /* the sd bands */
        assert_has(svg, "stroke-dasharray"); /* the no-skill line */
        free(svg);
        if (imbal_plot_have_png()) {
            const char *png_path = out_path(kind == 0 ? "roc.png" : "pr.png");
            draw_curves((imbal_curve_kind)kind, IMBAL_PLOT_PNG, png_path);
            check_png(png_path, 800, 560);
        }
    }
}
END_TEST

static imbal_status draw_bars(imbal_plot_format fmt, const char *path, int w, int h)
{
    const char *names[] = {"none",         "random_over", "smote", "borderline_smote",
                           "class_weight", "a<b&c"};
    const double v[] = {0.8407, 0.8512, 0.8623, 0.8301, 0.8555, 0.61};
    const double lo[] = {0.8121, 0.8200, 0.8350, 0.7900, 0.8302, 0.5};
    const double hi[] = {0.8693, 0.8824, 0.8896, 0.8702, 0.8808, 0.7};
    imbal_plot_params p;
    imbal_plot_params_default(&p);
    p.format = fmt;
    p.path = path;
    p.width = w;
    p.height = h;
    p.title = "ROC AUC per technique (95% interval)";
    return imbal_plot_bars(&p, "ROC AUC", names, v, lo, hi, 6, NULL);
}

START_TEST(bar_figure)
{
    const char *svg_path = out_path("bars.svg");
    ck_assert_int_eq(draw_bars(IMBAL_PLOT_SVG, svg_path, 720, 480), IMBAL_OK);
    const char *want[] = {"ROC AUC", "none", "borderline_smote", "0.841", "0.862", "a&lt;b&amp;c"};
    free(check_svg(svg_path, want, 6));
    if (imbal_plot_have_png()) {
        const char *png_path = out_path("bars.png");
        ck_assert_int_eq(draw_bars(IMBAL_PLOT_PNG, png_path, 720, 480), IMBAL_OK);
        check_png(png_path, 720, 480);
    }
    /* a metric with negative values (MCC) gets a range that holds them and 0 */
    const char *names[] = {"x", "y"};
    const double v[] = {-0.2, 0.4};
    imbal_plot_params p;
    imbal_plot_params_default(&p);
    p.path = test_tmp("mcc.svg");
    ck_assert_int_eq(imbal_plot_bars(&p, "MCC", names, v, NULL, NULL, 2, NULL), IMBAL_OK);
    char *svg = slurp(p.path);
    ck_assert(xml_well_formed(svg));
    assert_has(svg, ">-0.2</text>");
    ck_assert_ptr_null(strstr(svg, ">-0.3</text>"));
    assert_has(svg, ">-0.200</text>");
    free(svg);
}
END_TEST

static imbal_status draw_counts(imbal_plot_format fmt, const char *path)
{
    const char *classes[] = {"negative", "positive"};
    const double before[] = {3313, 26};
    const char *techs[] = {"random_over", "random_under", "smote", "tomek_links", "smote_enn"};
    const double after[] = {3313, 3313, 26, 26, 3313, 3313, 3306.4, 26, 2928, 3267};
    imbal_plot_params p;
    imbal_plot_params_default(&p);
    p.format = fmt;
    p.path = path;
    p.title = "Training-fold class counts";
    return imbal_plot_class_counts(&p, classes, 2, before, techs, after, 5, NULL);
}

START_TEST(class_count_figure)
{
    const char *svg_path = out_path("counts.svg");
    ck_assert_int_eq(draw_counts(IMBAL_PLOT_SVG, svg_path), IMBAL_OK);
    const char *want[] = {"training rows", "before", "smote_enn", "negative",
                          "positive",      "3313",   "26",        "3306.4"};
    free(check_svg(svg_path, want, 8));
    if (imbal_plot_have_png()) {
        const char *png_path = out_path("counts.png");
        ck_assert_int_eq(draw_counts(IMBAL_PLOT_PNG, png_path), IMBAL_OK);
        check_png(png_path, 800, 560);
    }
}
END_TEST

START_TEST(cd_cliques_by_hand)
{
    /* ranks 1.2 1.9 2.6 3.9 4.4, CD 1: 1.2 reaches 1.9 (0.7 < 1) not 2.6 (1.4): {0, 1};
     * 1.9 reaches 2.6 (0.7) not 3.9: {1, 2}; 2.6 reaches nothing (1.3); 3.9 reaches 4.4. */
    const double r[] = {2.6, 1.2, 4.4, 1.9, 3.9};
    size_t order[5];
    size_t lo[5];
    size_t hi[5];
    size_t n = 99;
    ck_assert_int_eq(imbal_plot_cd_cliques(r, 5, 1.0, order, lo, hi, &n, NULL), IMBAL_OK);
    const size_t want_order[] = {1, 3, 0, 4, 2};
    for (int i = 0; i < 5; i++) {
        ck_assert_uint_eq(order[i], want_order[i]);
    }
    ck_assert_uint_eq(n, 3);
    ck_assert_uint_eq(lo[0], 0);
    ck_assert_uint_eq(hi[0], 1);
    ck_assert_uint_eq(lo[1], 1);
    ck_assert_uint_eq(hi[1], 2);
    ck_assert_uint_eq(lo[2], 3);
    ck_assert_uint_eq(hi[2], 4);
    /* a run inside another is not a clique of its own; a difference of exactly CD is
     * significant (Demsar: "differ by at least the critical difference") */
    const double r2[] = {1.0, 1.1, 1.2, 3.0};
    ck_assert_int_eq(imbal_plot_cd_cliques(r2, 4, 0.5, order, lo, hi, &n, NULL), IMBAL_OK);
    ck_assert_uint_eq(n, 1);
    ck_assert_uint_eq(lo[0], 0);
    ck_assert_uint_eq(hi[0], 2);
    const double r3[] = {1.0, 2.0, 3.0};
    ck_assert_int_eq(imbal_plot_cd_cliques(r3, 3, 1.0, order, lo, hi, &n, NULL), IMBAL_OK);
    ck_assert_uint_eq(n, 0);
    /* equal ranks keep index order */
    const double r4[] = {2.0, 1.0, 2.0};
    ck_assert_int_eq(imbal_plot_cd_cliques(r4, 3, 3.0, order, lo, hi, &n, NULL), IMBAL_OK);
    ck_assert_uint_eq(order[0], 1);
    ck_assert_uint_eq(order[1], 0);
    ck_assert_uint_eq(order[2], 2);
    ck_assert_uint_eq(n, 1);
    ck_assert_int_eq(imbal_plot_cd_cliques(r4, 1, 3.0, order, lo, hi, &n, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_cd_cliques(r4, 3, 0.0, order, lo, hi, &n, NULL), IMBAL_EINVAL);
}
END_TEST

static imbal_status draw_cd(imbal_plot_format fmt, const char *path)
{
    const char *names[] = {"none",         "random_over", "smote",    "borderline_smote",
                           "class_weight", "tomek_links", "smote_enn"};
    const double r[] = {5.1, 3.2, 2.4, 4.0, 2.9, 5.8, 4.6};
    imbal_plot_params p;
    imbal_plot_params_default(&p);
    p.format = fmt;
    p.path = path;
    p.height = 300;
    p.title = "Critical difference (Nemenyi, alpha 0.05, 12 data sets)";
    /* k = 7, n = 12: CD = 2.949 sqrt(7 * 8 / 72) = 2.601 */
    return imbal_plot_cd(&p, names, r, 7, 2.949 * sqrt(56.0 / 72.0), NULL);
}

START_TEST(cd_figure)
{
    const char *svg_path = out_path("cd.svg");
    ck_assert_int_eq(draw_cd(IMBAL_PLOT_SVG, svg_path), IMBAL_OK);
    const char *want[] = {"smote (2.40)",           "tomek_links (5.80)", "CD = 2.601", "1", "7",
                          "average rank (1 = best)"};
    free(check_svg(svg_path, want, 6));
    if (imbal_plot_have_png()) {
        const char *png_path = out_path("cd.png");
        ck_assert_int_eq(draw_cd(IMBAL_PLOT_PNG, png_path), IMBAL_OK);
        check_png(png_path, 800, 300);
    }
}
END_TEST

START_TEST(bytes_match_the_file)
{
    const char *names[] = {"a", "b"};
    const double v[] = {0.5, 0.7};
    for (int fmt = 0; fmt < 2; fmt++) {
        if (fmt == IMBAL_PLOT_PNG && !imbal_plot_have_png()) {
            continue;
        }
        char *data = NULL;
        size_t len = 0;
        imbal_plot_params p;
        imbal_plot_params_default(&p);
        p.format = (imbal_plot_format)fmt;
        p.path = test_tmp(fmt == 0 ? "b.svg" : "b.png");
        p.data = &data;
        p.len = &len;
        ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, NULL, NULL, 2, NULL), IMBAL_OK);
        FILE *f = fopen(p.path, "rb");
        ck_assert_ptr_nonnull(f);
        char *file = malloc(len + 1);
        ck_assert_ptr_nonnull(file);
        ck_assert_uint_eq(fread(file, 1, len + 1, f), len);
        fclose(f);
        ck_assert_int_eq(memcmp(file, data, len), 0);
        free(file);
        free(data);
    }
}
END_TEST

START_TEST(errors)
{
    const char *names[] = {"a", "b"};
    const double v[] = {0.5, 0.7};
    const double lo[] = {0.6, 0.6};
    const double hi[] = {0.8, 0.8};
    const double nan_v[] = {NAN, 0.7};
    imbal_plot_params p;
    imbal_error err;
    imbal_plot_params_default(&p);
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, NULL, NULL, 2, NULL), IMBAL_EINVAL);
    p.path = test_tmp("e.svg");
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, lo, hi, 2, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, lo, NULL, 2, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, nan_v, NULL, NULL, 2, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, NULL, NULL, 0, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_bars(NULL, "m", names, v, NULL, NULL, 2, NULL), IMBAL_EINVAL);
    p.width = 4;
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, NULL, NULL, 2, NULL), IMBAL_EINVAL);
    p.width = 800;
    p.font_size = 0.0;
    ck_assert_int_eq(imbal_plot_bars(&p, "m", names, v, NULL, NULL, 2, NULL), IMBAL_EINVAL);
    p.font_size = 14.0;
    const double x[] = {0.0, 1.0};
    const double y_bad[] = {0.0, 1.5};
    imbal_plot_series s = {"s", 2, x, x, NULL};
    imbal_plot_series bad = {"s", 2, x, y_bad, NULL};
    ck_assert_int_eq(imbal_plot_curves(&p, IMBAL_CURVE_PR, &s, 1, 0.0, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_curves(&p, IMBAL_CURVE_ROC, &bad, 1, 0.0, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_plot_curves(&p, IMBAL_CURVE_ROC, &s, 0, 0.0, NULL), IMBAL_EINVAL);
    const double neg[] = {1.0, -1.0};
    ck_assert_int_eq(imbal_plot_class_counts(&p, names, 2, neg, names, v, 1, NULL), IMBAL_EINVAL);
    const double r[] = {0.5, 2.0};
    ck_assert_int_eq(imbal_plot_cd(&p, names, r, 2, 1.0, NULL), IMBAL_EINVAL);
    /* a directory that does not exist: EIO, the path named */
    p.path = "/nonexistent-imbal-dir/x.svg";
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_plot_curves(&p, IMBAL_CURVE_ROC, &s, 1, 0.0, &err), IMBAL_EIO);
    /* PNG without cairo says how to get it */
    p.path = test_tmp("e.png");
    p.format = IMBAL_PLOT_PNG;
    imbal_error_clear(&err);
    imbal_status st = imbal_plot_curves(&p, IMBAL_CURVE_ROC, &s, 1, 0.0, &err);
    if (imbal_plot_have_png()) {
        ck_assert_int_eq(st, IMBAL_OK);
    } else {
        ck_assert_int_eq(st, IMBAL_EUNSUP);
        ck_assert_ptr_nonnull(strstr(err.msg, "libcairo2-dev"));
    }
}
END_TEST

START_TEST(allocation_failures_return_enomem)
{
    const double x[] = {0.0, 0.2, 1.0};
    const double y[] = {0.0, 0.7, 1.0};
    const double sd[] = {0.0, 0.1, 0.0};
    imbal_plot_series s = {"s", 3, x, y, sd};
    const char *names[] = {"a", "b", "c"};
    const double r[] = {1.5, 1.5, 3.0};
    for (int fmt = 0; fmt < 2; fmt++) {
        if (fmt == IMBAL_PLOT_PNG && !imbal_plot_have_png()) {
            continue;
        }
        for (int fig = 0; fig < 4; fig++) {
            int ok = 0;
            for (long at = 1; at < 2000 && !ok; at++) {
                imbal_plot_params p;
                imbal_plot_params_default(&p);
                p.format = (imbal_plot_format)fmt;
                p.path = test_tmp(fmt == 0 ? "m.svg" : "m.png");
                p.title = "t";
                imbal_error err;
                imbal_error_clear(&err);
                imbal_alloc_fail_after(at);
                imbal_status st = IMBAL_OK;
                switch (fig) {
                case 0:
                    st = imbal_plot_curves(&p, IMBAL_CURVE_ROC, &s, 1, 0.0, &err);
                    break;
                case 1:
                    st = imbal_plot_bars(&p, "m", names, y, NULL, NULL, 3, &err);
                    break;
                case 2:
                    st = imbal_plot_class_counts(&p, names, 3, x, names, y, 1, &err);
                    break;
                default:
                    st = imbal_plot_cd(&p, names, r, 3, 1.0, &err);
                }
                imbal_alloc_fail_after(0);
                if (st == IMBAL_OK) {
                    ok = 1;
                } else {
                    ck_assert_msg(st == IMBAL_ENOMEM, "figure %d, failing allocation %ld: %s", fig,
                                  at, err.msg);
                }
            }
            ck_assert(ok);
        }
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("plot");
    TCase *tc = tcase_create("plot");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, curve_figures);
    tcase_add_test(tc, bar_figure);
    tcase_add_test(tc, class_count_figure);
    tcase_add_test(tc, cd_cliques_by_hand);
    tcase_add_test(tc, cd_figure);
    tcase_add_test(tc, bytes_match_the_file);
    tcase_add_test(tc, errors);
    tcase_add_test(tc, allocation_failures_return_enomem);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
