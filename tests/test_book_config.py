"""The configuration the book is built with (_config.yml through scripts/book_config.py and Jupyter Book's own
translation to Sphinx settings): offline MathJax, no thebe, repository links only when a repository is given."""
import importlib.util
from pathlib import Path

import pytest
import yaml
from jupyter_book.config import get_default_sphinx_config, get_final_config

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("book_config", ROOT / "scripts" / "book_config.py")
book_config = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(book_config)

REPO = "https://github.com/some-owner/scaling-laws-reproduced"


def sphinx_settings(config: dict, tmp_path: Path) -> dict:
    """What Jupyter Book hands to Sphinx for this configuration (the same function `jupyter-book build` calls)."""
    path = tmp_path / "book_config.yml"
    path.write_text(yaml.safe_dump(config))
    settings, _ = get_final_config(user_yaml=path, cli_config={"latex_individualpages": False}, sourcedir=ROOT)
    return settings


def test_extensions_are_jupyter_books_defaults_without_thebe_plus_offline_mathjax(tmp_path):
    settings = sphinx_settings(book_config.book_config(), tmp_path)
    defaults = set(get_default_sphinx_config()["extensions"]) | {"sphinxcontrib.bibtex"}
    assert "sphinx_thebe" not in settings["extensions"]
    assert "sphinx-mathjax-offline" in settings["extensions"]
    missing = defaults - {"sphinx_thebe"} - set(settings["extensions"])
    assert not missing, f"_config.yml's extension list lacks Jupyter Book defaults {sorted(missing)}: update it"


def test_mathjax_is_served_from_the_books_own_static_folder(tmp_path):
    settings = sphinx_settings(book_config.book_config(), tmp_path)
    assert "://" not in settings["mathjax_path"], "MathJax must not come from a CDN"
    spec = importlib.util.find_spec("sphinx-mathjax-offline")
    shipped = Path(spec.origin).parent / "static" / "mathjax" / settings["mathjax_path"].removeprefix("mathjax/")
    assert shipped.is_file(), f"sphinx-mathjax-offline ships no {shipped.name}"
    assert settings["html_context"]["default_mode"] == "light"


def test_without_a_repository_no_repository_links(tmp_path):
    config = book_config.book_config()
    assert "repository" not in config
    options = sphinx_settings(config, tmp_path)["html_theme_options"]
    assert not any(options.get(k) for k in ("use_repository_button", "use_edit_page_button", "use_issues_button"))
    assert not options["launch_buttons"].get("binderhub_url")


def test_a_repository_url_gives_binder_edit_and_issue_links(tmp_path):
    options = sphinx_settings(book_config.book_config(REPO + "/", branch="main"), tmp_path)["html_theme_options"]
    assert options["repository_url"] == REPO and options["repository_branch"] == "main"
    assert options["launch_buttons"]["binderhub_url"] == "https://mybinder.org"
    assert not options["launch_buttons"].get("colab_url"), "Colab opens a notebook without scalinglib and data/"
    assert options["use_edit_page_button"] and options["use_issues_button"] and options["use_repository_button"]


@pytest.mark.parametrize("url", ["https://gitlab.com/o/r", "github.com/o/r", "https://github.com/o"])
def test_a_repository_url_binder_cannot_use_is_refused(url):
    with pytest.raises(ValueError, match="repository-url"):
        book_config.book_config(url)


def test_binder_environment_matches_the_lock():
    assert (ROOT / "binder" / "runtime.txt").read_text().strip() == "python-3.11"
    assert "-r ../requirements.lock" in (ROOT / "binder" / "requirements.txt").read_text().splitlines()
    assert "pip install --no-deps --no-build-isolation -e ." in (ROOT / "binder" / "postBuild").read_text()
