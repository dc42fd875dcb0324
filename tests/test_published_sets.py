"""The published sets `scalinglib compare` reads: their ids exist, their printed digits are the registry's values,
their constants are the law's, and the copy shipped with the package is the book's data/published.yaml."""
from pathlib import Path

import pytest

from scalinglib.laws import get_law
from scalinglib.published import PACKAGED, PUBLISHED_SETS, compare, half_unit, undetermined
from reprobook.paths import DATA
from reprobook.published import all_published


def test_the_packaged_constants_are_the_books():
    assert PACKAGED.read_bytes() == (DATA / "published.yaml").read_bytes()
    assert PACKAGED.is_symlink() and PACKAGED.resolve() == (DATA / "published.yaml").resolve()


@pytest.mark.parametrize("name", sorted(PUBLISHED_SETS))
def test_a_published_set_names_real_constants_of_its_law(name):
    pset = PUBLISHED_SETS[name]
    law = get_law(pset.law)
    table = all_published()
    natural = law.natural_params({p: 1.0 for p in law.params}) if law.natural else {p: 1.0 for p in law.params}
    for param, (qid, printed) in pset.constants.items():
        assert param in natural, f"{name}: {param!r} is not a constant of law {law.name!r}"
        assert qid in table, f"{name}: {qid} is not in data/published.yaml"
        assert float(printed) == table[qid].value, f"{name}: {qid} is printed {printed}, registered {table[qid].value}"


def test_the_rule_reads_the_printed_digits_and_refuses_wide_intervals():
    assert half_unit("0.34") == pytest.approx(0.005) and half_unit("6.4e13") == pytest.approx(5e11)
    assert half_unit("410.7") == pytest.approx(0.05)
    fitted = {"E": 1.694, "A": 406.44, "B": 410.76, "alpha": 0.3449, "beta": 0.2849}
    verdicts = {r["parameter"]: r["verdict"] for r in compare("hoffmann2022/eq10", fitted)}
    assert verdicts == {"E": "reproduced", "A": "reproduced", "B": "differs", "alpha": "reproduced",
                        "beta": "reproduced"}
    wide = {r["parameter"]: r["verdict"] for r in compare("hoffmann2022/eq10", fitted, {"B": (50.0, 900.0)})}
    assert wide["B"].startswith("not determined (interval spans 1.3 decades")
    assert undetermined((-0.1, 0.2), 0.3) == "interval holds 0" and undetermined((0.2, 0.3), 0.3) is None
