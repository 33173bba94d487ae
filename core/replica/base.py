"""The replica's database backend (ENGINE "core.replica"): PostgreSQL's, except for test databases.

A standby is read-only: it cannot create, migrate or drop a database. The test run creates and migrates its test
database on the primary (the `default` alias), and physical replication brings the same database to the standby; so
"creating" the replica's test database is waiting until the standby has replayed it, and destroying it is leaving it
to the primary's DROP DATABASE. (Not TEST MIRROR: that would read the primary through the replica's name and test
nothing.)"""

from django.conf import settings
from django.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper
from django.db.backends.postgresql.creation import DatabaseCreation as PostgresCreation


class ReplicaCreation(PostgresCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        from . import wait_for_replay

        name = self._get_test_db_name()
        if verbosity >= 1:
            shown = self._get_database_display_str(verbosity, name)
            self.log(f"Using the primary's test database, replayed, for alias {shown}...")
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        wait_for_replay(timeout=120)  # the primary's test database, migrated, as far as it is now
        return name

    def _destroy_test_db(self, test_database_name, verbosity):
        pass  # the primary drops it, and the standby replays the drop


class DatabaseWrapper(PostgresWrapper):
    creation_class = ReplicaCreation
