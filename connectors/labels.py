"""Labels people read for codes of the bundle format, shared by forms and pages."""

from connectors.bundle.manifest import PARAMETER_TYPES

PARAMETER_TYPE_LABELS = {
    "string": "String",
    "integer": "Integer",
    "text": "Text",
    "dropdown": "Dropdown (fixed options)",
    "date_selector": "Date selector",
    "discovery": "Discovery (options from a script)",
}
assert set(PARAMETER_TYPE_LABELS) == set(PARAMETER_TYPES)

ICON_LABELS = {
    "icon_with_background": "Icon with background",
    "icon_without_background": "Icon without background",
    "logo_with_background": "Logo with background",
    "logo_without_background": "Logo banner without background",
}

