"""年报问答: build the settings and the UI, ingest the bundled samples on first start, launch."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent / "data" / "samples"


def main() -> None:
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    parser = argparse.ArgumentParser(description="年报问答")
    parser.add_argument("--host", default=os.environ.get("GOVQA_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("GOVQA_PORT", "7860")))
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args()

    from core.settings import Settings
    from ingest.pipeline import Ingestor, expand_paths
    from ui.reports import build

    settings = Settings.from_env(data_dir=args.data_dir)
    ingestor = Ingestor.open(settings)
    if not ingestor.cells.report_ids():
        for path in expand_paths([SAMPLES]):
            ingestor.ingest(path)
    ingestor.close()
    build(settings).launch(server_name=args.host, server_port=args.port)


if __name__ == "__main__":
    main()
