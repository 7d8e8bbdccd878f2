"""Old Word (.doc) and WPS (.wps) files → DOCX through LibreOffice headless. The only module that runs LibreOffice.

The conversion runs in a fresh temporary folder (its own LibreOffice profile, so parallel workers never share one)
under a time limit; the process group is killed when it hangs. Nothing is left behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

CONVERT_SECONDS = float(os.environ.get("GOVQA_CONVERT_SECONDS", "120"))
_COMMANDS = ("soffice", "libreoffice")


class ConvertError(Exception):
    """A file LibreOffice could not convert; ``reason`` is Chinese, for users."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def soffice() -> str | None:
    return next((found for name in _COMMANDS if (found := shutil.which(name))), None)


def to_docx(name: str, data: bytes, seconds: float = CONVERT_SECONDS, command: str | None = None) -> bytes:
    """The DOCX LibreOffice makes of a .doc/.wps file (raises ConvertError with a Chinese reason)."""
    program = command or soffice()
    if program is None:
        raise ConvertError("无法读取旧版 Word/WPS 文件：本机未安装 LibreOffice（请安装 libreoffice-writer-nogui），"
                           "或先另存为 .docx 再上传")
    suffix = Path(name).suffix.lower() or ".doc"
    with tempfile.TemporaryDirectory(prefix="govqa-convert-") as folder:
        source = Path(folder) / f"input{suffix}"
        source.write_bytes(data)
        out = Path(folder) / "out"
        args = [program, "--headless", "--norestore", "--nolockcheck", "--nodefault",
                f"-env:UserInstallation=file://{folder}/profile", "--convert-to", "docx", "--outdir", str(out),
                str(source)]
        process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        try:
            process.wait(timeout=seconds)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise ConvertError(f"文件转换超时（超过 {seconds:.0f} 秒），文件可能已损坏") from None
        result = out / "input.docx"
        if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ConvertError("Word/WPS 文件已损坏、已加密或无法转换")
        return result.read_bytes()
