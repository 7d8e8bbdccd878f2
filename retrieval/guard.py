"""The guard between a language model's text and the user: nothing the model invents reaches them unflagged.

A model sentence is kept only when every ``[n]`` it carries names a source it was given and every number, date, quoted
phrase, 《title》 and place or organisation name in it appears in the sources it cites (or, without markers, in any
source). In numeric answers the model writes placeholders (``{v1}``) that code replaces with the numbers from the
cells; a digit it writes itself must be a year of a cited report. Sentences that echo instructions are dropped.

Pure functions over strings: no model, no I/O.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

MARKER = re.compile(r"\[(\d+)\]")
PLACEHOLDER = re.compile(r"\{v(\d+)\}")
_SENTENCE_END = "。！？!?；;\n"
_DATE = re.compile(r"\d{4}年\d{1,2}月(?:\d{1,2}日)?|\d{1,2}月\d{1,2}日")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_CN_NUMBER = re.compile(r"([一二两三四五六七八九十百千万〇零]+)([个项件条次家名人份起批场期类种倍成]|方面)")
_CN_NUMERAL = re.compile(r"[一二两三四五六七八九十百千〇零壹贰叁肆伍陆柒捌玖拾佰仟]+(?:[个项件条次家名人份起批场期类种倍成年]|方面)|"
                         r"百分之|分之|一半|半数|[〇零]|第[一二三四五六七八九十]|[二〇]{2}[〇零一二三四五六七八九]{2}")
_COUNTED_NUMBER = re.compile(r"(\d+(?:\.\d+)?)(件|个|项|条|次|家|名|人|份|篇|期|场|%|万|元|倍)")
_UNCHECKABLE = re.compile(r"百分之[一二三四五六七八九十百零点]+|[壹贰叁肆伍陆柒捌玖拾佰仟]+[件个项条次家名人份]?|"
                          r"[一二两三四五六七八九十]+倍|[一二三四五六七八九]成")
_LABEL_WORDS = re.compile(r"尚未审结|未审结|未经复议|不予公开|不予处理|无法提供|未按收费通知|逾期未|不掌握|没有现成信息|仍不明确")
_LIST_NUMBER = re.compile(r"^\s*(?:\d{1,2}[.、．](?!\d)|[（(]\d{1,2}[)）])\s*")
_COMPARING = re.compile(r"增加|增长|上升|提高|减少|下降|降低|回落|多于|少于|超过|高于|低于|不到|不足|未|没有|并非|"
                        r"翻番|翻倍|倍|远多|远少|更多|更少|最多|最少|持平|攀升|下滑|激增|骤减|大幅|显著|明显|占比|约占|占到|"
                        r"同比|环比|排名|居首|领先|落后")
_ENUMERATED = re.compile(r"([一二三四五六七八九十])是")
_TITLE = re.compile(r"《[^》]{1,60}》|「[^」]{1,60}」|〈[^〉]{1,60}〉")
_QUOTED = re.compile(r"[“\"]([^”\"]{2,40})[”\"]")
_PLACE = re.compile(r"(?<=[\u4e00-\u9fff]{2})[省市区县](?=人民政府|政府|信访局|行政|[，。、；：:,\s（(]|$)")
#: an organ after a place name: 周口市公安局, 郸城县教育局 (the organ must be in the sources too)
_ORGAN = re.compile(r"[\u4e00-\u9fff]{2}[省市区县]([\u4e00-\u9fff]{1,8}?(?:局|厅|委员会|办公室|中心|人民政府|政府|法院|检察院))")
_GENERIC_PLACE = frozenset(re.findall(r"\S+", "社区 城区 辖区 地区 景区 园区 城市 都市 本市 全市 全区 全县 全省 各市 各区 各县 我市 我区 我县 "
                           "该市 该区 该县 市区 郊区 山区 片区 街区 小区 校区 省市 市县 区县 县区 本区 本县 本省"))
INSTRUCTION = re.compile(
    r"忽略(?:以上|上述|之前|前面|先前|此前|所有|全部)?的?(?:所有|全部)?(?:指令|指示|要求|规则|提示|内容|设定)|"
    r"无视(?:以上|上述|之前)|不要(?:理会|遵守)(?:以上|上述)|你(?:现在)?(?:是|扮演)一个|请扮演|系统提示|"
    r"(?:只需|只要|直接)(?:回答|回复|输出)|请(?:直接)?(?:回答|回复|输出)[:：]|(?:回答|回复|输出)(?:时)?改为|"
    r"忽略(?:前文|前述|上文|以上|上述)|(?:AI|ai|模型|助手|人工智能|机器人)[^。]{0,12}(?:应当|应|须|必须|要)(?:写|回答|输出|说明)|"
    r"forget\s*(?:everything|all|the\s*above)|"
    r"system\s*prompt|ignore\s*(?:all\s*|the\s*)?(?:previous|above|prior)|disregard\s*(?:all|the|previous)",
    re.IGNORECASE)
_CN_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@dataclass(frozen=True)
class Verdict:
    sentence: str
    kept: bool
    reason: str = ""  # why it was dropped, in Chinese
    quiet: bool = False  # dropped without telling the user (a sentence with no facts in it)


def normalise(text: str) -> str:
    text = "".join(c for c in unicodedata.normalize("NFKC", text) if unicodedata.category(c) != "Cf")
    return _THOUSANDS.sub("", re.sub(r"\s+", "", text))


def split_sentences(text: str) -> list[str]:
    """Sentences with their end mark; a trailing piece without one is the last item."""
    out: list[str] = []
    start = 0
    for i, ch in enumerate(text):
        if ch in _SENTENCE_END:
            # a citation marker right after the end mark belongs to the sentence before it
            end = i + 1
            while m := MARKER.match(text, end):
                end = m.end()
            if end > start and i >= start:
                out.append(text[start:end])
                start = end
    if start < len(text):
        out.append(text[start:])
    return [s for s in out if s.strip()]


def complete_sentences(buffer: str) -> tuple[list[str], str]:
    """While text streams in: the sentences surely finished (a marker may still follow the last end mark, so the
    last sentence waits for the next one) and the rest."""
    sentences = split_sentences(buffer)
    if len(sentences) < 2:
        return [], buffer
    return sentences[:-1], sentences[-1]


def cn_number(text: str) -> int | None:
    """一 … 九十九 as an int; None for anything else (百, 千, mixed)."""
    if not text or any(c not in _CN_DIGIT and c != "十" for c in text):
        return None
    if "十" not in text:
        return _CN_DIGIT[text] if len(text) == 1 else None
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1:
        return None
    return (_CN_DIGIT.get(tens, 1) if tens else 1) * 10 + (_CN_DIGIT.get(ones, 0) if ones else 0)


def tidy_markers(text: str) -> str:
    """Citation markers as the model may write them (【1】, [1, 2], [1-2]) in the one form: [1][2]."""
    text = re.sub(r"【(\d+)】", r"[\1]", text)

    def expand(m: re.Match[str]) -> str:
        ids = [int(n) for n in re.findall(r"\d+", m.group(1))]
        if "-" in m.group(1) and len(ids) == 2 and 0 < ids[1] - ids[0] < 10:
            ids = list(range(ids[0], ids[1] + 1))
        return "".join(f"[{n}]" for n in ids)

    return re.sub(r"\[(\d+(?:\s*[,，、\-]\s*\d+)+)\]", expand, text)


def check_sentence(sentence: str, sources: Mapping[int, str], *, require_citation: bool = True,
                   placeholders: Mapping[int, str] | None = None, allowed_numbers: frozenset[str] | None = None,
                   agencies: frozenset[str] = frozenset(), given: tuple[str, ...] = ()) -> Verdict:
    """Is this model sentence supported by the sources (id → all text the model was shown for it)?

    ``placeholders`` (numeric answers): the ``{vN}`` the model may use; it writes no marker, no comparison and no
    number of its own then (``allowed_numbers``: the years of the cited reports). ``agencies``: every agency in the
    store; one named in the sentence must be in the cited sources. ``given``: the names of the cells as code showed
    them to the model (行政许可—上一年项目数量); copying them is not writing a number or a comparison.
    """
    text = normalise(tidy_markers(sentence))
    if not MARKER.sub("", PLACEHOLDER.sub("", text)).strip("。！？!?；;，,、：:（）() "):
        return Verdict(sentence, True)
    if INSTRUCTION.search(text):
        return Verdict(sentence, False, "含有指令性文字")
    marks = [int(m) for m in MARKER.findall(text)]
    unknown = [m for m in marks if m not in sources]
    if unknown:
        return Verdict(sentence, False, f"引用了不存在的来源[{unknown[0]}]")
    used = [int(p) for p in PLACEHOLDER.findall(text)]
    numeric = placeholders is not None
    if used and (not numeric or any(p not in placeholders for p in used)):  # type: ignore[operator]
        return Verdict(sentence, False, "使用了不存在的数字占位符")
    bare = _LIST_NUMBER.sub("", MARKER.sub(" ", text))
    if numeric:
        if marks:
            return Verdict(sentence, False, "自行添加了出处编号")
        if not used:  # an introduction or a comment: nothing to check it against, and nothing it adds
            return Verdict(sentence, False, "没有表格数字", quiet=True)
        own = PLACEHOLDER.sub(" ", bare)
        for name in sorted((normalise(g) for g in given), key=len, reverse=True):
            own = own.replace(name, " ") if name else own
        own = _LABEL_WORDS.sub(" ", own)
        if _COMPARING.search(own):
            return Verdict(sentence, False, "在数字旁加了比较或增减的说法")
        if re.search(r"\d\{v\d+\}|\{v\d+\}\d", bare):
            return Verdict(sentence, False, "在数字占位符旁写了数字")
        if _CN_NUMERAL.search(own):
            return Verdict(sentence, False, "用汉字写了数字")
    elif require_citation and not marks:
        if bare.rstrip().endswith(("：", ":")) and not re.search(r"\d", bare):
            return Verdict(sentence, True)  # "主要问题如下：" introduces the cited points after it
        return Verdict(sentence, False, "没有引用来源")
    scope = normalise("\n".join(sources[m] for m in marks) if marks else "\n".join(sources.values()))
    bare = PLACEHOLDER.sub(" ", bare)
    for date in _DATE.findall(bare):
        if date not in scope:
            return Verdict(sentence, False, f"日期“{date}”不见于来源")
    numbers = set(_NUMBER.findall(_THOUSANDS.sub("", scope)))
    stripped = {_strip_zeros(n) for n in numbers}
    for number in _NUMBER.findall(bare):
        if allowed_numbers is not None:
            if number not in allowed_numbers:
                return Verdict(sentence, False, f"数字“{number}”不是由程序填入的")
        elif number not in numbers and _strip_zeros(number) not in stripped:
            return Verdict(sentence, False, f"数字“{number}”不见于来源")
    for number, unit in _COUNTED_NUMBER.findall(bare):  # a count is checked with its unit: 12件 is not 12月
        if not re.search(rf"(?<![\d.]){re.escape(number)}{re.escape(unit)}", scope):  # 10件 is not in 110件
            return Verdict(sentence, False, f"“{number}{unit}”不见于来源")
    listed = {cn_number(e) for e in _ENUMERATED.findall(scope)}  # 一是…三是: "三方面" counts them
    for cn, unit in _CN_NUMBER.findall(bare):
        value = cn_number(cn)
        if f"{cn}{unit}" in scope or (value is not None and f"{value}{unit}" in scope):
            continue
        if unit == "方面" and value is not None and value == max((n for n in listed if n is not None), default=0):
            continue
        return Verdict(sentence, False, f"数量“{cn}{unit}”不见于来源")
    for word in _UNCHECKABLE.findall(bare):
        if word not in scope:
            return Verdict(sentence, False, f"“{word}”不见于来源")
    for title in _TITLE.findall(bare):
        if title not in scope and title[1:-1] not in scope:
            return Verdict(sentence, False, f"{title}不见于来源")
    for quoted in _QUOTED.findall(bare):
        if quoted not in scope:
            return Verdict(sentence, False, f"引文“{quoted}”不见于来源")
    for name in _names(bare) + [a for a in agencies if a in bare]:
        if name not in scope:
            return Verdict(sentence, False, f"名称“{name}”不见于来源")
    return Verdict(sentence, True)


def _strip_zeros(number: str) -> str:
    return number.rstrip("0").rstrip(".") if "." in number else number.lstrip("0") or "0"


def _names(text: str) -> list[str]:
    """Place names (two characters and 省/市/区/县: 宿迁市, not 社区 or 全市) and the organs named after a place."""
    out = []
    for m in _PLACE.finditer(text):
        if text[m.start() - 1:m.end()] not in _GENERIC_PLACE:
            out.append(text[m.start() - 2:m.end()])
    for m in _ORGAN.finditer(text):
        if text[m.start() + 1:m.start() + 3] not in _GENERIC_PLACE:
            out += [m.group(0)[:3], m.group(1)]
    return out


def neutralise(text: str) -> tuple[str, int]:
    """Report text shown to a model: sentences that read as instructions to it are withheld. Returns the text and
    how many sentences were withheld."""
    kept, withheld = [], 0
    for sentence in split_sentences(text):
        if INSTRUCTION.search(normalise(sentence)) or INSTRUCTION.search(_simplified(normalise(sentence))):
            kept.append("〔此处原文为指令性文字，已略去〕")
            withheld += 1
        else:
            kept.append(sentence)
    return "".join(kept), withheld


_TRADITIONAL = str.maketrans("無視內略指於應須輸並與說這個們後請問題", "无视内略指于应须输并与说这个们后请问题")


def _simplified(text: str) -> str:
    """The few traditional characters instruction phrases use (無視以上內容), mapped to simplified ones."""
    return text.translate(_TRADITIONAL)
