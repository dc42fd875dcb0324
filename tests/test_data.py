"""Data integrity: every data file matches its manifest entry and traces to a public source."""
import hashlib
import importlib.util
import re
from pathlib import Path

import pytest

from reprobook import data
from reprobook.published import all_published

ROOT = Path(__file__).resolve().parents[1]
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


def bib_keys():
    return set(re.findall(r"@\w+\{([^,]+),", (ROOT / "references.bib").read_text()))


def test_every_dataset_loads_and_matches_its_checksum_and_schema():
    names = data.verify_all()
    assert names, "data/manifest.yaml lists no dataset"


@pytest.mark.parametrize("name", sorted(data.manifest()))
def test_every_dataset_has_complete_provenance(name):
    entry = data.entry(name)
    assert entry["paper"]["key"] in bib_keys()
    assert entry["paper"]["location"]
    if "arxiv" in entry["source"]:       # a table of a paper itself (the survey's): no repository, no commit
        assert re.match(r"\d{4}\.\d{4,5}\b", entry["source"]["arxiv"]), f"{name}: arxiv id missing"
        fields = ("path", "sha256")
    else:
        fields = ("repository", "path", "commit", "sha256")
        assert re.fullmatch(r"[0-9a-f]{40}", entry["source"].get("commit") or ""), f"{name}: commit is not a sha"
    for field in fields:
        assert entry["source"].get(field), f"{name}: source lacks {field}"
    assert entry["licence"].strip() and entry["extraction"].strip()
    for column, spec in entry["columns"].items():
        assert spec.get("unit"), f"{name}: column {column} has no unit"
        assert spec.get("description"), f"{name}: column {column} has no description"


def test_every_data_file_is_in_the_manifest():
    listed = {entry["file"] for entry in data.manifest().values()}
    on_disk = {str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*.csv")}
    assert on_disk == listed


@pytest.mark.skipif(not SHARED_SOURCES.exists(), reason="../shared/sources is not beside this checkout")
@pytest.mark.parametrize("name", sorted(data.manifest()))
def test_tidy_table_rebuilds_byte_for_byte_from_the_raw_sources(name):
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    assert build.BUILDERS[name][0] == data.entry(name)["file"]
    assert build.render(name) == (ROOT / "data" / data.entry(name)["file"]).read_bytes()


def test_published_constants_cite_a_paper_and_a_location():
    keys = bib_keys()
    table = all_published()
    assert table
    for q in table.values():
        assert q.paper in keys, f"{q.id}: paper {q.paper!r} not in references.bib"
        assert q.location.strip(), q.id
        if q.interval is not None:
            assert q.interval[0] <= q.interval[1], q.id
            assert q.interval_kind, f"{q.id}: an interval must say what kind it is"


def _build_script():
    spec = importlib.util.spec_from_file_location("build_data", ROOT / "scripts" / "build_data.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    return build


def test_manifest_checksums_are_what_the_build_script_writes():
    """The manifest's rows and sha256 are the files' own: rewriting them from the files changes nothing."""
    build = _build_script()
    text = (ROOT / "data" / "manifest.yaml").read_text()
    rewritten = text
    for name, entry in data.manifest().items():
        body = (ROOT / "data" / entry["file"]).read_bytes()
        rewritten = build.write_checksum(rewritten, name, body.count(b"\n") - 1, hashlib.sha256(body).hexdigest())
    assert rewritten == text


def test_build_script_writes_the_entry_it_names_and_nothing_else():
    build = _build_script()
    text = (ROOT / "data" / "manifest.yaml").read_text()
    out = build.write_checksum(text, "gpt3_curves", 7, "f" * 64)
    changed = [(a, b) for a, b in zip(text.splitlines(), out.splitlines()) if a != b]
    assert [b for _, b in changed] == ["    rows: 7", "    sha256: " + "f" * 64]
    with pytest.raises(SystemExit, match="no entry 'nonesuch'"):
        build.write_checksum(text, "nonesuch", 1, "0" * 64)
    with pytest.raises(SystemExit, match=r"unknown dataset\(s\) \['typo'\]"):
        build.main(["typo"])
