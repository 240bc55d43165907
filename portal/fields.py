from django.db import models

from portal import crypto


class EncryptedTextField(models.TextField):
    """Text stored encrypted; reads give the plaintext back.

    The empty string is stored as is, so "nothing was given" and "purged" stay
    visible without a key. Lookups other than isnull/exact-empty are meaningless on
    ciphertext, so never filter on the content.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return crypto.decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return crypto.encrypt(value)
