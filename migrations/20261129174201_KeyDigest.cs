using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Keys are held unique through a 16-byte digest instead of their text. In a million-line upload, keeping the
    /// unique index on random 36-character text up to date was most of the database's work (docs/adr-007).
    /// </summary>
    public partial class KeyDigest : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // The same three rules as TransactionKeys.Digest: a lowercase UUID is itself, a content key is the first half
            // of its SHA-256, and any other text is the first half of its own SHA-256.
            migrationBuilder.Sql("""
                CREATE FUNCTION offline_key_digest(k text) RETURNS uuid
                LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
                    SELECT CASE
                        WHEN k ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN k::uuid
                        WHEN k ~ '^[0-9a-f]{64}$' THEN left(k, 32)::uuid
                        ELSE encode(substring(sha256(convert_to(k, 'UTF8')) FROM 1 FOR 16), 'hex')::uuid
                    END
                $$;
                ALTER TABLE offline_transactions ADD COLUMN key_digest uuid;
                UPDATE offline_transactions SET key_digest = offline_key_digest(key);
                ALTER TABLE offline_transactions ALTER COLUMN key_digest SET NOT NULL;
                """);

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_key_digest",
                table: "offline_transactions",
                column: "key_digest",
                unique: true);

            migrationBuilder.DropIndex(
                name: "ix_offline_transactions_key",
                table: "offline_transactions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_offline_transactions_key_digest",
                table: "offline_transactions");

            migrationBuilder.DropColumn(
                name: "key_digest",
                table: "offline_transactions");

            migrationBuilder.Sql("DROP FUNCTION offline_key_digest(text);");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_key",
                table: "offline_transactions",
                column: "key",
                unique: true);
        }
    }
}
