"""Test databases for the RDS module tests, unit (moto in-process) and integration (moto_server)
alike: one definition of what a test PostgreSQL instance is."""


def create_postgres_instance(client, identifier="e1-db", retention=7):
    """Create a small PostgreSQL instance keeping automated backups RETENTION days; return it."""
    return client.create_db_instance(
        DBInstanceIdentifier=identifier,
        DBInstanceClass="db.t3.micro",
        Engine="postgres",
        MasterUsername="dbadmin",
        MasterUserPassword="not-a-secret-1",
        AllocatedStorage=20,
        BackupRetentionPeriod=retention,
    )["DBInstance"]
