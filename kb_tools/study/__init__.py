"""学法计划 ("一月一法"): yearly plans under ``docs/study/``, their calendar and printable reading packs.

Registered in ``kb_tools.features``: :func:`load` (corpus loader, which also reports the plan's
problems to ``kb check``) and :func:`generate` (page generator).
"""

from __future__ import annotations

from kb_tools.study.loader import STUDY_DIR, check, load
from kb_tools.study.model import StudyMonth, StudyPlan
from kb_tools.study.pages import generate, home_block

__all__ = ["STUDY_DIR", "StudyMonth", "StudyPlan", "check", "generate", "home_block", "load"]
