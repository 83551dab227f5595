"""A collection packaged for deposit: a BagIt bag (RFC 8493) that an archive can check on its own.

An archive that takes a cleaned collection must be able to show, years later and without this
project, that nothing in it changed and that every repair is accounted for. So the bag carries

    data/raw/<dump>                    the untouched originals, byte for byte
    data/clean/<name>.tei.xml          the TEI (its pointers raw:<dump>#char=…, which its header
                                       declares as ../raw/<dump>, resolve inside the bag)
    data/provenance/<name>.changes.jsonl   one JSON record per change, with its decision
    data/decisions/<name>.decisions.json   the reviewers' decisions the TEI was written with
    data/review/*.html                 the review reports, when they were made (not with
                                       --no-review: they can be many times the payload)

with SHA-256 and SHA-512 manifests and tag manifests. The decisions travel too because `verify`
needs them: without them a rejected change would look like a lost one.

A bag is only ever written whole and only for a collection that passes: every TEI valid against
`tei_all`, every document passing `verify` (checked on the copies staged for the bag, so what is
checked is what is deposited) and, when the collection config asks for it, every change decided by
a reviewer. Anything less is refused with one line per problem, and the staging folder (next to the
target, so the final rename is atomic) is removed.

Same inputs, same bag: payload and manifests are byte-identical from run to run, and with
`SOURCE_DATE_EPOCH` set so is bag-info.txt (its Bagging-Date comes from it, as the TEI's revision
dates do). bagit.py writes tag manifests in directory-listing order and says BagIt 0.97; both are
rewritten here (sorted, BagIt 1.0) before the bag is validated with bagit.py itself. The TEI must
have been written under the same SOURCE_DATE_EPOCH setting as the deposit runs with, since `verify`
rewrites it to prove it reproducible. `--tar` adds BAG.tar (sorted entries, one owner, one mtime)
and BAG.tar.sha256.

`check` (`pipeline deposit --verify BAG`) asks the same of a bag an archive holds: fixity by
bagit.py (every damaged, missing or unlisted file named), then each document's TEI valid and
verified against its raw dump inside the bag, and its provenance record as the pipeline makes it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tarfile
import tempfile
import time
import tomllib
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Callable

import bagit
from lxml import etree

from pipeline import __version__, decisions, process, schema, source
from pipeline.model import InputError
from pipeline.stages import NAMES
from pipeline.tei import TEI_NS
from pipeline.verify import Check, recorded_kind, verify
from pipeline.xmlsafe import parse

CHECKSUMS = ("sha256", "sha512")
BAGIT_TXT = "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_TAR_DIR_MODE, _TAR_FILE_MODE = 0o755, 0o644
_UMASK = os.umask(0)
os.umask(_UMASK)

# bagit.py logs to the root logger's last-resort handler (tracebacks on stderr) when it fails; the
# command line reports problems itself, one line each.
logging.getLogger("bagit").addHandler(logging.NullHandler())


class Refused(Exception):
    """The collection cannot be deposited as it is; `problems` says why, one line each."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Config:
    """The collection's deposit settings: `[tool.pipeline.deposit]` or a `--config` TOML file."""

    bag_name: str = "collection"
    source_organization: str = ""
    organization_address: str = ""
    contact_name: str = ""
    contact_email: str = ""
    external_description: str = ""
    external_identifier: str = ""
    require_review: bool = False
    origin: str = field(default="the defaults", compare=False)

    def bag_info(self, documents: int, folders: set[str], bagging_date: str) -> dict[str, str]:
        """bag-info.txt's fields (bagit.py adds Payload-Oxum and writes them sorted); `folders`
        are the payload folders there are, for the default description."""
        info = {"Source-Organization": self.source_organization or "Not specified",
                "Contact-Name": self.contact_name or "Not specified",
                "External-Description": self.external_description or _description(documents,
                                                                                   folders),
                "Bagging-Date": bagging_date,
                "Bag-Software-Agent": f"pipeline {__version__}"}
        for key, value in (("Organization-Address", self.organization_address),
                           ("Contact-Email", self.contact_email),
                           ("External-Identifier", self.external_identifier)):
            if value:
                info[key] = value
        return info


def _description(documents: int, folders: set[str]) -> str:
    parts = [f"{documents} raw text dump{'s' if documents != 1 else ''} (data/raw, unchanged)",
             f"{'their' if documents != 1 else 'its'} TEI P5 cleaned by pipeline {__version__} "
             "(data/clean)",
             "one provenance record per change with its decision (data/provenance)"]
    if "decisions" in folders:
        parts.append("the reviewers' decisions (data/decisions)")
    if "review" in folders:
        parts.append("the review reports (data/review)")
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def load_config(path: Path | None = None, project: Path = Path("pyproject.toml")) -> Config:
    """`path` (a TOML file: its `[tool.pipeline.deposit]` table, or its top-level keys), else the
    project's `[tool.pipeline.deposit]`, else the defaults. Unknown keys are errors, not typos
    quietly ignored."""
    if path is None and not project.is_file():
        return Config()
    where = path or project
    try:
        data = tomllib.loads(where.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(str(where), "no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(str(where), f"cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise InputError(str(where), f"is not valid TOML ({error})") from None
    table = data.get("tool", {}).get("pipeline", {}).get("deposit")
    if table is None:
        if path is None:
            return Config()
        table, origin = data, str(path)
    else:
        origin = f"{where} [tool.pipeline.deposit]"
    known = {f.name: f.type for f in fields(Config) if f.name != "origin"}
    values = {}
    for key, value in table.items():
        if key not in known:
            raise InputError(origin, f"unknown key {key!r} (known: {', '.join(known)})")
        wanted = bool if known[key] == "bool" else str
        if type(value) is not wanted:
            raise InputError(origin, f"{key} must be a {'boolean' if wanted is bool else 'string'}"
                                     f", not {value!r}")
        values[key] = value.strip() if wanted is str else value
    name = values.get("bag_name", Config.bag_name)
    if not name or name.startswith(".") or "/" in name or "\\" in name:
        raise InputError(origin, f"bag_name must be a plain folder name, not {name!r}")
    return Config(**values, origin=origin)


@dataclass(frozen=True)
class Inputs:
    """Where the collection is: the project's folders unless the command line says otherwise."""

    raw: Path = Path("raw")
    clean: Path = Path("clean")
    decisions: Path = Path("review")
    review_html: Path | None = Path("build/review")  # None: the bag leaves the pages out


@dataclass(frozen=True)
class Document:
    raw: Path
    tei: Path
    decisions: Path

    @property
    def stem(self) -> str:
        return source.stem(self.raw)


def default_out(config: Config) -> Path:
    return Path("build") / "deposit" / config.bag_name


def bagging_date() -> str:
    """SOURCE_DATE_EPOCH's day (UTC, as the TEI's revision dates) when set, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return date.today().isoformat()
    try:
        return time.strftime("%Y-%m-%d", time.gmtime(int(epoch)))
    except (ValueError, OverflowError, OSError):
        raise InputError("SOURCE_DATE_EPOCH", f"must be whole seconds since 1970, not {epoch!r}") \
            from None


def build(out: Path, inputs: Inputs, config: Config, tar: bool = False,
          warn: Callable[[str], None] = lambda message: None) -> Path:
    """Write the bag at `out` (and `out`.tar with its .sha256), or raise `Refused`/`InputError`
    having written nothing."""
    when = bagging_date()
    unset = [key for key in ("source_organization", "contact_name") if not getattr(config, key)]
    if unset:
        warn(f"{config.origin}: no {' or '.join(unset)}; bag-info.txt says 'Not specified'")
    documents = _documents(inputs, warn)
    reports, problems = _review_reports(inputs.review_html, config, documents)
    if out.exists() and not (out / "bagit.txt").is_file():
        raise Refused([f"{out}: exists and is not a bag; not replacing it"])
    made = [folder for folder in (out.parent, *out.parent.parents) if not folder.exists()]
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}."))
    tar_files: list[tuple[Path, Path]] = []
    try:
        os.chmod(staging, 0o777 & ~_UMASK)  # mkdtemp's folder is private; the bag is not
        for document in documents:
            problems += _stage(staging, document, config, warn)
        for report in reports:
            _copy(report, staging / "review" / report.relative_to(inputs.review_html))
        if problems:
            raise Refused(problems)
        folders = {path.name for path in staging.iterdir()}
        bagit.make_bag(str(staging), config.bag_info(len(documents), folders, when),
                       checksums=list(CHECKSUMS))
        _rewrite_tag_files(staging)
        bagit.Bag(str(staging)).validate()  # bagit.py's own reading of what was just written
        tar_files = _write_tar(staging, out) if tar else []
        _replace(staging, out)
        for temporary, target in tar_files:
            os.replace(temporary, target)
        if not tar:
            _remove_stale_tar(out, warn)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for temporary, _ in tar_files:
            temporary.unlink(missing_ok=True)
        for folder in made:  # deepest first: leave no trace, not even the folders made for it
            try:
                folder.rmdir()
            except OSError:
                break
        raise
    return out


def _documents(inputs: Inputs, warn) -> list[Document]:
    """Every dump in the raw folder with its TEI; a TEI without its dump, or a dump without its
    TEI, is a problem: the bag must let every document be verified."""
    if not inputs.raw.is_dir():
        raise InputError(str(inputs.raw), "is not a folder of raw dumps")
    problems, documents, stems = [], [], {}
    for path in sorted(inputs.raw.iterdir()):
        if not path.is_file():
            continue
        if not source.is_raw(path):
            warn(f"{path}: not a dump (*.txt, *.md) nor pages, left out of the bag")
            continue
        document = Document(path, inputs.clean / f"{source.stem(path)}.tei.xml",
                            decisions.path_for(inputs.decisions, path))
        if document.stem in stems:
            problems.append(f"{path}: has the same name as {stems[document.stem]}, and so the "
                            f"same TEI ({document.tei})")
            continue
        if any(c in path.name for c in "%\r\n"):
            problems.append(f"{path}: a file name with %, CR or LF cannot be written to a BagIt "
                            "manifest by bagit.py as RFC 8493 reads it; rename the dump")
        if not document.tei.is_file():
            problems.append(f"{document.tei}: missing, the TEI of {path} (run `make` or "
                            f"`pipeline run {path}` first)")
        stems[document.stem] = path
        documents.append(document)
    if inputs.clean.is_dir():
        for tei in sorted(inputs.clean.glob("*.tei.xml")):
            if tei.name[:-len(".tei.xml")] not in stems:
                problems.append(f"{tei}: has no raw dump in {inputs.raw}; remove it or add "
                                "its dump")
    if inputs.decisions.is_dir():
        for file in sorted(inputs.decisions.glob("*.decisions.json")):
            if file.name[:-len(".decisions.json")] not in stems:
                warn(f"{file}: decisions for no dump in {inputs.raw}, left out of the bag")
    if not documents and not problems:
        problems.append(f"{inputs.raw}: holds no raw dumps (*.txt, *.md); nothing to deposit")
    if problems:
        raise Refused(problems)
    return documents


def _review_reports(folder: Path | None, config: Config,
                    documents: list[Document]) -> tuple[list[Path], list[str]]:
    """Whatever HTML `pipeline review` left in `folder`, and the problems: with require_review,
    each document's page (<name>.html) must be among them. No folder, no pages: the decisions
    are the review's record, and require_review still asks for them (`_stage`)."""
    if folder is None:
        return [], []
    reports = sorted(p for p in folder.rglob("*.html") if p.is_file()) if folder.is_dir() else []
    if config.require_review:
        missing = [f"{folder / f'{document.stem}.html'}: missing, the review page of "
                   f"{document.raw} (require_review = true in {config.origin}; run `pipeline "
                   f"review {document.raw.parent}` first)"
                   for document in documents if folder / f"{document.stem}.html" not in reports]
        return reports, missing
    return reports, []


def _stage(staging: Path, document: Document, config: Config, warn) -> list[str]:
    """Copy one document into the staging folder and check the copies; the problems, one line
    each, named by the project's own paths."""
    decided = decisions.load(document.decisions)
    raw = _copy(document.raw, staging / "raw" / document.raw.name)
    tei = _copy(document.tei, staging / "clean" / document.tei.name)
    if document.decisions.is_file():
        _copy(document.decisions, staging / "decisions" / document.decisions.name)
    try:
        result = process.repair(source.read(raw), decisions=decided, kind=_kind_of(tei))
    except InputError as error:
        return [f"{document.raw}: {error.message}"]
    problems = [f"{document.tei}: {problem}"
                for problem in _tei_problems(tei, raw, decided, document.raw)]
    for decision, reason in result.stale:
        warn(f"{document.decisions}: {decision.change_id}: stale, not applied: {reason}")
    undecided = [change.id for change in result.changes if change.decision is None]
    if config.require_review and undecided:
        shown = ", ".join(undecided[:5]) + (f" and {len(undecided) - 5} more"
                                            if len(undecided) > 5 else "")
        problems.append(f"{document.decisions}: {len(undecided)} of {len(result.changes)} "
                        f"changes have no decision (require_review = true in {config.origin}): "
                        f"{shown}")
    _write(staging / "provenance" / f"{document.stem}.changes.jsonl", provenance(result))
    return problems


def _kind_of(tei: Path) -> str | None:
    """The input kind the TEI was written with, when a user forced it: the changes are only the
    same read the same way. A TEI that cannot be read is reported by the checks themselves."""
    try:
        return recorded_kind(parse(tei.read_bytes()).getroot())
    except (OSError, ValueError, etree.XMLSyntaxError):
        return None


def provenance(result: process.Result) -> bytes:
    """One JSON line per change: where, what, which rule, why, the reviewer's decision, and
    whether it was applied (a rejected change is recorded but not applied)."""
    return "".join(json.dumps({**change.as_record(), "applied": change.applied},
                              ensure_ascii=False) + "\n"
                   for change in result.changes).encode("utf-8")


def _tei_problems(tei: Path, raw: Path, decided: dict, raw_name: Path) -> list[str]:
    """What is wrong with one TEI: schema, then `verify` against its raw dump (`raw_name` is
    how the message names it)."""
    try:
        invalid = schema.errors(tei.read_bytes())
    except Exception as error:
        return [f"is not well-formed XML ({error})"]
    problems = []
    if invalid:
        more = f" (and {len(invalid) - 1} more)" if len(invalid) > 1 else ""
        problems.append(f"not valid TEI P5 tei_all: {invalid[0]}{more}")
    try:
        failed = [check for check in verify(raw, tei, decided) if not check.ok]
    except Exception as error:  # a TEI that is not this pipeline's (notes missing or mangled)
        failed = [Check("verify", False, f"cannot be checked ({type(error).__name__}: {error})")]
    if failed:
        problems.append(f"fails verify against {raw_name}: "
                        + "; ".join(f"{check.name}: {check.detail}" for check in failed)
                        + _dating_hint(tei, failed))
    return problems


def _dating_hint(tei: Path, failed: list[Check]) -> str:
    """The usual reason a TEI is not reproduced: it was written with SOURCE_DATE_EPOCH set (its
    revisionDesc is dated) and is checked without it, or the other way round."""
    if not any(check.name == "deterministic" for check in failed):
        return ""
    stages = parse(tei.read_bytes()).iterfind(".//t:revisionDesc/t:change", {"t": TEI_NS})
    dated = any(change.get("when") for change in stages if change.get("n") in NAMES)
    now = bool(os.environ.get("SOURCE_DATE_EPOCH"))
    if dated == now:
        return ""
    return (f" (the TEI was written {'with' if dated else 'without'} SOURCE_DATE_EPOCH and is "
            f"checked {'with' if now else 'without'} it: run both with the same setting)")


def _copy(origin: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(origin, target)
    return target


def _write(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _rewrite_tag_files(bag: Path) -> None:
    """BagIt 1.0 (RFC 8493) in bagit.txt, and tag manifests in sorted order (bagit.py lists tag
    files in whatever order the directory listing gives, which differs between file systems)."""
    (bag / "bagit.txt").write_text(BAGIT_TXT, encoding="utf-8")
    tag_files = sorted(p.name for p in bag.iterdir()
                       if p.is_file() and not p.name.startswith("tagmanifest-"))
    for algorithm in CHECKSUMS:
        lines = [f"{_digest(bag / name, algorithm)}  {name}\n" for name in tag_files]
        (bag / f"tagmanifest-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")


def _digest(path: Path, algorithm: str) -> str:
    with path.open("rb") as file:
        return hashlib.file_digest(file, algorithm).hexdigest()


def _write_tar(bag: Path, out: Path) -> list[tuple[Path, Path]]:
    """BAG.tar and BAG.tar.sha256 as temporary files next to their targets: entries sorted, one
    owner, one mode per kind and one mtime (SOURCE_DATE_EPOCH, else 0), so equal bags give
    equal tars."""
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH") or 0)
    target = out.with_name(out.name + ".tar")
    entries = sorted(bag.rglob("*"), key=lambda p: p.relative_to(bag).parts)
    written = []
    try:
        for name in (target, target.with_name(target.name + ".sha256")):
            handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{name.name}.")
            os.close(handle)
            os.chmod(temporary, 0o666 & ~_UMASK)
            written.append((Path(temporary), name))
        (tar_file, _), (sum_file, _) = written
        with tarfile.open(tar_file, mode="w", format=tarfile.PAX_FORMAT) as archive:
            for path in [bag, *entries]:
                info = tarfile.TarInfo("/".join((out.name, *path.relative_to(bag).parts)))
                info.mtime, info.uid, info.gid, info.uname, info.gname = mtime, 0, 0, "", ""
                if path.is_dir():
                    info.type, info.mode = tarfile.DIRTYPE, _TAR_DIR_MODE
                    archive.addfile(info)
                else:
                    info.size, info.mode = path.stat().st_size, _TAR_FILE_MODE
                    with path.open("rb") as file:
                        archive.addfile(info, file)
        sum_file.write_text(f"{_digest(tar_file, 'sha256')}  {target.name}\n", encoding="ascii")
    except BaseException:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise
    return written


def _remove_stale_tar(out: Path, warn) -> None:
    """A tar of an earlier bag, left next to the new bag, would pass for it: it goes."""
    for stale in (out.with_name(out.name + ".tar"), out.with_name(out.name + ".tar.sha256")):
        if stale.is_file():
            stale.unlink()
            warn(f"{stale}: removed, it was made from the bag this deposit replaced")


def _replace(staging: Path, out: Path) -> None:
    """Rename the finished bag into place; an older bag there is moved aside first, then removed."""
    if not out.exists():
        os.rename(staging, out)
        return
    old = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.old."))
    os.rename(out, old / out.name)
    try:
        os.rename(staging, out)
    except BaseException:
        os.rename(old / out.name, out)
        old.rmdir()
        raise
    shutil.rmtree(old, ignore_errors=True)


def check(bag_path: Path) -> list[Check]:
    """Re-check a bag: fixity (bagit.py), then every document in it, as `build` checked it."""
    try:
        bag = bagit.Bag(str(bag_path))
    except (bagit.BagError, OSError) as error:
        return [Check("bag", False, f"{bag_path}: not a readable bag ({error})")]
    outside = _leading_outside(bag_path, bag)
    if outside:
        return [Check("bag", False, f"{bag_path}: {', '.join(outside)} lead"
                                    f"{'s' if len(outside) == 1 else ''} outside the bag; "
                                    "refused, nothing in it was checked")]
    checks = [_fixity(bag)]
    data = bag_path / "data"
    made_by = bag.info.get("Bag-Software-Agent")
    other = (f" (the bag was made by {made_by}, this is pipeline {__version__})"
             if made_by != f"pipeline {__version__}" else "")
    raws = sorted(p for p in (data / "raw").glob("*") if p.is_file())
    for raw in raws:
        stem = source.stem(raw)
        tei = data / "clean" / f"{stem}.tei.xml"
        name = tei.relative_to(bag_path)
        if not tei.is_file():
            checks.append(Check(str(name), False,
                                f"missing, the TEI of {raw.relative_to(bag_path)}"))
            continue
        try:
            decided = decisions.load(data / "decisions" / f"{stem}.decisions.json")
        except InputError as error:
            checks.append(Check(str(name), False, f"its decisions cannot be used: {error}"))
            continue
        problems = _tei_problems(tei, raw, decided, raw.relative_to(bag_path))
        checks.append(Check(str(name), not problems,
                            "; ".join(problems) + other if problems
                            else f"valid TEI P5; verify against {raw.relative_to(bag_path)}: "
                                 "checksum, replay, reading text, deterministic"))
        checks.append(_provenance(bag_path, raw, decided))
    known = {source.stem(raw) for raw in raws}
    for tei in sorted((data / "clean").glob("*.tei.xml")):
        if tei.name[:-len(".tei.xml")] not in known:
            checks.append(Check(str(tei.relative_to(bag_path)), False,
                                "its raw dump is missing from data/raw"))
    if not raws:
        checks.append(Check("documents", False, f"{bag_path}: no raw dumps in data/raw"))
    return checks


def _leading_outside(bag_path: Path, bag: bagit.Bag) -> list[str]:
    """The manifest entries and symbolic links in the bag that lead out of it.

    bagit.py refuses `../x` and absolute paths in a manifest itself, but it compares paths as
    strings, so that the bag `deposit/c` lets `../c-old/x` through and hashes that file. A link
    would be followed when a document is read and its text shown in a failed check.
    """
    root = bag_path.resolve()
    paths = [bag_path / entry for entry in bag.entries]
    paths += [path for path in bag_path.rglob("*") if path.is_symlink()]
    outside = set()
    for path in paths:
        try:
            inside = path.resolve().is_relative_to(root)
        except (OSError, RuntimeError):  # a loop of links
            inside = False
        if not inside:
            outside.add(path.relative_to(bag_path).as_posix())
    return sorted(outside)


def _provenance(bag_path: Path, raw: Path, decided: dict) -> Check:
    stem = source.stem(raw)
    path = bag_path / "data" / "provenance" / f"{stem}.changes.jsonl"
    name = str(path.relative_to(bag_path))
    try:
        recorded = path.read_bytes()
        tei = bag_path / "data" / "clean" / f"{stem}.tei.xml"
        expected = provenance(process.repair(source.read(raw), decisions=decided,
                                             kind=_kind_of(tei)))
    except (OSError, InputError) as error:
        return Check(name, False, f"cannot be checked ({error})")
    if recorded == expected:
        count = len(expected.splitlines())
        return Check(name, True, f"{count} change{'s' if count != 1 else ''}, as the pipeline "
                                 "records them")
    return Check(name, False, "differs from the changes the pipeline records for "
                              f"{raw.relative_to(bag_path)}")


def _fixity(bag: bagit.Bag) -> Check:
    """bagit.py's validation, with every damaged, missing or unlisted file named: bagit.py stops
    at the first failing step (the Payload-Oxum count comes before the per-file checks)."""
    try:
        bag.validate()
    except bagit.BagValidationError as error:
        problems = [] if error.details else [error.message]
        problems += _describe(error.details)
        if not any(isinstance(d, bagit.ChecksumMismatch) for d in error.details):
            missing, unexpected = bag.compare_manifests_with_fs()
            problems += _describe([*map(bagit.FileMissing, sorted(missing)),
                                   *map(bagit.UnexpectedFile, sorted(unexpected))])
            problems += _describe(_mismatches(bag))
        return Check("fixity", False, "; ".join(dict.fromkeys(problems)))
    except bagit.BagError as error:
        return Check("fixity", False, str(error))
    payload = len(bag.payload_entries())
    return Check("fixity", True, f"{payload} payload files and {len(bag.entries) - payload} tag "
                                 f"files match their {' and '.join(sorted(bag.algorithms))} "
                                 "manifests")


def _mismatches(bag: bagit.Bag) -> list:
    found = []
    for relative, hashes in sorted(bag.entries.items()):
        path = Path(bag.path) / relative
        if path.is_file():
            for algorithm, expected in sorted(hashes.items()):
                if _digest(path, algorithm) != expected.lower():
                    found.append(bagit.ChecksumMismatch(relative, algorithm))
    return found


def _describe(details) -> list[str]:
    lines = []
    for detail in details:
        if isinstance(detail, bagit.ChecksumMismatch):
            lines.append(f"{detail.path}: content differs from the manifests (changed since "
                         "bagging)")
        elif isinstance(detail, bagit.FileMissing):
            lines.append(f"{detail.path}: listed in the manifests but missing")
        elif isinstance(detail, bagit.UnexpectedFile):
            lines.append(f"{detail.path}: in the bag but in no manifest")
        else:
            lines.append(str(detail))
    return lines
