using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OfflineCirc.Core.Data;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Every change to what the sign-in checks read (accounts, roles, their claims, tokens) notifies the channel
    /// account_changes, whoever makes it: any node, a script or an administrator at psql. Each node keeps its readings
    /// only while it listens there (docs/adr-019). A token's time of last use is no such change: the checks update it
    /// themselves once a minute, and a notice each time would forget every node's readings as often.
    /// </summary>
    [DbContext(typeof(CircDbContext))]
    [Migration("20261202210000_AccountChangesNotified")]
    public partial class AccountChangesNotified : Migration
    {
        private static readonly string[] Tables = ["AspNetUsers", "AspNetRoles", "AspNetUserRoles", "AspNetUserClaims", "AspNetRoleClaims"];

        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE FUNCTION account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM pg_notify('account_changes', '');
                    RETURN NULL;
                END $$;
                """);
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""
                    CREATE TRIGGER account_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "{table}"
                        FOR EACH STATEMENT EXECUTE FUNCTION account_changed();
                    """);
            }
            migrationBuilder.Sql("""
                CREATE TRIGGER account_changed AFTER INSERT OR DELETE OR TRUNCATE ON api_tokens
                    FOR EACH STATEMENT EXECUTE FUNCTION account_changed();
                CREATE TRIGGER account_changed_update AFTER UPDATE ON api_tokens FOR EACH ROW
                    WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.user_id IS DISTINCT FROM NEW.user_id
                          OR OLD.token_hash IS DISTINCT FROM NEW.token_hash)
                    EXECUTE FUNCTION account_changed();
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in Tables)
            {
                migrationBuilder.Sql($"""DROP TRIGGER IF EXISTS account_changed ON "{table}";""");
            }
            migrationBuilder.Sql("""
                DROP TRIGGER IF EXISTS account_changed ON api_tokens;
                DROP TRIGGER IF EXISTS account_changed_update ON api_tokens;
                DROP FUNCTION IF EXISTS account_changed();
                """);
        }
    }
}
