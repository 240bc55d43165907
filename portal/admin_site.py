"""The admin site the review engineers work in.

Every admin page's context carries the app list for the navigation sidebar: a walk over
every registered model and two permission queries, about half of the review queue's time
once its content comes from the cache. The engineers move between the queue, the review
page and the waivers by the links on those pages and the admin index, so the sidebar is
off and the app list is built only where a page shows it (the index pages).
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.functional import SimpleLazyObject


class PortalAdminSite(admin.AdminSite):
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        return SimpleLazyObject(lambda: super(PortalAdminSite, self).get_app_list(request, app_label))


class PortalAdminConfig(AdminConfig):
    default_site = "portal.admin_site.PortalAdminSite"
