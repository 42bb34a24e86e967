"""Every user-facing string, Vietnamese first, English on request; number and date formats.

``t(key, lang, **params)`` looks a string up; ``fmt_num`` and ``fmt_date`` format the way a
Vietnamese reader expects (``1.234,5``, ``26/11/2026``) or the English way.
"""

from __future__ import annotations

import math
from datetime import date, datetime

LANGS = ("vi", "en")

STRINGS: dict[str, tuple[str, str]] = {
    # frame and navigation
    "app_title": ("Theo dõi thực hiện Nghị quyết", "Resolution tracker"),
    "nav_overview": ("Tổng quan", "Overview"),
    "nav_upload": ("Cập nhật số liệu", "Update data"),
    "language": ("Ngôn ngữ / Language", "Ngôn ngữ / Language"),
    "demo_banner": (
        "Dữ liệu mẫu — các số liệu trên trang này là dữ liệu minh họa, không phải số liệu thật.",
        "Demo data (Dữ liệu mẫu) — the numbers on this page are made up for illustration.",
    ),
    "no_database": (
        "Chưa có cơ sở dữ liệu. Chạy `python -m src.cli init --demo` (dữ liệu mẫu) hoặc "
        "`python -m src.cli init --empty`.",
        "No database yet. Run `python -m src.cli init --demo` (demo data) or "
        "`python -m src.cli init --empty`.",
    ),
    # filters
    "filters": ("Bộ lọc", "Filters"),
    "resolution": ("Nghị quyết", "Resolution"),
    "year": ("Năm", "Year"),
    "groups": ("Khối", "Sector group"),
    "cells": ("Chi bộ, đảng bộ cơ sở", "Cells"),
    "cells_all": ("Tất cả (toàn Đảng bộ)", "All (whole committee)"),
    "cells_type_code": ("Gõ mã tổ chức…", "Type a cell code…"),
    "cells_help_large": (
        "Có {n} tổ chức: chọn khối để thu hẹp danh sách, hoặc gõ mã tổ chức rồi nhấn Enter.",
        "There are {n} cells: pick a sector group to narrow the list, or type a code and "
        "press Enter.",
    ),
    "cells_unknown": ("Không có tổ chức mã: {codes}", "No cell with code: {codes}"),
    "cells_help": (
        "Để trống để xem toàn Đảng bộ; chọn một hoặc nhiều tổ chức cơ sở để xem riêng.",
        "Leave empty for the whole committee; pick one or more cells to see them alone.",
    ),
    # statuses
    "status_met": ("Đạt", "Met"),
    "status_near": ("Gần đạt", "Near"),
    "status_missed": ("Chưa đạt", "Missed"),
    "status_no_data": ("Chưa có số liệu", "No data"),
    "pace_on_track": ("Đúng tiến độ", "On track"),
    "pace_behind": ("Chậm tiến độ", "Behind pace"),
    "assess_met": ("Đạt", "Achieved"),
    "assess_near": ("Cơ bản đạt", "Partly achieved"),
    "assess_missed": ("Chưa đạt", "Not yet achieved"),
    # overview
    "overview_title": ("Tổng quan thực hiện chỉ tiêu", "Targets at a glance"),
    "overview_caption": (
        "{resolution} · năm {year} · {selection}",
        "{resolution} · {year} · {selection}",
    ),
    "selection_all": ("toàn Đảng bộ", "whole committee"),
    "selection_n": ("{n} tổ chức cơ sở đã chọn", "{n} selected cells"),
    "summary_line": (
        "Năm {year}: **{met}/{total}** chỉ tiêu đạt · {near} gần đạt · {missed} chưa đạt · "
        "{no_data} chưa có số liệu",
        "{year}: **{met}/{total}** goals met · {near} near · {missed} missed · "
        "{no_data} without data",
    ),
    "section_annual": ("Chỉ tiêu hằng năm", "Annual targets"),
    "section_term": ("Chỉ tiêu cả nhiệm kỳ", "Whole-term targets"),
    "section_cards": ("Xếp loại và nhiệm vụ trọng tâm", "Ratings and key tasks"),
    "target": ("Chỉ tiêu", "Target"),
    "target_value": ("Chỉ tiêu: {value}", "Target: {value}"),
    "coverage": ("{reported}/{expected} tổ chức đã báo cáo", "{reported}/{expected} reported"),
    "root_only": (
        "Chỉ tiêu đánh giá ở cấp Đảng bộ, không tính theo chi bộ. Bỏ lọc chi bộ để xem.",
        "Measured at committee level only, not per cell. Clear the cell filter to see it.",
    ),
    "pace_line": (
        "Tiến độ năm {year}: {pace} · {pace_status}",
        "Pace for {year}: {pace} · {pace_status}",
    ),
    "projection_line": ("Dự báo đến {end}: {value}", "Projected by {end}: {value}"),
    "cumulative": ("Lũy kế", "Cumulative"),
    "rating_names": (
        "Xuất sắc|Tốt|Hoàn thành|Không hoàn thành",
        "Excellent|Good|Completed|Not completed",
    ),
    "rating_value": ("Mức thấp nhất: {value}", "Worse of the two: {value}"),
    "no_assessment": ("Chưa có đánh giá năm {year}.", "No assessment for {year}."),
    "cap_warning": (
        "Vượt mức trần của quy định: {part} bằng {share} {whole} (trần {cap}). Cần xem lại "
        "việc xếp loại.",
        "Above the legal cap: {part} are {share} of {whole} (cap {cap}). The ratings should "
        "be reviewed.",
    ),
    "made_from": (
        "Dữ liệu cập nhật lần cuối: {when} ({file})",
        "Data last updated: {when} ({file})",
    ),
    "no_data_at_all": (
        "Chưa có số liệu nào. Vào trang “Cập nhật số liệu” để tải tệp lên.",
        "No data yet. Upload a file on the “Update data” page.",
    ),
    "members": ("đảng viên", "members"),
    "orgs": ("tổ chức", "organisations"),
    "classes": ("lớp", "classes"),
    # command line
    "cli_db_busy": (
        "Cơ sở dữ liệu {path} đang được mở bởi chương trình khác (thường là trang theo dõi "
        "đang chạy). Hãy đóng nó rồi chạy lại, hoặc dùng trang “Cập nhật số liệu”.",
        "The database {path} is held by another program (usually the running dashboard). "
        "Stop it and try again, or use the “Update data” page.",
    ),
    "db_damaged": (
        "Không mở được cơ sở dữ liệu {path}: tệp bị hỏng (có thể do máy tắt đột ngột khi đang "
        "ghi). Bản sao lưu gần nhất: {backup}. Để khôi phục, đóng trang theo dõi rồi chép bản "
        "sao lưu đó thành {path}.",
        "The database {path} does not open: the file is damaged (perhaps cut off while it was "
        "being written). The latest backup is {backup}. To restore it, stop the dashboard and "
        "copy that backup to {path}.",
    ),
    "cli_file_missing": ("{file}: không tìm thấy tệp.", "{file}: no such file."),
    "cli_dry_run": ("(chạy thử: không ghi gì)", "(dry run: nothing written)"),
    "cli_batch_missing": ("Không có lần cập nhật số {batch}.", "There is no batch {batch}."),
    "cli_undone": (
        "Đã hoàn tác lần cập nhật {batch}: khôi phục {n} giá trị.",
        "Batch {batch} undone: {n} values restored.",
    ),
    "cli_no_db": (
        "Chưa có cơ sở dữ liệu {path}: chạy `python -m src.cli init` trước.",
        "No database at {path}: run `python -m src.cli init` first.",
    ),
    "cli_db_exists": (
        "Cơ sở dữ liệu {path} đã có dữ liệu; dùng --force để tạo lại.",
        "The database {path} already holds data; use --force to recreate it.",
    ),
    "cli_init_done": ("Đã tạo cơ sở dữ liệu {path} ({what}).", "Created {path} ({what})."),
    "cli_init_demo": ("dữ liệu mẫu", "demo data"),
    "cli_init_empty": ("chưa có số liệu", "no data"),
    "cli_unknown_org": (
        "Mã tổ chức không có trong cơ sở dữ liệu: {codes}",
        "Unknown organisation code(s): {codes}",
    ),
    "cli_bad_year": (
        "Năm {year} không thuộc nhiệm kỳ {first}-{last} của nghị quyết.",
        "Year {year} is outside the resolution's term {first}-{last}.",
    ),
    "cli_exported": ("Đã ghi {path} ({n} dòng).", "Wrote {path} ({n} rows)."),
    "cli_format_unsupported": (
        "Định dạng {fmt} chưa được hỗ trợ.",
        "Format {fmt} is not supported yet.",
    ),
}


def t(key: str, lang: str = "vi", **params: object) -> str:
    vi, en = STRINGS[key]
    text = en if lang == "en" else vi
    return text.format(**params) if params else text


def fmt_num(value: float | int | None, lang: str = "vi", decimals: int = 0) -> str:
    """``1234.5`` → ``1.234,5`` (vi) or ``1,234.5`` (en); None/NaN → ``–``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def fmt_exact(value: float | int | None, lang: str = "vi", max_decimals: int = 2) -> str:
    """A number as written, without trailing zeros: ``2.5`` → ``2,5``, ``2000`` → ``2.000``
    (vi); targets and amounts, which a fixed number of decimals would round or pad."""
    text = fmt_num(value, lang, max_decimals)
    if max_decimals <= 0 or text == "–":
        return text
    mark = "." if lang == "en" else ","
    return text.rstrip("0").rstrip(mark)


def fmt_pct(value: float | None, lang: str = "vi", decimals: int = 1) -> str:
    return "–" if value is None or math.isnan(value) else f"{fmt_num(value, lang, decimals)}%"


def fmt_date(value: date | datetime | None, lang: str = "vi", with_time: bool = False) -> str:
    if value is None:
        return "–"
    if lang == "en":
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")


def plotly_separators(lang: str) -> str:
    """Plotly's ``layout.separators``: decimal mark then thousands mark."""
    return ".," if lang == "en" else ",."


# Every ASCII punctuation character may be backslash-escaped in CommonMark; escaping them
# all leaves no Markdown, HTML, link, image, table, LaTeX (``$``) or Streamlit directive
# (``:red[…]``, ``:material/…:``, ``:small[…]``) in the text. GFM's bare links (``http://…``,
# ``www.…``, ``a@b.vn``) and emoji codes (``:smile:``) are found in the text after it is
# read, within one run of text: an empty Streamlit directive (an empty <span>, nothing to
# see, nothing in the page's text) splits the run after a ``:`` or ``@`` followed by a
# letter, digit or ``/``, and before a ``.`` that follows a ``w``.
_MD_SPECIAL = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
MD_BREAK = ":small[]"


def escape_markdown(text: object) -> str:
    """Text typed by users (names, groups, notes, file names, who), made safe to put in a
    string Streamlit renders as Markdown: it shows as typed, never as a link, an image,
    HTML, a colour, an icon, an emoji or a formula. One line: a line break would start a
    new block (a heading, a list, a quote)."""
    value = " ".join(("" if text is None else str(text)).splitlines())
    out = []
    for i, c in enumerate(value):
        if c == "." and i and value[i - 1] in "wW":
            out.append(MD_BREAK)
        out.append("\\" + c if c in _MD_SPECIAL else c)
        after = value[i + 1 : i + 2]
        if c in ":@" and after and (after.isalnum() or after in "/_-+"):
            out.append(MD_BREAK)
    return "".join(out)


def escape_html(text: object) -> str:
    """Text typed by users, made safe for Plotly, which renders a subset of HTML (links,
    <b>, <br>, <span style>) in labels, ticks, titles and hover text."""
    value = "" if text is None else str(text)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Messages of the upload checks. Each names what is wrong and how to fix it; the row and
# column are added by :func:`src.ingest.errors.Problem.render`.
STRINGS.update(
    {
        "row_col": ("Dòng {row}, cột {column}: {message}", "Row {row}, column {column}: {message}"),
        "row_only": ("Dòng {row}: {message}", "Row {row}: {message}"),
        "file_only": ("Tệp: {message}", "File: {message}"),
        "warning": ("Lưu ý", "Note"),
        "e_empty_file": ("tệp rỗng, không có dòng tiêu đề nào.", "the file is empty."),
        "e_header_only": (
            "tệp chỉ có dòng tiêu đề, không có dòng số liệu nào.",
            "the file has a header but no data rows.",
        ),
        "e_binary": (
            "không đọc được tệp: đây không phải tệp CSV hay Excel (.xlsx). Hãy lưu lại dưới "
            "dạng CSV UTF-8 hoặc .xlsx.",
            "cannot read the file: it is neither CSV nor Excel (.xlsx). Save it as UTF-8 CSV "
            "or .xlsx.",
        ),
        "e_bad_xlsx": (
            "không mở được tệp Excel: {detail}. Hãy lưu lại dưới dạng .xlsx.",
            "cannot open the Excel file: {detail}. Save it again as .xlsx.",
        ),
        "e_unbalanced_quote": (
            'dấu ngoặc kép (") không được đóng; kiểm tra ô bắt đầu từ dòng này.',
            'a double quote (") is never closed; check the cell starting on this row.',
        ),
        "e_csv": ("tệp CSV bị lỗi định dạng: {detail}.", "malformed CSV: {detail}."),
        "e_unknown_kind": (
            "không nhận ra loại tệp từ dòng tiêu đề ({header}). Tiêu đề cần có: "
            "year, org_code, indicator_code, value (dạng dọc); year, org_code và các mã chỉ "
            "số (dạng ngang, như tệp mẫu); org_code, name, kind (danh sách tổ chức); hoặc "
            "year, goal_code, status, note (đánh giá chỉ tiêu định tính).",
            "cannot tell the kind of file from its header ({header}). It needs: year, "
            "org_code, indicator_code, value (long); year, org_code and indicator codes "
            "(wide, as the template); org_code, name, kind (organisations); or year, "
            "goal_code, status, note (assessments).",
        ),
        "e_missing_column": (
            "thiếu cột bắt buộc “{column}”.",
            "the required column “{column}” is missing.",
        ),
        "e_unknown_column": (
            "cột “{column}” không phải mã chỉ số nào; sửa tên cột theo tệp mẫu.",
            "“{column}” is not an indicator code; rename the column as in the template.",
        ),
        "e_duplicate_column": (
            "cột “{column}” xuất hiện hai lần.",
            "the column “{column}” appears twice.",
        ),
        "e_required": ("ô trống; cần nhập giá trị.", "empty; a value is required."),
        "e_excel_error": (
            "ô chứa lỗi Excel “{value}”; sửa công thức hoặc nhập số.",
            "the cell holds the Excel error “{value}”; fix the formula or type a number.",
        ),
        "e_not_number": ("“{value}” không phải là số.", "“{value}” is not a number."),
        "e_not_whole": (
            "{value} không phải số nguyên; chỉ số này đếm số lượng.",
            "{value} is not a whole number; this indicator is a count.",
        ),
        "e_negative": (
            "{value} là số âm; số lượng phải từ 0 trở lên.",
            "{value} is negative; counts are 0 or more.",
        ),
        "e_percent": (
            "“{value}” là tỷ lệ phần trăm; chỉ số này cần số lượng, không phải %.",
            "“{value}” is a percentage; this indicator is a count, not a %.",
        ),
        "e_flag": (
            "“{value}” không hợp lệ; chỉ nhập 0 (không) hoặc 1 (có).",
            "“{value}” is not valid; enter 0 (no) or 1 (yes).",
        ),
        "e_rating": (
            "“{value}” không phải mức xếp loại; nhập 1 (xuất sắc), 2 (tốt), 3 (hoàn thành) "
            "hoặc 4 (không hoàn thành), hoặc tên mức.",
            "“{value}” is not a rating; enter 1 (excellent), 2 (good), 3 (completed) or 4 "
            "(not completed), or its name.",
        ),
        "e_year": (
            "“{value}” không phải năm hợp lệ; nhập năm bốn chữ số, ví dụ 2023.",
            "“{value}” is not a valid year; enter a four-digit year such as 2023.",
        ),
        "e_year_range": (
            "năm {value} nằm ngoài khoảng hợp lý ({low}-{high}).",
            "the year {value} is outside {low}-{high}.",
        ),
        "e_unknown_org": (
            "mã tổ chức “{value}” chưa có trong danh sách tổ chức; thêm tổ chức trước hoặc sửa mã.",
            "the organisation code “{value}” is unknown; add the organisation first or fix "
            "the code.",
        ),
        "e_unknown_indicator": (
            "mã chỉ số “{value}” không có trong danh mục.",
            "the indicator code “{value}” is unknown.",
        ),
        "e_root_only": (
            "chỉ số “{indicator}” chỉ báo cáo cho Đảng bộ ({root}), không cho “{org}”.",
            "“{indicator}” is reported by the committee ({root}) only, not by “{org}”.",
        ),
        "e_org_only": (
            "chỉ số “{indicator}” báo cáo theo tổ chức cơ sở, không cho Đảng bộ ({org}).",
            "“{indicator}” is reported per grassroots organisation, not by the committee ({org}).",
        ),
        "e_duplicate_key": (
            "trùng với dòng {other} (cùng {key}).",
            "duplicates row {other} (same {key}).",
        ),
        "e_part_exceeds": (
            "{part}{held} lớn hơn {whole_name} ({whole}).",
            "{part}{held} is more than {whole_name} ({whole}).",
        ),
        "e_ratings_sum": (
            "tổng bốn mức xếp loại đảng viên ({total}) khác số đảng viên được xếp loại ({rated}).",
            "the four member ratings add up to {total}, not to the members rated ({rated}).",
        ),
        "w_inactive_org": (
            "tổ chức “{org}” không hoạt động năm {year} (hoạt động {span}); số liệu vẫn được "
            "ghi nhưng không tính vào chỉ tiêu.",
            "“{org}” is not active in {year} (active {span}); the values are recorded but not "
            "counted.",
        ),
        "e_bad_code": (
            "mã “{value}” chỉ được gồm chữ, số, “-” và “_”.",
            "the code “{value}” may hold only letters, digits, “-” and “_”.",
        ),
        "e_bad_kind": (
            "loại “{value}” không hợp lệ; dùng root, grassroots_committee, grassroots_cell "
            "hoặc subcell.",
            "“{value}” is not a kind; use root, grassroots_committee, grassroots_cell or subcell.",
        ),
        "e_root_count": (
            "cần có một tổ chức loại root (Đảng bộ) hoạt động mỗi năm, hiện có {n}.",
            "one organisation must be the root (the committee) in each year; there are {n}.",
        ),
        "e_root_parent": (
            "Đảng bộ (root) không có cấp trên; để trống ma_cap_tren.",
            "the root has no parent; leave parent_code empty.",
        ),
        "e_bad_parent": (
            "cấp trên “{value}” không hợp lệ cho loại {kind} (cần {need}).",
            "“{value}” is not a valid parent for a {kind} (needs {need}).",
        ),
        "e_active_span": (
            "năm bắt đầu ({start}) sau năm kết thúc ({end}).",
            "the first year ({start}) is after the last ({end}).",
        ),
        "e_unknown_goal": (
            "mã chỉ tiêu “{value}” không có trong nghị quyết.",
            "the goal code “{value}” is not in the resolution.",
        ),
        "e_not_qualitative": (
            "chỉ tiêu “{value}” tính từ số liệu; chỉ ghi đánh giá cho chỉ tiêu định tính "
            "({codes}).",
            "the goal “{value}” is computed from numbers; assessments are for qualitative "
            "goals ({codes}).",
        ),
        "e_assessment_status": (
            "“{value}” không phải kết quả đánh giá; dùng Đạt, Cơ bản đạt hoặc Chưa đạt "
            "(met, near, missed).",
            "“{value}” is not an assessment; use met, near or missed (Đạt, Cơ bản đạt, Chưa đạt).",
        ),
        "e_already_applied": (
            "tệp này đã được cập nhật ngày {when} (lần cập nhật số {batch}); không cập nhật lại.",
            "this file was already applied on {when} (batch {batch}); it is not applied again.",
        ),
        "e_extra_cells": (
            "dòng có {cells} ô nhưng dòng tiêu đề chỉ có {columns} cột; kiểm tra dấu phân cách "
            "(dấu phẩy trong số?) hoặc thêm tên cột còn thiếu.",
            "the row has {cells} cells but the header only {columns} columns; check the "
            "separator (a comma inside a number?) or name the missing column.",
        ),
        "e_nothing_new": (
            "không có giá trị mới nào so với cơ sở dữ liệu; không ghi gì.",
            "nothing new compared with the database; nothing written.",
        ),
        "e_too_many": ("… và {n} lỗi khác.", "… and {n} more errors."),
    }
)


STRINGS.update(
    {
        "upload_title": ("Cập nhật số liệu", "Update data"),
        "tab_upload": ("Tải tệp lên", "Upload a file"),
        "tab_history": ("Lịch sử cập nhật", "History"),
        "tab_assess": ("Đánh giá chỉ tiêu định tính", "Qualitative goals"),
        "tab_orgs": ("Tổ chức", "Organisations"),
        "template_head": ("1. Tải tệp mẫu", "1. Download a template"),
        "template_help": (
            "Tệp mẫu có một dòng cho mỗi tổ chức đang hoạt động trong năm, tên bên cạnh mã, "
            "một cột cho mỗi chỉ số (đã điền sẵn số liệu hiện có). Ô trống là chưa có số liệu.",
            "One row per organisation active that year, its name beside its code, one column "
            "per indicator (prefilled with the values held). An empty cell means no data.",
        ),
        "template_year": ("Năm của tệp mẫu", "Template year"),
        "download_xlsx": ("Tải tệp mẫu Excel (.xlsx)", "Download Excel template (.xlsx)"),
        "download_csv": ("Tải tệp mẫu CSV", "Download CSV template"),
        "upload_head": ("2. Tải tệp số liệu lên", "2. Upload a file"),
        "upload_help": (
            "CSV (UTF-8, UTF-16 hoặc Windows-1258; dấu phẩy, chấm phẩy hoặc tab) hoặc Excel "
            ".xlsx: số liệu dạng dọc hoặc dạng ngang (như tệp mẫu), danh sách tổ chức, hoặc "
            "đánh giá chỉ tiêu định tính. Tệp được kiểm tra toàn bộ trước khi ghi.",
            "CSV (UTF-8, UTF-16 or Windows-1258; comma, semicolon or tab) or Excel .xlsx: long "
            "or wide numbers (as the template), organisations, or qualitative assessments. The "
            "whole file is checked before anything is written.",
        ),
        "choose_file": ("Chọn tệp", "Choose a file"),
        "preview_head": ("3. Xem trước", "3. Preview"),
        "kind_long": ("Số liệu dạng dọc", "Numbers, long format"),
        "kind_wide": ("Số liệu dạng ngang (tệp mẫu)", "Numbers, wide format (template)"),
        "kind_organisations": ("Danh sách tổ chức", "Organisations"),
        "kind_assessments": ("Đánh giá chỉ tiêu định tính", "Qualitative assessments"),
        "kind_form": ("Biểu mẫu", "Form"),
        "file_kind": ("Loại tệp: **{kind}** · {rows} dòng", "Kind: **{kind}** · {rows} rows"),
        "n_added": ("Thêm mới", "Added"),
        "n_changed": ("Thay đổi", "Changed"),
        "n_unchanged": ("Giữ nguyên", "Unchanged"),
        "errors_found": (
            "Tệp có {n} lỗi; chưa ghi gì. Sửa các lỗi dưới đây rồi tải lại.",
            "The file has {n} errors; nothing was written. Fix them and upload again.",
        ),
        "col_row": ("Dòng", "Row"),
        "col_column": ("Cột", "Column"),
        "col_message": ("Lỗi", "Problem"),
        "changes_head": ("Giá trị thay đổi (cũ → mới)", "Changed values (old → new)"),
        "col_old": ("Cũ", "Old"),
        "col_new": ("Mới", "New"),
        "apply": ("Cập nhật vào cơ sở dữ liệu", "Apply to the database"),
        "applied_ok": (
            "Đã cập nhật (lần cập nhật số {batch}): {added} thêm mới, {changed} thay đổi, "
            "{unchanged} giữ nguyên.",
            "Applied as batch {batch}: {added} added, {changed} changed, {unchanged} unchanged.",
        ),
        "already_applied_note": (
            "Tệp này đã được cập nhật ngày {when} (lần cập nhật số {batch}).",
            "This file was applied on {when} (batch {batch}).",
        ),
        "nothing_new": (
            "Tệp không có giá trị mới nào so với cơ sở dữ liệu.",
            "The file holds nothing new.",
        ),
        "who": ("Người cập nhật", "Your name"),
        "who_help": ("Ghi vào lịch sử cập nhật.", "Recorded in the history."),
        "password": ("Mật khẩu cập nhật", "Editor password"),
        "password_needed": (
            "Cần mật khẩu cập nhật để ghi số liệu; xem số liệu thì không cần.",
            "Writing needs the editor password; viewing does not.",
        ),
        "history_head": ("Các tệp đã cập nhật", "Applied files"),
        "col_batch": ("Lần", "Batch"),
        "col_when": ("Thời gian", "When"),
        "col_who": ("Người cập nhật", "Who"),
        "col_file": ("Tệp", "File"),
        "col_kind": ("Loại", "Kind"),
        "col_status": ("Trạng thái", "Status"),
        "batch_applied": ("Đang áp dụng", "Applied"),
        "batch_undone": ("Đã hoàn tác", "Undone"),
        "undo_head": ("Hoàn tác một lần cập nhật", "Undo a batch"),
        "undo_pick": ("Lần cập nhật", "Batch"),
        "undo_button": ("Hoàn tác", "Undo"),
        "undo_conflict": (
            "{n} giá trị của lần cập nhật này đã được các lần cập nhật sau ({later}) thay đổi. "
            "Hoàn tác giữ các giá trị đó như các lần sau đã ghi; các giá trị khác trở về như "
            "trước lần {batch}.",
            "{n} values of this batch were changed by later batches ({later}). Undoing keeps "
            "them as those batches wrote them; the others go back to what they were before "
            "batch {batch}.",
        ),
        "undo_anyway": ("Tôi hiểu, vẫn hoàn tác", "I understand, undo anyway"),
        "undo_ok": (
            "Đã hoàn tác lần cập nhật {batch}: khôi phục {n} giá trị.",
            "Batch {batch} undone: {n} values restored.",
        ),
        "nothing_to_undo": ("Chưa có lần cập nhật nào để hoàn tác.", "Nothing to undo."),
        "assess_head": ("Ghi kết quả đánh giá năm", "Record a yearly assessment"),
        "goal": ("Chỉ tiêu", "Goal"),
        "assess_status": ("Kết quả", "Result"),
        "note": ("Nhận xét", "Note"),
        "save": ("Lưu", "Save"),
        "saved": ("Đã lưu (lần cập nhật số {batch}).", "Saved (batch {batch})."),
        "orgs_head": ("Danh sách tổ chức", "Organisations"),
        "org_form_head": (
            "Thêm, đổi tên hoặc ngừng hoạt động một tổ chức",
            "Add, rename or close an organisation",
        ),
        "org_form_help": (
            "Nhập mã đã có để sửa (đổi tên, chuyển khối, ghi năm ngừng hoạt động khi sáp nhập, "
            "giải thể); số liệu các năm trước được giữ nguyên.",
            "Enter an existing code to edit it (rename, change group, set the last year when "
            "merged or dissolved); its past numbers are kept.",
        ),
        "org_code": ("Mã tổ chức", "Code"),
        "indicator": ("Mã chỉ số", "Indicator"),
        "org_name": ("Tên tổ chức", "Name"),
        "org_kind": ("Loại", "Kind"),
        "org_parent": ("Cấp trên", "Parent"),
        "org_group": ("Khối", "Group"),
        "org_from": ("Hoạt động từ năm", "Active from"),
        "org_to": ("Đến năm", "Active to"),
        "kind_root": ("Đảng bộ (cấp trên cơ sở)", "The committee (root)"),
        "kind_grassroots_committee": ("Đảng bộ cơ sở", "Grassroots committee"),
        "kind_grassroots_cell": ("Chi bộ cơ sở", "Grassroots cell"),
        "kind_subcell": ("Chi bộ trực thuộc", "Subcell"),
        "org_upload_hint": (
            "Có thể tải cả danh sách tổ chức bằng tệp ở thẻ “Tải tệp lên”.",
            "A whole list of organisations can be uploaded on the “Upload a file” tab.",
        ),
        "backups_note": (
            "Cơ sở dữ liệu được sao lưu vào {folder} trước lần ghi đầu tiên của mỗi ngày và "
            "sau mỗi {every} giá trị được ghi (giữ 5 bản gần nhất); mọi lần cập nhật đều "
            "hoàn tác được từ lịch sử.",
            "The database is copied to {folder} before the first write of each day and after "
            "every {every} values written (the last 5 are kept); every upload can be undone "
            "from the history.",
        ),
        "warnings_found": ("Lưu ý ({n}):", "Notes ({n}):"),
    }
)


STRINGS.update(
    {
        "nav_goal": ("Chỉ tiêu", "Goals"),
        "nav_cells": ("Chi bộ", "Cells"),
        "goal_title": ("Chỉ tiêu {code}: {title}", "Goal {code}: {title}"),
        "pick_goal": ("Chọn chỉ tiêu", "Goal"),
        "see_goal": ("Xem chi tiết", "Details"),
        "def_head": ("Định nghĩa", "Definition"),
        "def_kind": ("Loại chỉ tiêu", "Kind"),
        "def_numerator": ("Tử số", "Numerator"),
        "def_denominator": ("Mẫu số", "Denominator"),
        "def_measured": ("Xếp loại được tính", "Ratings used"),
        "def_basis": ("Cơ sở tính “trong đó”", "“Of which” basis"),
        "def_level": ("Phạm vi tính", "Measured at"),
        "def_unit": ("Đơn vị chủ trì", "Unit in charge"),
        "def_note": ("Ghi chú", "Note"),
        "level_org": (
            "Từng tổ chức cơ sở đảng, cộng lại cho toàn Đảng bộ",
            "Each grassroots organisation, added up for the committee",
        ),
        "level_root": ("Cấp Đảng bộ (không tính theo chi bộ)", "Committee level only"),
        "gkind_annual_ratio": (
            "Tỷ lệ hằng năm: tổng tử số / tổng mẫu số của các tổ chức đã báo cáo đủ số liệu",
            "Yearly ratio: sum of numerators over "
            "sum of denominators of the organisations that reported all",
        ),
        "gkind_annual_count": ("Số lượng hằng năm", "Yearly count"),
        "gkind_annual_rating": ("Xếp loại hằng năm", "Yearly rating"),
        "gkind_term_cumulative": ("Lũy kế cả nhiệm kỳ", "Cumulative over the term"),
        "gkind_qualitative": (
            "Định tính: đánh giá hằng năm kèm nhận xét",
            "Qualitative: a yearly assessment with a note",
        ),
        "expr_count_reported": (
            "số tổ chức có báo cáo {name}",
            "organisations that reported {name}",
        ),
        "expr_count_le": (
            "số tổ chức có {name} từ mức {level} trở lên",
            "organisations with {name} at level {level} or better",
        ),
        "expr_count_eq": (
            "số tổ chức có {name} ở mức {level}",
            "organisations with {name} at level {level}",
        ),
        "expr_count_cmp": (
            "số tổ chức có {name} {op} {level}",
            "organisations with {name} {op} {level}",
        ),
        "trend_head": ("Qua các năm của nhiệm kỳ", "Over the term"),
        "actual": ("Kết quả", "Actual"),
        "pace": ("Tiến độ đều", "Even pace"),
        "projection": ("Dự báo", "Projection"),
        "ranking_head": (
            "Các chi bộ, từ thấp đến cao (năm {year})",
            "Cells, weakest first ({year})",
        ),
        "ranking_help": (
            "“Tăng thêm nếu đạt”: số điểm % chỉ tiêu chung tăng thêm nếu riêng tổ chức này đạt "
            "chỉ tiêu. “Kéo lên/xuống”: tổ chức này làm tỷ lệ chung cao hơn (+) hay thấp hơn "
            "(−) bao nhiêu điểm % so với mức trung bình.",
            "“Gain if met”: points the overall value would gain if this cell alone met the "
            "target. “Pull”: how many points this cell moves the overall value up (+) or down "
            "(−) against the average.",
        ),
        "col_rank": ("Thứ tự", "Rank"),
        "org_name": ("Tên tổ chức", "Name"),
        "col_value": ("Tỷ lệ", "Value"),
        "col_numbers": ("Số liệu", "Numbers"),
        "col_gain": ("Tăng thêm nếu đạt", "Gain if met"),
        "col_pull": ("Kéo lên/xuống", "Pull"),
        "points": ("điểm %", "pts"),
        "not_reported": ("chưa báo cáo", "not reported"),
        "all_covered": ("Mọi tổ chức đều đã được tính.", "Every organisation is counted."),
        "term_cumulative": (
            "Lũy kế đến hết năm {year}: {value}/{target} {unit}",
            "Cumulative to the end of {year}: {value}/{target} {unit}",
        ),
        "still_needed": (
            "Còn cần {n} {unit}/năm để đạt chỉ tiêu.",
            "{n} {unit} a year still needed to reach the target.",
        ),
        "already_reached": ("Đã đạt chỉ tiêu cả nhiệm kỳ.", "The term target is reached."),
        "provenance_head": ("Nguồn gốc số liệu", "Where this number comes from"),
        "prov_numbers": (
            "Tử số {num} / mẫu số {den}, từ {n} tổ chức: {orgs}",
            "Numerator {num} / denominator {den}, from {n} organisations: {orgs}",
        ),
        "prov_files": ("Các tệp đã đưa vào các giá trị này:", "Files that brought these values:"),
        "prov_value": ("{n} giá trị", "{n} values"),
        "root_only_goal": (
            "Chỉ tiêu này đánh giá ở cấp Đảng bộ; không có xếp hạng theo chi bộ.",
            "This goal is measured at committee level: there is no ranking of cells.",
        ),
        "cells_title": ("Các chi bộ, đảng bộ cơ sở", "Cells"),
        "scorecard_head": ("Bảng điểm năm {year}", "Scorecard {year}"),
        "scorecard_help": (
            "Mỗi ô: tỷ lệ của tổ chức và ký hiệu kết quả (✓ đạt, ≈ gần đạt, ✗ chưa đạt, – chưa "
            "có số liệu). Bấm tiêu đề cột để sắp xếp; chọn một dòng để xem hồ sơ của tổ chức, "
            "bấm một ô của bảng để mở chỉ tiêu đó cho tổ chức đó; rê chuột lên mã chỉ tiêu để "
            "xem tên.",
            "Each square: the cell's value and a status sign (✓ met, ≈ near, ✗ missed, – no "
            "data). Click a column header to sort; select a row for the cell's profile, click a "
            "square of the table to open that goal for that cell; hover a goal's code for its "
            "name.",
        ),
        "profile_head": ("Hồ sơ: {name}", "Profile: {name}"),
        "pick_cell": ("Chọn tổ chức để xem hồ sơ", "Cell to profile"),
        "reporting_head": ("Tình hình báo cáo", "Reporting"),
        "reporting_help": (
            "Số chỉ số mỗi tổ chức đã báo cáo trong từng năm (trên {n}), cho Đảng bộ và các "
            "tổ chức đang hiện ở bảng điểm trên. Ô trống: chưa báo cáo — không phải số 0.",
            "How many indicators each organisation reported each year (of {n}), for the "
            "committee and the organisations the scorecard above shows. Empty: not "
            "reported — never zero.",
        ),
        "reporting_year_head": (
            "Chi tiết năm {year}: chỉ số đã báo cáo",
            "{year} in detail: indicators reported",
        ),
        "cap_cell_warning": (
            "{n} tổ chức vượt mức trần của quy định ở chỉ tiêu này.",
            "{n} cells exceed the legal cap on this goal.",
        ),
    }
)


# Reports (Word and Excel): the page, the document's wording, the workbook's labels.
STRINGS.update(
    {
        "nav_reports": ("Báo cáo", "Reports"),
        "rep_page_title": ("Báo cáo kết quả thực hiện chỉ tiêu", "Reports on the targets"),
        "rep_page_help": (
            "Báo cáo Word theo thể thức văn bản của Đảng và bảng tính Excel, cho năm đã chọn "
            "hoặc từ đầu nhiệm kỳ đến năm đó, với các tổ chức đang chọn ở thanh bên. Số liệu "
            "trong báo cáo là số liệu trên các trang.",
            "A Word report laid out as a Party document and an Excel workbook, for the chosen "
            "year or the term up to it, for the organisations chosen in the sidebar. The "
            "numbers are those of the pages.",
        ),
        "rep_period": ("Kỳ báo cáo", "Period"),
        "rep_period_year": ("Năm {year}", "Year {year}"),
        "rep_period_term": (
            "Từ đầu nhiệm kỳ đến năm {year} ({first}-{year})",
            "The term up to {year} ({first}-{year})",
        ),
        "rep_letterhead": ("Tiêu đề văn bản", "Letterhead"),
        "rep_superior": ("Cơ quan cấp trên", "Superior body"),
        "rep_issuer": ("Cơ quan ban hành", "Issuing body"),
        "rep_place": ("Địa danh", "Place"),
        "rep_number_label": ("Số, ký hiệu", "Number"),
        "rep_signer_label": ("Thẩm quyền ký", "Signing on behalf of"),
        "rep_charts": ("Kèm biểu đồ", "Include charts"),
        "rep_no_browser": (
            "Máy chủ không có trình duyệt Chromium để vẽ biểu đồ: báo cáo không kèm biểu đồ, "
            "các bảng và số liệu vẫn đầy đủ.",
            "No Chromium browser on the server to draw charts: the report comes without "
            "them, its tables and numbers complete.",
        ),
        "rep_download_docx": ("Tải báo cáo Word (.docx)", "Download the Word report (.docx)"),
        "rep_download_xlsx": ("Tải bảng tính Excel (.xlsx)", "Download the Excel workbook (.xlsx)"),
        "rep_preview": ("Bảng 1 của báo cáo, {period}", "The report's Table 1, {period}"),
        # the document
        "rep_party": ("ĐẢNG CỘNG SẢN VIỆT NAM", "COMMUNIST PARTY OF VIETNAM"),
        "rep_doc_type": ("BÁO CÁO", "REPORT"),
        "rep_number": ("Số      -BC/{abbr}", "No.      -BC/{abbr}"),
        "rep_signer": ("T/M BAN THƯỜNG VỤ", "FOR THE STANDING COMMITTEE"),
        "rep_subject_year": (
            "kết quả thực hiện các chỉ tiêu {resolution}, năm {year}",
            "on the targets of the {resolution}: {year}",
        ),
        "rep_subject_term": (
            "kết quả thực hiện các chỉ tiêu {resolution}, giai đoạn {first}-{year}",
            "on the targets of the {resolution}: {first}-{year}",
        ),
        "rep_period_words_year": ("năm {year}", "{year}"),
        "rep_period_words_term": ("giai đoạn {first}-{year}", "{first}-{year}"),
        "rep_date_line": (
            "{place}, ngày {day} tháng {month} năm {year}",
            "{place}, {day} {month} {year}",
        ),
        "rep_demo": (
            "DỮ LIỆU MẪU: báo cáo này được lập từ dữ liệu minh họa, không phải số liệu thật; "
            "không dùng cho báo cáo chính thức.",
            "DEMO DATA (Dữ liệu mẫu): this report is made from illustrative data, not real "
            "numbers; it is not for official use.",
        ),
        "rep_demo_short": ("Dữ liệu mẫu", "Demo data (Dữ liệu mẫu)"),
        "rep_scope_all": ("toàn Đảng bộ", "the whole committee"),
        "rep_scope_some": (
            "{n} tổ chức cơ sở đảng: {names}",
            "{n} grassroots organisations: {names}",
        ),
        "rep_intro_year": (
            "Báo cáo tổng hợp kết quả thực hiện các chỉ tiêu của Nghị quyết năm {year}, phạm "
            "vi {scope}, từ số liệu đã cập nhật vào hệ thống theo dõi thực hiện Nghị quyết.",
            "This report sums up the results on the resolution's targets in {year}, for "
            "{scope}, from the numbers held by the resolution tracker.",
        ),
        "rep_intro_term": (
            "Báo cáo tổng hợp kết quả thực hiện các chỉ tiêu của Nghị quyết từ năm {first} "
            "đến năm {year}, phạm vi {scope}, từ số liệu đã cập nhật vào hệ thống theo dõi "
            "thực hiện Nghị quyết.",
            "This report sums up the results on the resolution's targets from {first} to "
            "{year}, for {scope}, from the numbers held by the resolution tracker.",
        ),
        "rep_summary": (
            "Năm {year} có {met}/{total} chỉ tiêu đạt",
            "In {year}, {met} of {total} goals were met",
        ),
        "rep_summary_near": ("{n} chỉ tiêu gần đạt", "{n} near"),
        "rep_summary_missed": ("{n} chỉ tiêu chưa đạt", "{n} missed"),
        "rep_summary_no_data": ("{n} chỉ tiêu chưa có số liệu", "{n} without data"),
        "rep_and": (" và ", " and "),
        "rep_sec_results": ("I. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", "I. RESULTS"),
        "rep_sec_goals": ("II. KẾT QUẢ TỪNG CHỈ TIÊU", "II. GOAL BY GOAL"),
        "rep_sec_annual": ("1. Các chỉ tiêu hằng năm", "1. Annual targets"),
        "rep_sec_term": ("2. Các chỉ tiêu cả nhiệm kỳ", "2. Whole-term targets"),
        "rep_sec_qual": (
            "3. Các chỉ tiêu định tính và nhiệm vụ trọng tâm",
            "3. Qualitative goals and key tasks",
        ),
        "rep_sec_source": ("III. NGUỒN SỐ LIỆU VÀ CÁCH TÍNH", "III. DATA AND METHOD"),
        "rep_table_caption": (
            "Bảng 1. Kết quả thực hiện các chỉ tiêu {period}",
            "Table 1. Results on the targets, {period}",
        ),
        "rep_qual_caption": (
            "Bảng 2. Đánh giá các chỉ tiêu định tính, nhiệm vụ trọng tâm {period}",
            "Table 2. Assessments of the qualitative goals, {period}",
        ),
        "rep_col_no": ("TT", "No."),
        "rep_col_goal": ("Chỉ tiêu", "Goal"),
        "rep_col_target": ("Chỉ tiêu Nghị quyết", "Target"),
        "rep_col_year": ("Năm {year}", "{year}"),
        "rep_col_assess_year": ("Đánh giá năm {year}", "Assessment {year}"),
        "rep_col_assess_term": ("Đánh giá {first}-{year}", "Assessment {first}-{year}"),
        "rep_col_result": ("Kết quả", "Result"),
        "rep_group_annual": ("Chỉ tiêu hằng năm", "Annual targets"),
        "rep_group_term": ("Chỉ tiêu cả nhiệm kỳ (số lũy kế)", "Whole-term targets (cumulative)"),
        "rep_group_qual": (
            "Chỉ tiêu định tính, nhiệm vụ trọng tâm",
            "Qualitative goals and key tasks",
        ),
        "rep_table_legend": (
            "Ghi chú: “–” là chưa có số liệu; chỉ tiêu cả nhiệm kỳ ghi số lũy kế từ đầu nhiệm "
            "kỳ đến hết từng năm.",
            "Note: “–” means no data; whole-term targets show the total from the start of "
            "the term to the end of each year.",
        ),
        "rep_exceeded": ("Vượt", "Exceeded"),
        "rep_met_years": ("Đạt {k}/{n} năm", "Met {k} of {n} years"),
        "rep_target_rating": ("{name} trở lên", "{name} or better"),
        "rep_rating_full": (
            "hoàn thành xuất sắc nhiệm vụ|hoàn thành tốt nhiệm vụ|hoàn thành nhiệm vụ|"
            "không hoàn thành nhiệm vụ",
            "completed tasks excellently|completed tasks well|completed tasks|"
            "did not complete tasks",
        ),
        # one paragraph per goal, written from the numbers
        "rep_p_ratio": (
            "Năm {year} đạt {value} ({numbers}), {compare}.",
            "In {year}: {value} ({numbers}), {compare}.",
        ),
        "rep_cmp_exceed_pts": (
            "vượt {diff} điểm % so với chỉ tiêu ({target})",
            "{diff} points above the target ({target})",
        ),
        "rep_cmp_equal": ("đạt chỉ tiêu ({target})", "meeting the target ({target})"),
        "rep_cmp_near_pts": (
            "gần đạt chỉ tiêu ({target}), thấp hơn {diff} điểm %",
            "near the target ({target}), {diff} points below it",
        ),
        "rep_cmp_missed_pts": (
            "chưa đạt chỉ tiêu ({target}), thấp hơn {diff} điểm %",
            "short of the target ({target}) by {diff} points",
        ),
        "rep_prev_up": (
            "tăng {diff} điểm % so với năm {year} ({value})",
            "{diff} points up on {year} ({value})",
        ),
        "rep_prev_down": (
            "giảm {diff} điểm % so với năm {year} ({value})",
            "{diff} points down on {year} ({value})",
        ),
        "rep_prev_same": ("bằng năm {year}", "the same as in {year}"),
        "rep_p_count": (
            "Năm {year} thực hiện được {value}, {compare}.",
            "In {year}: {value}, {compare}.",
        ),
        "rep_cmp_exceed_n": (
            "vượt {diff} so với chỉ tiêu ({target})",
            "{diff} above the target ({target})",
        ),
        "rep_cmp_near_n": (
            "gần đạt chỉ tiêu ({target}), còn thiếu {diff}",
            "near the target ({target}), {diff} short",
        ),
        "rep_cmp_missed_n": (
            "chưa đạt chỉ tiêu ({target}), còn thiếu {diff}",
            "short of the target ({target}) by {diff}",
        ),
        "rep_p_rating": (
            "Năm {year}, mức xếp loại thấp nhất là “{value}”, {compare}.",
            "In {year}, the lowest rating was “{value}”, {compare}.",
        ),
        "rep_cmp_rating_met": (
            "đạt chỉ tiêu ({target} trở lên)",
            "meeting the target ({target} or better)",
        ),
        "rep_cmp_rating_missed": (
            "chưa đạt chỉ tiêu ({target} trở lên)",
            "short of the target ({target} or better)",
        ),
        "rep_p_rating_partial": (
            "Năm {year} mới có {reported}/{expected} xếp loại, chưa đủ để đánh giá.",
            "In {year} only {reported} of {expected} ratings are in: too few to assess.",
        ),
        "rep_p_term": (
            "Lũy kế {first}-{year}: {value}, bằng {share} chỉ tiêu cả nhiệm kỳ ({target}).",
            "Total {first}-{year}: {value}, {share} of the whole-term target ({target}).",
        ),
        "rep_p_term_pace": (
            "Tiến độ bình quân cần đạt đến hết năm {year} là {pace}: {pace_status}.",
            "The even pace to the end of {year} is {pace}: {pace_status}.",
        ),
        "rep_p_term_projection": (
            "Nếu giữ tốc độ bình quân các năm qua, đến năm {end} ước đạt {value}, {verdict}.",
            "At the average yearly rate so far, {end} would end at {value}, {verdict}.",
        ),
        "rep_proj_exceeds": ("vượt chỉ tiêu", "above the target"),
        "rep_proj_meets": ("đạt chỉ tiêu", "meeting the target"),
        "rep_proj_short": ("chưa đạt chỉ tiêu", "short of the target"),
        "rep_p_term_final": (
            "Cả nhiệm kỳ {first}-{year}: {value}, {compare}.",
            "Whole term {first}-{year}: {value}, {compare}.",
        ),
        "rep_p_no_data": ("Năm {year} chưa có số liệu.", "No data for {year}."),
        "rep_p_qual": ("Năm {year}: {status}.", "{year}: {status}."),
        "rep_p_years_met": (
            "Giai đoạn {first}-{year}: đạt chỉ tiêu {k}/{n} năm có số liệu{extremes}.",
            "{first}-{year}: target met in {k} of {n} years with data{extremes}.",
        ),
        "rep_extremes": (
            "; cao nhất {high} (năm {high_year}), thấp nhất {low} (năm {low_year})",
            "; highest {high} ({high_year}), lowest {low} ({low_year})",
        ),
        "rep_coverage": (
            "Số liệu tổng hợp từ {reported}/{expected} tổ chức cơ sở đảng đã báo cáo đủ.",
            "Summed over the {reported} of {expected} grassroots organisations that reported "
            "in full.",
        ),
        "rep_cells_missed": (
            "Năm {year}, tổ chức chưa đạt ({n}): {names}",
            "In {year}, organisations that missed it ({n}): {names}",
        ),
        "rep_cells_near": ("gần đạt ({n}): {names}", "near ({n}): {names}"),
        "rep_cells_near_first": (
            "Năm {year}, tổ chức gần đạt ({n}): {names}",
            "In {year}, organisations near it ({n}): {names}",
        ),
        "rep_cells_unreported": (
            "{n} tổ chức chưa báo cáo đủ số liệu",
            "{n} did not report in full",
        ),
        "rep_cells_all_met": (
            "Năm {year}, cả {n} tổ chức đã báo cáo đều đạt chỉ tiêu",
            "In {year}, all {n} organisations that reported met it",
        ),
        "rep_cell_met_years": ("đạt {k}/{n} năm", "met {k} of {n} years"),
        "rep_cells_more": ("{names} và {n} tổ chức khác", "{names} and {n} more"),
        "rep_cells_workbook": (
            "Danh sách đầy đủ ở trang “Kết quả theo tổ chức” của bảng tính Excel.",
            "The full list is on the “By organisation” sheet of the Excel workbook.",
        ),
        "rep_excluded": (
            "Các chỉ tiêu đánh giá ở cấp Đảng bộ ({codes}) không tính cho phạm vi đã chọn.",
            "Goals measured at committee level ({codes}) do not apply to the selection.",
        ),
        "rep_no_term_goals": (
            "Không có chỉ tiêu cả nhiệm kỳ trong phạm vi đã chọn.",
            "No whole-term goal applies to the selection.",
        ),
        "rep_chart_caption": ("Biểu đồ {n}. {title}", "Chart {n}. {title}"),
        "rep_chart_target": ("Chỉ tiêu", "Target"),
        "rep_chart_pace": ("Tiến độ bình quân", "Even pace"),
        "rep_chart_cumulative": ("Lũy kế", "Cumulative"),
        "rep_chart_ratios": (
            "Kết quả các chỉ tiêu tỷ lệ năm {year} so với chỉ tiêu Nghị quyết",
            "Ratio goals in {year} against the resolution's targets",
        ),
        "rep_chart_trends": (
            "Các chỉ tiêu tỷ lệ qua các năm {first}-{year} (đường đứt: chỉ tiêu)",
            "Ratio goals year by year, {first}-{year} (dashed: target)",
        ),
        "rep_chart_term": (
            "Chỉ tiêu cả nhiệm kỳ: số lũy kế, tiến độ bình quân và chỉ tiêu",
            "Whole-term goals: cumulative total, even pace and target",
        ),
        "rep_made": (
            "Báo cáo lập lúc {when} từ cơ sở dữ liệu của hệ thống theo dõi thực hiện Nghị quyết.",
            "Made at {when} from the resolution tracker's database.",
        ),
        "rep_source": (
            "Số liệu cập nhật lần cuối lúc {when} (lần cập nhật số {batch}, tệp “{file}”).",
            "Data last updated at {when} (batch {batch}, file “{file}”).",
        ),
        "rep_source_none": ("Chưa có lần cập nhật số liệu nào.", "No data has been applied."),
        "rep_method_ratio": (
            "Tỷ lệ bằng tổng tử số chia tổng mẫu số của các tổ chức đã báo cáo đủ các số liệu "
            "của chỉ tiêu; tổ chức thiếu một số liệu không được tính vào chỉ tiêu đó.",
            "A ratio is the sum of numerators over the sum of denominators of the "
            "organisations that reported every number the goal uses.",
        ),
        "rep_method_status": (
            "Đạt: bằng hoặc vượt chỉ tiêu; gần đạt: thấp hơn không quá 5 điểm % (tỷ lệ) hoặc "
            "đạt từ 90% chỉ tiêu (số lượng); chưa đạt: thấp hơn mức đó.",
            "Met: at or above the target; near: within 5 points (ratios) or at 90% of it "
            "(counts); missed: below that.",
        ),
        "rep_method_term": (
            "Chỉ tiêu cả nhiệm kỳ: tiến độ bình quân bằng chỉ tiêu nhân số năm đã qua chia "
            "{n} năm báo cáo của nhiệm kỳ; dự báo theo tốc độ bình quân các năm đã qua.",
            "Whole-term goals: the even pace is the target times the years elapsed over the "
            "term's {n} reporting years; the projection goes on at the average yearly rate.",
        ),
        "rep_recipients": ("Nơi nhận:", "Distribution:"),
        "rep_recipient_lines": (
            "- Ban Thường vụ Đảng ủy,|- Lưu Văn phòng Đảng ủy.",
            "- The Standing Committee,|- Office archive.",
        ),
        "rep_months_en": (
            "January|February|March|April|May|June|July|August|September|October|November|December",
            "January|February|March|April|May|June|July|August|September|October|November|December",
        ),
        # the workbook
        "xl_sheet_goals": ("Chỉ tiêu {period}", "Goals {period}"),
        "xl_sheet_cells": ("Kết quả theo tổ chức", "By organisation"),
        "xl_sheet_raw": ("Số liệu gốc", "Raw numbers"),
        "xl_sheet_info": ("Thông tin", "About"),
        "xl_col_code": ("Mã", "Code"),
        "xl_col_kind": ("Loại", "Kind"),
        "xl_col_unit": ("Đơn vị tính", "Unit"),
        "xl_col_numerator": ("Tử số {year}", "Numerator {year}"),
        "xl_col_denominator": ("Mẫu số {year}", "Denominator {year}"),
        "xl_col_reported": ("Số tổ chức đã báo cáo {year}", "Reported {year}"),
        "xl_col_pace": ("Tiến độ bình quân {year}", "Even pace {year}"),
        "xl_col_projection": ("Dự báo năm {end}", "Projected {end}"),
        "xl_col_note": ("Nhận xét, ghi chú", "Notes"),
        "xl_col_met": ("Số chỉ tiêu đạt", "Goals met"),
        "xl_kind_ratio": ("Tỷ lệ (%)", "Ratio (%)"),
        "xl_kind_count": ("Số lượng", "Count"),
        "xl_kind_rating": ("Xếp loại", "Rating"),
        "xl_kind_term": ("Lũy kế nhiệm kỳ", "Term total"),
        "xl_kind_qualitative": ("Định tính", "Qualitative"),
        "xl_info_report": ("Báo cáo", "Report"),
        "xl_info_resolution": ("Nghị quyết", "Resolution"),
        "xl_info_scope": ("Phạm vi", "Scope"),
        "xl_info_period": ("Kỳ báo cáo", "Period"),
        "xl_info_made": ("Lập lúc", "Made at"),
        "xl_info_source": ("Dữ liệu", "Data"),
        "xl_info_colours": ("Màu trạng thái", "Status colours"),
        "xl_info_method": ("Cách tính", "Method"),
        "cli_report_written": ("Đã ghi {path} ({period}).", "Wrote {path} ({period})."),
        "cli_report_no_charts": (
            "Không vẽ được biểu đồ (không tìm thấy trình duyệt Chromium, hoặc trình duyệt lỗi): "
            "báo cáo không kèm biểu đồ.",
            "Charts could not be drawn (no Chromium browser found, or it failed): the report "
            "comes without them.",
        ),
    }
)

# issue 11: undo (what it will do, asked first; why it is refused)
STRINGS.update(
    {
        "undo_refused": (
            "Không hoàn tác được lần cập nhật {batch}.",
            "Batch {batch} cannot be undone.",
        ),
        "undo_no_batch": ("Không có lần cập nhật số {batch}.", "There is no batch {batch}."),
        "undo_already": (
            "Lần cập nhật {batch} đã được hoàn tác trước đó.",
            "Batch {batch} is already undone.",
        ),
        "undo_conflict_refused": (
            "Lần cập nhật {batch}: {n} giá trị đã được các lần cập nhật sau ({later}) thay đổi; "
            "hoàn tác sẽ giữ các giá trị đó như các lần sau đã ghi.",
            "Batch {batch}: {n} values were changed by later batches ({later}); undoing keeps "
            "them as those later batches wrote them.",
        ),
        "undo_force_hint": (
            "Thêm --force để vẫn hoàn tác.",
            "Add --force to undo anyway.",
        ),
        "undo_dependents": (
            "Không hoàn tác được lần cập nhật {batch}: sau khi hoàn tác, {values} giá trị số "
            "liệu sẽ thuộc các tổ chức không còn nữa và {children} tổ chức sẽ trực thuộc một "
            "tổ chức cấp trên không còn hoặc không đúng loại (các tổ chức: {codes}). Hãy hoàn "
            "tác trước các lần cập nhật số liệu hoặc danh sách tổ chức đến sau, hoặc tải lên "
            "danh sách tổ chức đã sửa.",
            "Batch {batch} cannot be undone: after it, {values} values would belong to "
            "organisations that are gone and {children} organisations would be under a parent "
            "that is gone or of the wrong kind (organisations: {codes}). Undo the later batches "
            "of values or organisations first, or upload a corrected organisations file.",
        ),
        "undo_stale": (
            "Dữ liệu vừa được cập nhật (ở thẻ khác hoặc bởi người khác) sau khi trang hiển thị "
            "nội dung hoàn tác: lần cập nhật {batch} chưa được hoàn tác. Hãy xem lại rồi xác nhận "
            "lần nữa.",
            "The data changed (in another tab or by someone else) after this page showed what "
            "undoing would do: batch {batch} was not undone. Look again and confirm once more.",
        ),
        "undo_confirm_head": ("Hoàn tác sẽ làm gì", "What undoing will do"),
        "undo_confirm_summary": (
            "Hoàn tác lần cập nhật {batch} — tệp «{file}», nạp lúc {when}: {parts}.",
            "Undo batch {batch} — file «{file}», applied {when}: {parts}.",
        ),
        "undo_part_restored": (
            "{n} giá trị trở về giá trị trước đó",
            "{n} values go back to what they were before",
        ),
        "undo_part_removed": (
            "{n} giá trị bị bỏ (trước lần này chưa có)",
            "{n} values go (there were none before)",
        ),
        "undo_part_orgs": ("{n} tổ chức trở về như trước", "{n} organisations restored"),
        "undo_part_orgs_removed": (
            "{n} tổ chức bị bỏ (trước lần này chưa có)",
            "{n} organisations go (they did not exist before)",
        ),
        "undo_part_assessments_removed": (
            "{n} kết quả đánh giá bị bỏ (trước lần này chưa có)",
            "{n} assessments go (there were none before)",
        ),
        "undo_part_assessments": (
            "{n} kết quả đánh giá trở về như trước",
            "{n} assessments restored",
        ),
        "undo_confirm_kept": (
            "{n} giá trị đã được các lần cập nhật sau ({later}) thay đổi: các giá trị đó giữ "
            "nguyên như các lần sau đã ghi.",
            "{n} values were changed by later batches ({later}): they keep the values those "
            "later batches wrote.",
        ),
        "undo_confirm_nothing": (
            "Hoàn tác lần cập nhật {batch} (tệp «{file}», nạp lúc {when}) không làm thay đổi "
            "giá trị nào: các lần cập nhật sau đã ghi đè toàn bộ.",
            "Undoing batch {batch} (file «{file}», applied {when}) changes no value: later "
            "batches have overwritten all of it.",
        ),
        "undo_confirm_check": (
            "Tôi đã xem và đồng ý hoàn tác lần cập nhật {batch}",
            "I have read this and want to undo batch {batch}",
        ),
        "undo_changes_head": ("Các giá trị sẽ thay đổi", "Values that change"),
        "undo_changes_first": (
            "Các giá trị sẽ thay đổi ({n} dòng đầu)",
            "Values that change (the first {n})",
        ),
        "col_now": ("Hiện tại", "Now"),
        "col_after_undo": ("Sau khi hoàn tác", "After undo"),
        "cli_batch_made": ("lần cập nhật {batch}", "batch {batch}"),
        "nothing_new_cli": (
            "{file}: tệp không thêm hay thay đổi giá trị nào so với dữ liệu hiện có; không ghi gì.",
            "{file}: the file adds or changes no value against the data held; nothing written.",
        ),
    }
)


# issue 11: user text, network, password
STRINGS.update(
    {
        "password_wrong": ("Sai mật khẩu.", "Wrong password."),
        "net_needs_password": (
            "Không mở bảng theo dõi cho mạng cơ quan khi chưa đặt mật khẩu cập nhật: ai trong "
            "mạng cũng có thể sửa số liệu. Đặt biến môi trường DASHBOARD_EDITOR_PASSWORD (hoặc "
            "editor_password trong .streamlit/secrets.toml) rồi chạy lại.",
            "The dashboard is not opened to the office network without an editor password: "
            "anyone on the network could change the numbers. Set DASHBOARD_EDITOR_PASSWORD (or "
            "editor_password in .streamlit/secrets.toml) and start it again.",
        ),
        "net_unknown": (
            "DASHBOARD_NETWORK={value} không hợp lệ: dùng local (chỉ máy này, mặc định) hoặc "
            "office (mạng cơ quan).",
            "DASHBOARD_NETWORK={value} is not valid: use local (this machine only, the default) "
            "or office (the office network).",
        ),
        "net_refused": (
            "Bảng theo dõi đang mở cho mạng (địa chỉ {address}) nhưng chưa đặt mật khẩu cập "
            "nhật, nên không hiển thị trang nào. Người quản trị: đặt DASHBOARD_EDITOR_PASSWORD "
            "(hoặc editor_password trong .streamlit/secrets.toml), hoặc chạy chỉ cho máy này.",
            "The dashboard listens on the network (address {address}) but no editor password is "
            "set, so no page is shown. Administrator: set DASHBOARD_EDITOR_PASSWORD (or "
            "editor_password in .streamlit/secrets.toml), or run it for this machine only.",
        ),
        "password_locked": (
            "Đã nhập sai mật khẩu quá nhiều lần: đến {until} mọi mật khẩu đều bị từ chối, kể cả "
            "mật khẩu đúng.",
            "Too many wrong passwords: until {until} every password is refused, even the right "
            "one.",
        ),
    }
)


# issue 11: disks and damaged files
STRINGS.update(
    {
        "disk_full": (
            "Không đủ chỗ trống trên đĩa chứa thư mục {folder}{room}.",
            "Not enough free space on the disk of the folder {folder}{room}.",
        ),
        "disk_free_some": (
            "Hãy giải phóng chỗ trống (xoá hoặc chuyển bớt tệp) rồi thử lại.",
            "Free some space (delete or move files) and try again.",
        ),
        "disk_room": (
            " (cần khoảng {need}, còn trống {free})",
            " (about {need} needed, {free} free)",
        ),
        "disk_nothing_written": (
            "Không có gì được ghi: cơ sở dữ liệu vẫn như trước.",
            "Nothing was written: the database is as it was.",
        ),
        "disk_written_later": (
            "Thay đổi đã được ghi vào cơ sở dữ liệu (có trong lịch sử cập nhật), nhưng chưa cập "
            "nhật được các bảng tổng hợp: {why} Các bảng này tự cập nhật ở lần đọc hoặc lần ghi "
            "sau; số liệu hiển thị vẫn đúng.",
            "The change is written to the database (it is in the history), but the summary "
            "tables could not be brought up to date: {why} They catch up on the next read or "
            "write; the numbers shown stay right.",
        ),
        "disk_unknown": (
            "Không biết chắc thay đổi đã được ghi hay chưa: hãy xem lịch sử cập nhật "
            "(python -m src.cli history) trước khi thử lại.",
            "It is not certain whether the change was written: look at the history "
            "(python -m src.cli history) before trying again.",
        ),
        "disk_read_only": (
            "Không ghi được vào {path}: tệp hoặc thư mục chứa nó chỉ cho phép đọc (hoặc không "
            "có quyền ghi). Vẫn xem và xuất được số liệu; để cập nhật, hãy cấp quyền ghi hoặc "
            "chép cơ sở dữ liệu sang thư mục ghi được.",
            "Cannot write to {path}: the file or its folder is read-only (or you may not write "
            "there). Viewing and exporting still work; to update, allow writing or copy the "
            "database to a folder that can be written.",
        ),
        "disk_damaged": (
            "Không đọc được cơ sở dữ liệu {path}: tệp bị hỏng (có thể do máy tắt đột ngột khi "
            "đang ghi, hoặc tệp bị cắt ngắn, bị ghi đè).",
            "The database {path} cannot be read: the file is damaged (perhaps cut off while it "
            "was being written, or truncated or overwritten).",
        ),
        "disk_restore_how": (
            "Bản sao lưu gần nhất: {backup} (lúc {when}). Để khôi phục: đóng trang theo dõi rồi "
            "chạy “python -m src.cli restore”, hoặc bấm “Khôi phục bản sao lưu” trên trang. "
            "Tệp hỏng được giữ lại bên cạnh, không bị xoá.",
            "The latest backup is {backup} (made {when}). To restore it: stop the dashboard and "
            "run “python -m src.cli restore”, or press “Restore the backup” on the page. The "
            "damaged file is kept aside, not deleted.",
        ),
        "disk_no_backup": (
            "Không có bản sao lưu nào trong {folder}.",
            "There is no backup in {folder}.",
        ),
        "disk_restore_missing": (
            "{backup}: không tìm thấy tệp sao lưu.",
            "{backup}: no such backup file.",
        ),
        "disk_restore_unusable": (
            "{backup} không dùng được để khôi phục (không mở được, hoặc không phải cơ sở dữ "
            "liệu của trang theo dõi): {why}",
            "{backup} cannot be restored (it does not open, or is not a database of this "
            "dashboard): {why}",
        ),
        "disk_restored": (
            "Đã khôi phục {path} từ bản sao lưu {backup} (lúc {when}). Tệp cũ được chuyển sang: "
            "{aside}.",
            "Restored {path} from the backup {backup} (made {when}). The old file was moved to: "
            "{aside}.",
        ),
        "disk_restore_button": ("Khôi phục bản sao lưu", "Restore the backup"),
        "disk_restore_password": ("Mật khẩu cập nhật", "Editor password"),
        "disk_restore_wrong_password": (
            "Mật khẩu không đúng: chưa khôi phục.",
            "Wrong password: nothing restored.",
        ),
    }
)


# issue 11: hostile files
STRINGS.update(
    {
        "e_not_xlsx": (
            "không phải là tệp Excel (.xlsx) hợp lệ: tệp không mở được như một bảng tính "
            "Excel (có thể là tệp CSV được đổi tên thành .xlsx, hoặc tệp bị hỏng). Hãy mở "
            "tệp và lưu lại đúng dạng: CSV UTF-8 (tên tệp kết thúc bằng .csv) hoặc Excel "
            "Workbook (.xlsx).",
            "not a valid Excel (.xlsx) file: it does not open as an Excel workbook (it may be "
            "a CSV file renamed to .xlsx, or damaged). Open it and save it properly: as UTF-8 "
            "CSV (a name ending in .csv) or as Excel Workbook (.xlsx).",
        ),
        "e_xls_old": (
            "đây là tệp Excel đời cũ (.xls, Excel 97-2003), không đọc được. Hãy mở tệp trong "
            "Excel, chọn Lưu thành (Save As) Excel Workbook (.xlsx) hoặc CSV UTF-8 rồi tải lên.",
            "this is an old Excel file (.xls, Excel 97-2003), which cannot be read. Open it in "
            "Excel, Save As Excel Workbook (.xlsx) or UTF-8 CSV, and upload that.",
        ),
        "e_xlsx_encrypted": (
            "tệp Excel được đặt mật khẩu (mã hóa) nên không đọc được. Hãy mở tệp trong Excel, "
            "bỏ mật khẩu (Tệp → Thông tin → Bảo vệ sổ làm việc), lưu lại rồi tải lên.",
            "the Excel file is protected by a password (encrypted) and cannot be read. Open it "
            "in Excel, remove the password (File → Info → Protect Workbook), save and upload.",
        ),
        "e_xlsx_ods": (
            "không mở được tệp Excel: đây là bảng tính OpenDocument (.ods, của LibreOffice). "
            "Hãy mở tệp, chọn Lưu thành (Save As) Excel 2007-365 (.xlsx) hoặc CSV UTF-8 rồi "
            "tải lên.",
            "cannot open the Excel file: it is an OpenDocument spreadsheet (.ods, from "
            "LibreOffice). Open it, Save As Excel 2007-365 (.xlsx) or UTF-8 CSV, and upload "
            "that.",
        ),
        "e_xlsx_xlsb": (
            "không mở được tệp Excel: đây là sổ làm việc nhị phân (.xlsb). Hãy mở tệp trong "
            "Excel, chọn Lưu thành (Save As) Excel Workbook (.xlsx) hoặc CSV UTF-8 rồi tải lên.",
            "cannot open the Excel file: it is a binary workbook (.xlsb). Open it in Excel, "
            "Save As Excel Workbook (.xlsx) or UTF-8 CSV, and upload that.",
        ),
        "e_xlsx_too_big": (
            "tệp Excel quá lớn hoặc bất thường để đọc ({what}): tệp .xlsx chỉ dùng cho tệp "
            "nhỏ (tối đa 2.000.000 ô, 256 MB khi giải nén). Hãy lưu số liệu thành tệp CSV "
            "UTF-8 rồi tải lên.",
            "the Excel file is too big or unusual to read ({what}): .xlsx is for small files "
            "(at most 2,000,000 cells, 256 MB unpacked). Save the numbers as UTF-8 CSV and "
            "upload that.",
        ),
        "e_xlsx_formula": (
            "ô {cell} (trang “{sheet}”) là công thức chưa có giá trị tính sẵn: mở tệp trong "
            "Excel, lưu lại rồi tải lên (hoặc nhập số thay cho công thức).",
            "cell {cell} (sheet “{sheet}”) is a formula with no computed value saved: open "
            "the file in Excel, save it and upload it again (or type the number instead).",
        ),
        "e_xlsx_other_sheets": (
            "trang tính {sheets} cũng có dữ liệu, nhưng chỉ trang đầu tiên (“{first}”) được "
            "đọc: chuyển số liệu sang trang đầu tiên hoặc tải từng trang lên thành một tệp "
            "riêng, rồi xóa các trang thừa.",
            "the sheet(s) {sheets} hold data too, but only the first sheet (“{first}”) is read: "
            "move the numbers to the first sheet or upload each sheet as a file of its own, "
            "then delete the extra sheets.",
        ),
        "w_ignored_column": (
            "cột này có dữ liệu nhưng không được đọc (tệp dạng dọc chỉ đọc các cột year, "
            "org_code, indicator_code, value): số liệu trong cột sẽ không được ghi.",
            "this column holds data but is not read (a long file reads only year, org_code, "
            "indicator_code, value): what it holds is not recorded.",
        ),
        "w_ignored_unnamed": (
            "cột không có tên ở dòng tiêu đề nhưng có dữ liệu, nên không được đọc; đặt tên "
            "cột (mã chỉ số) nếu cần ghi số liệu đó.",
            "the column has no name in the header but holds data, so it is not read; name it "
            "(an indicator code) if its numbers are meant to be recorded.",
        ),
        "e_bad_grouping": (
            "“{value}” có dấu phân cách hàng nghìn sai chỗ: sau mỗi dấu phân cách phải có đúng "
            "3 chữ số (ví dụ 1.234.567 hoặc 1.234,5), và chỉ có một dấu thập phân.",
            "“{value}” has its thousands separators in the wrong places: each must be followed "
            "by exactly 3 digits (e.g. 1,234,567 or 1,234.5), with one decimal mark at most.",
        ),
        "e_number_too_big": (
            "{value} quá lớn hoặc không phải số hữu hạn: số lượng phải là số nguyên không quá "
            "9.007.199.254.740.992 (2^53) và được lưu chính xác từng chữ số.",
            "{value} is too large or not a finite number: a count must be a whole number of at "
            "most 9,007,199,254,740,992 (2^53), stored exactly digit for digit.",
        ),
        "e_code_case": (
            "mã “{value}” trùng với mã “{other}” (dòng {other_row}) nếu không phân biệt chữ "
            "hoa, chữ thường, khoảng trắng hay cách gõ dấu; dùng đúng một cách viết.",
            "the code “{value}” is the same as “{other}” (row {other_row}) but for case, spaces "
            "or Unicode form; write it one way.",
        ),
        "e_code_case_db": (
            "mã “{value}” trùng với tổ chức đã có “{other}” nếu không phân biệt chữ hoa, chữ "
            "thường, khoảng trắng hay cách gõ dấu; dùng đúng mã “{other}”.",
            "the code “{value}” is the existing organisation “{other}” but for case, spaces or "
            "Unicode form; write it “{other}”.",
        ),
        "e_second_root": (
            "“{value}” và “{root}” là hai Đảng bộ (root) cùng hoạt động {when}: mỗi năm chỉ"
            " có một Đảng bộ. Khi Đảng bộ được hợp nhất hay thành lập mới, ghi năm kết thúc"
            " (den_nam) cho Đảng bộ cũ và năm bắt đầu (tu_nam) sau đó cho Đảng bộ mới; để sửa"
            " thông tin của Đảng bộ đang có, dùng đúng mã “{root}”.",
            "“{value}” and “{root}” are two roots (committees) active {when}: one committee"
            " a year. When the committee is merged or founded anew, give the old one its last"
            " year (active_to) and the new one a later first year (active_from); to change the"
            " committee's row, use its code “{root}”.",
        ),
        "e_has_subcells": (
            "“{value}” đang có chi bộ trực thuộc ({children}); chỉ đảng bộ cơ sở "
            "(grassroots_committee) mới có chi bộ trực thuộc. Giữ loại grassroots_committee "
            "hoặc chuyển các chi bộ trực thuộc sang đảng bộ khác trước.",
            "“{value}” has subcells ({children}); only a grassroots_committee can have them. "
            "Keep it a grassroots_committee or move its subcells to another committee first.",
        ),
        "e_has_members": (
            "“{value}” là cấp trên của {children}; đổi loại thành {kind} thì các tổ chức này "
            "không còn cấp trên hợp lệ. Chuyển chúng sang cấp trên khác trước.",
            "“{value}” is the parent of {children}; as a {kind} it could not be. Move them to "
            "another parent first.",
        ),
        "w_org_values_stop_counting": (
            "tổ chức “{org}” sẽ hoạt động {span}: {n} giá trị đã có của năm {years} vẫn được "
            "giữ nhưng không còn được tính vào chỉ tiêu.",
            "“{org}” will be active {span}: {n} values already held for {years} are kept but "
            "no longer counted.",
        ),
    }
)


# Resolutions as data (issue 12): the command line's words for installing, listing and
# exporting a resolution workbook.
STRINGS.update(
    {
        "res_summary": (
            "Nghị quyết {code}: {name} (nhiệm kỳ {start}-{end}), {goals} chỉ tiêu, {indicators}"
            " chỉ số riêng; sẽ cài đặt là phiên bản {version}.",
            "Resolution {code}: {name} ({start}-{end} term), {goals} goals, {indicators} own"
            " indicators; to be installed as version {version}.",
        ),
        "res_replaces": (
            "Thay phiên bản đang dùng: {added} chỉ tiêu mới, {changed} thay đổi, {unchanged}"
            " giữ nguyên, {removed} bỏ đi. Mọi số liệu đã có được giữ nguyên.",
            "Replaces the installed version: {added} goals new, {changed} changed, {unchanged}"
            " as they were, {removed} removed. Every value held is kept.",
        ),
        "res_installed": (
            "Đã cài đặt nghị quyết {code}, phiên bản {version} → lần cập nhật {batch}.",
            "Installed resolution {code}, version {version} → batch {batch}.",
        ),
        "res_refused": (
            "{file}: không cài đặt, {n} lỗi (xem trên). Chưa có gì thay đổi.",
            "{file}: not installed, {n} problems (above). Nothing was changed.",
        ),
        "res_unknown": (
            "Không có nghị quyết mã “{code}”. Các nghị quyết đã cài đặt: {known}.",
            "No resolution with code “{code}”. Installed: {known}.",
        ),
        "res_list_line": (
            "{code}  {name}  ({start}-{end}, {goals} chỉ tiêu, phiên bản {version})",
            "{code}  {name}  ({start}-{end}, {goals} goals, version {version})",
        ),
    }
)


# The "Nghị quyết" page (issue 12).
STRINGS.update(
    {
        "nav_resolutions": ("Nghị quyết", "Resolutions"),
        "res_title": ("Nghị quyết và chỉ tiêu", "Resolutions and their goals"),
        "res_intro": (
            "Mỗi nghị quyết là một sổ Excel gồm ba trang: Nghị quyết, Chỉ số, Chỉ tiêu (xem"
            " docs/resolutions.md). Cài đặt một phiên bản mới thay các chỉ tiêu và giữ nguyên mọi"
            " số liệu; mỗi lần cài đặt là một lần cập nhật trong lịch sử và có thể hoàn tác.",
            "Each resolution is an Excel workbook of three sheets: resolution, indicators, goals"
            " (see docs/resolutions.md). Installing a new version replaces its goals and keeps"
            " every value; each install is a batch in the history and can be undone.",
        ),
        "res_installed_head": ("Các nghị quyết đã cài đặt", "Installed resolutions"),
        "res_col_code": ("Mã", "Code"),
        "res_col_name": ("Tên nghị quyết", "Name"),
        "res_col_term": ("Nhiệm kỳ", "Term"),
        "res_col_years": ("Năm báo cáo", "Reporting years"),
        "res_col_base": ("Năm gốc (đầu nhiệm kỳ)", "Base year"),
        "res_col_goals": ("Số chỉ tiêu", "Goals"),
        "res_col_version": ("Phiên bản", "Version"),
        "res_col_source": ("Nguồn", "Installed from"),
        "res_col_default": ("Mặc định", "Default"),
        "res_source_shipped": ("kèm theo chương trình", "shipped with the program"),
        "res_source_batch": ("lần cập nhật {batch}", "batch {batch}"),
        "res_col_sheet": ("Trang", "Sheet"),
        "res_col_goal": ("Mã chỉ tiêu", "Goal"),
        "res_col_title": ("Chỉ tiêu", "Title"),
        "res_col_computed": ("Cách tính", "How it is computed"),
        "res_default_head": ("Nghị quyết mặc định", "Default resolution"),
        "res_default_help": (
            "Nghị quyết mà mọi trang mở ra khi chưa chọn nghị quyết nào.",
            "The resolution every page opens on until another is chosen.",
        ),
        "res_default_set": ("Đặt làm mặc định", "Make it the default"),
        "res_default_done": (
            "Đã đặt “{name}” làm nghị quyết mặc định.",
            "“{name}” is now the default resolution.",
        ),
        "res_download_head": (
            "Tải nghị quyết về dạng sổ Excel",
            "Download a resolution as a workbook",
        ),
        "res_download": ("Tải sổ Excel", "Download the workbook"),
        "res_template_head": ("Mẫu sổ nghị quyết", "Resolution workbook template"),
        "res_template_help": (
            "Mẫu trống có trang Hướng dẫn giải thích từng cột. Sổ ví dụ là một nghị quyết"
            " nhiệm kỳ 2025-2030 được điền sẵn để tham khảo: đó là VÍ DỤ, không phải nghị quyết"
            " thật.",
            "The empty template has a Guide sheet explaining every column. The example is a"
            " filled-in 2025-2030 resolution to learn from: it is an EXAMPLE, not a real"
            " resolution.",
        ),
        "res_template_download": ("Tải mẫu trống", "Download the empty template"),
        "res_example_download": (
            "Tải sổ ví dụ 2025-2030 (dữ liệu mẫu)",
            "Download the 2025-2030 example (sample data)",
        ),
        "res_upload_head": (
            "Cài đặt nghị quyết từ sổ Excel",
            "Install a resolution from a workbook",
        ),
        "res_choose_file": (
            "Chọn sổ nghị quyết (.xlsx hoặc .zip)",
            "Choose a resolution workbook (.xlsx or .zip)",
        ),
        "res_errors": (
            "Sổ có {n} lỗi; chưa cài đặt gì. Sửa các lỗi dưới đây rồi tải lên lại.",
            "The workbook has {n} problems; nothing was installed. Correct them and upload it"
            " again.",
        ),
        "res_preview": (
            "**{name}** (mã {code}), nhiệm kỳ {start}–{end}: {goals} chỉ tiêu, {indicators} chỉ số"
            " riêng. Sẽ cài đặt là phiên bản {version}.",
            "**{name}** (code {code}), {start}–{end} term: {goals} goals, {indicators} own"
            " indicators. To be installed as version {version}.",
        ),
        "res_install": ("Cài đặt nghị quyết", "Install the resolution"),
        "res_install_done": (
            "Đã cài đặt nghị quyết {code}, phiên bản {version} (lần cập nhật {batch}).",
            "Installed resolution {code}, version {version} (batch {batch}).",
        ),
        "res_edit_head": ("Sửa một chỉ tiêu", "Change a goal"),
        "res_edit_help": (
            "Đổi mức chỉ tiêu hoặc cách diễn đạt: lưu thành phiên bản mới của nghị quyết, ghi"
            " trong lịch sử và có thể hoàn tác.",
            "Change a goal's target or wording: saved as a new version of the resolution, in"
            " the history and undoable.",
        ),
        "res_edit_goal": ("Chỉ tiêu", "Goal"),
        "res_edit_target": ("Mức chỉ tiêu", "Target"),
        "res_edit_target_max": ("Mức trên (cho “từ … đến …”)", "Upper bound (for “between”)"),
        "res_edit_title": ("Tên ngắn (tiếng Việt)", "Short title (Vietnamese)"),
        "res_edit_text": ("Nguyên văn trong nghị quyết", "The resolution's own wording"),
        "res_edit_save": ("Lưu phiên bản mới", "Save a new version"),
        "res_same": (
            "Sổ này giống hệt phiên bản đang dùng: cài đặt lại không thay đổi gì.",
            "This workbook is the installed version as it is: installing it changes nothing.",
        ),
        "res_example_label": (
            "Ví dụ — không phải nghị quyết thật",
            "Example — not a real resolution",
        ),
    }
)


# The resolution workbook (src/ingest/resolution_book.py): where a problem is, what is wrong
# with a resolution, indicator or goal row, the guide sheet, and a goal in plain words.
STRINGS.update(
    {
        "rb_where_sheet": ("Trang tính “{sheet}”", "Sheet “{sheet}”"),
        "rb_where_file": ("Tệp “{sheet}”", "File “{sheet}”"),
        "rb_where_row": (", dòng {row}", ", row {row}"),
        "rb_where_column": (", cột “{column}”", ", column “{column}”"),
        "rb_file_too_big": (
            "tệp quá lớn cho một nghị quyết (tối đa {mb} MB). Tệp nghị quyết chỉ gồm ba trang "
            "tính Nghị quyết, Chỉ số, Chỉ tiêu; hãy bỏ các trang tính và hình ảnh khác.",
            "the file is too big for a resolution (at most {mb} MB). A resolution workbook "
            "holds three sheets, resolution, indicators and goals; remove anything else.",
        ),
        "rb_not_book": (
            "“{name}” không phải là tệp nghị quyết: cần một tệp Excel .xlsx (tải mẫu về để "
            "điền) hoặc một tệp .zip gồm resolution.csv, indicators.csv, goals.csv.",
            "“{name}” is no resolution workbook: send an Excel .xlsx (download the template "
            "to fill in) or a .zip of resolution.csv, indicators.csv, goals.csv.",
        ),
        "rb_missing_sheet": (
            "thiếu trang tính “{vi}” ({code}). Tệp nghị quyết cần ba trang tính: Nghị quyết, "
            "Chỉ số, Chỉ tiêu (hoặc resolution, indicators, goals).",
            "the sheet “{code}” ({vi}) is missing. A resolution workbook needs three sheets: "
            "resolution, indicators, goals (or Nghị quyết, Chỉ số, Chỉ tiêu).",
        ),
        "rb_sheet_twice": (
            "trang tính này trùng với trang tính “{first}” (cùng là một bảng); chỉ giữ một.",
            "this sheet is the same table as the sheet “{first}”; keep only one.",
        ),
        "rb_sheet_empty": (
            "trang tính trống: cần dòng tiêu đề và các dòng số liệu.",
            "the sheet is empty: it needs a header row and its rows.",
        ),
        "rb_too_many_rows": (
            "trang tính có quá nhiều dòng (tối đa {n} dòng); tệp không được đọc.",
            "the sheet has too many rows (at most {n}); the file is not read.",
        ),
        "rb_column_twice": (
            "cột này trùng với cột “{first}” (cùng một thông tin); chỉ giữ một cột.",
            "this column is the same as the column “{first}”; keep one.",
        ),
        "rb_missing_column": (
            "thiếu cột bắt buộc “{vi}” ({code}).",
            "the required column “{code}” ({vi}) is missing.",
        ),
        "rb_formula": (
            "ô {cell} là công thức chưa có giá trị đã tính; hãy mở tệp trong Excel, lưu lại, "
            "hoặc thay công thức bằng giá trị.",
            "cell {cell} holds a formula without a computed value; open and save the file in "
            "Excel, or replace the formula by its value.",
        ),
        "rb_excel_error": (
            "ô có lỗi Excel “{value}”; hãy sửa hoặc để trống.",
            "the cell holds the Excel error “{value}”; fix it or leave it empty.",
        ),
        "rb_required": ("ô bắt buộc đang để trống.", "this cell is required but empty."),
        "rb_not_number": (
            "“{value}” không phải là một số (viết được 2,5 hoặc 1.234).",
            "“{value}” is not a number (2.5, 2,5 and 1,234 are accepted).",
        ),
        "rb_not_year": (
            "“{value}” không phải là một năm (4 chữ số, ví dụ 2025).",
            "“{value}” is not a year (four digits, e.g. 2025).",
        ),
        "rb_unknown_value": (
            "“{value}” không phải là giá trị được chấp nhận; chọn một trong: {allowed}.",
            "“{value}” is not an accepted value; use one of: {allowed}.",
        ),
        "rb_resolution_no_row": (
            "trang tính Nghị quyết cần đúng một dòng dưới dòng tiêu đề; hiện chưa có dòng nào.",
            "the resolution sheet needs exactly one row under its header; it has none.",
        ),
        "rb_resolution_rows": (
            "trang tính Nghị quyết chỉ có một dòng; dòng này là dòng thừa.",
            "the resolution sheet has one row only; this one is extra.",
        ),
        "rb_resolution_code": (
            "mã nghị quyết “{value}” chỉ được gồm chữ cái không dấu, chữ số, - và _ "
            "(tối đa 64 ký tự).",
            "the resolution code “{value}” may hold only letters, digits, - and _ "
            "(at most 64 characters).",
        ),
        "rb_term_order": (
            "năm kết thúc nhiệm kỳ {end} trước năm bắt đầu {start}.",
            "the term ends ({end}) before it starts ({start}).",
        ),
        "rb_years_syntax": (
            "“{value}” không phải là danh sách năm: viết 2026-2030 hoặc 2026,2027,2028.",
            "“{value}” is no list of years: write 2026-2030 or 2026,2027,2028.",
        ),
        "rb_years_outside": (
            "năm báo cáo {years} nằm ngoài nhiệm kỳ {start}-{end}.",
            "the reporting years {years} lie outside the term {start}-{end}.",
        ),
        "rb_base_year": (
            "năm gốc {base} phải trước năm báo cáo đầu tiên {first}.",
            "the base year {base} must come before the first reporting year {first}.",
        ),
        "rb_indicator_code": (
            "mã chỉ số “{value}” phải bắt đầu bằng chữ thường, chỉ gồm chữ thường không dấu, "
            "chữ số và _ (ví dụ members_disciplined).",
            "the indicator code “{value}” must start with a lower-case letter and hold only "
            "lower-case letters, digits and _ (e.g. members_disciplined).",
        ),
        "rb_duplicate": (
            "mã “{value}” trùng với dòng {first_row}; mỗi mã chỉ dùng một lần.",
            "the code “{value}” is used on row {first_row} already; each code once.",
        ),
        "rb_indicator_clash": (
            "mã chỉ số “{value}” đã có ({where}); hãy đặt mã khác, hoặc dùng luôn chỉ số đó "
            "trong các biểu thức mà không khai báo lại.",
            "the indicator code “{value}” exists already ({where}); choose another code, or "
            "use that indicator in the expressions without declaring it again.",
        ),
        "rb_unknown_indicator": (
            "không có chỉ số mã {codes}: khai báo trong trang tính Chỉ số hoặc dùng mã chỉ số "
            "đã có.",
            "no indicator {codes}: declare it on the indicators sheet or use an existing code.",
        ),
        "rb_part_of_self": (
            "chỉ số “{value}” không thể là một phần của chính nó.",
            "the indicator “{value}” cannot be part of itself.",
        ),
        "rb_no_goals": (
            "trang tính Chỉ tiêu chưa có chỉ tiêu nào.",
            "the goals sheet has no goal.",
        ),
        "rb_goal_code": (
            "mã chỉ tiêu “{value}” chỉ gồm chữ, chữ số, ., - và _, không có khoảng trắng "
            "(tối đa 32 ký tự; ví dụ A1, T2).",
            "the goal code “{value}” may hold letters, digits, ., - and _, no spaces "
            "(at most 32 characters; e.g. A1, T2).",
        ),
        "rb_qualitative_extra": (
            "chỉ tiêu định tính (qualitative) không có tử số, mẫu số, so sánh hay mức chỉ "
            "tiêu: để trống ô này hoặc chọn cách tính khác.",
            "a qualitative goal has no numerator, denominator, comparison or target: leave "
            "this cell empty or choose another measure.",
        ),
        "rb_needs_comparison": (
            "chỉ tiêu “{measure}” cần một phép so sánh: >=, >, <=, < hoặc between.",
            "a “{measure}” goal needs a comparison: >=, >, <=, < or between.",
        ),
        "rb_needs_target": (
            "chỉ tiêu “{measure}” cần mức chỉ tiêu (một số).",
            "a “{measure}” goal needs a target (a number).",
        ),
        "rb_needs_numerator": (
            "chỉ tiêu “{measure}” cần tử số (mã chỉ số; với rating là các mã xếp loại).",
            "a “{measure}” goal needs a numerator (indicator codes; for rating the ratings).",
        ),
        "rb_ratio_denominator": (
            "chỉ tiêu tỷ lệ (ratio) cần mẫu số.",
            "a ratio needs a denominator.",
        ),
        "rb_denominator_only_ratio": (
            "chỉ tiêu “{measure}” không có mẫu số (mẫu số chỉ dùng cho ratio); để trống ô này.",
            "a “{measure}” goal has no denominator (ratios only); leave this cell empty.",
        ),
        "rb_between_max": (
            "so sánh between cần mức tối đa (cận trên).",
            "between needs target_max (the upper bound).",
        ),
        "rb_max_below_target": (
            "mức tối đa {max} nhỏ hơn mức chỉ tiêu {target}.",
            "target_max {max} is below the target {target}.",
        ),
        "rb_max_only_between": (
            "mức tối đa chỉ dùng với so sánh between; để trống ô này hoặc chọn between.",
            "target_max is for between only; leave this cell empty or choose between.",
        ),
        "rb_cap_range": (
            "mức trần {value} phải từ 0 đến 100 (%).",
            "the cap {value} must be between 0 and 100 (%).",
        ),
        "rb_cap_pair": (
            "mức trần và mẫu số của mức trần đi cùng nhau: điền cả hai hoặc để trống cả hai.",
            "cap and cap_denominator go together: give both or neither.",
        ),
        "rb_unknown_parent": (
            "“{value}” không phải là một chỉ tiêu khác của nghị quyết này.",
            "“{value}” is not another goal of this resolution.",
        ),
        "rb_parent_cycle": (
            "các chỉ tiêu “trong đó” lặp vòng: {chain}.",
            "the “of which” goals form a loop: {chain}.",
        ),
        "rb_expr_syntax": (
            "không đọc được biểu thức “{value}” (tại “{detail}”): viết các mã chỉ số nối bằng "
            "+, hoặc count(MÃ), count(MÃ <= N).",
            "cannot read the expression “{value}” (at “{detail}”): write indicator codes "
            "joined by +, or count(CODE), count(CODE <= N).",
        ),
        "rb_expr_year_ref": (
            "tham chiếu năm “{detail}” trong “{value}” không hợp lệ: chỉ dùng @prev (đầu năm) "
            "hoặc @base (đầu nhiệm kỳ).",
            "the year reference “{detail}” in “{value}” is not valid: use @prev (start of the "
            "year) or @base (start of the term).",
        ),
        "rb_rating_list": (
            "“{value}”: với rating, tử số là các mã chỉ số xếp loại cách nhau bởi dấu phẩy.",
            "“{value}”: for rating the numerator lists rating indicator codes, separated by ','.",
        ),
        "rb_not_rating": (
            "chỉ số {codes} không phải là chỉ số xếp loại (rating).",
            "the indicators {codes} are no ratings.",
        ),
        "rb_target_range_ratio": (
            "mức chỉ tiêu của tỷ lệ là phần trăm từ 0 đến 100, không phải {value}.",
            "a ratio's target is a percentage from 0 to 100, not {value}.",
        ),
        "rb_target_range_rating": (
            "mức xếp loại là 1, 2, 3 hoặc 4 (1 xuất sắc … 4 không hoàn thành), không phải {value}.",
            "a rating level is 1, 2, 3 or 4 (1 excellent … 4 not completed), not {value}.",
        ),
        "rb_target_range_sum": (
            "mức chỉ tiêu của một tổng không âm, không phải {value}.",
            "a sum's target is not negative, not {value}.",
        ),
        # the guide sheet
        "rb_guide_title": ("Hướng dẫn điền tệp nghị quyết", "How to fill in a resolution"),
        "rb_guide_intro": (
            "Ba trang tính Nghị quyết, Chỉ số, Chỉ tiêu; dòng đầu là tiêu đề, ô trống là không "
            "có. Chỉ số của hợp đồng dữ liệu luôn có sẵn, trang Chỉ số chỉ thêm chỉ số riêng. "
            "Trang hướng dẫn này không được đọc khi nhập.",
            "Three sheets, resolution, indicators and goals; the first row is the header, an "
            "empty cell is not given. The contract's indicators always exist; the indicators "
            "sheet adds the resolution's own. This guide is not read on import.",
        ),
        "rb_guide_sheet": ("Trang tính", "Sheet"),
        "rb_guide_header": ("Tiêu đề cột (tiếng Việt)", "Vietnamese header"),
        "rb_guide_code": ("Mã cột (tiếng Anh)", "Column code"),
        "rb_guide_required": ("Bắt buộc", "Required"),
        "rb_guide_meaning": ("Ý nghĩa, giá trị được chấp nhận", "Meaning, accepted values"),
        "rb_guide_yes": ("có", "yes"),
        # a goal in plain words
        "dg_measure_ratio": ("Tỷ lệ", "Ratio"),
        "dg_measure_sum": ("Tổng", "Sum"),
        "dg_measure_rating": ("Xếp loại", "Rating"),
        "dg_measure_growth": ("Tăng trưởng", "Growth"),
        "dg_measure_qualitative": ("Định tính", "Qualitative"),
        "dg_qualitative": (
            "đánh giá hằng năm (Đạt, Cơ bản đạt, Chưa đạt)",
            "assessed each year (achieved, partly achieved, not yet achieved)",
        ),
        "dg_at_prev": (
            "{name} đầu năm (cuối năm trước)",
            "{name} (at the end of the previous year)",
        ),
        "dg_at_base": ("{name} đầu nhiệm kỳ", "{name} (at the start of the term)"),
        "dg_at_base_year": (
            "{name} đầu nhiệm kỳ (năm {year})",
            "{name} (at the start of the term, {year})",
        ),
        "dg_count_all": ("số tổ chức có số liệu {name}", "organisations reporting {name}"),
        "dg_count_op": ("số tổ chức có {name} {cond}", "organisations with {name} {cond}"),
        "dg_unit_orgs": ("tổ chức", "organisations"),
        "dg_cmp_ge": ("từ {v} trở lên", "at least {v}"),
        "dg_cmp_gt": ("trên {v}", "more than {v}"),
        "dg_cmp_le": ("không quá {v}", "at most {v}"),
        "dg_cmp_lt": ("dưới {v}", "less than {v}"),
        "dg_cmp_eq": ("bằng {v}", "equal to {v}"),
        "dg_cmp_between": ("từ {v} đến {v2}", "from {v} to {v2}"),
        "dg_growth_of": ("{what} so với năm trước", "{what} over the previous year"),
        "dg_rating_worst": ("mức thấp nhất của {names}", "the worst of {names}"),
        "dg_rating_worse": ("mức thấp hơn của {names}", "the worse of {names}"),
        "dg_and": ("{first} và {last}", "{first} and {last}"),
        "dg_flag": ("số tổ chức {name}", "organisations flagged “{name}”"),
        "dg_rating_level": ("mức {n} ({name})", "level {n} ({name})"),
        "dg_rating_level_plain": ("mức {n}", "level {n}"),
        "dg_rating_1": ("hoàn thành xuất sắc nhiệm vụ", "excellent"),
        "dg_rating_2": ("hoàn thành tốt nhiệm vụ", "good"),
        "dg_rating_3": ("hoàn thành nhiệm vụ", "completed"),
        "dg_rating_4": ("không hoàn thành nhiệm vụ", "not completed"),
        "dg_rating_cmp_le": ("từ {v} trở lên", "{v} or better"),
        "dg_rating_cmp_lt": ("tốt hơn {v}", "better than {v}"),
        "dg_rating_cmp_ge": ("từ {v} trở xuống", "{v} or worse"),
        "dg_rating_cmp_gt": ("kém hơn {v}", "worse than {v}"),
        "dg_rating_cmp_between": ("từ {v} đến {v2}", "from {v} to {v2}"),
        "dg_over_year": ("mỗi năm", "each year"),
        "dg_over_term_total": ("cộng dồn cả nhiệm kỳ", "summed over the term"),
        "dg_over_term_average": ("bình quân hằng năm", "as a yearly average over the term"),
        "dg_over_by_end": ("đến năm cuối nhiệm kỳ đạt", "by the term's last year"),
        "dg_by_end_year": ("đến năm {year} đạt", "by {year}"),
        "dg_cap": (
            "; mức trần: {num} / {den} không quá {cap}",
            "; cap: {num} / {den} at most {cap}",
        ),
    }
)


# Issue 12: amounts and percentages as value types, rules declared by any indicator, the
# years of installed resolutions.
STRINGS.update(
    {
        "e_negative_amount": (
            "{value} là số âm; chỉ số này là số tiền hoặc số lượng, phải từ 0 trở lên.",
            "{value} is negative; this indicator is an amount, 0 or more.",
        ),
        "e_percent_amount": (
            "“{value}” là tỷ lệ phần trăm; chỉ số này cần số tiền hoặc số lượng "
            "(ví dụ 12,5), không phải %.",
            "“{value}” is a percentage; this indicator is an amount (such as 12.5), not a %.",
        ),
        "e_percent_range": (
            "{value} nằm ngoài khoảng 0-100; chỉ số này là tỷ lệ phần trăm, từ 0 đến 100 "
            "(có thể kèm dấu %).",
            "{value} is outside 0-100; this indicator is a percentage, from 0 to 100 (a "
            "trailing % is allowed).",
        ),
        "e_parts_sum": (
            "tổng {parts} ({total}) khác {whole_name} ({whole}).",
            "{parts} add up to {total}, not to {whole_name} ({whole}).",
        ),
        "e_year_not_accepted": (
            "năm {value} không thuộc các năm được nhận ({years}): các năm hợp lý và các năm "
            "của nghị quyết đã cài đặt.",
            "the year {value} is not among the years accepted ({years}): plausible years "
            "and those of the installed resolutions.",
        ),
    }
)

# the target as a goal states it (src/overview.py, target_words)
STRINGS.update(
    {
        "cmp_phrase_gt": ("trên {value}", "over {value}"),
        "cmp_phrase_lt": ("dưới {value}", "under {value}"),
        "cmp_phrase_le": ("không quá {value}", "at most {value}"),
        "cmp_phrase_between": ("{value}–{high}", "{value}–{high}"),
        "over_phrase_term_average": ("bình quân hằng năm {value}", "{value} a year on average"),
        "over_phrase_by_end": ("{value} vào năm {end}", "{value} by {end}"),
    }
)

# how a goal of the new shapes is computed (src/goal_view.py, definition)
STRINGS.update(
    {
        "gkind_growth": (
            "Tốc độ tăng so với năm trước, trên các tổ chức báo cáo cả hai năm",
            "Growth on the year before, over the organisations that reported both years",
        ),
        "gkind_term_average": (
            "Bình quân hằng năm: trung bình các năm đã có số liệu của nhiệm kỳ",
            "Yearly average: the mean of the term's years with data so far",
        ),
        "gkind_by_end": (
            "Mức cần đạt vào năm cuối nhiệm kỳ, mỗi năm so với lộ trình từ năm đầu nhiệm kỳ",
            "A level to reach by the term's last year, each year set against the way there",
        ),
    }
)

# a whole-term target of the committee, for some cells (src/overview.py, _lead)
STRINGS.update(
    {
        "status_share": ("• Phần đóng góp", "• Their share"),
        "share_numbers": (
            "{value} {unit}, bằng {share} chỉ tiêu {target} {unit} của toàn Đảng bộ",
            "{value} {unit}, {share} of the committee's target of {target} {unit}",
        ),
    }
)

# the overview's one-screen table (src/overview.py, summary_table)
STRINGS.update(
    {
        "col_code": ("Mã", "Code"),
        "col_goal": ("Chỉ tiêu", "Goal"),
        "col_result_year": ("Kết quả {year}", "Result {year}"),
        "col_target": ("Mục tiêu", "Target"),
        "col_assessment": ("Đánh giá", "Assessment"),
        "col_change": ("So với {year}", "Against {year}"),
        "points_value": ("{value} điểm", "{value} pts"),
        "summary_table_head": ("Toàn cảnh các chỉ tiêu", "Every goal at a glance"),
    }
)

# the data footer of a demo database (src/ui/widgets.py, data_footer)
STRINGS.update({"demo_source": ("dữ liệu mẫu", "demo data")})

# a goal that counts organisations: those it did not count (src/goal_view.py)
STRINGS.update(
    {
        "not_counted_head": (
            "Tổ chức chưa được tính vào tử số năm {year} — {what}",
            "Organisations not counted in the numerator in {year} — {what}",
        ),
        "reported_not_counted": ("đã báo cáo, chưa được tính", "reported, not counted"),
    }
)

# the scorecard's two views and its squares (pages/cells.py)
STRINGS.update(
    {
        "scorecard_show": ("Hiển thị", "Show"),
        "scorecard_result": ("Kết quả", "Results"),
        "scorecard_change": ("Thay đổi so với {year}", "Change against {year}"),
    }
)

# Issue 13: a draft of a resolution's goals from its own text (`resolution draft`).
STRINGS.update(
    {
        "dr_too_big": (
            "Tệp quá lớn: văn bản nghị quyết tối đa {mb} MB.",
            "The file is too big: a resolution's text may be {mb} MB at most.",
        ),
        "dr_not_text": (
            "Tệp này không phải văn bản thuần (.txt): hãy dán nội dung nghị quyết vào một tệp "
            "văn bản, hoặc dùng tệp Word .docx.",
            "This file is not plain text (.txt): paste the resolution into a text file, or "
            "use a Word .docx file.",
        ),
        "dr_not_utf8": (
            "Tệp văn bản không ở mã UTF-8: hãy lưu lại với mã hóa UTF-8 (trong Notepad: "
            "Lưu thành… → Mã hóa: UTF-8).",
            "The text file is not UTF-8: save it again as UTF-8 (in Notepad: Save as… → "
            "Encoding: UTF-8).",
        ),
        "dr_not_docx": (
            "Tệp này không phải tệp Word .docx đọc được.",
            "This file is not a readable Word .docx file.",
        ),
        "dr_docx_refused": ("Không đọc tệp Word: {why}", "The Word file is refused: {why}"),
        "dr_empty": ("Tệp không có nội dung.", "The file has no text."),
        "dr_nothing_found": (
            "Không tìm thấy chỉ tiêu định lượng nào trong văn bản.",
            "No quantitative target was found in the text.",
        ),
        "dr_summary": (
            "{name} ({code}), nhiệm kỳ {term}: {n} chỉ tiêu đề xuất.",
            "{name} ({code}), term {term}: {n} goals proposed.",
        ),
        "dr_term_unknown": ("chưa rõ", "not found"),
        "dr_missing_indicators": (
            "{n} chỉ tiêu chưa nhận ra chỉ số (tử số/mẫu số để trống): hãy điền trước khi cài đặt.",
            "{n} goals have no recognised indicator (numerator/denominator left empty): fill "
            "them in before installing.",
        ),
        "dr_written": (
            "Đã ghi sổ nghị quyết dự thảo: {path}. Điền các ô còn trống rồi chạy "
            "`resolution import {path}`.",
            "Draft workbook written: {path}. Fill in the empty cells, then run "
            "`resolution import {path}`.",
        ),
        "dr_col_code": ("Mã", "Code"),
        "dr_col_parent": ("Thuộc", "Of"),
        "dr_col_measure": ("Cách tính", "Measure"),
        "dr_col_over": ("Đánh giá theo", "Over"),
        "dr_col_target": ("Mức chỉ tiêu", "Target"),
        "dr_col_indicators": ("Tử số / mẫu số", "Numerator / denominator"),
        "dr_col_title": ("Tên", "Title"),
        "dr_source": ("Nguyên văn", "Text"),
        "dr_measure_ratio": ("tỷ lệ", "ratio"),
        "dr_measure_sum": ("tổng", "sum"),
        "dr_measure_rating": ("xếp loại", "rating"),
        "dr_measure_growth": ("tăng trưởng", "growth"),
        "dr_over_year": ("hằng năm", "each year"),
        "dr_over_term_total": ("cả nhiệm kỳ", "whole term"),
        "dr_over_term_average": ("bình quân năm", "yearly mean"),
        "dr_over_by_end": ("đến cuối nhiệm kỳ", "by the end"),
        "dr_unrecognised": ("(chưa nhận ra)", "(not recognised)"),
    }
)

# the scorecard's screenful (src/ui/widgets.py, scorecard_finder / scorecard_pages)
STRINGS.update(
    {
        "sc_search": ("Tìm tổ chức (mã hoặc tên)", "Find an organisation (code or name)"),
        "sc_order": ("Sắp xếp", "Order"),
        "sc_order_name": ("Theo tên", "By name"),
        "sc_order_goal": ("Thấp nhất trước: {goal}", "Lowest first: {goal}"),
        "sc_page": ("Trang", "Page"),
        "sc_window": (
            "Tổ chức {first}–{last} trong {matched} tìm thấy (tổng {total}) · trang {page}/{pages}",
            "Organisations {first}–{last} of {matched} found ({total} in all)"
            " · page {page}/{pages}",
        ),
    }
)

# the goal page's ranking at any size (pages/goal.py)
STRINGS.update(
    {
        "ranking_extremes": (
            "Biểu đồ: {n} tổ chức thấp nhất và {n} tổ chức cao nhất; bảng dưới có tất cả.",
            "Chart: the {n} lowest and the {n} highest; the table below has them all.",
        ),
        "ranking_window": (
            "{n} tổ chức · trang {page}/{pages}",
            "{n} organisations · page {page}/{pages}",
        ),
    }
)

# The Nghị quyết page's draft: a resolution's text → its goals, corrected, checked, installed
STRINGS.update(
    {
        "draft_head": ("Soạn nghị quyết từ văn bản", "Draft a resolution from its text"),
        "draft_help": (
            "Dán toàn văn nghị quyết, hoặc chọn tệp .txt hay .docx, rồi bấm “Đề xuất các chỉ"
            " tiêu”. Mỗi chỉ tiêu đề xuất hiện cạnh câu gốc, mức chỉ tiêu được tô màu. Sửa trong"
            " bảng, xem kết quả kiểm tra như một sổ tải lên; chỉ khi bấm “Cài đặt nghị quyết”"
            " thì nghị quyết mới được cài đặt.",
            "Paste the resolution's full text, or choose a .txt or .docx file, then press"
            " “Propose the goals”. Each proposed goal is shown beside the sentence it came from,"
            " its target highlighted. Correct them in the table and see the checks an uploaded"
            " workbook gets; nothing is installed until you press “Install the resolution”.",
        ),
        "draft_paste": ("Văn bản nghị quyết", "The resolution's text"),
        "draft_paste_help": (
            "Tối đa {n} ký tự. Nếu đã chọn tệp, tệp được đọc thay cho ô này.",
            "At most {n} characters. When a file is chosen, the file is read instead.",
        ),
        "draft_file": (
            "Hoặc chọn tệp .txt hoặc .docx (tối đa {mb} MB)",
            "Or choose a .txt or .docx file (at most {mb} MB)",
        ),
        "draft_read": ("Đề xuất các chỉ tiêu", "Propose the goals"),
        "draft_no_input": (
            "Hãy dán văn bản nghị quyết hoặc chọn một tệp.",
            "Paste the resolution's text or choose a file.",
        ),
        "draft_too_long": (
            "Văn bản quá dài: tối đa {n} ký tự.",
            "The text is too long: at most {n} characters.",
        ),
        "draft_file_refused": (
            "Không đọc được tệp “{name}”: {why} Chưa có gì thay đổi.",
            "The file “{name}” cannot be read: {why} Nothing was changed.",
        ),
        "draft_found": (
            "Đề xuất {n} chỉ tiêu từ văn bản. Kiểm tra từng chỉ tiêu với câu gốc của nó.",
            "{n} goals proposed from the text. Check each against its sentence.",
        ),
        "draft_sources_head": (
            "Câu gốc của từng chỉ tiêu (mức chỉ tiêu được tô màu)",
            "Each goal's sentence (its target highlighted)",
        ),
        "draft_facts_head": ("Thông tin nghị quyết", "The resolution"),
        "draft_code": ("Mã nghị quyết", "Code"),
        "draft_name": ("Tên nghị quyết", "Name"),
        "draft_start": ("Năm đầu nhiệm kỳ", "Term starts"),
        "draft_end": ("Năm cuối nhiệm kỳ", "Term ends"),
        "draft_table_head": ("Sửa các chỉ tiêu đề xuất", "Correct the proposed goals"),
        "draft_table_help": (
            "Chọn tử số và mẫu số theo tên chỉ số trong danh mục: “(đầu năm)” là số cuối năm"
            " trước, “(đầu nhiệm kỳ)” là số năm gốc. Cột “biểu thức” chỉ dùng khi không chọn tên:"
            " tổng (a + b), count(…), hoặc các chỉ số xếp loại cách nhau dấu phẩy. Thêm hay xóa"
            " dòng ở cuối bảng.",
            "Pick the numerator and denominator by the indicator's name in the catalogue:"
            " “(start of year)” is last year's closing value, “(start of term)” the base year's."
            " The “expression” column is used only when no name is picked: a sum (a + b),"
            " count(…), or rating indicators separated by commas. Add or delete rows at the"
            " bottom of the table.",
        ),
        "draft_check_head": ("Kiểm tra và xem trước", "Checks and preview"),
        "draft_errors": (
            "Dự thảo có {n} lỗi; chưa cài đặt gì. Mỗi lỗi ghi trang, dòng và cột của sổ dự thảo"
            " (dòng 2 của trang Chỉ tiêu là chỉ tiêu đầu tiên trong bảng): sửa trong bảng hoặc"
            " trong thông tin nghị quyết ở trên.",
            "The draft has {n} problems; nothing was installed. Each names the sheet, row and"
            " column of the draft workbook (row 2 of the goals sheet is the table's first goal):"
            " correct them in the table or in the resolution's details above.",
        ),
        "draft_discard": ("Bỏ dự thảo này", "Discard this draft"),
        "draft_gone": (
            "Dự thảo này đã được cài đặt hoặc đã bỏ; không cài đặt lại.",
            "This draft was already installed or discarded; it is not installed again.",
        ),
        "draft_file_name": ("du-thao-nghi-quyet.xlsx", "draft-resolution.xlsx"),
        "draft_col_code": ("Mã", "Code"),
        "draft_col_parent": ("Thuộc chỉ tiêu", "Part of"),
        "draft_col_title": ("Tên chỉ tiêu", "Title"),
        "draft_col_measure": ("Cách tính", "Measure"),
        "draft_col_over": ("Đánh giá theo", "Judged over"),
        "draft_col_comparison": ("So sánh", "Comparison"),
        "draft_col_target": ("Mức chỉ tiêu", "Target"),
        "draft_col_target_max": ("Mức trên", "Upper bound"),
        "draft_col_target_max_help": (
            "Chỉ dùng khi so sánh là “từ … đến …”.",
            "Only for the comparison “between”.",
        ),
        "draft_col_numerator": ("Tử số", "Numerator"),
        "draft_col_numerator_expr": ("Tử số (biểu thức)", "Numerator (expression)"),
        "draft_col_denominator": ("Mẫu số", "Denominator"),
        "draft_col_denominator_expr": ("Mẫu số (biểu thức)", "Denominator (expression)"),
        "draft_col_source": ("Nguyên văn", "Source text"),
        "draft_at_prev": ("{name} (đầu năm)", "{name} (start of year)"),
        "draft_at_base": ("{name} (đầu nhiệm kỳ)", "{name} (start of term)"),
        "draft_cmp_ge": ("từ … trở lên (≥)", "at least (≥)"),
        "draft_cmp_gt": ("trên (>)", "more than (>)"),
        "draft_cmp_le": ("không quá (≤)", "at most (≤)"),
        "draft_cmp_lt": ("dưới (<)", "less than (<)"),
        "draft_cmp_between": ("từ … đến … (khoảng)", "between (range)"),
    }
)

# Backups on a schedule (issue 15)
STRINGS.update(
    {
        "backups_latest": ("Bản sao lưu gần nhất: {when}.", "The latest backup: {when}."),
        "disk_backup_unverified": (
            "Bản sao lưu vừa tạo trong {folder} không đọc lại được đúng như tệp dữ liệu nên đã bị "
            "xóa; chưa có gì được ghi. Hãy kiểm tra ổ đĩa rồi thử lại.",
            "The backup just made in {folder} did not read back as the database, so it was "
            "removed; nothing was written. Check the disk, then try again.",
        ),
    }
)
