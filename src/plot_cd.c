/* The critical-difference diagram of Demsar (2006, fig. 1 and 2; plot.h): average ranks on an
 * axis, the Nemenyi CD as a bar of that length, and the groups of techniques that are not
 * significantly different (their ranks differ by less than CD) joined by thick lines.
 * The groups are the maximal runs of the rank order whose ends are closer than CD, found in one
 * pass: the run starting at position i reaches the last position within CD of it, and is kept
 * when it reaches further than the run before it (otherwise it lies inside that one), as
 * Orange's graph_ranks draws them. */
#include <math.h>
#include <stdlib.h>

#include "alloc.h"
#include "plot_internal.h"

#define CD_MAX_K 64

/* Ascending rank, then index (a stable order for equal ranks). */
static void cd_order(const double *rank, size_t k, size_t *order)
{
    for (size_t i = 0; i < k; i++) {
        order[i] = i;
    }
    for (size_t i = 1; i < k; i++) { /* insertion sort: k is small, and it is stable */
        size_t v = order[i];
        size_t j = i;
        while (j > 0 && rank[order[j - 1]] > rank[v]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = v;
    }
}

imbal_status imbal_plot_cd_cliques(const double *avg_rank, size_t k, double cd, size_t *order,
                                   size_t *lo, size_t *hi, size_t *n_cliques, imbal_error *err)
{
    if (k < 2 || !(cd > 0.0) || !isfinite(cd)) {
        return imbal_fail(err, IMBAL_EINVAL, "CD diagram needs k >= 2 (got %zu) and cd > 0", k);
    }
    for (size_t i = 0; i < k; i++) {
        if (!isfinite(avg_rank[i])) {
            return imbal_fail(err, IMBAL_EINVAL, "average rank %zu is not finite", i);
        }
    }
    cd_order(avg_rank, k, order);
    size_t n = 0;
    size_t prev_end = 0;
    size_t end = 0;
    for (size_t i = 0; i < k; i++) {
        if (end < i) {
            end = i;
        }
        while (end + 1 < k && avg_rank[order[end + 1]] - avg_rank[order[i]] < cd) {
            end++;
        }
        if (end > i && (n == 0 || end > prev_end)) {
            lo[n] = i;
            hi[n] = end;
            n++;
            prev_end = end;
        }
    }
    *n_cliques = n;
    return IMBAL_OK;
}

imbal_status imbal_plot_cd(const imbal_plot_params *p, const char *const *name,
                           const double *avg_rank, size_t k, double cd, imbal_error *err)
{
    size_t order[CD_MAX_K];
    size_t lo[CD_MAX_K];
    size_t hi[CD_MAX_K];
    size_t n_cl = 0;
    imbal_canvas *c = NULL;
    imbal_status st = imbal_plot_check_params(p, err);
    if (st != IMBAL_OK) {
        return st;
    }
    if (k > CD_MAX_K) {
        return imbal_fail(err, IMBAL_EINVAL, "CD diagram of %zu techniques (at most %d)", k,
                          CD_MAX_K);
    }
    st = imbal_plot_cd_cliques(avg_rank, k, cd, order, lo, hi, &n_cl, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t i = 0; i < k; i++) {
        if (name[i] == NULL || avg_rank[i] < 1.0 || avg_rank[i] > (double)k) {
            return imbal_fail(err, IMBAL_EINVAL, "technique %zu: no name or rank outside 1..%zu", i,
                              k);
        }
    }
    st = imbal_canvas_new(p, &c, err);
    if (st != IMBAL_OK) {
        return st;
    }
    double font = p->font_size;
    double tick = font * 0.85;
    double title_h = imbal_plot_title(c, p);
    size_t half = (k + 1) / 2;
    /* names with ranks, and the widest of them on each side */
    char label[CD_MAX_K][96];
    double wl = 0.0;
    double wr = 0.0;
    for (size_t i = 0; i < k; i++) {
        snprintf(label[i], sizeof(label[i]), "%.60s (%.2f)", name[order[i]], avg_rank[order[i]]);
        double w = imbal_text_width(label[i], font);
        if (i < half) {
            wl = fmax(wl, w);
        } else {
            wr = fmax(wr, w);
        }
    }
    imbal_frame f = {wl + 36.0, 0.0, p->width - wr - 36.0, 0.0, 1.0, (double)k, 0.0, 1.0};
    if (f.right - f.left < 100.0) {
        f.left = 20.0;
        f.right = p->width - 20.0;
    }
    double axis_y = title_h + 3.0 * font + 30.0; /* room for the CD bar and its label above */
    double clique_gap = 0.45 * font;
    double rows_top = axis_y + 14.0 + clique_gap * (double)n_cl + 8.0;
    double row_h = fmin(2.0 * font, (p->height - rows_top - 10.0) / (double)half);
    /* the axis with ticks 1..k (halves when k is small) and their numbers */
    double ax[2] = {f.left, f.right};
    double ay[2] = {axis_y, axis_y};
    imbal_canvas_line(c, ax, ay, 2, imbal_black, 1.5, IMBAL_DASH_SOLID);
    for (size_t t = 2; t <= 2 * k; t++) {
        double v = (double)t / 2.0;
        double x = imbal_frame_x(&f, v);
        double ty[2] = {axis_y, axis_y - (t % 2 == 0 ? 8.0 : 4.0)};
        double tx[2] = {x, x};
        imbal_canvas_line(c, tx, ty, 2, imbal_black, 1.2, IMBAL_DASH_SOLID);
        if (t % 2 == 0) {
            char num[16];
            snprintf(num, sizeof(num), "%zu", t / 2);
            imbal_canvas_text(c, x, axis_y - 12.0, num, tick, IMBAL_ANCHOR_MIDDLE, 0.0, 0,
                              imbal_black);
        }
    }
    /* the CD bar from rank 1, with its length printed */
    double cd_y = axis_y - tick - 26.0;
    double cx[2] = {imbal_frame_x(&f, 1.0), imbal_frame_x(&f, fmin(1.0 + cd, (double)k))};
    double cy[2] = {cd_y, cd_y};
    imbal_canvas_line(c, cx, cy, 2, imbal_black, 2.0, IMBAL_DASH_SOLID);
    for (int e = 0; e < 2; e++) {
        double ex[2] = {cx[e], cx[e]};
        double ey[2] = {cd_y - 5.0, cd_y + 5.0};
        imbal_canvas_line(c, ex, ey, 2, imbal_black, 1.5, IMBAL_DASH_SOLID);
    }
    char cdtext[48];
    snprintf(cdtext, sizeof(cdtext), "CD = %.3f", cd);
    imbal_canvas_text(c, (cx[0] + cx[1]) / 2.0, cd_y - 8.0, cdtext, tick, IMBAL_ANCHOR_MIDDLE, 0.0,
                      0, imbal_black);
    imbal_canvas_text(c, p->width - 10.0, cd_y - 8.0, "average rank (1 = best)", tick,
                      IMBAL_ANCHOR_END, 0.0, 0, imbal_grey);
    /* each technique: down from its rank, then out to its side */
    for (size_t i = 0; i < k; i++) {
        int left = i < half;
        size_t row = left ? i : k - 1 - i; /* outermost ranks on the top rows: no crossing */
        double x = imbal_frame_x(&f, avg_rank[order[i]]);
        double y = rows_top + row_h * ((double)row + 0.5);
        double end = left ? f.left - 12.0 : f.right + 12.0;
        double lx[3] = {x, x, end};
        double ly[3] = {axis_y, y, y};
        imbal_canvas_line(c, lx, ly, 3, imbal_plot_colour(order[i]), 1.6, IMBAL_DASH_SOLID);
        imbal_canvas_text(c, left ? end - 6.0 : end + 6.0, y + font * 0.35, label[i], font,
                          left ? IMBAL_ANCHOR_END : IMBAL_ANCHOR_START, 0.0, 0, imbal_black);
    }
    /* cliques under the axis, one level each */
    for (size_t q = 0; q < n_cl; q++) {
        double y = axis_y + 14.0 + clique_gap * (double)q;
        double qx[2] = {imbal_frame_x(&f, avg_rank[order[lo[q]]]) - 4.0,
                        imbal_frame_x(&f, avg_rank[order[hi[q]]]) + 4.0};
        double qy[2] = {y, y};
        imbal_canvas_line(c, qx, qy, 2, imbal_black, 4.0, IMBAL_DASH_SOLID);
    }
    st = imbal_canvas_finish(c, p, err);
    imbal_canvas_free(c);
    return st;
}
