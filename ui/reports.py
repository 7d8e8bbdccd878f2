"""The reports view (the chat arrives with the answer issue): what is ingested, and its check findings."""

from __future__ import annotations

from core.settings import Settings
from store.sqlite import CellStore


def report_rows(cells: CellStore) -> list[list[object]]:
    rows = []
    for r in cells.reports():
        counts = cells.counts(r.id)
        rows.append([r.meta.agency or "未识别", r.meta.covers_year or "未识别", r.meta.template or "未识别",
                     counts.get("ok", 0), counts.get("ambiguous", 0), counts.get("missing", 0),
                     counts.get("findings", 0), r.source])
    return rows


def build(settings: Settings):  # type: ignore[no-untyped-def]
    import gradio as gr

    headers = ["单位", "年度", "模板", "已读取单元格", "有歧义", "缺失", "勾稽问题", "文件"]
    with gr.Blocks(title="年报问答") as demo:
        gr.Markdown("# 年报问答\n政府信息公开工作年度报告：已入库的报告。问答界面将在后续版本提供。")
        table = gr.Dataframe(headers=headers, interactive=False)
        demo.load(lambda: report_rows(CellStore(settings.sqlite_path)), outputs=table)
    return demo
