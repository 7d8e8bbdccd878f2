from core.records import Line
from ingest.normalize import clean_lines, is_page_furniture, looks_like_mojibake, match_key, normalize_text


def test_kangxi_and_radicals_supplement_are_mapped() -> None:
    assert normalize_text("⼀、总体情况：⼈⺠群众，部⻔⻓效") == "一、总体情况：人民群众，部门长效"


def test_fullwidth_digits_become_ascii_but_cjk_punctuation_stays() -> None:
    assert normalize_text("（一）共１２条，合计：３件") == "（一）共12条，合计：3件"


def test_match_key_ignores_spacing_and_punctuation_variants() -> None:
    assert match_key("（二） 部分公开(区分处理的, 只计这一情形)") == match_key("(二)部分公开（区分处理的，只计这一情形）")


def test_page_numbers_and_headers_are_furniture() -> None:
    for text in ("- 3 -", "-3-", "1/29", "第3页 共5页", "1/29\t\t川汇区信访局2021年政府信息公开工作年度报告"):
        assert is_page_furniture(text), text
    for text in ("2020", "0", "0 0 0", "规章 0 0 0", "三、收到和处理政府信息公开申请情况"):
        assert not is_page_furniture(text), text


def test_clean_lines_numbers_lines_after_dropping_furniture() -> None:
    lines = clean_lines([("一、总体情况", 1), ("- 1 -", 1), ("正文", 2), ("重复页眉", 2)], headers={"重复页眉"})
    assert lines == (Line("一、总体情况", 1, 1), Line("正文", 2, 2))


def test_mojibake_detection() -> None:
    text = "政府信息公开工作年度报告，本年度共收到申请21件。" * 5
    assert not looks_like_mojibake(text)
    wrong = text.encode("utf-8").decode("gb18030", errors="replace")
    assert looks_like_mojibake(wrong)
