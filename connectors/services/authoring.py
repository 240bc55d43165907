"""Writes to a connector as its developers author it: create, edit, icons, bundles, delete."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from connectors import selectors
from connectors.bundle.completeness import MissingPart, icon_problem, missing_parts
from connectors.bundle.devstudio_export import write_devstudio_zip
from connectors.bundle.errors import BundleError
from connectors.bundle.importer import ImportedBundle, import_bundle
from connectors.bundle.types import ICONS
from connectors.bundle.writer import write_bundle_zip
from connectors.conversion import bundle_fields, connector_as_bundle
from connectors.errors import ConnectorLocked, DuplicateName, InvalidBundle
from connectors.models import CONNECTOR_NAME_CONSTRAINT, Company, Connector, ConnectorFile, Submission

# Editable connector columns (the rest is state or bookkeeping).
CONNECTOR_FIELDS = (
    "name",
    "description",
    "auth_method",
    "auth_fields",
    "oauth2",
    "oauth2_client_secret",
    "hosts",
    "reports",
    "parameters",
    "samples",
    "authentication_script",
    "processdata_script",
)

# --- connectors ---------------------------------------------------------------


def connector_locked_message(connector: Connector, open_submission: Submission) -> str:
    """Why the connector is frozen: the editor shows it before a save is even tried."""
    return (
        f"{connector.name} cannot be edited while version {open_submission.number} is "
        f"{open_submission.get_state_display().lower()}: the reviewers are looking at exactly this code. "
        "Withdraw the submission from the status window to edit it again."
    )


def ensure_editable(connector: Connector) -> None:
    open_submission = selectors.open_submission(connector)
    if open_submission is not None:
        raise ConnectorLocked(connector_locked_message(connector, open_submission))


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(CONNECTOR_FIELDS)
    if unknown:
        raise TypeError(f"Unknown connector fields: {sorted(unknown)}")


def _ensure_name_free(company: Company, name: str, exclude_pk=None) -> None:
    # Two connectors of one company with one name look the same on Develop, in emails and
    # in the review queue; a typed name is refused, an imported one gets a number (below).
    other = selectors.connector_name_taken(company, name, exclude_pk)
    if other is not None:
        raise DuplicateName(
            f"{company.name} already has a connector named \u201c{other.name}\u201d. Choose another name."
        )


def _name_clash(error: IntegrityError) -> bool:
    return CONNECTOR_NAME_CONSTRAINT in str(error)


def _duplicate_name(company: Company, name: str) -> DuplicateName:
    return DuplicateName(f"{company.name} already has a connector named \u201c{name.strip()}\u201d. Choose another name.")


def _save_under_typed_name(connector: Connector) -> None:
    """Save; a name another save took since the check is refused like any taken name."""
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction stays usable
            connector.save()
    except IntegrityError as error:
        if not _name_clash(error):
            raise
        raise _duplicate_name(connector.company, connector.name) from None


# Each retry means another save took the number just read: a handful is plenty.
NAME_ATTEMPTS = 10


def _save_under_free_name(connector: Connector, wanted: str, exclude_pk=None) -> None:
    """Save as `wanted` or its next free "Name (n)", even when a concurrent save takes that number first.

    The read of free names cannot see a save that has not committed yet; the database's
    constraint does, so a clash retries, in a savepoint, with the next number.
    """
    for _attempt in range(NAME_ATTEMPTS):
        connector.name = selectors.connector_free_name(connector.company, wanted, exclude_pk=exclude_pk)
        try:
            with transaction.atomic():
                connector.save()
            return
        except IntegrityError as error:
            if not _name_clash(error):
                raise
    raise _duplicate_name(connector.company, connector.name)


def _add_files(connector: Connector, files: dict[str, bytes]) -> None:
    ConnectorFile.objects.bulk_create(
        [ConnectorFile(connector=connector, path=path, content=data) for path, data in sorted(files.items())]
    )


@transaction.atomic
def connector_create(*, company: Company, user, name: str, **fields) -> Connector:
    _check_fields(fields)
    _ensure_name_free(company, name)
    connector = Connector(company=company, name=name, created_by=user, **fields)
    # The constraint is the database's (checked by _save_under_typed_name), not full_clean's.
    connector.full_clean(exclude=["company", "created_by"], validate_constraints=False)
    _save_under_typed_name(connector)
    return connector


@transaction.atomic
def connector_update(*, connector: Connector, user, files: dict[str, bytes | None] | None = None, **fields) -> Connector:
    """Change columns and/or files (a None content deletes that file)."""
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    ensure_editable(connector)
    _check_fields(fields)
    if "name" in fields:
        _ensure_name_free(connector.company, fields["name"], exclude_pk=connector.pk)
    for name, value in fields.items():
        setattr(connector, name, value)
    connector.full_clean(exclude=["company", "created_by"], validate_constraints=False)
    _save_under_typed_name(connector)
    for path, content in (files or {}).items():
        if content is None:
            connector.files.filter(path=path).delete()
        else:
            ConnectorFile.objects.update_or_create(connector=connector, path=path, defaults={"content": content})
    return connector


def connector_set_icon(*, connector: Connector, user, key: str, data: bytes) -> Connector:
    problem = icon_problem(key, data)
    if problem:
        raise InvalidBundle(BundleError(problem, file=ICONS[key][0]))
    return connector_update(connector=connector, user=user, files={ICONS[key][0]: data})


def _read_strict(source) -> ImportedBundle:
    """Read a bundle (ours or a Dev Studio export) for import: unreadable or with bad
    icons, nothing is stored. An unfinished Dev Studio export is read as a draft."""
    try:
        imported = import_bundle(source)
    except BundleError as error:
        raise InvalidBundle(error) from None
    bundle = imported.bundle
    for key, (path, _w, _h) in ICONS.items():
        if path in bundle.files:
            problem = icon_problem(key, bundle.files[path])
            if problem:
                raise InvalidBundle(BundleError(problem, file=path))
    return imported


def _keep_import_notes(connector: Connector, imported: ImportedBundle) -> None:
    """Not stored: the page or the API answer shows them once, right after the upload."""
    connector.import_notes = imported.notes
    connector.grouped_import_notes = imported.grouped_notes
    connector.import_format = imported.source_format


@transaction.atomic
def connector_import_bundle(*, company: Company, user, source) -> Connector:
    """Create a connector from an upload. `connector.import_notes` (not stored) says what a
    Dev Studio export lost in the conversion, for the page or the API answer to show once;
    `grouped_import_notes` holds the same, by group (bundle/import_notes.py)."""
    imported = _read_strict(source)
    fields, files = bundle_fields(imported.bundle)
    # An upload is not refused for its name: it is kept under the next free "Name (2)",
    # which the Develop page and the API both show.
    wanted = fields.pop("name")
    connector = Connector(company=company, created_by=user, **fields)
    _save_under_free_name(connector, wanted)
    _add_files(connector, files)
    _keep_import_notes(connector, imported)
    connector.renamed_from = wanted if wanted != connector.name else None  # for the page's warning
    return connector


@transaction.atomic
def connector_replace_bundle(*, connector: Connector, user, source) -> Connector:
    imported = _read_strict(source)
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    ensure_editable(connector)
    fields, files = bundle_fields(imported.bundle)
    wanted = fields.pop("name")
    for name, value in fields.items():
        setattr(connector, name, value)
    _save_under_free_name(connector, wanted, exclude_pk=connector.pk)
    connector.renamed_from = wanted if wanted != connector.name else None
    connector.files.all().delete()
    _add_files(connector, files)
    _keep_import_notes(connector, imported)
    return connector


@transaction.atomic
def connector_delete(*, connector: Connector, user) -> str:
    """Delete a draft that was never submitted; a submitted one keeps its history."""
    connector = Connector.objects.select_for_update().get(pk=connector.pk)
    if connector.submissions.exists():
        raise ConnectorLocked(
            f"{connector.name} has been submitted, so it stays with its versions and review history. "
            "Only a connector that was never submitted can be deleted."
        )
    name = connector.name
    connector.delete()
    return name


EXPORT_FORMATS = ("bundle", "devstudio")


def connector_export_bundle(connector: Connector, export_format: str = "bundle") -> bytes:
    """A zip of the connector: our bundle format, or Domo Dev Studio's layout ("devstudio")."""
    bundle = connector_as_bundle(connector)
    if export_format == "devstudio":
        return write_devstudio_zip(bundle)
    return write_bundle_zip(bundle)


def connector_missing_parts(connector: Connector) -> list[MissingPart]:
    """The completeness check: the same list as the review's missing-field rule."""
    return missing_parts(connector_as_bundle(connector))
