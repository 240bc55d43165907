"""The Dev Studio fixture export as a zip, for the upload, API and export tests."""

import io
import zipfile
from pathlib import Path

EXPORT = Path(__file__).parents[1] / "fixtures" / "devstudio" / "aws-copy"


def devstudio_zip(top="MyConnector-main/") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for path in sorted(EXPORT.iterdir()):
            archive.writestr(top + path.name, path.read_bytes())
    return buffer.getvalue()
