"""The build pipeline: validate → render → assemble → write atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from selfeval_cli.checks.validation import validate_file
from selfeval_cli.errors import OutputError, TemplateError
from selfeval_cli.model.report import Report
from selfeval_cli.model.values import FieldPath
from selfeval_cli.outputs import check_output_path, write_atomically
from selfeval_cli.problems import Problem, Severity, fails, sort_problems
from selfeval_cli.render.form_folders import shipped_form_names
from selfeval_cli.render.outline_folders import shipped_names


@dataclass
class BuildResult:
    """What a build did: the problems found and the files it wrote (none when it failed)."""

    problems: list[Problem]
    written: list[Path] = field(default_factory=list)

    @property
    def output(self) -> Path | None:
        """The (first) report written, or None when the build failed."""
        return self.written[0] if self.written else None


DOCX = (".docx",)
PDF_HINT = "（报告是 Word 文件；要 PDF，另加 --pdf，会在旁边同时写出 .pdf）"


def build_report(source: Path, output: Path, *, template_dir: Path | None = None,
                 strict: bool = False, split: bool = False, trust_outlines: bool = False) -> BuildResult:
    """Validate ``source`` and, when it passes, write the report to ``output`` atomically.

    With ``split``, each attachment (附件1 the 自评表, 附件2 the report…) goes to a file of its
    own named after its label, ``报告-附件1.docx`` beside ``output``. Errors (or warnings under
    ``strict``) stop the build before anything is written. A data file that cannot be read and
    an output that cannot be written are problems of the result, like mistakes in the data; a
    broken template raises ``TemplateError`` (it breaks every file). ``trust_outlines`` accepts an
    outline folder outside the data file's folder (see ``find_outline``).
    """
    try:
        check_output_path(output, [source], DOCX, PDF_HINT)
    except OutputError as exc:  # found before validating: the data is not worth reading yet
        return BuildResult([exc.problem()])
    result = validate_file(source, trust_outlines=trust_outlines)
    if fails(result.problems, strict=strict) or result.report is None:
        return BuildResult(result.problems)
    from selfeval_cli.render.blocks import split_attachments
    from selfeval_cli.render.sections import render_blocks
    from selfeval_cli.word.writer import build_document

    try:
        blocks = render_blocks(result.report, template_dir, source.parent, trust_outlines=trust_outlines)
    except TemplateError as exc:
        brought = _brought_templates(result.report, template_dir)
        if brought is None:
            raise  # the templates every file uses: a batch stops once instead of failing each file
        # The data file brought these templates (an outline or a 自评表 form of its own): they fail this
        # file only, located at the line that names them.
        assert result.loaded is not None
        mark = result.loaded.marks.locate(brought)
        problem = Problem(result.file, mark.line, mark.column, Severity.ERROR, brought, exc.message,
                          "template")
        return BuildResult(sort_problems([*result.problems, problem]))
    parts = split_attachments(blocks) if split else [(None, blocks)]
    written: list[Path] = []
    try:
        for target, part in zip(_part_targets(output, [label for label, _ in parts]), (p for _, p in parts),
                                strict=True):
            write_atomically(target, build_document(result.report, part))
            written.append(target)
    except OutputError as exc:  # the files already written are complete; the build still failed
        return BuildResult(sort_problems([*result.problems, exc.problem()]))
    return BuildResult(result.problems, written)


def _brought_templates(report: Report, template_dir: Path | None) -> FieldPath | None:
    """The field naming templates the data file brought with it (its own outline, or its own form of the
    自评表); None when the templates are selfeval's or the command line's, which every file shares."""
    if template_dir is not None:
        return None
    form = report.assessment.form if report.assessment is not None else None
    if form is not None and form not in shipped_form_names():
        return ("assessment", "form")
    if report.outline not in (None, *shipped_names()):
        return ("outline",)
    return None


def _part_targets(output: Path, labels: list[str | None]) -> list[Path]:
    """``报告-附件1.docx`` for each labelled part; unlabelled or repeated labels get their place in the
    order instead (``报告-2.docx``), so that no part overwrites another."""
    if len(labels) == 1:
        return [output]
    names: list[str] = []
    for index, label in enumerate(labels, start=1):
        name = label if label and label not in names else str(index)
        names.append(name)
    return [output.with_name(f"{output.stem}-{name}{output.suffix}") for name in names]
