/* Shared helpers of the command-line sub-commands. */
#ifndef IMBAL_CLI_H
#define IMBAL_CLI_H

#include <stdint.h>

#include "imbal/error.h"

int imbal_cli_exit_code(imbal_status st);
void imbal_cli_print_error(const imbal_error *err);
/* Prints "imbal: <fmt with arg>" and a hint; returns 2. */
int imbal_cli_usage_error(const char *fmt, const char *arg);
int imbal_cli_parse_seed(const char *s, uint64_t *out);
int imbal_cli_resample(int argc, char **argv);
/* imbal init DATA ...: writes a commented starter spec (src/cli/init.c). */
int imbal_cli_init(int argc, char **argv);
/* Its usage text with an example, for `imbal init --help`. */
extern const char imbal_cli_init_help[];

#endif
