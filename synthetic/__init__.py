"""Synthetic 政府信息公开工作年度报告 with known truth, for property tests, benchmarks and corpora.

``make_truth`` draws the numbers (consistent with every relation of the template unless told to break
some); ``render`` writes them as a report file in one of ``SHAPES``.
"""

from synthetic.render import SHAPES, TEXT_SHAPES, Rendered, iter_reports, render, supports_blanks
from synthetic.truth import ReportTruth, check, make_truth, relations, template_for

__all__ = [
    "SHAPES",
    "TEXT_SHAPES",
    "Rendered",
    "ReportTruth",
    "check",
    "iter_reports",
    "make_truth",
    "relations",
    "render",
    "supports_blanks",
    "template_for",
]
