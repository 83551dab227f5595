"""Language detection: function words weighed by how distinctive they are across the six
languages (their frequencies in wordfreq), none deciding alone however often it recurs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline import language

# English reference prose about Python's `os` module: `os` is Portuguese for `the`, and `a`,
# `de` (a `de_DE` locale) are Portuguese, Spanish and French words too.
_ENTRIES = [
    ("chdir(path)", "Change the current working directory to path."),
    ("chmod(path, mode)", "Change the mode of path to the numeric mode."),
    ("chown(path, uid, gid)", "Change the owner and group id of path to the numeric uid and gid."),
    ("getcwd()", "Return a string representing the current working directory."),
    ("listdir(path='.')", "Return a list containing the names of the entries in the directory."),
    ("mkdir(path, mode=0o777)", "Create a directory named path with numeric mode mode."),
    ("remove(path)", "Remove (delete) the file path. If path is a directory, an error is raised."),
    ("rename(src, dst)", "Rename the file or directory src to dst."),
    ("rmdir(path)", "Remove (delete) the directory path. It must be empty."),
    ("stat(path)", "Get the status of a file or a file descriptor."),
    ("walk(top)", "Generate the file names in a directory tree by walking the tree."),
    ("unlink(path)", "Remove (delete) the file path. This function is the same as os.remove."),
    ("symlink(src, dst)", "Create a symbolic link pointing to src named dst."),
    ("utime(path, times=None)", "Set the access and modified times of the file given by path."),
]
OS_MANUAL = (
    "The os module provides a portable way of using operating system dependent functionality. "
    "If you just want to read or write a file see open(), if you want to manipulate paths, see "
    "the os.path module. All functions in os raise OSError in the case of invalid file names. "
    "On a de_DE or a pt_BR locale the messages are translated.\n\n"
    + "".join(f"os.{call}\n    {what} See also os.{call.split('(')[0]} in os.path, "
              f"os.fspath() and os.fsencode(); on Windows, os.{call.split('(')[0]} "
              f"uses a wide path, as os.stat does.\n"
              for call, what in _ENTRIES)
    + ">>> import os\n>>> os.getcwd()\n'/home/a'\n>>> os.chdir(os.path.join('/', 'tmp'))\n" * 10)

PROSE = {
    "es": "El archivo municipal conserva las actas del concejo desde 1520. Los documentos más "
          "antiguos se guardan en una sala con temperatura constante, y el público puede "
          "consultarlos con cita previa. La digitalización de los padrones comenzó en 2019.",
    "en": "The municipal archive keeps the minutes of the council from 1520 onwards. The oldest "
          "documents are stored in a room with a constant temperature, and the public can see "
          "them by appointment. The digitisation of the registers began in 2019.",
    "fr": "Les archives municipales conservent les délibérations du conseil depuis 1520. Les "
          "documents les plus anciens sont gardés dans une salle à température constante, et le "
          "public peut les consulter sur rendez-vous. La numérisation des registres a commencé "
          "en 2019.",
    "de": "Das Stadtarchiv bewahrt die Protokolle des Rates seit 1520 auf. Die ältesten "
          "Dokumente werden in einem Raum mit gleichbleibender Temperatur gelagert, und die "
          "Öffentlichkeit kann sie nach Vereinbarung einsehen. Die Digitalisierung der Register "
          "begann im Jahr 2019.",
    "pt": "O arquivo municipal conserva as atas da câmara desde 1520. Os documentos mais antigos "
          "são guardados numa sala com temperatura constante, e o público pode consultá-los com "
          "marcação prévia. A digitalização dos registos começou em 2019.",
    "it": "L'archivio comunale conserva i verbali del consiglio dal 1520. I documenti più antichi "
          "sono custoditi in una sala a temperatura costante, e il pubblico può consultarli su "
          "appuntamento. La digitalizzazione dei registri è cominciata nel 2019.",
}


def test_english_naming_the_os_module_is_english():
    detected, evidence = language.detect(OS_MANUAL)
    assert detected == "en", evidence
    assert "'os'" in evidence  # the evidence says that its count was capped


@pytest.mark.parametrize("lang", sorted(PROSE))
def test_each_languages_prose_is_detected(lang):
    detected, evidence = language.detect(PROSE[lang])
    assert detected == lang, evidence


@pytest.mark.parametrize("text", ["Share on Facebook", "de la", "a a a", "El de la of the",
                                  "os " * 500, "de " * 500, "the " * 500])
def test_short_or_ambiguous_text_stays_undecided(text):
    assert language.detect(text)[0] is None


def test_the_frequency_table_is_what_wordfreq_measures():
    table = Path(language.__file__).with_name("function_word_frequencies.py")
    assert table.read_text(encoding="utf-8") == language.measured_table(), \
        "run `python -m pipeline.language` to measure the table again"
