"""Housing: importing the corporation's export of homes. Other apps read homes and households directly."""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Building, Complex, Home
from .validators import normalize_postcode

IMPORT_COLUMNS = [
    "unit_id",
    "complex_code",
    "complex_name",
    "building_code",
    "building_name",
    "street",
    "house_number",
    "house_number_addition",
    "postcode",
    "city",
]
REQUIRED_COLUMNS = [
    "unit_id",
    "complex_code",
    "building_code",
    "street",
    "house_number",
    "postcode",
]


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _clean_row(row: dict[str, str]) -> dict:
    missing = [name for name in REQUIRED_COLUMNS if not (row.get(name) or "").strip()]
    if missing:
        raise ValueError(_("missing value for %(columns)s") % {"columns": ", ".join(missing)})
    number_text = row["house_number"].strip()
    if not number_text.isdigit() or int(number_text) == 0:
        raise ValueError(
            _("house number '%(value)s' is not a positive whole number") % {"value": number_text}
        )
    try:
        postcode = normalize_postcode(row["postcode"])
    except ValidationError:
        raise ValueError(
            _("postcode '%(value)s' is not a valid Dutch postcode") % {"value": row["postcode"]}
        ) from None
    complex_code = row["complex_code"].strip()
    building_code = row["building_code"].strip()
    return {
        "unit_id": row["unit_id"].strip(),
        "complex_code": complex_code,
        "complex_name": (row.get("complex_name") or "").strip() or complex_code,
        "building_code": building_code,
        "building_name": (row.get("building_name") or "").strip() or building_code,
        "street": row["street"].strip(),
        "house_number": int(number_text),
        "house_number_addition": (row.get("house_number_addition") or "").strip().upper(),
        "postcode": postcode,
        "city": (row.get("city") or "").strip() or "Utrecht",
    }


def homes_import_csv(text: str) -> ImportResult:
    """Upsert homes by unit id. Every bad row is reported with its line number; any bad row changes nothing."""
    result = ImportResult()
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=_sniff_delimiter(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing_columns = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing_columns:
        result.errors.append(
            (1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing_columns)})
        )
        return result
    reader.fieldnames = header
    rows: list[tuple[int, dict]] = []
    seen_units: dict[str, int] = {}
    seen_addresses: dict[tuple, int] = {}
    for row in reader:
        line = reader.line_num
        try:
            cleaned = _clean_row(row)
        except ValueError as error:
            result.errors.append((line, str(error)))
            continue
        unit = cleaned["unit_id"]
        address = (cleaned["postcode"], cleaned["house_number"], cleaned["house_number_addition"])
        if unit in seen_units:
            result.errors.append(
                (
                    line,
                    _("unit id %(unit)s is already on line %(line)s")
                    % {"unit": unit, "line": seen_units[unit]},
                )
            )
            continue
        if address in seen_addresses:
            result.errors.append(
                (
                    line,
                    _("the same address is already on line %(line)s")
                    % {"line": seen_addresses[address]},
                )
            )
            continue
        seen_units[unit] = line
        seen_addresses[address] = line
        rows.append((line, cleaned))
    if not rows and not result.errors:
        result.errors.append((1, _("the file has no rows")))
    if result.errors:
        return result
    with transaction.atomic():
        for line, cleaned in rows:
            try:
                _upsert_home(cleaned, result)
            except ValueError as error:  # a clash with a home already in the database
                result.errors.append((line, str(error)))
        if result.errors:
            transaction.set_rollback(True)
            result.created = result.updated = result.unchanged = 0
    return result


def _sniff_delimiter(text: str) -> str:
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    return ";" if first_line.count(";") > first_line.count(",") else ","


def _upsert_home(cleaned: dict, result: ImportResult) -> None:
    complex_obj, _created = Complex.objects.get_or_create(
        code=cleaned["complex_code"], defaults={"name": cleaned["complex_name"]}
    )
    building, _created = Building.objects.get_or_create(
        complex=complex_obj,
        code=cleaned["building_code"],
        defaults={"name": cleaned["building_name"]},
    )
    values = {
        "building": building,
        "street": cleaned["street"],
        "house_number": cleaned["house_number"],
        "house_number_addition": cleaned["house_number_addition"],
        "postcode": cleaned["postcode"],
        "city": cleaned["city"],
    }
    clash = (
        Home.objects.filter(
            postcode=values["postcode"],
            house_number=values["house_number"],
            house_number_addition=values["house_number_addition"],
        )
        .exclude(unit_id=cleaned["unit_id"])
        .first()
    )
    if clash is not None:
        raise ValueError(
            _("this address already belongs to unit %(unit)s") % {"unit": clash.unit_id}
        )
    home = Home.objects.filter(unit_id=cleaned["unit_id"]).first()
    if home is None:
        Home.objects.create(unit_id=cleaned["unit_id"], **values)
        result.created += 1
        return
    if all(getattr(home, name) == value for name, value in values.items()):
        result.unchanged += 1
        return
    for name, value in values.items():
        setattr(home, name, value)
    home.save()
    result.updated += 1
