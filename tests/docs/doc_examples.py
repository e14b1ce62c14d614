#!/usr/bin/env python3
"""The doc-test: every example of the user docs runs as the docs show it.

Usage: doc_examples.py VGT SOURCE_DIR SCRATCH DOC.md [DOC.md ...]

Each DOC's fenced code blocks are read in order and run in a directory of
their own, SCRATCH/<doc name>, with VGT's directory first on PATH (and
SCRATCH/<doc>/build/vgt a link to it, for the README's `build/vgt`).  The
convention (docs/conventions.md, "Examples in the docs"):

- a ```sh block: every line is a command (a trailing `\\` continues it;
  lines that start with `#` are comments);
- a ``` block with `$ ` lines: a transcript; each `$ ` line is a command,
  the lines after it up to the next `$ ` its output: each shown line must be
  a line of the command's stdout, in that order (`...` marks lines left
  out); an output that is JSON is compared as JSON;
- a ```sql block: statements run with python3's sqlite3 module against the
  database a `db FILE` marker names; each SELECT must return a row;
- any other block (a synopsis with placeholders, a screen, an output shown
  without its command) is not run, and is counted as such.

A command must exit 0, or N when its line ends with a comment holding
`exit N` or the block has an `exit N` marker.  Markers are HTML comments
right before a block (invisible in the rendered page):

  <!-- doc-test: skip REASON -->              the block is not run
  <!-- doc-test: skip "COMMAND": REASON -->   that line of the block is not run
  <!-- doc-test: exit N -->                   every command of the block exits N
  <!-- doc-test: db FILE -->                  the database of a sql block
  <!-- doc-test: setup                        commands run before the block
  CMD ...                                     (exit 0), in the same directory
  -->

A skip needs a reason; a skip that names no line of its block, a marker
that is not before a block, or an unknown marker fails the test, so
nothing is skipped silently.  Exit 0 when every example ran as documented.
"""

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time

MARKER_RE = re.compile(r"^<!--\s*doc-test:\s*(.*?)\s*(-->)?\s*$")
EXIT_IN_LINE_RE = re.compile(r"#.*\bexit (\d+)\b[^#]*$")
COMMAND_TIMEOUT = 300


class DocError(Exception):
    pass


# The README's first block, `make demo` and `make check`: they install
# packages, build and run every test (the doc-test is one of those tests).
# Named here, by the block's exact commands, rather than by a marker, so the
# README starts with exactly those two commands.
README_HEAD = ["make demo", "make check"]
README_HEAD_REASON = ("they install packages, build and run every test: "
                      "the doc-test is one of those tests")


def is_readme_head(b):
    cmds = [l.split("#", 1)[0].strip() for l in b.lines if l.strip()]
    return os.path.basename(b.doc) == "README.md" and b.info == "sh" and cmds == README_HEAD


class Block:
    def __init__(self, doc, line, info, lines, markers):
        self.doc = doc
        self.line = line  # line of the opening fence, 1-based
        self.info = info
        self.lines = lines
        self.markers = markers

    def where(self, offset=0):
        return "%s:%d" % (self.doc, self.line + 1 + offset)


def parse_markers(doc, lines, start):
    """Reads the marker starting at lines[start]; returns (marker, next index)."""
    m = MARKER_RE.match(lines[start].strip())
    text = m.group(1)
    i = start + 1
    if m.group(2) is None:  # a multi-line marker: its body up to -->
        body = []
        while i < len(lines) and lines[i].strip() != "-->":
            body.append(lines[i].rstrip("\n"))
            i += 1
        if i == len(lines):
            raise DocError("%s:%d: doc-test marker without its closing -->" % (doc, start + 1))
        i += 1
        if text != "setup":
            raise DocError("%s:%d: only a setup marker spans lines" % (doc, start + 1))
        return ("setup", body, start + 1), i
    if text == "setup":
        raise DocError("%s:%d: a setup marker holds its commands on the lines after it"
                       % (doc, start + 1))
    sm = re.match(r'^skip\s+"([^"]+)":\s*(\S.*)$', text)
    if sm:
        return ("skip-line", (sm.group(1), sm.group(2)), start + 1), i
    sm = re.match(r"^skip\s+(\S.*)$", text)
    if sm:
        return ("skip", sm.group(1), start + 1), i
    sm = re.match(r"^exit\s+(\d+)$", text)
    if sm:
        return ("exit", int(sm.group(1)), start + 1), i
    sm = re.match(r"^db\s+(\S+)$", text)
    if sm:
        return ("db", sm.group(1), start + 1), i
    raise DocError("%s:%d: unknown doc-test marker '%s'" % (doc, start + 1, text))


def parse_doc(path, name):
    with open(path, encoding="utf-8") as f:
        lines = f.readlines()
    blocks = []
    pending = []
    prose = []  # (line, paragraph text joined): where inline `vgt ...` spans are
    para = None
    i = 0
    while i < len(lines):
        s = lines[i].strip()
        if not s or s.startswith("```") or s.startswith("<!--"):
            if para:
                prose.append(para)
            para = None
        elif para is None:
            para = (i + 1, s)
        else:
            para = (para[0], para[1] + " " + s)
        if s.startswith("<!--") and "doc-test" in s:
            marker, i = parse_markers(name, lines, i)
            pending.append(marker)
            continue
        if s.startswith("```"):
            info = s[3:].strip()
            start = i
            body = []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i].rstrip("\n"))
                i += 1
            if i == len(lines):
                raise DocError("%s:%d: code block not closed" % (name, start + 1))
            blocks.append(Block(name, start + 1, info, body, pending))
            pending = []
            i += 1
            continue
        if s and pending:
            raise DocError("%s:%d: doc-test marker not right before a code block"
                           % (name, pending[0][2]))
        i += 1
    if pending:
        raise DocError("%s:%d: doc-test marker after the last code block" % (name, pending[0][2]))
    if para:
        prose.append(para)
    return blocks, prose


def join_continued(numbered):
    """[(offset, text)] with trailing-backslash lines joined."""
    out = []
    cur = None
    for off, text in numbered:
        if cur is not None:
            cur = (cur[0], cur[1][:-1] + " " + text.strip())
        else:
            cur = (off, text)
        if not cur[1].rstrip().endswith("\\"):
            out.append(cur)
            cur = None
    if cur is not None:
        out.append(cur)
    return out


def without_comment(cmd):
    """The command without its trailing shell comment (what a skip names)."""
    return re.sub(r"\s+#[^'\"]*$", "", cmd).strip()


def expected_exit(block, text):
    m = EXIT_IN_LINE_RE.search(text)
    if m:
        return int(m.group(1))
    for kind, value, _ in block.markers:
        if kind == "exit":
            return value
    return 0


def output_matches(shown, stdout):
    """Every shown line is a line of stdout, in order; JSON compares as JSON."""
    shown = [s.rstrip() for s in shown]
    text = "\n".join(s for s in shown if s.strip() != "...").strip()
    if text.startswith("{") or text.startswith("["):
        try:
            want = json.loads(text)
        except ValueError:
            want = None
        if want is not None:
            try:
                got = json.loads(stdout)
            except ValueError:
                return "the output is not JSON"
            if got != want:
                return "JSON differs: got %s" % json.dumps(got, sort_keys=True)
            return None
    out = [s.rstrip() for s in stdout.split("\n")]
    pos = 0
    for s in shown:
        if s.strip() == "...":
            continue
        try:
            pos = out.index(s, pos) + 1
        except ValueError:
            return "shown line not in the output (in this order): %r" % s
    return None


SYN_OPTION_RE = re.compile(r"(?:^|[\s\[(|/])(--?[A-Za-z][A-Za-z0-9-]*)")
SYN_VERB_RE = re.compile(r"^[a-z][a-z0-9-]*$")
INLINE_RE = re.compile(r"`((?:build/)?vgt [^`]+)`")


class Runner:
    def __init__(self, vgt, source_dir, scratch):
        self.vgt = os.path.abspath(vgt)
        self.source_dir = os.path.abspath(source_dir)
        self.scratch = os.path.abspath(scratch)
        self.ran = 0
        self.setup = 0
        self.outputs_checked = 0
        self.sql = 0
        self.skipped = []
        self.shown = 0
        self.failures = []
        self.synopses = 0
        self.helps = {}

    def env(self):
        env = dict(os.environ)
        env["PATH"] = os.path.dirname(self.vgt) + os.pathsep + env.get("PATH", "")
        env["VGT_SOURCE_DIR"] = self.source_dir
        env.pop("DISPLAY", None)  # headless, as in CI
        return env

    def run(self, where, cmd, cwd, want):
        t0 = time.monotonic()
        try:
            p = subprocess.run(["sh", "-c", cmd], cwd=cwd, env=self.env(),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               timeout=COMMAND_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.failures.append("%s: %s: timed out after %d s" % (where, cmd, COMMAND_TIMEOUT))
            return None
        out = p.stdout.decode("utf-8", "replace")
        err = p.stderr.decode("utf-8", "replace")
        print("  %s $ %s  -> exit %d (%.1f s)" % (where, cmd, p.returncode, time.monotonic() - t0))
        if p.returncode != want:
            tail = "\n".join((err or out).strip().split("\n")[-6:])
            self.failures.append("%s: %s: exit %d, the doc says %d\n    %s"
                                 % (where, cmd, p.returncode, want, tail.replace("\n", "\n    ")))
            return None
        return out

    def help_of(self, verb):
        if verb not in self.helps:
            p = subprocess.run([self.vgt, verb, "--help"], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, env=self.env())
            self.helps[verb] = (p.returncode, p.stdout.decode("utf-8", "replace"))
        return self.helps[verb]

    def check_synopsis(self, where, text):
        """A `vgt VERB ...` line that is not run (a synopsis, a command in the
        prose): VERB must be a verb and every option it names must be in
        `vgt VERB --help`.  Messages (`vgt VERB: ...`) and placeholders for
        the verb (`vgt VERB`) are not synopses."""
        toks = text.replace("build/vgt", "vgt", 1).split()
        if len(toks) < 2 or toks[0] != "vgt" or not SYN_VERB_RE.match(toks[1]):
            return
        if any(t.endswith(":") for t in toks[1:3]):  # a message: `vgt bench format: ...`
            return
        verb = toks[1]
        rc, help_text = self.help_of(verb)
        if rc != 0:
            self.failures.append("%s: `%s`: no verb '%s' (vgt %s --help exits %d)"
                                 % (where, text, verb, verb, rc))
            return
        for opt in SYN_OPTION_RE.findall(" ".join(toks[2:])):
            if not re.search(r"(?<![\w-])%s(?![\w-])" % re.escape(opt), help_text):
                self.failures.append("%s: `%s`: vgt %s --help does not name %s"
                                     % (where, text, verb, opt))
                return
        self.synopses += 1

    def skip(self, where, what, reason):
        self.skipped.append("%s: %s (%s)" % (where, what, reason))

    def do_block(self, b, cwd):
        for kind, value, mline in b.markers:
            if kind == "setup":
                for cmd in value:
                    if cmd.strip() and not cmd.strip().startswith("#"):
                        if self.run("%s:%d setup" % (b.doc, mline), cmd, cwd, 0) is not None:
                            self.setup += 1
        skips = [m for m in b.markers if m[0] == "skip"]
        if is_readme_head(b):
            # the README must start with exactly its two commands, so this
            # block carries no marker: skipped here, by its whole text
            skips = [("skip", README_HEAD_REASON, b.line)]
        if skips:
            self.skip(b.where(-1), "block", skips[0][1])
            return
        line_skips = {m[1][0]: [m[1][1], m[2], 0] for m in b.markers if m[0] == "skip-line"}
        dbs = [m[1] for m in b.markers if m[0] == "db"]
        if b.info == "sql":
            self.do_sql(b, cwd, dbs)
        elif b.info == "sh":
            cmds = join_continued([(k, l) for k, l in enumerate(b.lines)
                                   if l.strip() and not l.strip().startswith("#")])
            for off, cmd in cmds:
                cmd = cmd.strip()
                if without_comment(cmd) in line_skips:
                    line_skips[without_comment(cmd)][2] += 1
                    self.skip(b.where(off), cmd, line_skips[without_comment(cmd)][0])
                    continue
                if self.run(b.where(off), cmd, cwd, expected_exit(b, cmd)) is not None:
                    self.ran += 1
        elif b.info == "" and any(l.startswith("$ ") for l in b.lines):
            self.do_transcript(b, cwd, line_skips)
        else:
            if line_skips or dbs or any(m[0] == "exit" for m in b.markers):
                raise DocError("%s: doc-test marker on a block that is not run" % b.where(-1))
            self.shown += 1
            # a synopsis is a `vgt ` line and the indented lines that continue it
            syn = []
            for k, l in enumerate(b.lines):
                if l.startswith("vgt "):
                    syn.append([k, l.strip()])
                elif syn and l.startswith(" ") and l.strip() and syn[-1] is not None:
                    syn[-1][1] += " " + l.strip()
                else:
                    syn.append(None)
            for k, text in (x for x in syn if x is not None):
                self.check_synopsis(b.where(k), text)
            return
        for cmd, (reason, mline, used) in line_skips.items():
            if used != 1:
                raise DocError("%s:%d: skip \"%s\" names %d lines of its block, not one"
                               % (b.doc, mline, cmd, used))

    def do_transcript(self, b, cwd, line_skips):
        items = []  # [offset, command, [shown output lines]]
        for k, l in enumerate(b.lines):
            if l.startswith("$ "):
                items.append([k, l[2:].strip(), []])
            elif items:
                items[-1][2].append(l)
            elif l.strip():
                raise DocError("%s: a transcript starts with a `$ ` line" % b.where(k))
        for off, cmd, shown in items:
            if without_comment(cmd) in line_skips:
                line_skips[without_comment(cmd)][2] += 1
                self.skip(b.where(off), cmd, line_skips[without_comment(cmd)][0])
                continue
            out = self.run(b.where(off), cmd, cwd, expected_exit(b, cmd))
            if out is None:
                continue
            self.ran += 1
            if any(s.strip() for s in shown):
                bad = output_matches(shown, out)
                if bad:
                    self.failures.append("%s: %s: %s\n    output:\n    %s"
                                         % (b.where(off), cmd, bad,
                                            out.strip().replace("\n", "\n    ")))
                else:
                    self.outputs_checked += 1

    def do_sql(self, b, cwd, dbs):
        if len(dbs) != 1:
            raise DocError("%s: a sql block needs one `db FILE` marker" % b.where(-1))
        path = os.path.join(cwd, dbs[0])
        if not os.path.exists(path):
            self.failures.append("%s: database %s does not exist" % (b.where(-1), dbs[0]))
            return
        db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
        stmt = ""
        start = 0
        for k, l in enumerate(b.lines):
            if not stmt.strip():
                start = k
            if l.strip().startswith("--") and not stmt.strip():
                continue
            stmt += l + "\n"
            if sqlite3.complete_statement(stmt):
                where = b.where(start)
                try:
                    rows = db.execute(stmt).fetchall()
                except sqlite3.Error as e:
                    self.failures.append("%s: %s: %s" % (where, " ".join(stmt.split()), e))
                else:
                    print("  %s sql %s  -> %d rows" % (where, " ".join(stmt.split())[:60], len(rows)))
                    if stmt.strip().upper().startswith("SELECT") and not rows:
                        self.failures.append("%s: %s: no row" % (where, " ".join(stmt.split())))
                    else:
                        self.sql += 1
                stmt = ""
        db.close()
        if stmt.strip():
            raise DocError("%s: sql block ends inside a statement" % b.where(start))


def main(argv):
    if len(argv) < 5:
        print(__doc__.split("\n")[2], file=sys.stderr)
        return 1
    r = Runner(argv[1], argv[2], argv[3])
    t0 = time.monotonic()
    try:
        for doc in argv[4:]:
            name = os.path.relpath(doc, r.source_dir)
            blocks, prose = parse_doc(doc, name)
            cwd = os.path.join(r.scratch, re.sub(r"[^A-Za-z0-9.-]", "_", name))
            shutil.rmtree(cwd, ignore_errors=True)  # no file of an earlier run helps
            os.makedirs(os.path.join(cwd, "build"), exist_ok=True)
            link = os.path.join(cwd, "build", "vgt")
            if os.path.lexists(link):
                os.remove(link)
            os.symlink(r.vgt, link)
            print("%s: %d code blocks" % (name, len(blocks)))
            for b in blocks:
                r.do_block(b, cwd)
            for line, text in prose:
                for span in INLINE_RE.findall(text):
                    r.check_synopsis("%s:%d" % (name, line), span)
    except DocError as e:
        print("doc-test: %s" % e, file=sys.stderr)
        return 1
    for s in r.skipped:
        print("skipped: %s" % s)
    print("doc-test: %d commands ran as documented (%d outputs checked), %d sql statements, "
          "%d setup commands; %d skipped by a marker; %d blocks shown, not run "
          "(synopses, screens, outputs); %d synopses and inline `vgt VERB ...` checked "
          "against their verb's --help; %.1f s"
          % (r.ran, r.outputs_checked, r.sql, r.setup, len(r.skipped), r.shown,
             r.synopses, time.monotonic() - t0))
    if r.failures:
        for f in r.failures:
            print("FAILED %s" % f, file=sys.stderr)
        print("doc-test: %d failed; the files are in %s" % (len(r.failures), r.scratch),
              file=sys.stderr)
        return 1
    shutil.rmtree(r.scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
