from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zelfbeheer.housing.models import Home
from zelfbeheer.housing.services import homes_import_csv
from zelfbeheer.housing.validators import normalize_postcode

from ..factories import HomeFactory

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).resolve().parents[2] / "docs" / "example-homes.csv"
HEADER = "unit_id,complex_code,building_code,street,house_number,house_number_addition,postcode\n"


def test_the_shipped_example_imports_and_a_second_run_changes_nothing(capsys):
    call_command("import_homes", str(EXAMPLE))
    first = capsys.readouterr().out
    call_command("import_homes", str(EXAMPLE))
    second = capsys.readouterr().out

    assert "4 created" in first
    assert "0 created, 0 updated, 4 unchanged" in second
    assert Home.objects.get(unit_id="VHE00060").postcode == "3531 KB"
    assert Home.objects.get(unit_id="VHE00003").house_number_addition == "BIS"


def test_changed_rows_are_updated_by_unit_id():
    homes_import_csv(HEADER + "VHE1,C,A,Oudestraat,1,,3531 AA\n")

    result = homes_import_csv(HEADER + "VHE1,C,A,Nieuwestraat,1,,3531 AA\n")

    assert (result.created, result.updated) == (0, 1)
    assert Home.objects.get(unit_id="VHE1").street == "Nieuwestraat"


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_imported():
    text = HEADER + (
        "VHE1,C,A,Kaneelstraat,1,,3531 AA\n"
        "VHE2,C,A,Kaneelstraat,twee,,3531 AA\n"
        "VHE3,C,A,Kaneelstraat,3,,0531 AA\n"
        "VHE1,C,A,Kaneelstraat,4,,3531 AA\n"
        ",C,A,Kaneelstraat,5,,3531 AA\n"
        "VHE6,C,A,Kaneelstraat,1,,3531AA\n"
    )

    result = homes_import_csv(text)

    assert [line for line, _reason in result.errors] == [3, 4, 5, 6, 7]
    assert "twee" in result.errors[0][1]
    assert "0531 AA" in result.errors[1][1]
    assert "regel 2" in result.errors[2][1]
    assert not Home.objects.exists()


def test_a_clash_with_a_home_already_in_the_database_rolls_back_the_whole_file():
    HomeFactory(unit_id="OLD1", postcode="3531 AA", house_number=9)
    text = HEADER + "VHE1,C,A,Kaneelstraat,1,,3531 AA\nVHE9,C,A,Kaneelstraat,9,,3531 AA\n"

    result = homes_import_csv(text)

    assert result.errors[0][0] == 3
    assert "OLD1" in result.errors[0][1]
    assert not Home.objects.filter(unit_id="VHE1").exists()


def test_missing_columns_and_empty_files_are_refused():
    missing = homes_import_csv("unit_id,street\nX,Y\n")
    empty = homes_import_csv(HEADER)

    assert [line for line, _reason in missing.errors] == [1]
    assert "postcode" in missing.errors[0][1]
    assert [line for line, _reason in empty.errors] == [1]
    assert not Home.objects.exists()


def test_the_command_fails_loudly_on_a_bad_file(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "VHE1,C,A,Kaneelstraat,nul,,3531 AA\n")
    not_text = tmp_path / "photo.csv"
    not_text.write_bytes(b"\xff\xd8\xff\xe0 binary")

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_homes", str(bad))
    with pytest.raises(CommandError, match="UTF-8"):
        call_command("import_homes", str(not_text))
    with pytest.raises(CommandError, match="not found"):
        call_command("import_homes", str(tmp_path / "missing.csv"))
    assert not Home.objects.exists()


@pytest.mark.parametrize(
    ("raw", "expected"), [("3531ab", "3531 AB"), (" 3531 AB ", "3531 AB"), ("1011 AC", "1011 AC")]
)
def test_postcodes_are_normalised(raw, expected):
    assert normalize_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["0123 AB", "3531 SS", "3531", "AB 3531", "35311AB", ""])
def test_invalid_postcodes_are_refused(raw):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        normalize_postcode(raw)
