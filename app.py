"""年报问答: settings → stores (bundled samples ingested on first start) → UI and API → serve."""

from __future__ import annotations

import argparse
import os
from pathlib import Path


def main() -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    parser = argparse.ArgumentParser(description="年报问答：政府信息公开工作年度报告问答")
    parser.add_argument("--host", help="监听地址（默认 127.0.0.1，环境变量 GOVQA_HOST）")
    parser.add_argument("--port", type=int, help="端口（默认 7860，环境变量 GOVQA_PORT）")
    parser.add_argument("--data-dir", type=Path, help="数据目录（默认 ./data，环境变量 GOVQA_DATA_DIR）")
    args = parser.parse_args()

    from core.settings import Settings
    from ui.server import serve
    from ui.service import Service

    settings = Settings.from_env(host=args.host, port=args.port, data_dir=args.data_dir)
    service = Service.open(settings)
    added = service.ensure_samples()
    if added:
        print(f"首次启动：已导入 {added} 份示例报告")
    serve(settings, service)


if __name__ == "__main__":
    main()
