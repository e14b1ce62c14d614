/* vgt_cli.h - the verb table and what the verbs share. */
#ifndef VGT_CLI_H
#define VGT_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "vgt_format.h"
#include "vgt_protocol.h"

/* Exit codes of every verb. */
enum {
    VGT_EXIT_OK = 0,
    VGT_EXIT_USAGE = 1,  /* bad command line */
    VGT_EXIT_DATA = 2,   /* bad input data, failed verification, I/O error */
    VGT_EXIT_DIFFER = 3, /* vgt diff: the traces differ (diff(1)'s 1; vgt's 1 is usage) */
};

#define VGT_COMMAND(name, summary) int vgt_cmd_##name(int argc, char **argv);
#include "commands.def"
#undef VGT_COMMAND

/* Prints "vgt VERB: message" to stderr and returns `code` (for `return vgt_cli_fail(...)`). */
int vgt_cli_fail(int code, const char *verb, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* VGT_E_NOTFOUND when guest frames first..last (a --frames range) hold
 * none of the trace's frames, with vgt dump's words (no path: the caller's
 * message names it); VGT_OK otherwise.  A listing of such a range was an
 * empty table and exit 0, as if the frames held nothing. */
vgt_status vgt_cli_check_guest_frames(const vgt_trace_reader *rd, uint64_t first, uint64_t last,
                                      vgt_error *err);
/* Makes the output directory DIR (an existing one is fine) and checks that
 * it is a directory we can write into, before the work: a file given where
 * a directory is wanted ran the whole replay and failed at the first PNG.
 * False with the reason ("not a directory", strerror) in why. */
bool vgt_cli_make_dir(const char *dir, char *why, size_t size);
/* The folder of PATH ("." for a bare name, "/" for one in the root) into
 * dir; false when it does not fit in size. */
bool vgt_cli_dir_of(const char *path, char *dir, size_t size);
/* Checks, before the work, that the output file PATH can be written (an
 * existing file we may write, or a new one in a folder that exists and
 * takes it), without creating or touching it: a report written last must
 * not fail after the whole run.  False with the reason in why. */
bool vgt_cli_can_write_file(const char *path, char *why, size_t size);
/* True when argv has -h or --help before any "--"; verbs print their usage then. */
bool vgt_cli_wants_help(int argc, char **argv);
/* An option of a verb that takes a value: its name and what the value must be,
 * for vgt_cli_bad_option's message. */
typedef struct vgt_cli_value_option {
    const char *name;   /* "--frames" */
    const char *expect; /* "a frame count 1..100000000" */
} vgt_cli_value_option;
/* The usage error for argv[i], an argument no branch of a verb's parser took:
 * one of `opts` with no value after it ("--frames needs a value: ..."), or
 * with one it refused ("--frames '0': expected ..."), or an unknown option.
 * A user who typed a bad number learns which number and what is allowed,
 * not just that something was wrong.  Returns VGT_EXIT_USAGE. */
int vgt_cli_bad_option(const char *verb, int argc, char **argv, int i,
                       const vgt_cli_value_option *opts, size_t count);
/* When the trace rd (opened from path) has no footer (a killed capture),
 * prints "vgt VERB: warning: PATH is incomplete (...): DOING up to its last
 * complete chunk" to stderr, so a result from part of a trace is not taken
 * for the whole one's; true when it did. */
bool vgt_cli_warn_incomplete(const char *verb, const vgt_trace_reader *rd, const char *path,
                             const char *doing);
/* Opens the trace path (salvaging damaged chunks when salvage), warns when
 * it is incomplete (DOING up to its last complete chunk), runs fn on it with ctx, and prints the
 * reader's problems, the open's and those fn met (vgt_cli_report_reader_problems).
 * Returns VGT_EXIT_OK, or VGT_EXIT_DATA with fn's error or the open's printed.  vgt leaks, vgt
 * shader list and vgt surfaces share it. */
int vgt_cli_walk_trace(const char *verb, const char *path, bool salvage, const char *doing,
                       vgt_status (*fn)(vgt_trace_reader *rd, void *ctx, vgt_error *err),
                       void *ctx);
/* One reader problem about a chunk in the words every verb uses: "skipped
 * chunk N at offset O: DETAIL" (salvage: the read went past it) or
 * "stopped at chunk N at offset O: DETAIL", into buf; a chunk whose
 * records were read all the same (the problem's `read`) is neither:
 * "chunk N at offset O: DETAIL". */
void vgt_cli_problem_words(char *buf, size_t size, bool salvage, const vgt_trace_problem *p);
/* Prints one reader problem as every verb that reads a trace does: "vgt
 * VERB: " and vgt_cli_problem_words, on stderr. */
void vgt_cli_print_problem(const char *verb, bool salvage, const vgt_trace_problem *p);
/* The most problems vgt_cli_report_problems prints, then "N more problems
 * not listed" (vgt info lists all the reader kept whole). */
#define VGT_CLI_PROBLEMS_SHOWN 20u
/* in[0..n) in the order of the file: those of no one chunk (the footer)
 * first, then by offset, equal offsets in in's order; a new array of n
 * pointers the caller frees, NULL without memory. */
const vgt_trace_problem **vgt_cli_problems_in_file_order(const vgt_trace_problem *const *in,
                                                         size_t n);
/* The problems of copies[0..n) as a new array of n pointers, the list the
 * functions below take (NULL without memory; the caller frees it, and it
 * is valid while copies is). */
const vgt_trace_problem **vgt_cli_problem_pointers(const vgt_trace_problem_copy *copies, size_t n);
/* The reader's problems so far that it kept whole (the ones past them have
 * no message: vgt_cli_reader_unlisted), in the order of the file (*n of them), as
 * vgt_cli_problems_in_file_order gives them. */
const vgt_trace_problem **vgt_cli_reader_problems(const vgt_trace_reader *rd, size_t *n);
/* How every verb that reads a trace reports its problems, after the read:
 * each once, in the order of the file (the first VGT_CLI_PROBLEMS_SHOWN),
 * "vgt VERB: WHO" then a chunk's vgt_cli_problem_words or another's
 * message, on stderr.  warned: vgt_cli_warn_incomplete printed its
 * warning, which says the missing footer (the reader's "no footer index
 * (the trace was not closed)" is left out).  said: the error line the
 * verb prints after (or NULL): a chunk's problem it holds (the chunk that
 * stopped the read) is left to that line, which gives the --salvage hint.
 * who: "" or a prefix naming the trace ("B (b.vgt): ").  untold: the
 * problems not in list (a library kept the first ones), counted in the
 * same "N more problems not listed" line. */
void vgt_cli_report_problems(const char *verb, const char *who,
                             const vgt_trace_problem *const *list, size_t n, size_t untold,
                             bool salvage, bool warned, const char *said);
/* " (--salvage skips damaged chunks)" for the error message of a read
 * without salvage that a damaged chunk of rd stopped (the message holds
 * its problem's), else "". */
const char *vgt_cli_salvage_hint(const vgt_trace_reader *rd, bool salvage, const char *message);
/* The same for the problems list[0..n) (a library's result kept them). */
const char *vgt_cli_salvage_hint_problems(const vgt_trace_problem *const *list, size_t n,
                                          bool salvage, const char *message);
/* "N more problem(s) not listed", into buf: the one wording of the
 * problems a verb counts and does not list (past the ones it shows, or
 * past those the reader kept whole: VGT_TRACE_PROBLEMS_LISTED). */
void vgt_cli_unlisted_words(char *buf, size_t size, size_t n);
/* The problems the reader rd recorded and kept compact, without a
 * message (past vgt_trace_reader_problems_listed): counted, not listed. */
size_t vgt_cli_reader_unlisted(const vgt_trace_reader *rd);
/* vgt_cli_report_problems of every problem the reader rd recorded (those
 * it kept compact counted in the "more not listed" line). */
void vgt_cli_report_reader_problems(const char *verb, const char *who, const vgt_trace_reader *rd,
                                    bool salvage, bool warned, const char *said);
/* A trace's integrity in the words every verb uses, into buf: "ok", "N
 * problem(s)", "N problem(s), K of them not recorded (out of memory)" (K:
 * found with no memory left to record them), or, when the check stopped
 * before the end for lack of memory (unfinished), "not checked to the end
 * (out of memory)" and what it found before.  Never "ok" when lost or
 * unfinished: such a trace is not known to be intact. */
void vgt_cli_integrity_words(char *buf, size_t size, size_t recorded, size_t lost, bool unfinished);
/* When problems were found with no memory to record them (lost of them; a
 * verb's list lacks them), prints "vgt VERB: WHOintegrity: N problem(s), K
 * of them not recorded (out of memory)" on stderr and returns true (the
 * verb exits 2: the trace is not sound); false otherwise.  recorded: the
 * others. */
bool vgt_cli_report_unrecorded(const char *verb, const char *who, size_t recorded, size_t lost);
/* The same for the reader rd's; vgt_cli_report_reader_problems calls it
 * after its list. */
bool vgt_cli_report_lost_problems(const char *verb, const char *who, const vgt_trace_reader *rd);
struct vgt_analyze_result;
/* vgt analyze's and vgt tui's ending of an analysis that failed: the
 * reader's problems it kept (as vgt_cli_report_problems says them), then
 * "vgt VERB: MESSAGE" with " (--salvage skips damaged chunks)" when a
 * damaged chunk stopped it without --salvage.  Returns code. */
int vgt_cli_analysis_failed(const char *verb, int code, bool salvage,
                            const struct vgt_analyze_result *res, const char *message);
/* The problems of a --salvage analysis (the damaged chunks it skipped),
 * as vgt_cli_report_problems says them (nothing when none); warned: the
 * incomplete trace's warning was printed. */
void vgt_cli_analysis_skipped(const char *verb, const struct vgt_analyze_result *res, bool warned);
/* After a --salvage analysis was stored and reported: "vgt VERB: N damaged
 * chunks skipped (--salvage): the trace is damaged; guest frames ... lost
 * records" and VGT_EXIT_DATA when it skipped any; for a --frames run whose
 * frames and the frames before it all kept their records, "... damaged
 * after the range; no frame of the range lost records" and VGT_EXIT_OK;
 * VGT_EXIT_OK without a skipped chunk. */
int vgt_cli_analysis_salvaged(const char *verb, const struct vgt_analyze_result *res);
/* Whether p is the reader's plain "no footer index" problem, which
 * vgt_cli_warn_incomplete's warning says (an unusable footer's reason is
 * not: it is listed). */
bool vgt_cli_plain_missing_footer(const vgt_trace_problem *p);
/* The same warning from what a library already read (incomplete: no footer
 * index; chunks: the chunks it was rebuilt from), without opening the trace
 * again; true when it printed. */
bool vgt_cli_warn_incomplete_chunks(const char *verb, bool incomplete, uint64_t chunks,
                                    const char *path, const char *doing);
/* Frames first..last as the summaries say them: "frames F..L", or when the
 * last did not end (records after the guest's last frame end, which vgt info
 * and vgt replay do not count as a frame) "frames F..L-1 complete, L partial"
 * ("frame L partial" when F == L), into buf. */
void vgt_cli_frames_text(char *buf, size_t size, uint64_t first, uint64_t last, bool last_partial);
/* vgt trim's and vgt repack's shared body (cmd_trim.c): argv as the verb's
 * (argv[0] the verb), repack true for a copy of every record.  Returns the
 * exit code. */
int vgt_cli_trim(int argc, char **argv, bool repack);
/* The decimals that print ns as seconds in a summary ("%.*f s"), the digits
 * vgt replay --benchmark gives them: 0.0003417 s, 12.345 s. */
int vgt_cli_seconds_decimals(uint64_t ns);

/* Parses a non-negative decimal integer (digits only: no sign, no white
 * space) that must fit in max; false on junk. */
bool vgt_cli_parse_u64(const char *text, unsigned long long max, unsigned long long *out);

/* Parses a frame range: "A-B", "A-" (B = UINT64_MAX: to the end) or "A"
 * (one frame), A and B digits only; false on junk or B < A. */
bool vgt_cli_parse_range(const char *text, uint64_t *a, uint64_t *b);
/* OPTION's range TEXT (vgt_cli_parse_range) into *a..*b: VGT_EXIT_OK, or
 * the usage error every verb gives, "vgt VERB: OPTION 'TEXT': expected A-B
 * with A <= B, A- or A", and VGT_EXIT_USAGE. */
int vgt_cli_range_option(const char *verb, const char *option, const char *text, uint64_t *a,
                         uint64_t *b);
/* The names close to what a user mistyped, for "unknown X 'Y' (close:
 * A, B)": offered one by one, kept when within 2 edits of it (any case)
 * or holding it, at most 6; text is "" when none is (count 0). */
typedef struct vgt_cli_close {
    const char *typed;
    char text[256];
    size_t used, count;
} vgt_cli_close;
void vgt_cli_close_init(vgt_cli_close *c, const char *typed);
void vgt_cli_close_offer(vgt_cli_close *c, const char *name);
/* "vgt VERB: PREFIXunknown sample 'NAME' (close: ...; vgt samples lists
 * them)" on stderr; returns VGT_EXIT_USAGE. */
int vgt_cli_unknown_sample(const char *verb, const char *prefix, const char *name);

/* Decodes a recorded command (host-order words) into *cmd; false when it
 * does not decode, line then holding "NAME words=N undecodable: why". */
bool vgt_cli_command_decode(const uint32_t *words, uint32_t nwords, vgt_cmd *cmd, char *line,
                            size_t size);
/* A recorded command as vgt dump prints it ("NAME key=value ..."), into line. */
void vgt_cli_command_text(const uint32_t *words, uint32_t nwords, char *line, size_t size);
/* Parses OPTION's NAME[,NAME...]: command names as vgt dump prints them,
 * in any case, appended to ids[*n..] (max in all, duplicates once).  A
 * name that is no command is a usage error printed as "vgt VERB: OPTION:
 * no command named 'X' (close: ...)", with the names within 2 edits of it
 * or holding it.  Returns VGT_EXIT_OK or VGT_EXIT_USAGE. */
int vgt_cli_parse_command_names(const char *verb, const char *option, const char *text,
                                uint32_t *ids, size_t max, size_t *n);
/* Writes s as a JSON string (quoted, escaped). */
void vgt_cli_json_string(FILE *f, const char *s);

#endif
