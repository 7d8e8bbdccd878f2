"""The app in a real browser: start `python app.py` on a free port, drive Debian chromium with Playwright.

Needs /usr/bin/chromium and the WenQuanYi font (`.ci/run` installs both when missing). Screenshots go to
``tests/ui/screenshots/`` (not tracked) so a person can look at them.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).resolve().parent / "screenshots"
OUTSIDE: list[str] = []  # requests the page made to anything but the app
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() and "CI" not in os.environ,
                                reason="Debian chromium is not installed (.ci/run installs it)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path, extra_env: dict[str, str] | None = None) -> Iterator[str]:
    """Run ``python app.py`` on a free port with fake embeddings; yield its URL until the test module ends."""
    port = _free_port()
    env = dict(os.environ, GOVQA_EMBEDDING_BACKEND="fake", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
               **(extra_env or {}))
    log = (data_dir / "app.log").open("w")
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--data-dir", str(data_dir)], cwd=ROOT,
                            env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((data_dir / "app.log").read_text()) from None
            time.sleep(0.5)
    else:
        proc.kill()
        raise RuntimeError("app did not start: " + (data_dir / "app.log").read_text())
    yield f"http://127.0.0.1:{port}/"
    proc.terminate()
    proc.wait(timeout=20)
    log.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("app-data"))


@pytest.fixture(scope="module")
def page(server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SHOTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        pg = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
        local = (server, "data:", "blob:")
        pg.on("request", lambda r: None if r.url.startswith(local) else OUTSIDE.append(r.url))
        pg.goto(server)
        pg.locator("#govqa-question textarea").wait_for(timeout=60_000)
        yield pg
        browser.close()


def _ask(page, question: str, cited: bool = True) -> str:  # type: ignore[no-untyped-def]
    bubbles = page.locator("#govqa-chat .message.bot, #govqa-chat [data-testid='bot']")
    before = bubbles.count()
    page.locator("#govqa-question textarea").fill(question)
    page.locator("#govqa-send").click()
    page.wait_for_function(
        "n => document.querySelectorAll(\"#govqa-chat .message.bot, #govqa-chat [data-testid='bot']\").length > n",
        arg=before, timeout=60_000)
    if cited:
        page.locator("#govqa-sources details").first.wait_for(timeout=60_000)
    page.wait_for_timeout(800)  # the last streamed update
    errors = page.locator(".toast-body.error, [data-testid='toast-body']")
    assert errors.count() == 0 or not errors.first.is_visible(), errors.first.inner_text()
    visible = [e.inner_text() for e in errors.all() if e.is_visible()]
    assert visible == [], visible
    return bubbles.last.inner_text()


def test_design_card_question_and_citation_opens_to_the_cell(page) -> None:  # type: ignore[no-untyped-def]
    text = _ask(page, "2021年哪些机关收到了政府信息公开申请？")
    assert "共查阅3份报告" in text and "周口市信访局2021年 0件" in text
    cards = page.locator("#govqa-sources details")
    assert cards.count() == 3
    first = cards.first
    first.locator("summary").click()
    cited = first.locator("tr.govqa-cited")
    cited.wait_for()
    assert "0" in cited.inner_text() and "总计" in cited.inner_text()
    assert cited.locator("td").inner_text().strip() == "0" and cited.locator("th").inner_text().strip() == "总计"
    assert "周口市" in first.locator("summary").inner_text()
    page.screenshot(path=str(SHOTS / "design-card-question.png"), full_page=True)


def test_a_citation_marker_opens_its_card(page) -> None:  # type: ignore[no-untyped-def]
    _ask(page, "周口市信访局和川汇区信访局2021年行政复议各多少件？")
    card = page.locator("#govqa-sources details#govqa-cite-2")
    assert card.get_attribute("open") is None  # only the first card starts open
    bubble = page.locator("#govqa-chat .message.bot, #govqa-chat [data-testid='bot']").last
    assert "见右侧“来源”" in bubble.inner_text() and "见下方" not in bubble.inner_text()
    bubble.locator("a.govqa-ref", has_text="[2]").first.click()
    page.wait_for_function("() => document.querySelector('#govqa-cite-2').open === true", timeout=10_000)
    assert card.is_visible() and "川汇区信访局" in card.inner_text()


def _new_page(page, url: str, width: int, height: int):  # type: ignore[no-untyped-def]
    """Another browser context on ``url`` at this screen size, once the question box is shown."""
    context = page.context.browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    fresh = context.new_page()
    fresh.goto(url)
    fresh.locator("#govqa-question textarea").wait_for(timeout=60_000)
    return context, fresh


def test_a_laptop_screen_shows_the_question_box_examples_and_what_is_loaded(server: str, page) -> None:  # type: ignore[no-untyped-def]
    context, laptop = _new_page(page, server, 1280, 720)
    box = laptop.locator("#govqa-question textarea").bounding_box()
    examples = [b.bounding_box() for b in laptop.locator("button", has_text="主动公开了哪些政府信息").all()]
    assert box and box["y"] + box["height"] <= 720
    assert examples and all(e and e["y"] + e["height"] <= 720 for e in examples)  # the last example, unscrolled
    assert laptop.locator("button", has_text="周口市信访局2021年存在哪些问题？").count() >= 1  # drawn from the store
    laptop.wait_for_function("() => document.querySelector('#govqa-loaded').innerText.includes('份年报')",
                             timeout=30_000)
    assert "2020—" in laptop.locator("#govqa-loaded").inner_text()  # the samples start in 2020
    laptop.screenshot(path=str(SHOTS / "laptop-1280x720.png"))
    context.close()


def test_on_a_phone_the_sources_are_said_to_be_below(server: str, page) -> None:  # type: ignore[no-untyped-def]
    context, phone = _new_page(page, server, 390, 844)
    text = _ask(phone, "川汇区信访局2021年行政复议多少件？")
    assert "见下方“来源”" in text and "见右侧" not in text
    header = phone.locator("body").inner_text()
    assert "下方“来源”可查看原文" in header and "右侧“来源”" not in header
    box = phone.locator("#govqa-question textarea").bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390  # the question box fits the screen
    phone.screenshot(path=str(SHOTS / "phone.png"), full_page=True)
    context.close()


def test_numeric_question_with_table_chart_and_highlighted_passage(page) -> None:  # type: ignore[no-untyped-def]
    text = _ask(page, "周口市信访局和川汇区信访局2021年行政复议各多少件？")
    assert "周口市信访局" in text and "川汇区信访局" in text
    # 表四 行政复议 总计 is 0 in both 2021 reports (000_…txt, 003_…txt)
    assert "周口市信访局2021年：行政复议—总计 0件" in text and "川汇区信访局2021年：行政复议—总计 0件" in text
    page.get_by_text("下载 CSV").wait_for(timeout=30_000)
    page.screenshot(path=str(SHOTS / "numeric-question.png"), full_page=True)
    _ask(page, "周口市信访局2021年存在哪些问题？")
    card = page.locator("#govqa-sources details").first
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    mark = card.locator("mark")
    mark.wait_for()
    assert "政务信息公开网站" in mark.inner_text()
    page.screenshot(path=str(SHOTS / "passage-question.png"), full_page=True)


def test_api_endpoint_from_gradio_client(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict("宿迁市2023年行政复议总计多少件？", api_name="/ask")
    assert set(result) >= {"question", "answer", "kind", "values", "citations", "warnings"}
    assert result["kind"] == "none"  # the bundled samples have no 宿迁市 report
    result = client.predict("川汇区信访局2021年行政复议多少件？", api_name="/ask")
    assert result["kind"] == "table" and result["citations"][0]["cell"]["table"] == "四"


def test_uploaded_report_with_markup_is_shown_as_text_never_run(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("() => { window.__xss = 0; window.alert = () => { window.__xss = 3; }; }")
    page.get_by_role("tab", name="报告管理").click()
    page.locator("#govqa-upload input[type=file]").set_input_files(str(ROOT / "tests" / "data" / "ui" / "xss_report.txt"))
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="导入").click()
    page.wait_for_function("() => [...document.querySelectorAll('textarea')]"
                           ".some(t => t.value.includes('xss_report.txt：已导入'))", timeout=60_000)
    page.get_by_role("tab", name="问答").click()
    text = _ask(page, "测试县信访局2022年开展了什么宣传活动？")
    assert "阳光信访" in text and "<img" in text  # shown literally, as text
    card = page.locator("#govqa-sources details").first
    if card.get_attribute("open") is None:
        card.locator("summary").click()
    assert "onerror" in card.inner_text()
    _ask(page, "测试县信访局2022年存在哪些问题？")
    assert page.evaluate("window.__xss") == 0
    assert page.locator("#govqa-chat img[src='x'], #govqa-sources img[src='x']").count() == 0
    assert page.locator("#govqa-chat b, #govqa-sources b:has-text('加粗')").count() == 0
    page.screenshot(path=str(SHOTS / "uploaded-markup.png"), full_page=True)


def test_answer_streams_in_several_updates(page) -> None:  # type: ignore[no-untyped-def]
    page.evaluate("""() => {
        window.__lengths = [];
        const chat = document.querySelector('#govqa-chat');
        new MutationObserver(() => {
            const bots = chat.querySelectorAll(".message.bot, [data-testid='bot']");
            if (bots.length) window.__lengths.push(bots[bots.length - 1].innerText.length);
        }).observe(chat, {subtree: true, childList: true, characterData: true});
    }""")
    text = _ask(page, "青铜峡市信访局2020年主动公开了哪些政府信息内容？")
    lengths = [n for n in page.evaluate("window.__lengths") if n > 0]
    assert len(text) > 100
    partial = {n for n in lengths if n < len(text) - 30}
    assert len(partial) >= 2, lengths  # the bubble grew in steps before the whole answer arrived


def test_bar_chart_for_a_comparison_with_numbers(page) -> None:  # type: ignore[no-untyped-def]
    text = _ask(page, "2020至2021年规范性文件本年制发件数各是多少？")
    assert "青铜峡市信访局2020年：规范性文件—本年新制作数量 2件" in text  # 004 is 0, 002 says 2
    chart = page.locator("#govqa-chart svg[data-kind=bar]")
    chart.wait_for(state="visible", timeout=30_000)
    box = chart.bounding_box()
    assert box and box["height"] > 150 and box["width"] > 200
    ticks = chart.locator("text.govqa-tick").all_text_contents()
    assert ticks[0] == "0"  # the axis starts at zero, read from the drawn chart
    assert "规范性文件" in (chart.locator("text.govqa-axis-title").first.text_content() or "")
    assert "2" in chart.locator("text.govqa-value").all_text_contents()  # values on the bars
    from openpyxl import load_workbook

    with page.expect_download(timeout=30_000) as download:
        page.locator("#govqa-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as workbook:  # the downloaded copy has no file extension
        rows = list(load_workbook(workbook)["数据"].iter_rows(values_only=True))
    qingtongxia = next(r for r in rows if r[0] == "青铜峡市信访局")
    assert qingtongxia[3] == 2 and "表二" in str(qingtongxia[-1])  # a number, with its citation
    numbers = page.locator("#govqa-numbers")
    assert "青铜峡市信访局" in numbers.inner_text() and "2" in numbers.inner_text()
    page.screenshot(path=str(SHOTS / "bar-chart.png"), full_page=True)


REPORT_ROWS = "#govqa-reports [role=row].virtual-row"  # Gradio's dataframe renders data rows virtually


def _textarea_value(page, elem_id: str) -> str:  # type: ignore[no-untyped-def]
    return str(page.locator(f"#{elem_id} textarea").input_value())


def test_reports_tab_upload_filter_findings_chart_and_remove(page) -> None:  # type: ignore[no-untyped-def]
    real = ROOT / "tests" / "data" / "real"
    page.get_by_role("tab", name="报告管理").click()
    page.locator("#govqa-upload input[type=file]").set_input_files(
        [str(real / "suqian_city_2023.txt"), str(real / "suqian_city_2024.txt")])
    page.wait_for_timeout(1500)
    page.locator("#govqa-import").click()
    page.wait_for_function("() => { const t = document.querySelector('#govqa-upload-log textarea');"
                           " return t && t.value.includes('suqian_city_2024.txt：已导入'); }", timeout=120_000)
    assert "suqian_city_2023.txt：已导入" in _textarea_value(page, "govqa-upload-log")
    page.wait_for_function("() => !document.querySelector('#govqa-upload').innerText.includes('suqian_city')",
                           timeout=30_000)  # the picked files are cleared once imported

    page.locator("#govqa-filter textarea").fill("宿迁")
    page.wait_for_function("rows => { const found = document.querySelectorAll(rows);"
                           " return found.length === 2 && [...found].every(r => r.innerText.includes('宿迁')); }",
                           arg=REPORT_ROWS, timeout=30_000)

    row_2024 = page.locator(REPORT_ROWS, has_text="2024")
    row_2024.locator("[role=gridcell]").first.click()
    findings = page.locator("#govqa-findings")
    findings.locator("li").first.wait_for(timeout=30_000)
    assert "134" in findings.inner_text() and "170" in findings.inner_text()  # narrative 134 ≠ 表四 170
    page.wait_for_function("() => document.querySelector('#govqa-selected textarea').value.length > 0")
    page.screenshot(path=str(SHOTS / "reports-tab.png"), full_page=True)

    page.get_by_role("tab", name="问答").click()
    text = _ask(page, "宿迁市2023年和2024年行政复议总计各多少件？")
    assert "2023年 440件" in text and "2024年 170件" in text
    assert "正文称行政复议案件数为134，表格为170" in text  # the finding is shown with the answer
    chart = page.locator("#govqa-chart svg[data-kind=line]")
    chart.wait_for(state="visible", timeout=30_000)
    assert chart.locator("text.govqa-tick").first.text_content() == "0"
    assert chart.locator("text.govqa-value").all_text_contents() == ["440", "170"]
    assert "2023—2024年" in (chart.locator("text.govqa-chart-title").text_content() or "")
    page.screenshot(path=str(SHOTS / "line-chart.png"), full_page=True)

    page.get_by_role("tab", name="报告管理").click()
    page.locator("#govqa-remove").click()  # removal asks first; cancelling keeps the report
    confirm = page.locator("#govqa-remove-confirm")
    confirm.wait_for(state="visible", timeout=30_000)
    assert "确定删除 宿迁市 2024年" in page.locator("#govqa-status").inner_text()
    page.locator("#govqa-remove-cancel").click()
    confirm.wait_for(state="hidden", timeout=30_000)
    assert page.locator(REPORT_ROWS).count() == 2 and "已取消删除" in page.locator("#govqa-status").inner_text()
    page.locator("#govqa-remove").click()
    confirm.wait_for(state="visible", timeout=30_000)
    confirm.click()
    page.wait_for_function("rows => document.querySelectorAll(rows).length === 1", arg=REPORT_ROWS,
                           timeout=30_000)
    assert "2023" in page.locator(REPORT_ROWS).inner_text()
    assert "已删除" in page.locator("#govqa-status").inner_text()
    page.get_by_role("tab", name="问答").click()
    text = _ask(page, "宿迁市2024年行政复议总计多少件？", cited=False)
    assert "170" not in text and "没有" in text

    # a report read with the wrong year is corrected, with its basis; the year read stays on record
    page.get_by_role("tab", name="报告管理").click()
    page.locator(REPORT_ROWS, has_text="2023").locator("[role=gridcell]").first.click()
    page.wait_for_function("() => document.querySelector('#govqa-selected textarea').value.length > 0")
    page.locator("#govqa-correct").get_by_text("更正单位或年度").click()
    page.wait_for_function("() => { const e = document.querySelector('#govqa-fix-year textarea, #govqa-fix-year input');"
                           " return e && e.value === '2023'; }", timeout=30_000)  # the fields start from what was read
    page.wait_for_timeout(1500)  # a row click can answer twice: the second answer must not land on what is typed
    page.locator("#govqa-fix-year").locator("textarea, input").first.fill("2022")
    page.locator("#govqa-fix-basis").locator("textarea, input").first.fill("测试：标题年份有误")
    page.wait_for_function("() => { const e = document.querySelector('#govqa-fix-year textarea, #govqa-fix-year input');"
                           " return e && e.value === '2022'; }", timeout=30_000)
    page.locator("#govqa-fix-save").click()  # (a correction without a basis is refused: tests/ui/test_service.py)
    page.wait_for_function("() => document.querySelector('#govqa-status').innerText.includes('已更正')",
                           timeout=30_000)
    page.wait_for_function("rows => document.querySelector(rows).innerText.includes('2022')", arg=REPORT_ROWS,
                           timeout=30_000)
    assert "报告原文“2023”，更正为“2022”（依据：测试：标题年份有误）" in page.locator("#govqa-findings").inner_text()
    page.screenshot(path=str(SHOTS / "reports-correction.png"), full_page=True)
    page.get_by_role("tab", name="问答").click()
    assert "440件" in _ask(page, "宿迁市2022年行政复议总计多少件？")


@pytest.fixture(scope="module")
def login_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _start(tmp_path_factory.mktemp("login-data"), {"GOVQA_USERNAME": "gk", "GOVQA_PASSWORD": "年报2024"})


def test_login_required_when_configured(login_server: str, page) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    context = page.context.browser.new_context(viewport={"width": 1200, "height": 800}, locale="zh-CN")
    pg = context.new_page()
    pg.goto(login_server)
    pg.locator("input[type=password]").wait_for(timeout=60_000)
    assert pg.locator("#govqa-question").count() == 0
    login = pg.locator("button", has_text="Login").or_(pg.locator("button", has_text="登录")).first
    pg.locator("input[type=text]").first.fill("gk")
    pg.locator("input[type=password]").fill("wrong")
    login.click()
    pg.wait_for_timeout(1500)
    assert pg.locator("#govqa-question").count() == 0
    assert "只限授权人员" in pg.locator("body").inner_text()  # the Chinese login message
    assert _english(pg) == set()  # the login page, its labels and its error too
    pg.locator("input[type=text]").first.fill("gk")  # a failed login clears the form
    pg.locator("input[type=password]").fill("年报2024")
    login.click()
    pg.locator("#govqa-question textarea").wait_for(timeout=60_000)
    pg.screenshot(path=str(SHOTS / "after-login.png"))
    context.close()
    client = Client(login_server, auth=("gk", "年报2024"), verbose=False)
    assert client.predict("川汇区信访局2021年行政复议多少件？", api_name="/ask")["kind"] == "table"


#: words in Latin letters a Chinese page may show: file formats and the product names staff know them by
FORMAT_WORDS = {"PDF", "OFD", "DOC", "DOCX", "WPS", "HTML", "HTM", "TXT", "PNG", "JPG", "JPEG", "TIF", "TIFF", "BMP",
                "MD", "CSV", "Excel", "MB"}
_PAGE_WORDS = """() => {
  const data = "#govqa-sources, #govqa-numbers, #govqa-reports, #govqa-findings, #govqa-chart, .message, textarea, input";
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (el && !el.closest(data) && !el.closest("script, style")) out.push(n.nodeValue);
  }
  for (const el of document.querySelectorAll("[title], [aria-label], [placeholder], [alt]")) {
    if (el.closest(data) && !el.matches("textarea, input")) continue;
    for (const a of ["title", "aria-label", "placeholder", "alt"]) if (el.getAttribute(a)) out.push(el.getAttribute(a));
  }
  return out;
}"""


def _english(page) -> set[str]:  # type: ignore[no-untyped-def]
    """Words in Latin letters the page shows outside report data (text, tooltips, labels, placeholders)."""
    import re

    words = {w for text in page.evaluate(_PAGE_WORDS) for w in re.findall(r"[A-Za-z]{2,}", text)}
    return {w for w in words if w not in FORMAT_WORDS}


def test_the_page_shows_no_english_in_either_tab(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("tab", name="问答").click()
    _ask(page, "周口市信访局和川汇区信访局2021年行政复议各多少件？")  # a table, a chart and downloads are shown
    page.locator("#govqa-chat button[title], #govqa-chat button[aria-label]").first.wait_for(timeout=10_000)
    assert _english(page) == set()
    page.get_by_role("tab", name="报告管理").click()
    page.locator("#govqa-upload").wait_for()
    page.wait_for_timeout(500)
    assert _english(page) == set()
    page.get_by_role("tab", name="问答").click()


def test_the_page_fetched_nothing_from_outside(page) -> None:  # type: ignore[no-untyped-def]
    # runs last in this module: every question, chart, upload and citation above went through this page
    assert page.locator("#govqa-chat .message.bot, #govqa-chat [data-testid='bot']").count() >= 5
    assert OUTSIDE == []


@pytest.fixture(scope="module")
def llm_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import re

    from tests.retrieval.fake_llm import OpenAIStub

    def reply(body: dict) -> str:
        user = body["messages"][-1]["content"]
        slots = re.findall(r"\{v\d+\}", user)
        if slots:
            return "按年报表四，周口市信访局2021年行政复议总计" + "，".join(slots) + "。"
        first = re.search(r"一是([^；;。]+)", user)
        return f"报告列出的问题有：一是{first.group(1) if first else ''}[1]。"

    stub = OpenAIStub(reply)
    yield from _start(tmp_path_factory.mktemp("llm-data"), {"GOVQA_LLM_BASE_URL": stub.url})
    stub.close()


def test_llm_mode_answer_in_the_browser(llm_server: str, page) -> None:  # type: ignore[no-untyped-def]
    context, pg = _new_page(page, llm_server, 1400, 1000)
    text = _ask(pg, "周口市信访局2021年行政复议总计多少件？")
    assert "按年报表四，周口市信访局2021年行政复议总计0件[1]" in text and "每句已与引用核对" in text
    text = _ask(pg, "周口市信访局2021年存在哪些问题？")
    assert "报告列出的问题有：一是还未成立单独的政务信息公开网站[1]" in text
    pg.screenshot(path=str(SHOTS / "llm-mode.png"), full_page=True)
    context.close()
