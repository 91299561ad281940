"""Files of a report, rendered from its frozen snapshot in a language (never from live tickets)."""

from django.utils import translation

from reports.choices import FileFormat

CONTENT_TYPES = {
    FileFormat.PDF: "application/pdf",
    FileFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def filename(report, fmt, language):
    scope = report.organisation.code
    if report.service_id:
        scope += f"-{report.service_id}"
    return f"service-report-{report.period_start:%Y-%m}-{scope}-{language}.{fmt}"


def render(report, fmt, language):
    """(bytes, content type, file name) of `report` as `fmt` in `language`."""
    from reports.exports import pdf, xlsx

    renderer = {FileFormat.PDF: pdf.render, FileFormat.XLSX: xlsx.render}[fmt]
    with translation.override(language):
        content = renderer(report.snapshot, report)
    return content, CONTENT_TYPES[fmt], filename(report, fmt, language)
