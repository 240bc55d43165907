"""Connector bundles (docs: bundle-format.md): read, validate, check, write."""

from .completeness import MissingPart, icon_problem, missing_parts
from .errors import BundleError
from .folder_upload import UploadedFolder
from .manifest import path_problem, validate_manifest
from .reader import read_bundle
from .types import (
    DEFAULT_SCRIPTS,
    ICONS,
    MANIFEST,
    MAX_BUNDLE_BYTES,
    MAX_FILES,
    MAX_SCRIPT_BYTES,
    Bundle,
)
from .writer import bundle_hash, manifest_bytes, write_bundle_folder, write_bundle_zip

__all__ = [
    "DEFAULT_SCRIPTS",
    "ICONS",
    "MANIFEST",
    "MAX_BUNDLE_BYTES",
    "MAX_FILES",
    "MAX_SCRIPT_BYTES",
    "Bundle",
    "BundleError",
    "MissingPart",
    "UploadedFolder",
    "bundle_hash",
    "icon_problem",
    "manifest_bytes",
    "missing_parts",
    "path_problem",
    "read_bundle",
    "validate_manifest",
    "write_bundle_folder",
    "write_bundle_zip",
]
