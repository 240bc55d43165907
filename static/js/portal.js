// The portal's own small enhancements; htmx comes from django-htmx.
