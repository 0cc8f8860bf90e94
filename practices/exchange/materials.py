"""The files of practices' materials: where an import reads them (the folder of the JSON file
or a zip bundle), how they are checked (as the site checks an editor's upload) and stored as
Wagtail documents, once per file."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form
from wagtail.models import Collection
from wagtail.utils.file import hash_filelike

from .validation import ExchangeError, material_path_problem


class MaterialFileMissing(Exception):
    """The file a material names cannot be read; the message says why."""


class MaterialFiles:
    """Reads the files a document's materials name, by their path in the document."""

    def read(self, path: str) -> bytes:
        raise NotImplementedError


def _check_size(size: int) -> None:
    """Refuses a file larger than an upload may be before it is read into memory (a zip
    bundle could otherwise unpack a small member into gigabytes)."""
    limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
    if limit and size > limit:
        raise MaterialFileMissing(
            _("the file is too large (%(size)s); the limit is %(limit)s")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


class NoMaterialFiles(MaterialFiles):
    """A document read from standard input: there is no folder to find files in."""

    def read(self, path: str) -> bytes:
        raise MaterialFileMissing(
            _("a document read from standard input cannot bring files; import it from a file")
        )


class FolderFiles(MaterialFiles):
    """Files in the folder of the JSON file and its subfolders."""

    def __init__(self, folder: Path):
        self.folder = folder.resolve()

    def read(self, path: str) -> bytes:
        file = (self.folder / path).resolve()
        # A symbolic link could lead out of the folder although the path itself stays in it.
        if not file.is_relative_to(self.folder):
            raise MaterialFileMissing(_("the file is outside the folder of the exchange file"))
        try:
            _check_size(file.stat().st_size)
            return file.read_bytes()
        except FileNotFoundError:
            raise MaterialFileMissing(_("no such file next to the exchange file")) from None
        except OSError as error:
            raise MaterialFileMissing(error.strerror) from None


class BundleFiles(MaterialFiles):
    """Files in a zip bundle, by their path from its root."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.names = set(archive.namelist())

    def read(self, path: str) -> bytes:
        name = posixpath.normpath(path)
        if name not in self.names:
            raise MaterialFileMissing(_("no such file in the bundle"))
        _check_size(self.archive.getinfo(name).file_size)
        with self.archive.open(name) as member:
            # Read no more than the limit allows, whatever the member's header claims.
            limit = getattr(settings, "WAGTAILDOCS_MAX_UPLOAD_SIZE", None)
            content = member.read(limit + 1 if limit else -1)
        if limit:
            _check_size(len(content))
        return content


@dataclass(frozen=True)
class MaterialFile:
    """A material's file as the import found it."""

    name: str  # the file name, without its folders
    sha1: str
    size: int


def file_fingerprint(content: bytes) -> str:
    return hash_filelike(io.BytesIO(content))


def check_material_files(
    data: dict, files: MaterialFiles
) -> tuple[list[ExchangeError], dict[str, MaterialFile]]:
    """Reads and checks every material file the document names: it must exist and pass the
    checks of an editor's upload (type, size, content matching the extension). Returns the
    errors, each with its place, and the files found, by path."""
    errors: list[ExchangeError] = []
    found: dict[str, MaterialFile] = {}
    for path, file_path, title in _material_paths(data):
        if material_path_problem(file_path) is not None:
            continue  # the document's own check reports it
        if file_path not in found:
            try:
                content = files.read(file_path)
            except MaterialFileMissing as missing:
                errors.append(ExchangeError(path, f"{file_path}: {missing}"))
                continue
            problems = upload_problems(posixpath.basename(file_path), content, title)
            if problems:
                errors.extend(ExchangeError(path, problem) for problem in problems)
                continue
            found[file_path] = MaterialFile(
                posixpath.basename(file_path), file_fingerprint(content), len(content)
            )
    return errors, found


def _material_paths(data: dict) -> Iterable[tuple[str, str, str]]:
    practices = data.get("practices")
    for index, practice in enumerate(practices if isinstance(practices, list) else ()):
        materials = practice.get("materials") if isinstance(practice, dict) else None
        for number, material in enumerate(materials if isinstance(materials, list) else ()):
            if isinstance(material, dict) and isinstance(material.get("file"), str):
                title = material.get("title") if isinstance(material.get("title"), str) else ""
                yield (
                    f"practices[{index}].materials[{number}].file",
                    material["file"].strip(),
                    title or material["file"],
                )


def upload_problems(name: str, content: bytes, title: str) -> list[str]:
    """What the site's document upload form says about this file (its type, size and whether
    its content is what its extension says), as messages."""
    form_class = get_document_form(get_document_model(), fields=["title", "file"])
    form = form_class(
        data={"title": title[:255], "collection": Collection.get_first_root_node().pk},
        files={"file": SimpleUploadedFile(name, content)},
    )
    form.is_valid()
    return [str(message) for message in form.errors.get("file", ())]


# Django's storage adds "_" and seven letters or digits to a name already taken.
_STORED_NAME = "{stem}(_[A-Za-z0-9]{{7}})?{suffix}"


def find_document(file: MaterialFile, title: str):
    """A document already holding this file under this title (the same name and bytes), so
    that importing a file twice stores it once."""
    stem, suffix = posixpath.splitext(file.name)
    stored = re.compile(_STORED_NAME.format(stem=re.escape(stem), suffix=re.escape(suffix)))
    candidates = get_document_model().objects.filter(file_hash=file.sha1, title=title)
    for document in candidates.order_by("pk"):
        if stored.fullmatch(posixpath.basename(document.file.name)):
            return document
    return None


def store_document(file: MaterialFile, content: bytes, title: str):
    """A new document in the root collection, as an upload would make it. A file of the same
    name and bytes that no document uses any more (left by a deleted document) is taken up
    again rather than stored a second time under a changed name, so that the file keeps its
    name in the next export."""
    model = get_document_model()
    document = model(title=title, collection=Collection.get_first_root_node())
    name = document.file.field.generate_filename(document, file.name)
    storage = document.file.storage
    if (
        storage.exists(name)
        and not model.objects.filter(file=name).exists()
        and _stored_fingerprint(storage, name) == file.sha1
    ):
        document.file.name = name
    else:
        document.file = ContentFile(content, name=file.name)
    document._set_document_file_metadata()
    document.save()
    return document


def _stored_fingerprint(storage, name: str) -> str:
    with storage.open(name, "rb") as stored:
        return hash_filelike(stored)
