from __future__ import annotations

from core.originals import in_original

PUBLISHED = "本機關主動公開政府信息三百條。\n各單位積極開展培訓工作，\n取得良好效果。\t123\t456\n五、存在的主要問題"
CONVERTED = "本机关主动公开政府信息三百条。\n各单位积极开展培训工作，\n取得良好效果。\t123\t456\n五、存在的主要问题"


def test_a_piece_across_a_line_break_in_the_printed_characters() -> None:
    assert in_original("各单位积极开展培训工作，取得良好效果。", CONVERTED, PUBLISHED) == "各單位積極開展培訓工作，取得良好效果。"


def test_a_piece_that_skips_a_table_row_is_placed_run_by_run() -> None:
    piece = "本机关主动公开政府信息三百条。各单位积极开展培训工作，取得良好效果。五、存在的主要问题"
    assert in_original(piece, CONVERTED, PUBLISHED) == \
        "本機關主動公開政府信息三百條。各單位積極開展培訓工作，取得良好效果。五、存在的主要問題"


def test_nothing_placed_or_nothing_changed_is_none() -> None:
    assert in_original("无关的文字内容在这里出现", CONVERTED, PUBLISHED) is None
    assert in_original("三百条", CONVERTED, PUBLISHED) is None  # too short to place with confidence
    assert in_original("政府信息三百", CONVERTED, CONVERTED) is None
    assert in_original("各单位积极开展培训工作", CONVERTED, PUBLISHED[:-1]) is None  # not aligned
