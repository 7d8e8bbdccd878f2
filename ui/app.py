"""The Gradio app: 问答 (chat with sources, numbers table, chart, CSV) and 报告管理 (upload, list, findings, remove).

Only rendering and wiring live here: answers come from :class:`ui.service.Service`, HTML from :mod:`ui.render`.
"""

import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from retrieval.answer import Answer
from ui.chart import chart_svg
from ui.export import to_csv, write_xlsx
from ui.render import (
    CSS,
    NumberTable,
    chat_message,
    corrections_html,
    findings_html,
    md_text_safe,
    number_table,
    sources_html,
)
from ui.service import REPORT_HEADERS, UPLOAD_SUFFIXES, Service, discard_uploads

EXAMPLES = [  # before any report is loaded; afterwards the examples name the store's reports (ui/examples.py)
    "2021年哪些机关收到了政府信息公开申请？",
    "周口市信访局2021年存在哪些问题？",
    "周口市信访局和川汇区信访局2021年行政复议各多少件？",
    "泉港区信访局的联系电话是多少？",
    "青铜峡市信访局2020年主动公开了哪些政府信息内容？",
]
REPORT_ROWS = 500  # rows of the reports tab: a province's tens of thousands are found by the filter
TABLE_ROWS = 1000  # rows of an answer's data table on screen; its CSV holds them all
STREAM_STEP = 24  # characters per streamed update, at least
STREAM_UPDATES = 3  # streamed updates of one answer, at most (the typing effect)
STREAM_MIN = 200  # characters: a shorter answer is shown whole (each update costs every user's queue a message)
NUMBER_COLUMN_WIDTHS = ["24%", "11%", "33%", "12%", "10%", "10%"]  # 单位 年度 指标 数值 计量单位 引用
# the chat fills the screen's height but leaves the question box and the examples in view (a 1280×720 laptop)
CHAT_HEIGHT = "max(300px, min(520px, calc(100vh - 420px)))"
CACHE_CLEANUP = (3600, 3600)  # every hour, Gradio deletes its cached files (exports, uploads) older than an hour
STREAM_DELAY = 0.02  # seconds between streamed updates, so the answer visibly builds up


def build(service: Service) -> Any:
    import gradio as gr

    exports = Path(tempfile.mkdtemp(prefix="govqa-export-"))
    first_examples = service.examples(EXAMPLES)  # one read of the report list for the placeholder and the examples

    def respond(message: str, chat: list[dict[str, Any]], answers: list[Answer]) -> Iterator[tuple[Any, ...]]:
        question = (message or "").strip()
        if not question:
            yield chat, answers, gr.update(), gr.update(), gr.update(), gr.update(), gr.update(), ""
            return
        chat = list(chat or []) + [{"role": "user", "content": question}, {"role": "assistant", "content": ""}]
        keep = gr.update()
        answer: Answer | None = None
        streamed = False
        for item in service.stream(question, list(answers or [])):
            if isinstance(item, Answer):
                answer = item
                break
            streamed = True  # LLM mode: checked sentences as the model writes them
            chat[-1] = {"role": "assistant", "content": md_text_safe(item)}
            yield chat, answers, keep, keep, keep, keep, keep, ""
        assert answer is not None
        answers = list(answers or []) + [answer]
        text = chat_message(answer)
        step = max(STREAM_STEP, -(-len(text) // STREAM_UPDATES))  # a few updates: each costs the queue a message
        typed = not streamed and len(text) > STREAM_MIN  # a short answer appears at once: nothing to watch build up
        for end in range(step, len(text) if typed else 0, step):
            chat[-1] = {"role": "assistant", "content": _cut(text, end)}
            yield chat, answers, keep, keep, keep, keep, keep, ""
            time.sleep(STREAM_DELAY)
        chat[-1] = {"role": "assistant", "content": text}
        table = number_table(answer)
        before = number_table(answers[-2]) if len(answers) > 1 else None  # what the panel shows now
        yield (chat, answers, sources_html(answer), *_numbers(answer, table, exports, len(answers), before), "")

    def refresh_examples() -> Any:
        return gr.Dataset(samples=[[q] for q in service.examples(EXAMPLES)])

    def clear() -> tuple[Any, ...]:
        hidden = gr.update(visible=False)
        return [], [], sources_html(None), hidden, hidden, hidden, hidden

    def api_ask(question: str) -> dict[str, Any]:
        """The same JSON object as ``python -m retrieval.ask --json`` (no conversation)."""
        return service.ask(question or "").to_json()

    def list_reports(query: str) -> Any:
        return [r.cells() for r in service.reports(query)[:REPORT_ROWS]]

    def show_findings(rows: Any, evt: gr.SelectData) -> tuple[str, str, str, str, str]:
        report_id = _selected_id(rows, evt)
        if not report_id:
            return "", "", "", "", ""
        return (*_report_detail(report_id), report_id, "")

    def _report_detail(report_id: str) -> tuple[str, str, str]:
        """The findings and corrections panel, and the agency and year the correction fields start from."""
        title, items = service.findings(report_id)
        row = next((r for r in service.reports() if r.report_id == report_id), None)
        agency = row.agency if row and row.agency != "未识别" else ""
        year = str(row.year) if row and isinstance(row.year, int) else ""
        return findings_html(title, items) + corrections_html(service.corrections(report_id)), agency, year

    def correct(report_id: str, agency: str, year: str, basis: str, query: str) -> tuple[Any, ...]:
        message = service.correct(report_id, agency, year, basis)
        detail = _report_detail(report_id)[0] if report_id else ""
        return message, list_reports(query), detail

    def ask_remove(report_id: str) -> tuple[Any, Any]:
        if not report_id:
            return "请先在表格中点击要删除的报告。", gr.update(visible=False)
        title, _ = service.findings(report_id)
        return (f"确定删除 {title} 吗？删除后它的表格数据、原文段落和检索索引都会从资料库中移除，不能撤销。",
                gr.update(visible=True))

    def remove(report_id: str, query: str) -> tuple[Any, ...]:
        if not report_id:
            return "请先在表格中点击要删除的报告。", list_reports(query), "", "", gr.update(visible=False)
        return service.remove(report_id), list_reports(query), "", "", gr.update(visible=False)

    def upload(files: list[Any] | None, query: str, progress: gr.Progress = gr.Progress()) -> tuple[str, Any, None]:
        pairs = [(Path(_name_of(f)).name, Path(_path_of(f))) for f in files or []]
        try:
            lines = service.upload(pairs, lambda frac, desc: progress(frac, desc=desc))
        finally:
            discard_uploads(pairs)  # the stores hold what was read; no uploaded copy stays in the temp folder
        return "\n".join(lines), list_reports(query), None  # clear the picked files once they are imported

    with gr.Blocks(title="年报问答", delete_cache=CACHE_CLEANUP) as demo:
        gr.Markdown("## 年报问答 · 政府信息公开工作年度报告\n"
                    "用中文提问，回答中的数字来自报告表格或原文，每条都标注出处 [n]；点击 [n] 或"
                    '<span class="govqa-wide">右侧</span><span class="govqa-narrow">下方</span>“来源”可查看原文。')
        loaded = gr.Markdown(elem_id="govqa-loaded")
        with gr.Tab("问答", id="chat"):
            answers = gr.State([])
            with gr.Row(equal_height=False):
                with gr.Column(scale=3, min_width=420):
                    chatbot = gr.Chatbot(label="对话", height=CHAT_HEIGHT, elem_id="govqa-chat", sanitize_html=True,
                                         render_markdown=True, group_consecutive_messages=False,
                                         placeholder=f"例如：{first_examples[0]}")
                    with gr.Row():
                        box = gr.Textbox(label="问题", placeholder="输入问题，回车发送；可以追问，如“那2020年呢？”", show_label=False,
                                         scale=5, elem_id="govqa-question", autofocus=True)
                        send = gr.Button("发送", variant="primary", scale=1, elem_id="govqa-send")
                        reset = gr.Button("新对话", scale=1)
                    examples = gr.Examples(first_examples, inputs=box, label="示例问题")
                with gr.Column(scale=2, min_width=320):
                    sources = gr.HTML(sources_html(None), label="来源", elem_id="govqa-sources")
                    numbers = gr.Dataframe(visible=False, label="数据表", interactive=False, wrap=True,
                                           column_widths=NUMBER_COLUMN_WIDTHS, elem_id="govqa-numbers")
                    chart = gr.HTML(visible=False, label="图表", elem_id="govqa-chart")
                    with gr.Row():
                        csv_file = gr.DownloadButton("下载 CSV", visible=False, elem_id="govqa-csv")
                        xlsx_file = gr.DownloadButton("下载 Excel", visible=False, elem_id="govqa-xlsx")
            outputs = [chatbot, answers, sources, numbers, chart, csv_file, xlsx_file, box]
            # one queue slot pool for both; "/chat" lets bench/load.py drive the chat path as a browser does
            box.submit(respond, [box, chatbot, answers], outputs, api_name=False, concurrency_id="chat")
            send.click(respond, [box, chatbot, answers], outputs, api_name="chat", api_visibility="undocumented",
                       concurrency_id="chat")
            reset.click(clear, None, [chatbot, answers, sources, numbers, chart, csv_file, xlsx_file], api_name=False)
        with gr.Tab("报告管理", id="reports"):
            gr.Markdown(f"上传政府信息公开工作年度报告（{'、'.join(s.lstrip('.').upper() for s in UPLOAD_SUFFIXES)}，"
                        "单个文件不超过 50 MB）。同一文件重复上传不会重复入库。")
            files = gr.File(label="选择文件", file_count="multiple", file_types=list(UPLOAD_SUFFIXES),
                            elem_id="govqa-upload")
            do_upload = gr.Button("导入", variant="primary", elem_id="govqa-import")
            upload_log = gr.Textbox(label="导入结果", lines=4, interactive=False, elem_id="govqa-upload-log")
            query = gr.Textbox(label="筛选（单位、年度或文件名）", placeholder="例如：宿迁 2023", elem_id="govqa-filter")
            table = gr.Dataframe(headers=list(REPORT_HEADERS), interactive=False, wrap=True, elem_id="govqa-reports",
                                 label=f"已入库的报告（点击一行查看勾稽问题；最多显示 {REPORT_ROWS} 行，用筛选缩小范围）")
            detail = gr.HTML(elem_id="govqa-findings")
            selected = gr.Textbox(label="已选报告编号", interactive=False, elem_id="govqa-selected")
            with gr.Accordion("更正单位或年度（识别有误时）", open=False, elem_id="govqa-correct"):
                with gr.Row():
                    fix_agency = gr.Textbox(label="单位", elem_id="govqa-fix-agency")
                    fix_year = gr.Textbox(label="年度", placeholder="例如：2023", elem_id="govqa-fix-year")
                basis = gr.Textbox(label="更正依据（必填）", placeholder="例如：见报告落款；标题年份有误",
                                   elem_id="govqa-fix-basis")
                save_fix = gr.Button("保存更正", elem_id="govqa-fix-save")
            delete = gr.Button("删除所选报告", variant="stop", elem_id="govqa-remove")
            with gr.Group(visible=False, elem_id="govqa-confirm") as confirm, gr.Row():
                really = gr.Button("确认删除", variant="stop", elem_id="govqa-remove-confirm")
                keep = gr.Button("取消", elem_id="govqa-remove-cancel")
            status = gr.Markdown(elem_id="govqa-status")
            do_upload.click(upload, [files, query], [upload_log, table, files], api_name=False)
            query.change(list_reports, query, table, api_name=False)
            table.select(show_findings, table, [detail, fix_agency, fix_year, selected, basis], api_name=False)
            save_fix.click(correct, [selected, fix_agency, fix_year, basis, query], [status, table, detail],
                           api_name=False)
            delete.click(ask_remove, selected, [status, confirm], api_name=False)
            keep.click(lambda: ("已取消删除。", gr.update(visible=False)), None, [status, confirm], api_name=False)
            really.click(remove, [selected, query], [status, table, detail, selected, confirm], api_name=False)
        demo.load(list_reports, query, table, api_name=False)
        demo.load(service.summary, None, loaded, api_name=False)
        for event in (do_upload.click, really.click, save_fix.click):
            event(service.summary, None, loaded, api_name=False)
        for event in (demo.load, do_upload.click, really.click, save_fix.click):  # examples name what is held now
            event(refresh_examples, None, examples.dataset, api_name=False)
        gr.api(api_ask, api_name="ask")
    return demo


def _numbers(answer: Answer, table: NumberTable | None, exports: Path, n: int,
             before: NumberTable | None = None) -> tuple[Any, Any, Any, Any]:
    """Updates for the numbers table, the chart and the CSV and Excel buttons. ``before``: the table the panel shows
    now (the previous answer's), so a component already shown or hidden gets only its value: Gradio rebuilds a
    component's whole configuration for every changed property, the costliest part of an answer under load."""
    import gradio as gr
    import pandas as pd

    keep, hidden = gr.update(), gr.update(visible=False)
    table_shown, chart_shown = before is not None, before is not None and bool(chart_svg(before))
    if table is None:
        off = hidden if table_shown else keep
        return off, hidden if chart_shown else keep, off, off
    frame = pd.DataFrame(list(table.rows[:TABLE_ROWS]), columns=list(table.headers))
    label = _table_label(table)
    _prune(exports)
    # a folder of its own per answer: sessions answering at once never write over each other's file of the same name
    folder = Path(tempfile.mkdtemp(prefix="answer-", dir=exports))
    path = folder / f"年报问答-{n}.csv"
    path.write_text(to_csv(answer, table), encoding="utf-8-sig")
    workbook = folder / f"年报问答-{n}.xlsx"
    write_xlsx(answer, table, workbook)
    svg = chart_svg(table)
    if svg:
        chart = svg if chart_shown else gr.update(value=svg, visible=True)
    else:
        chart = hidden if chart_shown else keep
    shown = before is not None and label == _table_label(before)
    return (frame if shown else gr.update(value=frame, label=label, visible=True), chart,
            str(path) if table_shown else gr.update(value=str(path), visible=True),
            str(workbook) if table_shown else gr.update(value=str(workbook), visible=True))


def _table_label(table: NumberTable) -> str:
    return (f"数据表（共 {len(table.rows)} 行，此处显示前 {TABLE_ROWS} 行，下载 CSV 可得全部）"
            if len(table.rows) > TABLE_ROWS else "数据表")


def _cut(text: str, end: int) -> str:
    """The first ``end`` characters, never ending inside a tag (a citation link, a line of warnings)."""
    head = text[:end]
    opened = head.rfind("<")
    return head[:opened] if opened > head.rfind(">") else head


def _prune(folder: Path, age: float = CACHE_CLEANUP[1]) -> None:
    """Delete exports older than ``age`` seconds (Gradio serves its own copy of each)."""
    cutoff = time.time() - age
    for old in folder.glob("*"):
        try:
            if old.stat().st_mtime < cutoff:
                shutil.rmtree(old) if old.is_dir() else old.unlink()
        except OSError:
            pass


def _selected_id(rows: Any, evt: Any) -> str:
    try:
        index = evt.index[0] if isinstance(evt.index, list | tuple) else evt.index
        values = rows.values.tolist() if hasattr(rows, "values") else rows
        return str(values[index][-1])
    except (IndexError, TypeError, AttributeError):
        return ""


def _name_of(f: Any) -> str:
    return getattr(f, "orig_name", None) or getattr(f, "name", None) or str(f)


def _path_of(f: Any) -> str:
    return getattr(f, "path", None) or getattr(f, "name", None) or str(f)


__all__ = ["CSS", "build"]
