"""Deterministic demo data for the dashboard.

Generates a plausible Party Committee of Provincial Agencies (Đảng bộ Các cơ quan tỉnh
Bắc Kạn) with about 42 grassroots organisations and their yearly numbers for the
2020-2025 term, following the data contract (`shared/spec/data-contract.md`): every
consistency rule holds on every row, 2020-2024 are complete and 2025 is partly reported.

The generator uses the standard library and one seeded `random.Random`, so the same code
always gives the same files. The indicators are the catalogue's (src/store/catalogue.py): those
below have a recipe of their own; any other (a resolution's own, say) gets plausible values
by its value type, drawn from a random source of its own so the others stay as they were.
Run it with::

    python -m src.services.demo [--out DIR]

which writes `organisations.csv`, `observations.csv` and `assessments.csv` (UTF-8 without
BOM, ``\\n`` line endings) into DIR (default `data/demo/`).

One module, past 400 lines, because most of it is the recipes, one per indicator, that the
generator reads: data, written as code so each recipe can keep the consistency rules.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from src.config import CATALOGUE_DIR
from src.domain.models import Indicator
from src.store import catalogue

SEED = 20201015
DEFAULT_OUT = Path("data/demo")

FIRST_YEAR = 2020
LAST_FULL_YEAR = 2024
PARTIAL_YEAR = 2025
REPORTING_IN_PARTIAL_YEAR = 30

ROOT_CODE = "DBCQ"
ROOT_NAME = "Đảng bộ Các cơ quan tỉnh Bắc Kạn"

GROUP_PARTY = "Khối Đảng, đoàn thể"
GROUP_STATE = "Khối Quản lý nhà nước"
GROUP_SERVICE = "Khối Sự nghiệp, doanh nghiệp"

ORGANISATION_COLUMNS = (
    "org_code",
    "name",
    "kind",
    "parent_code",
    "group",
    "active_from",
    "active_to",
)
OBSERVATION_COLUMNS = ("year", "org_code", "indicator_code", "value")
ASSESSMENT_COLUMNS = ("year", "goal_code", "status", "note")

FILES = {
    "organisations": "organisations.csv",
    "observations": "observations.csv",
    "assessments": "assessments.csv",
}

Row = dict[str, str | int | None]


@dataclass(frozen=True)
class _Agency:
    """One grassroots organisation of the demo: the agency it sits in and its rough size."""

    agency: str
    group: str
    committee: bool  # đảng bộ cơ sở (True) or chi bộ cơ sở (False)
    members: int  # approximate number of members at the start of the term
    units: int  # agencies, units and enterprises it leads
    staff_ratio: tuple[float, float]  # staff per member, drawn once in this range
    active_from: int | None = None
    active_to: int | None = None

    def active(self, year: int) -> bool:
        if self.active_from is not None and year < self.active_from:
            return False
        return self.active_to is None or year <= self.active_to


_PARTY_STAFF = (1.15, 1.45)
_STATE_STAFF = (1.3, 1.7)
_SERVICE_STAFF = (1.6, 2.3)

HOSPITAL = "Bệnh viện Đa khoa tỉnh"

_AGENCIES: tuple[_Agency, ...] = (
    # Khối Đảng, đoàn thể
    _Agency("Văn phòng Tỉnh ủy", GROUP_PARTY, False, 45, 2, _PARTY_STAFF),
    _Agency("Ban Tổ chức Tỉnh ủy", GROUP_PARTY, False, 28, 1, _PARTY_STAFF),
    _Agency("Ban Tuyên giáo Tỉnh ủy", GROUP_PARTY, False, 25, 1, _PARTY_STAFF),
    _Agency("Ủy ban Kiểm tra Tỉnh ủy", GROUP_PARTY, False, 23, 1, _PARTY_STAFF),
    _Agency("Ban Dân vận Tỉnh ủy", GROUP_PARTY, False, 18, 1, _PARTY_STAFF),
    _Agency("Cơ quan Ủy ban MTTQ Việt Nam tỉnh", GROUP_PARTY, False, 30, 1, _PARTY_STAFF),
    _Agency("Cơ quan Tỉnh đoàn", GROUP_PARTY, False, 26, 2, _PARTY_STAFF),
    _Agency("Cơ quan Hội Liên hiệp Phụ nữ tỉnh", GROUP_PARTY, False, 22, 1, _PARTY_STAFF),
    _Agency("Cơ quan Hội Nông dân tỉnh", GROUP_PARTY, False, 20, 1, _PARTY_STAFF),
    _Agency("Cơ quan Liên đoàn Lao động tỉnh", GROUP_PARTY, False, 25, 1, _PARTY_STAFF),
    _Agency("Báo Bắc Kạn", GROUP_PARTY, False, 38, 1, _PARTY_STAFF),
    _Agency("Trường Chính trị tỉnh", GROUP_PARTY, False, 34, 1, _PARTY_STAFF),
    # Khối Quản lý nhà nước
    _Agency("Văn phòng UBND tỉnh", GROUP_STATE, True, 160, 4, _STATE_STAFF),
    _Agency("Sở Y tế", GROUP_STATE, True, 130, 6, _STATE_STAFF),
    _Agency("Sở Giáo dục và Đào tạo", GROUP_STATE, True, 150, 5, _STATE_STAFF),
    _Agency("Sở Nông nghiệp và Phát triển nông thôn", GROUP_STATE, True, 235, 9, _STATE_STAFF),
    _Agency("Sở Tài nguyên và Môi trường", GROUP_STATE, True, 150, 5, _STATE_STAFF),
    _Agency("Cục Thuế tỉnh", GROUP_STATE, True, 185, 4, _STATE_STAFF),
    _Agency("Sở Tài chính", GROUP_STATE, False, 60, 2, _STATE_STAFF),
    _Agency("Sở Kế hoạch và Đầu tư", GROUP_STATE, False, 48, 2, _STATE_STAFF),
    _Agency("Sở Nội vụ", GROUP_STATE, False, 42, 3, _STATE_STAFF),
    _Agency("Sở Tư pháp", GROUP_STATE, False, 36, 3, _STATE_STAFF),
    _Agency("Sở Công Thương", GROUP_STATE, False, 52, 2, _STATE_STAFF),
    _Agency("Sở Xây dựng", GROUP_STATE, False, 45, 2, _STATE_STAFF),
    _Agency("Sở Giao thông vận tải", GROUP_STATE, False, 58, 3, _STATE_STAFF),
    _Agency("Sở Văn hóa, Thể thao và Du lịch", GROUP_STATE, False, 62, 3, _STATE_STAFF),
    _Agency("Sở Thông tin và Truyền thông", GROUP_STATE, False, 32, 2, _STATE_STAFF),
    _Agency("Sở Khoa học và Công nghệ", GROUP_STATE, False, 30, 2, _STATE_STAFF),
    _Agency("Sở Lao động - Thương binh và Xã hội", GROUP_STATE, False, 50, 3, _STATE_STAFF),
    _Agency("Thanh tra tỉnh", GROUP_STATE, False, 35, 1, _STATE_STAFF),
    _Agency("Ban Dân tộc tỉnh", GROUP_STATE, False, 27, 1, _STATE_STAFF),
    _Agency("Kho bạc Nhà nước tỉnh", GROUP_STATE, False, 60, 2, _STATE_STAFF),
    _Agency("Ngân hàng Nhà nước chi nhánh tỉnh", GROUP_STATE, False, 40, 1, _STATE_STAFF),
    _Agency("Văn phòng Đoàn ĐBQH và HĐND tỉnh", GROUP_STATE, False, 33, 1, _STATE_STAFF),
    _Agency(
        "Ban Quản lý các khu công nghiệp tỉnh",
        GROUP_STATE,
        False,
        16,
        1,
        _STATE_STAFF,
        active_to=2022,
    ),
    # Khối Sự nghiệp, doanh nghiệp
    _Agency(HOSPITAL, GROUP_SERVICE, True, 225, 3, (2.1, 2.4)),
    _Agency("Trường Cao đẳng Bắc Kạn", GROUP_SERVICE, True, 200, 3, _SERVICE_STAFF),
    _Agency("Công ty Điện lực Bắc Kạn", GROUP_SERVICE, True, 215, 8, _SERVICE_STAFF),
    _Agency("Đài Phát thanh - Truyền hình tỉnh", GROUP_SERVICE, True, 120, 2, _SERVICE_STAFF),
    _Agency(
        "Ngân hàng Chính sách xã hội chi nhánh tỉnh", GROUP_SERVICE, False, 45, 3, _SERVICE_STAFF
    ),
    _Agency("Bưu điện tỉnh", GROUP_SERVICE, False, 48, 2, _SERVICE_STAFF),
    _Agency(
        "Ban Quản lý dự án đầu tư xây dựng tỉnh",
        GROUP_SERVICE,
        False,
        20,
        1,
        _SERVICE_STAFF,
        active_from=2023,
    ),
)

_SUBCELLS = ("Chi bộ Khoa Nội", "Chi bộ Khoa Ngoại")

# What the Party Committee itself reports, 2020..2025; None: not reported (2025 so far has
# only the classes opened).
_ROOT_VALUES: dict[str, tuple[int | None, ...]] = {
    "standing_committee_rating": (2, 2, 1, 2, 2, None),
    "committee_rating": (2, 2, 1, 2, 2, None),
    "classes_candidates": (2, 1, 2, 2, 2, 2),
    "classes_new_members": (2, 2, 2, 3, 2, 1),
    "classes_party_work": (0, 1, 0, 1, 0, 0),
}

# Committee-level shares each year aims at (sum of numerators / sum of denominators), and
# the band the rounded result must stay in. The story: A1, A5, A5a near; A3, A4, A8, A9
# met; A3a and A4a around their target; A10 missed.
_BANDS: dict[str, tuple[float, float]] = {
    "studied": (0.98, 0.995),  # A1, never 100% overall
    "org_good": (0.83, 0.90),  # A3
    "org_excellent": (0.15, 0.20),  # A3a, capped at 20% by Hướng dẫn 21-HD/BTCTW
    "members_good": (0.85, 0.90),  # A4
    "members_excellent": (0.13, 0.17),  # A4a
    "advanced": (0.91, 0.94),  # A5
    "emulation": (0.12, 0.14),  # A5a
    "inspected": (0.24, 0.33),  # A8
    "mass_good": (0.90, 0.94),  # A9
    "cultural": (0.76, 0.80),  # A10
}
_AIMS: dict[str, tuple[float, ...]] = {  # 2020..2025
    "studied": (0.985, 0.987, 0.991, 0.993, 0.990, 0.989),
    "org_good": (0.850, 0.860, 0.875, 0.880, 0.870, 0.860),
    "org_excellent": (0.170, 0.190, 0.200, 0.180, 0.200, 0.170),
    "members_good": (0.862, 0.868, 0.876, 0.883, 0.887, 0.884),
    "members_excellent": (0.146, 0.153, 0.142, 0.156, 0.151, 0.147),
    "advanced": (0.918, 0.924, 0.931, 0.935, 0.928, 0.930),
    "emulation": (0.124, 0.127, 0.131, 0.134, 0.136, 0.133),
    "inspected": (0.270, 0.300, 0.250, 0.320, 0.290, 0.270),
    "mass_good": (0.906, 0.914, 0.920, 0.928, 0.924, 0.930),
    "cultural": (0.752, 0.758, 0.764, 0.768, 0.762, 0.766),  # missed: below 77%
}
# Organisations rated "không hoàn thành nhiệm vụ" each year.
_ORGS_NOT_COMPLETED = {2020: 0, 2021: 1, 2022: 0, 2023: 0, 2024: 1, 2025: 0}

# Qualitative goals: the yearly assessment a committee office would record.
_ASSESSMENTS: dict[tuple[int, str], tuple[str, str]] = {
    (2020, "T3"): (
        "met",
        (
            "Các cấp ủy cơ sở lãnh đạo cơ quan, đơn vị hoàn thành nhiệm vụ chính trị được giao, vừa"
            " phòng, chống dịch Covid-19 vừa bảo đảm hoạt động chuyên môn."
        ),
    ),
    (2021, "T3"): (
        "near",
        (
            "Một số cơ quan, đơn vị chậm triển khai nhiệm vụ do ảnh hưởng của dịch Covid-19; còn 01"
            " chi bộ không hoàn thành nhiệm vụ."
        ),
    ),
    (2022, "T3"): (
        "met",
        (
            "Phần lớn cơ quan, đơn vị hoàn thành tốt nhiệm vụ chính trị; nhiều chỉ tiêu phát triển "
            "kinh tế - xã hội đạt và vượt kế hoạch."
        ),
    ),
    (2023, "T3"): (
        "met",
        (
            "Cấp ủy cơ sở chủ động lãnh đạo thực hiện nhiệm vụ chính trị; giải ngân vốn đầu tư công"
            " có chuyển biến tích cực."
        ),
    ),
    (2024, "T3"): (
        "met",
        (
            "Đa số cơ quan, đơn vị hoàn thành nhiệm vụ được giao; một số đơn vị còn chậm tiến độ "
            "cải cách thủ tục hành chính."
        ),
    ),
    (2020, "K1"): (
        "met",
        (
            "Các chi bộ duy trì sinh hoạt định kỳ hằng tháng; triển khai sinh hoạt chuyên đề theo "
            "hướng dẫn của Đảng ủy."
        ),
    ),
    (2021, "K1"): (
        "met",
        (
            "Nội dung sinh hoạt chi bộ được cải tiến, gắn với nhiệm vụ chính trị của cơ quan; cán "
            "bộ lãnh đạo chủ chốt gương mẫu trong tự phê bình và phê bình."
        ),
    ),
    (2022, "K1"): (
        "near",
        (
            "Chất lượng sinh hoạt ở một số chi bộ chưa cao, còn nặng về thông báo; tự phê bình và "
            "phê bình có lúc còn nể nang."
        ),
    ),
    (2023, "K1"): (
        "met",
        (
            "Các chi bộ thực hiện sinh hoạt chuyên đề ít nhất mỗi quý một lần; tinh thần tự phê "
            "bình và phê bình được nâng lên."
        ),
    ),
    (2024, "K1"): (
        "met",
        (
            "Cấp ủy các cấp thực hiện nghiêm trách nhiệm nêu gương; kiểm điểm, đánh giá, xếp loại "
            "cuối năm bảo đảm thực chất."
        ),
    ),
    (2020, "K2"): (
        "met",
        (
            "Ủy ban Kiểm tra Đảng ủy hoàn thành chương trình kiểm tra, giám sát năm; tập trung vào "
            "thực hiện quy chế làm việc và công tác cán bộ."
        ),
    ),
    (2021, "K2"): (
        "met",
        (
            "Kiểm tra, giám sát được điều chỉnh linh hoạt theo tình hình dịch bệnh, bảo đảm đúng kế"
            " hoạch đề ra."
        ),
    ),
    (2022, "K2"): (
        "met",
        (
            "Giám sát thường xuyên được tăng cường; kịp thời phát hiện, chấn chỉnh những hạn chế ở "
            "một số chi bộ."
        ),
    ),
    (2023, "K2"): (
        "near",
        (
            "Kiểm tra khi có dấu hiệu vi phạm còn ít; năng lực của một số ủy viên ủy ban kiểm tra "
            "cơ sở còn hạn chế."
        ),
    ),
    (2024, "K2"): (
        "met",
        (
            "Hoàn thành kế hoạch kiểm tra, giám sát năm; chất lượng theo dõi thực hiện kết luận sau"
            " kiểm tra được nâng lên."
        ),
    ),
}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _count_in_band(total: int, aim: float, band: tuple[float, float]) -> int:
    """The whole number k nearest to total * aim with k / total inside the band."""
    if total <= 0:
        return 0
    low, high = band
    fits = [k for k in range(total + 1) if low <= k / total <= high]
    if not fits:
        raise ValueError(f"no whole count of {total} falls in {band}")
    return min(fits, key=lambda k: (abs(k - total * aim), k))


def _allocate(
    rng: random.Random, count: int, weights: Sequence[float], caps: Sequence[int]
) -> list[int]:
    """Hand out `count` units one at a time, each org drawn by weight times room left."""
    given = [0] * len(caps)
    for _ in range(count):
        room = [w * (cap - g) for w, cap, g in zip(weights, caps, given, strict=True)]
        if sum(room) <= 0:
            raise ValueError("not enough room to allocate")
        pick = rng.choices(range(len(caps)), weights=room)[0]
        given[pick] += 1
    return given


@dataclass
class _Org:
    code: str
    agency: _Agency
    quality: float  # lasting strength: > 0 strong, < 0 weak
    staff_ratio: float
    mass_orgs: int
    members: int = 0
    last_inspected: int = FIRST_YEAR - 3

    @property
    def name(self) -> str:
        prefix = "Đảng bộ" if self.agency.committee else "Chi bộ"
        return _nfc(f"{prefix} {self.agency.agency}")

    @property
    def kind(self) -> str:
        return "grassroots_committee" if self.agency.committee else "grassroots_cell"


def _make_orgs(rng: random.Random) -> list[_Org]:
    orgs: list[_Org] = []
    for number, agency in enumerate(_AGENCIES, start=1):
        low, high = agency.staff_ratio
        mass_orgs = rng.randint(3, 6) if agency.committee else rng.choice((1, 2, 2, 3, 3, 3))
        orgs.append(
            _Org(
                code=f"CQ-{number:02d}",
                agency=agency,
                quality=rng.gauss(0.0, 0.6),
                staff_ratio=rng.uniform(low, high),
                mass_orgs=mass_orgs,
            )
        )
    return orgs


def _organisation_rows(orgs: Sequence[_Org]) -> list[Row]:
    rows: list[Row] = [
        {
            "org_code": ROOT_CODE,
            "name": _nfc(ROOT_NAME),
            "kind": "root",
            "parent_code": "",
            "group": "",
            "active_from": None,
            "active_to": None,
        }
    ]
    for org in orgs:
        rows.append(
            {
                "org_code": org.code,
                "name": org.name,
                "kind": org.kind,
                "parent_code": ROOT_CODE,
                "group": _nfc(org.agency.group),
                "active_from": org.agency.active_from,
                "active_to": org.agency.active_to,
            }
        )
    hospital = next(org for org in orgs if org.agency.agency == HOSPITAL)
    for number, name in enumerate(_SUBCELLS, start=1):
        rows.append(
            {
                "org_code": f"{hospital.code}-{number:02d}",
                "name": _nfc(name),
                "kind": "subcell",
                "parent_code": hospital.code,
                "group": _nfc(hospital.agency.group),
                "active_from": None,
                "active_to": None,
            }
        )
    return rows


def _year_values(rng: random.Random, year: int, orgs: Sequence[_Org]) -> list[dict[str, int]]:
    """All per-organisation indicators of one year for the organisations that report."""
    aim = {measure: aims[year - FIRST_YEAR] for measure, aims in _AIMS.items()}
    full_year = year <= LAST_FULL_YEAR
    n = len(orgs)
    form = [org.quality + rng.gauss(0.0, 0.35) for org in orgs]  # this year's form
    weak = [math.exp(-1.2 * f) for f in form]
    strong = [math.exp(1.2 * f) for f in form]

    # Members: admissions (about 70-95 a year in all), leavers, year-end roll.
    admitted_total = rng.randint(74, 92) if full_year else rng.randint(46, 60)
    new = _allocate(
        rng,
        admitted_total,
        [math.exp(0.4 * f) for f in form],
        [max(2, org.members // 12) for org in orgs],
    )
    for org, admitted in zip(orgs, new, strict=True):
        leavers = round(org.members * rng.uniform(0.012, 0.03))
        org.members = org.members + admitted - leavers
    total = [org.members for org in orgs]

    # A1: members who studied the resolutions.
    studied_all = _count_in_band(sum(total), aim["studied"], _BANDS["studied"])
    missing = _allocate(rng, sum(total) - studied_all, weak, [m // 5 for m in total])
    studied = [m - x for m, x in zip(total, missing, strict=True)]

    # A4 / A4a: members rated (recent admissions and a few exempt are not rated).
    rated = [
        max(0, m - a // 2 - rng.choice((0, 0, 1, 1, 2))) for m, a in zip(total, new, strict=True)
    ]
    good_or_better_all = _count_in_band(sum(rated), aim["members_good"], _BANDS["members_good"])
    below = _allocate(rng, sum(rated) - good_or_better_all, weak, [r * 2 // 5 for r in rated])
    good_or_better = [r - b for r, b in zip(rated, below, strict=True)]
    excellent_all = _count_in_band(
        sum(good_or_better), aim["members_excellent"], _BANDS["members_excellent"]
    )
    # At most 20% of those rated good or better (Hướng dẫn 21-HD/BTCTW).
    excellent = _allocate(rng, excellent_all, strong, [g // 5 for g in good_or_better])
    not_completed = _allocate(rng, rng.randint(2, 6) if full_year else 2, weak, below)

    # A3 / A3a: the organisations' own ratings, by this year's form.
    rated_good = _count_in_band(n, aim["org_good"], _BANDS["org_good"])
    rated_excellent = _count_in_band(rated_good, aim["org_excellent"], _BANDS["org_excellent"])
    rated_failed = _ORGS_NOT_COMPLETED[year]
    ranking = sorted(range(n), key=lambda i: -(form[i] + rng.gauss(0.0, 0.25)))
    org_rating = [3] * n
    for place, i in enumerate(ranking):
        if place < rated_excellent:
            org_rating[i] = 1
        elif place < rated_good:
            org_rating[i] = 2
        elif place >= n - rated_failed:
            org_rating[i] = 4

    # A5 / A5a: staff awarded "Lao động tiên tiến" and "Chiến sĩ thi đua cơ sở".
    staff = [
        round(m * org.staff_ratio) + rng.randint(-2, 2) for m, org in zip(total, orgs, strict=True)
    ]
    advanced_all = _count_in_band(sum(staff), aim["advanced"], _BANDS["advanced"])
    not_advanced = _allocate(rng, sum(staff) - advanced_all, weak, [s * 3 // 10 for s in staff])
    advanced = [s - x for s, x in zip(staff, not_advanced, strict=True)]
    emulation_all = _count_in_band(sum(advanced), aim["emulation"], _BANDS["emulation"])
    # At most 15% of those awarded "Lao động tiên tiến" (Nghị định 91/2017/NĐ-CP).
    emulation = _allocate(rng, emulation_all, strong, [a * 15 // 100 for a in advanced])

    # A8: inspections rotate, weaker organisations a little more often.
    inspected_count = _count_in_band(n, aim["inspected"], _BANDS["inspected"])
    due = [
        (year - org.last_inspected) ** 2 * math.exp(-0.5 * f)
        for org, f in zip(orgs, form, strict=True)
    ]
    inspected = _allocate(rng, inspected_count, due, [1] * n)
    for org, flag in zip(orgs, inspected, strict=True):
        if flag:
            org.last_inspected = year

    # A9: Trade Union, Youth Union and Veterans' branches rated good or better.
    mass_total = [org.mass_orgs for org in orgs]
    mass_good_all = _count_in_band(sum(mass_total), aim["mass_good"], _BANDS["mass_good"])
    mass_short = _allocate(
        rng, sum(mass_total) - mass_good_all, weak, [(m + 1) // 2 for m in mass_total]
    )

    # A10: units meeting the cultural standard.
    units = [org.agency.units for org in orgs]
    cultural_all = _count_in_band(sum(units), aim["cultural"], _BANDS["cultural"])
    uncultured = _allocate(rng, sum(units) - cultural_all, weak, [(u + 1) // 2 for u in units])

    values: list[dict[str, int]] = []
    for i in range(n):
        good = good_or_better[i] - excellent[i]
        values.append(
            {
                "members_total": total[i],
                "members_studied": studied[i],
                "members_rated": rated[i],
                "members_excellent": excellent[i],
                "members_good": good,
                "members_completed": below[i] - not_completed[i],
                "members_not_completed": not_completed[i],
                "org_rating": org_rating[i],
                "staff_total": staff[i],
                "staff_advanced": advanced[i],
                "staff_emulation": emulation[i],
                "new_members": new[i],
                "inspected": inspected[i],
                "mass_orgs_total": mass_total[i],
                "mass_orgs_good": mass_total[i] - mass_short[i],
                "units_total": units[i],
                "units_cultural": units[i] - uncultured[i],
            }
        )
    return values


def _default(ind: Indicator, year: int, org_code: str, values: dict[str, int]) -> int:
    """A plausible value of an indicator without a recipe, by its value type: a function of
    the indicator, organisation and year alone. A part stays within its whole. (Whole
    numbers: the upload path takes whole numbers for counts and amounts alike.)"""
    rng = random.Random(f"{SEED}|{ind.code}|{org_code}|{year}")
    if ind.value_type == "rating":
        return rng.choices((1, 2, 3, 4), weights=(15, 65, 17, 3))[0]
    if ind.value_type == "flag":
        return int(rng.random() < 0.3)
    if ind.value_type == "percent":
        return rng.randint(60, 100)
    whole = values.get(ind.part_of) if ind.part_of else None
    if whole is not None:
        return rng.randint(whole * 3 // 4, whole)
    return rng.randint(0, 400) if ind.value_type == "decimal" else rng.randint(0, 20)


def _with_defaults(
    indicators: Sequence[Indicator], year: int, org_code: str, values: dict[str, int]
) -> dict[str, int]:
    """The values of the recipes, and a default for every other indicator, in catalogue
    order (a whole before its parts)."""
    out = dict(values)
    for ind in indicators:
        if ind.code not in out:
            out[ind.code] = _default(ind, year, org_code, out)
    return out


def _observation_rows(
    rng: random.Random, orgs: Sequence[_Org], indicators: Sequence[Indicator]
) -> list[Row]:
    org_indicators = [i for i in indicators if i.level == "org"]
    root_indicators = [i for i in indicators if i.level == "root"]
    found: list[tuple[int, str, str, int]] = []
    for org in orgs:
        # The roll just before the organisation's first year in the term.
        org.members = round(org.agency.members * rng.uniform(0.93, 1.07))
    for year in range(FIRST_YEAR, PARTIAL_YEAR + 1):
        active = [org for org in orgs if org.agency.active(year)]
        if year > LAST_FULL_YEAR:
            codes = sorted(org.code for org in active)
            reporting = set(rng.sample(codes, REPORTING_IN_PARTIAL_YEAR))
            active = [org for org in active if org.code in reporting]
        for org, values in zip(active, _year_values(rng, year, active), strict=True):
            values = _with_defaults(org_indicators, year, org.code, values)
            found.extend((year, org.code, i.code, values[i.code]) for i in org_indicators)
        root: dict[str, int] = {}
        for ind in root_indicators:
            by_year = _ROOT_VALUES.get(ind.code)
            value = by_year[year - FIRST_YEAR] if by_year is not None else None
            if by_year is None:
                root = _with_defaults([ind], year, ROOT_CODE, root)
            elif value is not None:
                root[ind.code] = value
        found.extend((year, ROOT_CODE, code, value) for code, value in root.items())
    return [
        {"year": year, "org_code": code, "indicator_code": indicator, "value": value}
        for year, code, indicator, value in sorted(found)
    ]


def _assessment_rows() -> list[Row]:
    return [
        {"year": year, "goal_code": goal, "status": status, "note": _nfc(note)}
        for (year, goal), (status, note) in sorted(_ASSESSMENTS.items())
    ]


def generate(directory: Path = CATALOGUE_DIR) -> dict[str, list[Row]]:
    """The demo data set: organisations, observations (long format) and assessments, for
    the indicators of the catalogue in ``directory``."""
    rng = random.Random(SEED)
    orgs = _make_orgs(rng)
    return {
        "organisations": _organisation_rows(orgs),
        "observations": _observation_rows(rng, orgs, catalogue.shipped_indicators(directory)),
        "assessments": _assessment_rows(),
    }


def _cell(value: str | int | None) -> str:
    return "" if value is None else str(value)


def _columns(name: str) -> tuple[str, ...]:
    return {
        "organisations": ORGANISATION_COLUMNS,
        "observations": OBSERVATION_COLUMNS,
        "assessments": ASSESSMENT_COLUMNS,
    }[name]


def write(out_dir: Path) -> list[Path]:
    """Write the three demo CSV files into out_dir (UTF-8, no BOM, LF) and return their paths."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    data = generate()
    paths: list[Path] = []
    for name, file_name in FILES.items():
        columns = _columns(name)
        path = out_dir / file_name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            for row in data[name]:
                writer.writerow([_cell(row[column]) for column in columns])
        paths.append(path)
    return paths


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m src.services.demo",
        description="Ghi dữ liệu mẫu (demo) vào thư mục / write the demo CSV files.",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"thư mục đích (mặc định {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
