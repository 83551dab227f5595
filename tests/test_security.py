"""What the pipeline reads from others is read safely: XML with entities left unexpanded and the
network off, a bag only inside itself, a decisions file within bounds.

XML comes in through `verify`, `explain`, `validate` and `deposit --verify` (all by
`pipeline.xmlsafe.parse`): an external entity that names a local file (XXE) and the billion laughs
(entities that expand to gigabytes) are run through each, in a child process with its memory
capped and a deadline, so that an expansion fails the test instead of the machine. The external
entities and the DTD also name a FIFO: opening it would wait forever, so the deadline also proves
that nothing named in a DOCTYPE is opened.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import deposit
from pipeline.cli import main

SECRET = "TOP SECRET 7f3a"
DUMP = "The committee met on Tuesday and agreed that the\n\narchive would open in May.\n"
LAUGHS = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))


def _pipeline(cwd: Path, *args: str) -> subprocess.CompletedProcess:
    """`pipeline ARGS` in a child with 2 GB of address space and a minute: a billion laughs
    expanded takes more of both."""
    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=60, preexec_fn=limit)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """raw/d.md and its TEI in clean/, a secret file and a FIFO beside them."""
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "d.md").write_text(DUMP, encoding="utf-8")
    assert main(["run", str(tmp_path / "raw" / "d.md"), "--out", str(tmp_path / "clean")]) == 0
    (tmp_path / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    os.mkfifo(tmp_path / "fifo")
    return tmp_path


def _hostile(tei: Path, doctype: str, reference: str) -> None:
    """Give the TEI a DOCTYPE and put `reference` in its body and in a note's <orig>."""
    data = tei.read_text(encoding="utf-8")
    data = data.replace("?>\n", f"?>\n<!DOCTYPE TEI {doctype}>\n", 1)
    data = data.replace('<p xml:id="p-0">', f'<p xml:id="p-0">{reference}', 1)
    data = data.replace("<orig>", f"<orig>{reference}", 1)
    tei.write_text(data, encoding="utf-8")


def test_external_entities_and_dtds_are_never_opened(project):
    tei = project / "clean" / "d.tei.xml"
    _hostile(tei, f'SYSTEM "{project}/fifo" [<!ENTITY secret SYSTEM "file://{project}/secret.txt">'
                  f'<!ENTITY fifo SYSTEM "{project}/fifo">'
                  '<!ENTITY net SYSTEM "http://127.0.0.1:9/secret">'
                  f'<!ENTITY % dtd SYSTEM "{project}/fifo"> %dtd;]', "&secret;&fifo;&net;")
    outputs = []
    for args in (["verify", "raw/d.md", "clean/d.tei.xml"], ["explain", "clean/d.tei.xml"],
                 ["validate", "clean/d.tei.xml"]):
        done = _pipeline(project, *args)
        assert SECRET not in done.stdout + done.stderr and "Traceback" not in done.stderr
        outputs.append(done.stdout)
    # Read, not refused: the references stay references, in the reading text and in the notes.
    assert "FAIL reading text" in outputs[0] and "'&secret;&fifo;&net;" in outputs[1]


def test_the_billion_laughs_is_refused_unexpanded(project):
    tei = project / "clean" / "d.tei.xml"
    _hostile(tei, f"[{LAUGHS}]", "&lol9;")
    for args in (["verify", "raw/d.md", "clean/d.tei.xml"], ["explain", "clean/d.tei.xml"],
                 ["validate", "clean/d.tei.xml"]):
        done = _pipeline(project, *args)
        assert done.returncode == 1 and done.stderr.count("\n") == 1, done.stderr
        assert "clean/d.tei.xml: is not well-formed XML" in done.stderr


def _bag(project: Path) -> Path:
    bag = project / "deposit" / "coll"
    assert main(["deposit", "--out", str(bag), "--raw", str(project / "raw"),
                 "--clean", str(project / "clean"), "--decisions", str(project / "review"),
                 "--review-html", str(project / "none")]) == 0
    return bag


def _rehash(bag: Path) -> None:
    """Make the tag manifests match the manifests again, as a forger would."""
    for algorithm in deposit.CHECKSUMS:
        manifest = bag / f"tagmanifest-{algorithm}.txt"
        lines = [line.split(None, 1) for line in manifest.read_text().splitlines()]
        manifest.write_text("".join(
            f"{hashlib.new(algorithm, (bag / name).read_bytes()).hexdigest()}  {name}\n"
            for _, name in lines))


def test_deposit_verify_does_not_expand_a_bags_entities(project):
    bag = _bag(project)
    _hostile(bag / "data" / "clean" / "d.tei.xml", f"[{LAUGHS}]", "&lol9;")
    done = _pipeline(project, "deposit", "--verify", str(bag))
    assert done.returncode == 1 and "FAIL fixity" in done.stdout  # the TEI is not the bagged one
    assert "FAIL data/clean/d.tei.xml: is not well-formed XML" in done.stdout


@pytest.mark.parametrize("entry", ["../secret.txt", "data/../../secret.txt", "{root}/secret.txt",
                                   "../coll-old/fifo"],
                         ids=["parent", "through data", "absolute", "a sibling named alike"])
def test_deposit_verify_refuses_a_manifest_that_leads_outside_the_bag(project, entry):
    """bagit.py refuses `../` and absolute paths, but compares paths as strings, so that in the
    bag `coll` it lets `../coll-old/x` through and would hash it; here x is a FIFO, which
    hashing would wait on forever."""
    bag = _bag(project)
    (project / "deposit" / "coll-old").mkdir()
    os.mkfifo(project / "deposit" / "coll-old" / "fifo")
    entry = entry.format(root=project)
    for algorithm in deposit.CHECKSUMS:
        with (bag / f"manifest-{algorithm}.txt").open("a") as manifest:
            manifest.write(f"{hashlib.new(algorithm, SECRET.encode()).hexdigest()}  {entry}\n")
    _rehash(bag)
    done = _pipeline(project, "deposit", "--verify", str(bag))
    assert done.returncode == 1 and done.stdout.startswith("FAIL bag:"), done.stdout
    assert "unsafe" in done.stdout or "leads outside the bag" in done.stdout


def test_deposit_verify_refuses_a_link_out_of_the_bag(project):
    bag = _bag(project)
    raw = bag / "data" / "raw" / "d.md"
    outside = project / "deposit" / "coll-copy.md"  # the same bytes: fixity alone would pass
    shutil.copyfile(raw, outside)
    raw.unlink()
    raw.symlink_to(outside)
    done = _pipeline(project, "deposit", "--verify", str(bag))
    assert done.returncode == 1 and done.stdout.startswith("FAIL bag:")
    assert "data/raw/d.md leads outside the bag" in done.stdout


@pytest.mark.parametrize("content, message", [
    ('{"decisions": {', "is not valid JSON (line 1, column 16"),
    ("[" * 100_000 + "]" * 100_000, "its JSON nests too deep to read"),
    ('{"decisions": {"chg-x-1": ' + "1" * 5000 + "}}",
     "is not a decisions file: Exceeds the limit"),
    ('{"decisions": []}', 'has no "decisions" object keyed by change id'),
    ('{"decisions": {"\\u001b]0;pwned\\u0007": {}}}', r"'\x1b]0;pwned\x07' is not a change id"),
    ('{"decisions": {"chg-x-1": {"decision": "reject", "reviewer": "A", "before": "", '
     '"after": "", "date": "2026W474"}}}', '"date" must be YYYY-MM-DD'),
], ids=["cut short", "nested", "huge number", "not an object", "escape sequence", "week date"])
def test_a_bad_decisions_file_is_one_line_naming_it(tmp_path, monkeypatch, capsys, content,
                                                    message):
    monkeypatch.chdir(tmp_path)
    Path("raw").mkdir()
    Path("raw/d.md").write_text(DUMP, encoding="utf-8")
    Path("review").mkdir()
    Path("review/d.decisions.json").write_text(content, encoding="utf-8")
    assert main(["run", "raw/d.md", "--out", "clean"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pipeline: error: review/d.decisions.json: ") and message in err
    assert err.count("\n") == 1 and "\x1b" not in err


def test_a_huge_decisions_file_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    Path("raw").mkdir()
    Path("raw/d.md").write_text(DUMP, encoding="utf-8")
    Path("review").mkdir()
    with open("review/d.decisions.json", "wb") as file:
        file.truncate(200_000_000)  # sparse: no disk, and a read would be 200 MB of NUL
    assert main(["run", "raw/d.md", "--out", "clean"]) == 1
    assert "review/d.decisions.json: is 200.0 MB, over the 100 MB a decisions file may have" \
        in capsys.readouterr().err
