/* The vgt command: a table of verbs, each in its own file. */
#include "vgt_cli.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct vgt_verb {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} vgt_verb;

static const vgt_verb verbs[] = {
#define VGT_COMMAND(name, summary) {#name, vgt_cmd_##name, summary},
#include "commands.def"
#undef VGT_COMMAND
};

static const vgt_verb *find_verb(const char *name)
{
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        if (strcmp(verbs[i].name, name) == 0) {
            return &verbs[i];
        }
    }
    return NULL;
}

/* The verbs close to a mistyped one (vgt_cli_close). */
static void close_verbs(vgt_cli_close *c, const char *typed)
{
    vgt_cli_close_init(c, typed);
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        vgt_cli_close_offer(c, verbs[i].name);
    }
}

int vgt_cli_fail(int code, const char *verb, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "vgt %s: ", verb);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

vgt_status vgt_cli_check_guest_frames(const vgt_trace_reader *rd, uint64_t first, uint64_t last,
                                      vgt_error *err)
{
    uint64_t start = vgt_trace_reader_header(rd)->start_frame;
    vgt_trace_info ii;
    vgt_trace_reader_info(rd, &ii);
    if (last < start) {
        if (first == last) {
            return vgt_error_set(err, VGT_E_NOTFOUND,
                                 "frame %" PRIu64
                                 " is before the trace, which starts at guest frame %" PRIu64,
                                 first, start);
        }
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "frames %" PRIu64 "..%" PRIu64
                             " are before the trace, which starts at guest frame %" PRIu64,
                             first, last, start);
    }
    if (ii.frames == 0) {
        return vgt_error_set(err, VGT_E_NOTFOUND,
                             "no frame %" PRIu64 " in the trace (it holds none)", first);
    }
    if (first - start < ii.frames || first < start) {
        return VGT_OK;
    }
    char frames[96];
    vgt_cli_frames_text(frames, sizeof(frames), start, start + ii.frames - 1u,
                        ii.frames > ii.complete_frames);
    return vgt_error_set(err, VGT_E_NOTFOUND, "no frame %" PRIu64 " in the trace (guest %s)", first,
                         frames);
}

bool vgt_cli_make_dir(const char *dir, char *why, size_t size)
{
    struct stat sb;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    if (stat(dir, &sb) != 0) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(why, size, "not a directory");
        return false;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    return true;
}

bool vgt_cli_dir_of(const char *path, char *dir, size_t size)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, size, ".");
    } else if (slash == path) {
        snprintf(dir, size, "/");
    } else if ((size_t)(slash - path) < size) {
        snprintf(dir, size, "%.*s", (int)(slash - path), path);
    } else {
        return false;
    }
    return true;
}

bool vgt_cli_can_write_file(const char *path, char *why, size_t size)
{
    struct stat sb;
    if (stat(path, &sb) == 0) {
        if (S_ISDIR(sb.st_mode)) {
            snprintf(why, size, "a directory");
            return false;
        }
        if (access(path, W_OK) != 0) {
            snprintf(why, size, "%s", strerror(errno));
            return false;
        }
        return true;
    }
    if (errno != ENOENT) {
        snprintf(why, size, "%s", strerror(errno));
        return false;
    }
    /* a new file: its folder must exist and take it */
    char dir[4096];
    if (!vgt_cli_dir_of(path, dir, sizeof(dir))) {
        snprintf(why, size, "%s", strerror(ENAMETOOLONG));
        return false;
    }
    if (stat(dir, &sb) != 0) {
        snprintf(why, size, "%s: %s", dir, strerror(errno));
        return false;
    }
    if (!S_ISDIR(sb.st_mode)) {
        snprintf(why, size, "%s: not a directory", dir);
        return false;
    }
    if (access(dir, W_OK | X_OK) != 0) {
        snprintf(why, size, "%s: %s", dir, strerror(errno));
        return false;
    }
    return true;
}

bool vgt_cli_wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0) {
            return false;
        }
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
            return true;
        }
    }
    return false;
}

int vgt_cli_bad_option(const char *verb, int argc, char **argv, int i,
                       const vgt_cli_value_option *opts, size_t count)
{
    const char *a = argv[i];
    for (size_t k = 0; k < count; k++) {
        if (strcmp(a, opts[k].name) != 0) {
            continue;
        }
        if (i + 1 >= argc) {
            return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s needs a value: %s", a, opts[k].expect);
        }
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s '%s': expected %s", a, argv[i + 1],
                            opts[k].expect);
    }
    return vgt_cli_fail(VGT_EXIT_USAGE, verb, "unknown option '%s' (see vgt %s --help)", a, verb);
}

bool vgt_cli_warn_incomplete_chunks(const char *verb, bool incomplete, uint64_t chunks,
                                    const char *path, const char *doing)
{
    if (!incomplete) {
        return false;
    }
    fprintf(stderr,
            "vgt %s: warning: %s is incomplete (no footer index; rebuilt from %llu chunk%s): %s up "
            "to its last complete chunk\n",
            verb, path, (unsigned long long)chunks, vgt_plural(chunks), doing);
    return true;
}

void vgt_cli_problem_words(char *buf, size_t size, bool salvage, const vgt_trace_problem *p)
{
    const char *how = p->read ? "" : salvage ? "skipped " : "stopped at ";
    snprintf(buf, size, "%schunk %" PRIu64 " at offset %" PRIu64 ": %s", how, p->chunk, p->offset,
             vgt_trace_problem_detail(p));
}

void vgt_cli_print_problem(const char *verb, bool salvage, const vgt_trace_problem *p)
{
    char words[512];
    vgt_cli_problem_words(words, sizeof(words), salvage, p);
    fprintf(stderr, "vgt %s: %s\n", verb, words);
}

/* A problem with its place in the list it came from, which orders
 * problems at one offset (a damaged chunk header before the gap it left,
 * which the reader records later, when a read meets the end). */
typedef struct problem_order {
    const vgt_trace_problem *p;
    size_t i;
} problem_order;

static int cmp_problem(const void *a, const void *b)
{
    const problem_order *x = a, *y = b;
    bool xf = x->p->chunk == UINT64_MAX, yf = y->p->chunk == UINT64_MAX;
    if (xf != yf) {
        return xf ? -1 : 1;
    }
    if (x->p->offset != y->p->offset) {
        return x->p->offset < y->p->offset ? -1 : 1;
    }
    return x->i < y->i ? -1 : (x->i > y->i);
}

const vgt_trace_problem **vgt_cli_problems_in_file_order(const vgt_trace_problem *const *in,
                                                         size_t n)
{
    problem_order *o = calloc(n ? n : 1, sizeof(*o));
    const vgt_trace_problem **out = calloc(n ? n : 1, sizeof(*out));
    if (!o || !out) {
        free(o);
        free(out);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        o[i] = (problem_order){in[i], i};
    }
    qsort(o, n, sizeof(*o), cmp_problem);
    for (size_t i = 0; i < n; i++) {
        out[i] = o[i].p;
    }
    free(o);
    return out;
}

const vgt_trace_problem **vgt_cli_problem_pointers(const vgt_trace_problem_copy *copies, size_t n)
{
    /* one block, freed as one: n pointers, then (aligned) the n problems
     * they point to, each with its message in copies */
    size_t align = _Alignof(vgt_trace_problem);
    if (n > SIZE_MAX / 2u / (sizeof(vgt_trace_problem *) + sizeof(vgt_trace_problem) + align)) {
        return NULL;
    }
    size_t at = (n * sizeof(vgt_trace_problem *) + align - 1u) / align * align;
    const vgt_trace_problem **list = malloc(at + (n ? n : 1u) * sizeof(vgt_trace_problem));
    if (!list) {
        return NULL;
    }
    vgt_trace_problem *views = (vgt_trace_problem *)(void *)((char *)list + at);
    for (size_t i = 0; i < n; i++) {
        views[i] = vgt_trace_problem_copy_view(&copies[i]);
        list[i] = &views[i];
    }
    return list;
}

/* The reader's problems in its order, as a new array of *n pointers (NULL
 * without memory). */
static const vgt_trace_problem **reader_list(const vgt_trace_reader *rd, size_t *n)
{
    *n = vgt_trace_reader_problems_listed(rd); /* those kept whole: the rest have no message */
    const vgt_trace_problem **list = calloc(*n ? *n : 1, sizeof(*list));
    for (size_t i = 0; list && i < *n; i++) {
        list[i] = vgt_trace_reader_problem(rd, i);
    }
    return list;
}

const vgt_trace_problem **vgt_cli_reader_problems(const vgt_trace_reader *rd, size_t *n)
{
    const vgt_trace_problem **in = reader_list(rd, n);
    const vgt_trace_problem **out = in ? vgt_cli_problems_in_file_order(in, *n) : NULL;
    free(in);
    return out;
}

/* The reader's problem for a trace without its footer index (not
 * closed, or cut inside its footer), which vgt_cli_warn_incomplete's
 * warning says with what the verb did (vgt info gives its detail; an
 * unusable footer's reason is printed). */
bool vgt_cli_plain_missing_footer(const vgt_trace_problem *p)
{
    static const char words[] = "no footer index";
    return p->chunk == UINT64_MAX && strncmp(p->message, words, sizeof(words) - 1) == 0;
}

void vgt_cli_report_problems(const char *verb, const char *who,
                             const vgt_trace_problem *const *list, size_t n, size_t untold,
                             bool salvage, bool warned, const char *said)
{
    const vgt_trace_problem **o = vgt_cli_problems_in_file_order(list, n);
    size_t printed = 0;
    for (size_t i = 0; i < n; i++) {
        const vgt_trace_problem *p = o ? o[i] : list[i];
        if (warned && vgt_cli_plain_missing_footer(p)) {
            continue;
        }
        if (p->chunk != UINT64_MAX && said && strstr(said, p->message)) {
            continue; /* the caller's error line says it, with the hint */
        }
        if (printed == VGT_CLI_PROBLEMS_SHOWN) {
            untold++; /* counted, not left out unsaid */
            continue;
        }
        char words[512];
        if (p->chunk == UINT64_MAX) {
            snprintf(words, sizeof(words), "%s", p->message);
        } else {
            vgt_cli_problem_words(words, sizeof(words), salvage, p);
        }
        fprintf(stderr, "vgt %s: %s%s\n", verb, who ? who : "", words);
        printed++;
    }
    if (untold) {
        char words[64];
        vgt_cli_unlisted_words(words, sizeof(words), untold);
        fprintf(stderr, "vgt %s: %s%s\n", verb, who ? who : "", words);
    }
    free(o);
}

void vgt_cli_unlisted_words(char *buf, size_t size, size_t n)
{
    snprintf(buf, size, "%zu more problem%s not listed", n, vgt_plural(n));
}

size_t vgt_cli_reader_unlisted(const vgt_trace_reader *rd)
{
    return vgt_trace_reader_problem_count(rd) - vgt_trace_reader_problems_listed(rd);
}

void vgt_cli_integrity_words(char *buf, size_t size, size_t recorded, size_t lost, bool unfinished)
{
    char found[160];
    size_t n = recorded + lost;
    if (lost > 0) {
        snprintf(found, sizeof(found), "%zu problem(s), %zu of them not recorded", n, lost);
    } else {
        snprintf(found, sizeof(found), "%zu problem(s)", n);
    }
    if (unfinished) {
        /* what the check found before it stopped is not all there is */
        snprintf(buf, size, "not checked to the end (out of memory)%s%s%s",
                 n > 0 ? "; before it stopped: " : "", n > 0 ? found : "",
                 lost > 0 ? " (out of memory)" : "");
    } else if (lost > 0) {
        snprintf(buf, size, "%s (out of memory)", found);
    } else if (n > 0) {
        snprintf(buf, size, "%s", found);
    } else {
        snprintf(buf, size, "ok");
    }
}

bool vgt_cli_report_unrecorded(const char *verb, const char *who, size_t recorded, size_t lost)
{
    if (lost == 0) {
        return false;
    }
    char words[256];
    vgt_cli_integrity_words(words, sizeof(words), recorded, lost, false);
    fprintf(stderr, "vgt %s: %sintegrity: %s\n", verb, who ? who : "", words);
    return true;
}

bool vgt_cli_report_lost_problems(const char *verb, const char *who, const vgt_trace_reader *rd)
{
    return vgt_cli_report_unrecorded(verb, who, vgt_trace_reader_problem_count(rd),
                                     vgt_trace_reader_problems_lost(rd));
}

void vgt_cli_report_reader_problems(const char *verb, const char *who, const vgt_trace_reader *rd,
                                    bool salvage, bool warned, const char *said)
{
    size_t n;
    const vgt_trace_problem **list = reader_list(rd, &n);
    if (!list) {
        fprintf(stderr, "vgt %s: %s%zu problem%s (no memory to list them)\n", verb, who ? who : "",
                n, vgt_plural(n));
    } else {
        vgt_cli_report_problems(verb, who, list, n, vgt_cli_reader_unlisted(rd), salvage, warned,
                                said);
        free(list);
    }
    /* the ones the list lacks: counted, so that the trace is not taken for
     * one with only the problems listed */
    vgt_cli_report_lost_problems(verb, who, rd);
}

int vgt_cli_walk_trace(const char *verb, const char *path, bool salvage, const char *doing,
                       vgt_status (*fn)(vgt_trace_reader *rd, void *ctx, vgt_error *err), void *ctx)
{
    vgt_trace_reader_options ro;
    vgt_trace_reader_options_init(&ro);
    ro.salvage = salvage;
    vgt_trace_reader *rd;
    vgt_error err = {0};
    if (vgt_trace_reader_open(path, &ro, &rd, &err) != VGT_OK) {
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "%s", err.message);
    }
    bool warned = vgt_cli_warn_incomplete(verb, rd, path, doing);
    vgt_status st = fn(rd, ctx, &err);
    /* every problem once, those found at the open too (a damaged chunk
     * header the index rebuild went past, a torn last chunk), after the
     * read, which records a gap when it meets it */
    vgt_cli_report_reader_problems(verb, "", rd, salvage, warned,
                                   st != VGT_OK ? err.message : NULL);
    const char *hint = vgt_cli_salvage_hint(rd, salvage, err.message);
    vgt_trace_reader_close(rd);
    if (st != VGT_OK) {
        /* the reader's messages name the file already ("t.vgt: t.vgt: chunk 0 ...") */
        size_t plen = strlen(path);
        bool named = strncmp(err.message, path, plen) == 0 && err.message[plen] == ':';
        return vgt_cli_fail(VGT_EXIT_DATA, verb, "%s%s%s%s", named ? "" : path, named ? "" : ": ",
                            err.message, hint);
    }
    return VGT_EXIT_OK;
}

const char *vgt_cli_salvage_hint_problems(const vgt_trace_problem *const *list, size_t n,
                                          bool salvage, const char *message)
{
    if (salvage) {
        return "";
    }
    for (size_t i = 0; i < n; i++) {
        if (list[i]->chunk != UINT64_MAX && strstr(message, list[i]->message)) {
            return " (--salvage skips damaged chunks)";
        }
    }
    return "";
}

const char *vgt_cli_salvage_hint(const vgt_trace_reader *rd, bool salvage, const char *message)
{
    const char *hint = "";
    /* (a problem past those listed has no message to find in the error's) */
    for (size_t i = 0; i < vgt_trace_reader_problems_listed(rd) && !*hint; i++) {
        const vgt_trace_problem *p = vgt_trace_reader_problem(rd, i);
        hint = vgt_cli_salvage_hint_problems(&p, 1, salvage, message);
    }
    return hint;
}

bool vgt_cli_warn_incomplete(const char *verb, const vgt_trace_reader *rd, const char *path,
                             const char *doing)
{
    vgt_trace_info info;
    vgt_trace_reader_info(rd, &info);
    return vgt_cli_warn_incomplete_chunks(verb, !info.footer_present, info.chunks, path, doing);
}

void vgt_cli_frames_text(char *buf, size_t size, uint64_t first, uint64_t last, bool last_partial)
{
    if (!last_partial) {
        snprintf(buf, size, "frames %" PRIu64 "..%" PRIu64, first, last);
    } else if (first < last) {
        snprintf(buf, size, "frames %" PRIu64 "..%" PRIu64 " complete, %" PRIu64 " partial", first,
                 last - 1u, last);
    } else {
        snprintf(buf, size, "frame %" PRIu64 " partial", last);
    }
}

/* At least 4 significant digits (3 when a second or more; at most 9, the
 * clock's): vgt replay --benchmark's rates are its frames and commands over
 * those seconds, and %.3f printed a 0.3 ms replay as 0.000 s beside 79905
 * frames/s. */
int vgt_cli_seconds_decimals(uint64_t ns)
{
    int decimals = 3;
    for (uint64_t limit = 1000000000ull; ns < limit && decimals < 9; limit /= 10) {
        decimals++;
    }
    return decimals;
}

/* A number on the command line starts with a digit: strtoull alone skips
 * white space and takes a sign after it (" -1" read as
 * 18446744073709551615, " 5" as 5). */
static bool starts_with_digit(const char *s)
{
    return *s >= '0' && *s <= '9';
}

bool vgt_cli_parse_u64(const char *text, unsigned long long max, unsigned long long *out)
{
    uint64_t v;
    if (!vgt_parse_u64(text, 0, max, &v)) {
        return false;
    }
    *out = v;
    return true;
}

/* Edit distance of a and b (case-insensitive), capped: names are short. */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 63 || lb > 63) {
        return 64;
    }
    size_t row[64];
    for (size_t j = 0; j <= lb; j++) {
        row[j] = j;
    }
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost =
                tolower((unsigned char)a[i - 1]) == tolower((unsigned char)b[j - 1]) ? 0 : 1;
            size_t best = diag + cost;
            if (row[j] + 1 < best) {
                best = row[j] + 1;
            }
            if (row[j - 1] + 1 < best) {
                best = row[j - 1] + 1;
            }
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

void vgt_cli_close_init(vgt_cli_close *c, const char *typed)
{
    memset(c, 0, sizeof(*c));
    c->typed = typed;
}

void vgt_cli_close_offer(vgt_cli_close *c, const char *name)
{
    /* within 2 edits of a typo, or holding a part of the name */
    if (c->count >= 6 || (edit_distance(c->typed, name) > 2 && !strcasestr(name, c->typed))) {
        return;
    }
    int w =
        snprintf(c->text + c->used, sizeof(c->text) - c->used, "%s%s", c->count ? ", " : "", name);
    if (w < 0 || (size_t)w >= sizeof(c->text) - c->used) {
        c->text[c->used] = '\0'; /* full: the names so far */
        c->count = 6;
        return;
    }
    c->used += (size_t)w;
    c->count++;
}

bool vgt_cli_parse_range(const char *s, uint64_t *a, uint64_t *b)
{
    char *end;
    if (!starts_with_digit(s)) {
        return false;
    }
    errno = 0;
    unsigned long long x = strtoull(s, &end, 10);
    if (errno) {
        return false;
    }
    *a = x;
    if (*end == '\0') {
        *b = x;
        return true;
    }
    if (*end != '-') {
        return false;
    }
    s = end + 1;
    if (*s == '\0') {
        *b = UINT64_MAX;
        return true;
    }
    if (!starts_with_digit(s)) {
        return false;
    }
    unsigned long long y = strtoull(s, &end, 10);
    if (errno || *end || y < x) {
        return false;
    }
    *b = y;
    return true;
}

int vgt_cli_range_option(const char *verb, const char *option, const char *text, uint64_t *a,
                         uint64_t *b)
{
    if (!vgt_cli_parse_range(text, a, b)) {
        return vgt_cli_fail(VGT_EXIT_USAGE, verb, "%s '%s': expected A-B with A <= B, A- or A",
                            option, text);
    }
    return VGT_EXIT_OK;
}

int vgt_cmd_help(int argc, char **argv)
{
    /* vgt help --help is the verb list, as vgt --help, not an unknown verb */
    if (argc > 1 && !vgt_cli_wants_help(argc, argv)) {
        const vgt_verb *verb = find_verb(argv[1]);
        if (!verb) {
            vgt_cli_close c;
            close_verbs(&c, argv[1]);
            return vgt_cli_fail(VGT_EXIT_USAGE, "help", "unknown verb '%s'%s%s%s", argv[1],
                                c.count ? " (close: " : "", c.text, c.count ? ")" : "");
        }
        char *help_argv[] = {(char *)verb->name, "--help", NULL};
        return verb->run(2, help_argv);
    }
    printf("usage: vgt VERB [options]   (vgt help VERB, or vgt VERB --help)\n\n"
           "vgt records, replays and analyzes what a guest asks a virtual SVGA GPU to do.\n\n"
           "verbs:\n");
    for (size_t i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++) {
        printf("  %-10s %s\n", verbs[i].name, verbs[i].summary);
    }
    return VGT_EXIT_OK;
}

int vgt_cmd_version(int argc, char **argv)
{
    if (vgt_cli_wants_help(argc, argv)) {
        printf("usage: vgt version\n\nPrints the vgt version and how it was built (compiler, build "
               "type, flags).\n");
        return VGT_EXIT_OK;
    }
    printf("vgt %s\nbuilt with %s\n", VGT_VERSION, VGT_BUILD_FLAGS);
    return VGT_EXIT_OK;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        vgt_cmd_help(1, argv);
        return VGT_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--version") == 0) {
        return vgt_cmd_version(1, argv + 1);
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        return vgt_cmd_help(1, argv + 1);
    }
    const vgt_verb *verb = find_verb(argv[1]);
    if (!verb) {
        vgt_cli_close c;
        close_verbs(&c, argv[1]);
        fprintf(stderr, "vgt: unknown verb '%s' (%s%s%ssee 'vgt help')\n", argv[1],
                c.count ? "close: " : "", c.text, c.count ? "; " : "");
        return VGT_EXIT_USAGE;
    }
    return verb->run(argc - 1, argv + 1);
}
