using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OfflineCirc.Core.Data;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Every change to what a session's status reads (the session row, its running counts, its files) notifies the
    /// channel session_changes with the session's id, and a change to the org units, or a table emptied at once, notifies
    /// it with nothing: every session. Each node keeps the statuses it answered only while it listens there
    /// (docs/adr-021). Row triggers of one transaction naming the same session send one notice, at its commit.
    /// </summary>
    [DbContext(typeof(CircDbContext))]
    [Migration("20261203073000_SessionChangesNotified")]
    public partial class SessionChangesNotified : Migration
    {
        private static readonly string[] RowTables = ["sessions", "session_counts", "uploaded_files"];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_LEVEL = 'STATEMENT' THEN
                        PERFORM pg_notify('session_changes', '');
                    ELSIF TG_TABLE_NAME = 'sessions' THEN
                        PERFORM pg_notify('session_changes', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
                    ELSE
                        PERFORM pg_notify('session_changes', (CASE WHEN TG_OP = 'DELETE' THEN OLD.session_id ELSE NEW.session_id END)::text);
                    END IF;
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in RowTables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER session_changed AFTER INSERT OR UPDATE OR DELETE ON {table}
                        FOR EACH ROW EXECUTE FUNCTION session_changed();
                    CREATE TRIGGER session_changed_all AFTER TRUNCATE ON {table}
                        FOR EACH STATEMENT EXECUTE FUNCTION session_changed();
                    """);
            }
            migrationBuilder.Sql("""
                CREATE TRIGGER session_changed_all AFTER UPDATE OR DELETE OR TRUNCATE ON org_units
                    FOR EACH STATEMENT EXECUTE FUNCTION session_changed();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in RowTables)
            {
                migrationBuilder.Sql($"""
                    DROP TRIGGER IF EXISTS session_changed ON {table};
                    DROP TRIGGER IF EXISTS session_changed_all ON {table};
                    """);
            }
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS session_changed_all ON org_units;
                DROP FUNCTION IF EXISTS session_changed();
                """);
        }
    }
}
