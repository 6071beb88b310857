"""Parse the compiler's GOSSAFUNC ssa.html (Go 1.22 ... 1.27) into an SSAFunction (gokit.parsers.ssa): a pure
function of text. A column's blocks are parsed when first used."""
from __future__ import annotations

import html as _html
import re

from ..errors import ParseError, UsageError
from .names import split_top_level
from .ssa import _Column, Block, Pass, Prog, SourceLine, SSAFunction, Value

# <h1>add,1</h1>  (the function name and its ABI)
TITLE_RE = re.compile(r"<h1>(?P<name>.*?)</h1>", re.DOTALL)
# one column: <td id="ID-exp" class="..."><h2>title</h2>...<h2>title</h2>BODY</td>
COLUMN_RE = re.compile(r'<td id="(?P<id>[^"]*)-exp"(?: class="(?P<cls>[^"]*)")?>(?P<body>.*?)</td>\n', re.DOTALL)
H2_RE = re.compile(r"<h2>(?P<title>.*?)</h2>", re.DOTALL)
STATS_RE = re.compile(r'\s*<span class="stats">\[(?P<stats>[^\]]*)\]</span>')
NS_RE = re.compile(r"^(?P<ns>\d+) ns")
# one block: <ul class="b2 ssa-print-func dead-block"> start ... values ... <li class="ssa-end-block">END</li></ul>
BLOCK_RE = re.compile(r'<ul class="b(?P<id>\d+) ssa-print-func ?(?P<dead>dead-block)?\s*">'
                      r'<li class="ssa-start-block">(?P<start>.*?)</li>(?P<values>.*?)'
                      r'<li class="ssa-end-block">(?P<end>.*?)</li></ul>', re.DOTALL)
VALUE_RE = re.compile(r'<li class="ssa-long-value ?(?P<dead>dead-value)?\s*">'
                      r'<span class="v(?P<id>\d+) ssa-long-value"><span class="v\d+ ssa-value">v\d+</span> '
                      r'(?:<span class="l(?P<line>\d+|\?) line-number">\((?P<pos>.*?)\)</span>'
                      r'|<span class="no-line-number">\(\?\)</span>) = (?P<rest>.*?)</span></li>', re.DOTALL)
DEPCYCLE_RE = re.compile(r'<span class="depcycle">(?P<inner>.*?)</span>\n(?=<li|</ul>)', re.DOTALL)
VALUE_SPAN_RE = re.compile(r'<span class="v(?P<id>\d+) ssa-value">v\d+</span>')
BLOCK_SPAN_RE = re.compile(r'<span class="b(?P<id>\d+) ssa-block">(?P<text>[^<]*)</span>')
LINE_SPAN_RE = re.compile(r'<span class="l(?P<line>\d+|\?) line-number">\((?P<pos>.*?)\)</span>')
NAMED_RE = re.compile(r"<li>name (?P<slot>.*?): (?P<vals>(?:<span class=\"v\d+ ssa-value\">v\d+</span> )*)</li>",
                      re.DOTALL)
# sources column: <div><strong>FILE</strong></div> and <div class="l10 line-number">TEXT</div>
SOURCE_ITEM_RE = re.compile(r'<div><strong>(?P<file>.*?)</strong></div>|<div class="l(?P<line>\d+) line-number">'
                            r'(?P<text>.*?)</div>', re.DOTALL)
AST_LINE_RE = re.compile(r'<div class="(?:l(?P<line>\d+) line-number )?ast">(?P<text>.*?)</div>', re.DOTALL)
PROG_RE = re.compile(r'<dt class="ssa-prog-src">(?P<src>.*?)</dt><dd class="ssa-prog">(?P<prog>.*?)</dd>', re.DOTALL)
PROG_LINE_RE = re.compile(r'^(?P<pc>\d+) <span class="l(?P<line>\d+|\?) line-number">\((?P<pos>.*?)\)</span> '
                          r'(?P<text>.*)$', re.DOTALL)
TAG_RE = re.compile(r"<[^>]+>")
NAMES_TAIL_RE = re.compile(r" \((?P<names>[^()]*(?:\([^()]*\)[^()]*)*)\)$")
TMP_TAIL_RE = re.compile(r" tmp=(?P<tmp>\S+)$")
REG_TAIL_RE = re.compile(r" : (?P<reg>.+)$")
LIKELY_RE = re.compile(r" \((?P<likely>likely|unlikely)\)")

#: A value's id and line, the start of VALUE_RE (what value_lines reads of every value).
VALUE_LINE_RE = re.compile(r'<li class="ssa-long-value ?(?:dead-value)?\s*">'
                           r'<span class="v(?P<id>\d+) ssa-long-value"><span class="v\d+ ssa-value">v\d+</span> '
                           r'(?:<span class="l(?P<line>\d+|\?) line-number">\((?P<pos>.*?)\)</span>'
                           r'|<span class="no-line-number">)')

_SPECIAL_COLUMNS = ("sources", "AST", "genssa")

def _text(fragment: str) -> str:
    """Visible text of an HTML fragment (tags dropped, entities decoded)."""
    return _html.unescape(TAG_RE.sub("", fragment)).replace("\xa0", " ")


def _pos(line: str | None, pos: str | None) -> tuple[int | None, str]:
    """(line, mark): mark '+' is a statement boundary, '-' is not a statement, '' unspecified."""
    if line is None or line == "?" or pos is None:
        return None, ""
    if pos.startswith("<b>"):
        return int(line), "+"
    if pos.startswith("<s>"):
        return int(line), "-"
    return int(line), ""


# ---------------------------------------------------------------- parsing


def _parse_type(s: str) -> tuple[str, str]:
    """Split '<TYPE>REST' (TYPE may hold brackets, braces, `<-chan`) into (TYPE, REST)."""
    if not s.startswith("<"):
        return "", s
    depth = 0
    for i in range(1, len(s)):
        c = s[i]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == ">" and depth <= 0:
            return s[1:i], s[i + 1:]
    return s[1:], ""


def _split_tail(s: str) -> tuple[str, str, tuple[str, ...]]:
    """'[0] : AX tmp=BX (s[int], i[int])' -> ('[0]', 'AX', ('s[int]', 'i[int]'))."""
    names: tuple[str, ...] = ()
    m = NAMES_TAIL_RE.search(s)
    if m and not s[: m.start()].endswith(":"):
        names = tuple(n.strip() for n in split_top_level(m.group("names")))
        s = s[: m.start()]
    m = TMP_TAIL_RE.search(s)
    if m:
        s = s[: m.start()]
    reg = ""
    m = REG_TAIL_RE.search(s)
    if m:
        reg = m.group("reg").strip()
        s = s[: m.start()]
    return s.strip(), reg, names


def _parse_value(m: re.Match[str], block: int, depcycle: bool) -> Value:
    rest = m.group("rest")
    spans = list(VALUE_SPAN_RE.finditer(rest))
    if spans:
        head = _html.unescape(rest[: spans[0].start()])
        tail = _html.unescape(rest[spans[-1].end():])
        args = tuple(int(s.group("id")) for s in spans)
    else:
        head, tail, args = _html.unescape(rest), "", ()
    op, _, after = head.partition(" ")
    typ, after = _parse_type(after)
    if spans:
        aux = after.strip()
        _, reg, names = _split_tail(tail)
    else:
        aux, reg, names = _split_tail(after)
    line, stmt = _pos(m.group("line"), m.group("pos"))
    return Value(int(m.group("id")), op, typ, aux, args, line, stmt, bool(m.group("dead")), block, reg, names,
                 depcycle)


def _parse_block(m: re.Match[str]) -> Block:
    bid = int(m.group("id"))
    start = m.group("start")
    preds = tuple(int(s.group("id")) for s in BLOCK_SPAN_RE.finditer(start))[1:]
    body = m.group("values")
    cyc_spans = [(c.start(), c.end()) for c in DEPCYCLE_RE.finditer(body)]
    values = tuple(_parse_value(v, bid, any(a <= v.start() < b for a, b in cyc_spans))
                   for v in VALUE_RE.finditer(body))
    end = m.group("end")
    spans = list(BLOCK_SPAN_RE.finditer(end))
    kind = _html.unescape(spans[0].group("text")) if spans else ""
    arrow = end.find("&#8594;")
    succs = tuple(int(s.group("id")) for s in spans[1:] if arrow >= 0 and s.start() > arrow)
    before_arrow = end if arrow < 0 else end[:arrow]
    controls = tuple(int(v.group("id")) for v in VALUE_SPAN_RE.finditer(before_arrow))
    # aux: text between the kind span and the first control/arrow/likely/line
    after_kind = before_arrow[spans[0].end():] if spans else before_arrow
    first_ctl = VALUE_SPAN_RE.search(after_kind)
    aux_part = after_kind[: first_ctl.start()] if first_ctl else after_kind
    aux_part = LINE_SPAN_RE.sub("", aux_part)
    aux = _text(LIKELY_RE.sub("", aux_part)).strip()
    lm = LIKELY_RE.search(_text(end))
    line_m = LINE_SPAN_RE.search(end)
    line, _ = _pos(line_m.group("line"), line_m.group("pos")) if line_m else (None, "")
    return Block(bid, kind, values, succs, preds, controls, lm.group("likely") if lm else "", aux, line,
                 bool(m.group("dead")))


def _parse_body(body: str) -> tuple[tuple[Block, ...], tuple[tuple[str, tuple[int, ...]], ...]]:
    blocks = tuple(_parse_block(m) for m in BLOCK_RE.finditer(body))
    last = body.rfind("</ul>")
    named = tuple((_html.unescape(n.group("slot")), tuple(int(v.group("id")) for v in VALUE_SPAN_RE.finditer(
        n.group("vals")))) for n in NAMED_RE.finditer(body, max(last, 0)))
    return blocks, named


def _values_on_line(body: str, line: int) -> tuple[Value, ...]:
    """The values on `line` of a column, parsing only the blocks that hold one."""
    mark = f'<span class="l{line} line-number">'
    if mark not in body:
        return ()
    out: list[Value] = []
    for m in BLOCK_RE.finditer(body):
        if mark in m.group("values"):
            out.extend(v for v in _parse_block(m).values if v.line == line)
    return tuple(out)


def _value_lines(body: str) -> dict[int, int | None]:
    """id -> source line of every value of a column (None: no line), without parsing the values."""
    return {int(m.group("id")): _pos(m.group("line"), m.group("pos"))[0] for m in VALUE_LINE_RE.finditer(body)}


_LIGHT = (_values_on_line, _value_lines)


def _parse_sources(body: str) -> tuple[SourceLine, ...]:
    pre = body.find("<pre>")
    if pre < 0:
        return ()
    out, file = [], ""
    for m in SOURCE_ITEM_RE.finditer(body, pre):
        if m.group("file") is not None:
            file = _html.unescape(m.group("file"))
            continue
        text = m.group("text")
        out.append(SourceLine(file, int(m.group("line")), "" if text == "&nbsp;" else _html.unescape(text)))
    return tuple(out)


def _parse_ast(body: str) -> str:
    return "\n".join(_text(m.group("text")) for m in AST_LINE_RE.finditer(body)).rstrip()


def _parse_genssa(body: str) -> tuple[Prog, ...]:
    out = []
    for m in PROG_RE.finditer(body):
        src, prog = m.group("src"), m.group("prog")
        v = VALUE_SPAN_RE.search(src)
        b = BLOCK_SPAN_RE.search(src)
        pm = PROG_LINE_RE.match(prog)
        if pm:
            line, stmt = _pos(pm.group("line"), pm.group("pos"))
            out.append(Prog(int(pm.group("pc")), line, stmt, _text(pm.group("text")),
                            int(v.group("id")) if v else None, int(b.group("id")) if b else None))
        else:
            out.append(Prog(None, None, "", _text(prog), int(v.group("id")) if v else None,
                            int(b.group("id")) if b else None))
    return tuple(out)


def parse_ssa_html(text: str) -> SSAFunction:
    """Parse a GOSSAFUNC ssa.html (Go 1.22 ... 1.27) into an SSAFunction.

    Columns whose title is `a + b + c` are split back into passes: the body shows the function
    after `c`; `a` and `b` changed nothing, so their state is the previous column's (this is
    what ssa/html.go's WritePhase/flushPhases do: a column is written only when the function's
    hash changes).
    """
    if not isinstance(text, str):
        raise UsageError(f"parse_ssa_html wants the text of an ssa.html file; got {type(text).__name__}")
    tm = TITLE_RE.search(text)
    if not tm or "<table>" not in text:
        first = text.strip().splitlines()[0] if text.strip() else ""
        raise ParseError("ssa.html", first[:200], 1)
    title = _html.unescape(tm.group("name"))
    name, _, abi = title.rpartition(",")
    if not name:
        name, abi = title, ""
    sources: tuple[SourceLine, ...] = ()
    ast = ""
    genssa: tuple[Prog, ...] = ()
    passes: list[Pass] = []
    columns: list[tuple[str, ...]] = []
    prev: _Column | None = None
    n_columns = 0
    for m in COLUMN_RE.finditer(text, tm.end()):
        n_columns += 1
        body = m.group("body")
        titles = [t.group("title") for t in H2_RE.finditer(body)]
        if not titles:
            raise ParseError("ssa.html column without a title", body[:200],
                             text.count("\n", 0, m.start()) + 1)
        content = body[H2_RE.search(body).start():]  # type: ignore[union-attr]
        last_h2 = list(H2_RE.finditer(content))[-1]
        content = content[last_h2.end():]
        col_id = m.group("id")
        if col_id in _SPECIAL_COLUMNS and len(titles) == 1:
            if col_id == "sources":
                sources = _parse_sources(content)
            elif col_id == "AST":
                ast = _parse_ast(content)
            else:
                genssa = _parse_genssa(content)
            continue
        names: list[str] = []
        times: list[int | None] = []
        for t in titles:
            sm = STATS_RE.search(t)
            names.append(_html.unescape(STATS_RE.sub("", t)).strip())
            nsm = NS_RE.match(sm.group("stats")) if sm else None
            times.append(int(nsm.group("ns")) if nsm else None)
        column = _Column(content, _parse_body, _LIGHT)
        col = len(columns)
        columns.append(tuple(names))
        for i, (pname, ns) in enumerate(zip(names, times)):
            if i < len(names) - 1 and prev is not None:
                passes.append(Pass(pname, len(passes), col, ns, False, prev))
            else:
                # ssa/html.go writes a column only when the function's hash changed, except for the
                # final flush: compare the bodies, which are identical exactly when nothing changed
                changed = prev is None or content != prev.body
                passes.append(Pass(pname, len(passes), col, ns, changed, column))
        prev = column
    if n_columns == 0:
        raise ParseError("ssa.html without any <td> column", text[tm.end():tm.end() + 200].strip(), 1)
    return SSAFunction(name, abi, sources, ast, tuple(passes), genssa, tuple(columns))
