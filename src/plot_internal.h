/* Private to the plot module (plot_*.c): a canvas with two back ends (imbal's own SVG writer
 * and cairo's image surface for PNG) and the pieces every figure shares (palette, frame, axes,
 * legend). Coordinates are pixels, origin top left, y down. Drawing calls never fail: an
 * allocation failure marks the canvas, and imbal_canvas_finish reports it. */
#ifndef IMBAL_PLOT_INTERNAL_H
#define IMBAL_PLOT_INTERNAL_H

#include <stddef.h>

#include "imbal/plot.h"

typedef struct {
    unsigned char r, g, b;
} imbal_rgb;

typedef struct imbal_canvas imbal_canvas;

enum { IMBAL_ANCHOR_START = 0, IMBAL_ANCHOR_MIDDLE, IMBAL_ANCHOR_END };
enum { IMBAL_DASH_SOLID = 0, IMBAL_DASH_DASHED, IMBAL_DASH_DOTTED };

/* The canvas of p (format, size); EUNSUP for PNG without cairo, EINVAL for a size outside
 * 16..10000 or no output asked for (p->path and p->data both NULL), ENOMEM. */
imbal_status imbal_canvas_new(const imbal_plot_params *p, imbal_canvas **out, imbal_error *err);
void imbal_canvas_free(imbal_canvas *c);
/* Writes / returns the figure as p asks; ENOMEM when a drawing call ran out of memory, EIO. */
imbal_status imbal_canvas_finish(imbal_canvas *c, const imbal_plot_params *p, imbal_error *err);

void imbal_canvas_line(imbal_canvas *c, const double *x, const double *y, size_t n, imbal_rgb col,
                       double width, int dash);
/* A closed polygon filled with col at opacity alpha (0..1). */
void imbal_canvas_fill(imbal_canvas *c, const double *x, const double *y, size_t n, imbal_rgb col,
                       double alpha);
/* Rectangle filled with col; outline black 1 px when outline. */
void imbal_canvas_rect(imbal_canvas *c, double x, double y, double w, double h, imbal_rgb col,
                       int outline);
/* UTF-8 text with its baseline at y; anchor IMBAL_ANCHOR_*; angle in degrees counter-clockwise
 * (90: reads upwards). */
void imbal_canvas_text(imbal_canvas *c, double x, double y, const char *s, double size, int anchor,
                       double angle, int bold, imbal_rgb col);

/* Estimated advance width of s at size (0.6 em per character, DejaVu Sans's average being a
 * little less), the same for both back ends so they lay out alike. */
double imbal_text_width(const char *s, double size);

/* Okabe-Ito colour of series i (cycles after 8) and its dash (solid for the first 8). */
imbal_rgb imbal_plot_colour(size_t i);
int imbal_plot_dash(size_t i);
extern const imbal_rgb imbal_black, imbal_grey, imbal_light;

/* A plot area and the data ranges it shows. */
typedef struct {
    double left, top, right, bottom; /* pixels */
    double x0, x1, y0, y1;           /* data at left/right, bottom/top */
} imbal_frame;

double imbal_frame_x(const imbal_frame *f, double v);
double imbal_frame_y(const imbal_frame *f, double v);

/* A tick step near (hi - lo) / target from 1, 2, 2.5, 5 times a power of ten, and the decimals
 * its labels need. */
double imbal_nice_step(double lo, double hi, int target, int *decimals);

/* Box, light grid, y ticks every y_step (labels with y_dec decimals) and, when x_step > 0,
 * x ticks likewise; x label under the area, y label rotated left of it (either may be NULL). */
void imbal_plot_axes(imbal_canvas *c, const imbal_frame *f, double x_step, int x_dec, double y_step,
                     int y_dec, const char *xlabel, const char *ylabel, double font);

/* A legend of n entries at (x, y) top left: a line sample in series i's colour and dash
 * (lines) or a square swatch, then label[i]; extra, when not NULL, adds a last entry with a
 * dashed grey line (the no-skill line). Its size is imbal_legend_width / _height. */
void imbal_plot_legend(imbal_canvas *c, double x, double y, const char *const *label, size_t n,
                       int lines, const char *extra, double font);
double imbal_legend_width(const char *const *label, size_t n, const char *extra, double font);
double imbal_legend_height(size_t n_entries, double font);

/* Validates the common parameters (p not NULL, a finite positive font). */
imbal_status imbal_plot_check_params(const imbal_plot_params *p, imbal_error *err);

/* Title at the top centre when p has one; returns the height it took. */
double imbal_plot_title(imbal_canvas *c, const imbal_plot_params *p);

#endif
