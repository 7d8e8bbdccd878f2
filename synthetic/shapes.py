"""The text shapes real reports arrive in (seen in ``../shared/real`` and on government sites), derived from the
generator's own renderings so the truth stays known:

* ``web_oneline`` — a web page saved as text: a title line, the publication time, then breadcrumbs, share buttons
  and the whole report on one line, table cells run together with no separator (平潭 pages);
* ``pipe_newline`` — an HTML table copied cell by cell: every cell on its own line ending in ``|``, an empty cell a
  bare ``|``, a ``|`` line opening each row; the title spaced and broken over two lines;
* ``cell_per_line`` — a table copied cell by cell without pipes: one value per line, empty cells lost;
* ``ocr_minitables`` — OCR to Markdown that splits 表三 into one small table per row, headed 类别 | 数据1 … 数据6 |
  总计, under a ``###`` heading per row group (沭阳 OCR);
* ``web_truncated`` — a crawler's copy: the one-line page cut off part-way through its tables.
"""

from __future__ import annotations

import random
import re

from synthetic.truth import ReportTruth

DERIVED_SHAPES = ("web_oneline", "pipe_newline", "cell_per_line", "ocr_minitables", "web_truncated")
#: shapes in which a blank cell leaves no trace
INVISIBLE_BLANKS = frozenset({"web_oneline", "cell_per_line", "web_truncated"})
_BASE = {"web_oneline": "flattened", "web_truncated": "flattened", "pipe_newline": "tab", "cell_per_line": "tab",
         "ocr_minitables": "tab"}
_SHARE = ("微信", "微博", "QQ空间", "全真版", "文字版", "文件下载", "打印", "关闭")


def decode(data: bytes) -> str:
    """A base rendering's text (the generator writes text files in UTF-8, UTF-16 or GB18030)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def base_shape(shape: str) -> str:
    return _BASE[shape]


def derive(text: str, truth: ReportTruth, shape: str, rng: random.Random) -> str:
    """The base rendering's text turned into `shape`."""
    lines = text.lstrip("\ufeff").split("\n")
    if shape == "web_oneline":
        return _one_line(lines, truth, rng)
    if shape == "web_truncated":
        return _truncate(_one_line(lines, truth, rng), rng)
    if shape == "pipe_newline":
        return "\n".join(_spaced_title(_cells_per_line(lines, pipes=True), truth, rng))
    if shape == "cell_per_line":
        return "\n".join(_spaced_title(_cells_per_line(lines, pipes=False), truth, rng))
    if shape == "ocr_minitables":
        return "\n".join(_mini_tables(lines, rng))
    raise ValueError(shape)


def _title(truth: ReportTruth) -> str:
    return f"{truth.agency}{truth.covers_year}年政府信息公开工作年度报告"


def _one_line(lines: list[str], truth: ReportTruth, rng: random.Random) -> str:
    body = [ln.strip() for ln in lines if ln.strip() and not re.match(r"^(首页|【字体)", ln.strip())]
    published = f"{truth.covers_year + 1}-0{rng.randint(1, 3)}-{rng.randint(10, 28)} {rng.randint(8, 17)}:{rng.randint(10, 59)}"
    crumbs = (f"当前位置： 首页{rng.choice(('政务公开', '信息公开'))}政府信息公开政府信息公开年报 {_title(truth)} "
              f"来源：{truth.agency} 时间：{published} " + " ".join(rng.sample(_SHARE, 4)) + " 相关链接： --> ")
    joiner = rng.choice(("", "", " "))
    return f"{_title(truth)}\n发布时间: {published}\n\n{crumbs}{joiner.join(body)}\n"


def _truncate(text: str, rng: random.Random) -> str:
    """Cut the page inside its tables (after 表二 began, before 表四 ended), as a crawler keeps only a prefix."""
    start = text.find("第二十条")
    end = text.find("五、存在") if "五、存在" in text else len(text)
    if start < 0 or end <= start:
        return text
    return text[: rng.randint(start + 20, end)]


def _spaced_title(lines: list[str], truth: ReportTruth, rng: random.Random) -> list[str]:
    """The title as OCR and PDF copies print it: year first with spaces, broken before 工作年度报告."""
    title = _title(truth)
    spaced = [f"{truth.covers_year} 年{truth.agency}政府信息公开", "工作年度报告"]
    out, done = [], False
    for line in lines:
        if not done and line.strip() == title:
            out.extend(spaced if rng.random() < 0.7 else [title])
            done = True
        else:
            out.append(line)
    return out


def _cells_per_line(lines: list[str], pipes: bool) -> list[str]:
    out: list[str] = []
    for line in lines:
        if "\t" not in line:
            out.append(line)
            continue
        fields = [f.strip() for f in line.split("\t")]
        if pipes:
            out.append("|")
            out.extend(f"{f} |" if f else "|" for f in fields)
        else:
            out.extend(f for f in fields if f)
    return out


_T3_START = re.compile(r"勾稽关系")
_T3_END = re.compile(r"结转下年度")
_GROUP = re.compile(r"^(?:[（(][三四五六][)）]\s*)?(?:不予公开|无法提供|不予处理|其他处理)$")


def _mini_tables(lines: list[str], rng: random.Random) -> list[str]:
    """表三 as one Markdown table per row (or per group of sub-items), the rest of the text as it is."""
    out: list[str] = []
    inside = False
    header = ["| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |", "|---|---|---|---|---|---|---|---|"]
    group_open = False
    for line in lines:
        if not inside and _T3_START.search(line):
            inside = True
            out.append(line.replace("\t", " "))
            continue
        if not inside or "\t" not in line:
            out.append(line)
            continue
        fields = [f.strip() for f in line.split("\t")]
        values = fields[-7:]
        labels = [f for f in fields[:-7] if f]
        if len(fields) < 8 or not labels or not all(re.fullmatch(r"-?\d[\d.]*|", v) for v in values):
            out.append(" ".join(f for f in fields if f))  # a header row of the big table, or a group label
            continue
        label = labels[-1]
        for group in labels[:-1]:
            out += ["", f"### {group}"]
            group_open = bool(_GROUP.match(group))
            out += header
        if len(labels) == 1 and not (group_open and re.match(r"^\d", label)):
            out += ["", f"### {label}"] + header
            group_open = False
        out.append("| " + " | ".join([label, *values]) + " |")
        if _T3_END.search(line):
            inside = False
            out.append("")
    if rng.random() < 0.5:
        out = [ln.replace("部分公开（区分处理的，", "部分公开 (区分处理的, ") for ln in out]
    return out
