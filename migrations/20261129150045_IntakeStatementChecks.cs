using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// A million-line upload spent most of its time on per-row work that a file does not need row by row: two foreign
    /// key lookups per stored line and key comparisons through the locale. The file and session of stored transactions
    /// are now checked once per statement by a trigger, and keys compare byte for byte (docs/adr-005).
    /// </summary>
    public partial class IntakeStatementChecks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropForeignKey(
                name: "fk_offline_transactions_sessions_session_id",
                table: "offline_transactions");

            migrationBuilder.DropForeignKey(
                name: "fk_offline_transactions_uploaded_files_file_id",
                table: "offline_transactions");

            migrationBuilder.DropIndex(
                name: "ix_offline_transactions_file_id",
                table: "offline_transactions");

            migrationBuilder.AlterColumn<string>(
                name: "key",
                table: "offline_transactions",
                type: "text",
                nullable: false,
                collation: "C",
                oldClrType: typeof(string),
                oldType: "text");

            migrationBuilder.Sql(StatementChecksUp);
        }

        // Every stored transaction names a file of its own session: one check per INSERT statement over the rows it
        // wrote. A stored transaction never moves to another file or session, so updates are refused only when they
        // try; the replay's updates of other columns fire nothing. Deleting a file deletes its transactions, as the
        // cascading foreign key did, and a file cannot move to another session.
        private const string StatementChecksUp = """
            CREATE FUNCTION offline_transactions_check_files() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (
                    SELECT 1 FROM (SELECT DISTINCT file_id, session_id FROM written) w
                    WHERE NOT EXISTS (SELECT 1 FROM uploaded_files f WHERE f.id = w.file_id AND f.session_id = w.session_id))
                THEN
                    RAISE EXCEPTION 'an offline transaction names a file that is not in its session'
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NULL;
            END $$;

            CREATE TRIGGER offline_transactions_files_on_insert AFTER INSERT ON offline_transactions
                REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION offline_transactions_check_files();
            CREATE FUNCTION offline_transactions_keep_file() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.file_id <> OLD.file_id OR NEW.session_id <> OLD.session_id THEN
                    RAISE EXCEPTION 'a stored offline transaction cannot move to another file or session'
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER offline_transactions_keep_file BEFORE UPDATE OF file_id, session_id ON offline_transactions
                FOR EACH ROW EXECUTE FUNCTION offline_transactions_keep_file();

            CREATE FUNCTION uploaded_files_guard_transactions() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    DELETE FROM offline_transactions WHERE session_id = OLD.session_id AND file_id = OLD.id;
                    RETURN OLD;
                END IF;
                IF NEW.id <> OLD.id OR NEW.session_id <> OLD.session_id THEN
                    RAISE EXCEPTION 'an uploaded file cannot move to another session or change its number'
                        USING ERRCODE = 'foreign_key_violation';
                END IF;
                RETURN NEW;
            END $$;

            CREATE TRIGGER uploaded_files_guard_transactions BEFORE DELETE OR UPDATE OF id, session_id ON uploaded_files
                FOR EACH ROW EXECUTE FUNCTION uploaded_files_guard_transactions();
            """;

        private const string StatementChecksDown = """
            DROP TRIGGER IF EXISTS uploaded_files_guard_transactions ON uploaded_files;
            DROP FUNCTION IF EXISTS uploaded_files_guard_transactions();
            DROP TRIGGER IF EXISTS offline_transactions_keep_file ON offline_transactions;
            DROP FUNCTION IF EXISTS offline_transactions_keep_file();
            DROP TRIGGER IF EXISTS offline_transactions_files_on_insert ON offline_transactions;
            DROP FUNCTION IF EXISTS offline_transactions_check_files();
            """;

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(StatementChecksDown);

            migrationBuilder.AlterColumn<string>(
                name: "key",
                table: "offline_transactions",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text",
                oldCollation: "C");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_file_id",
                table: "offline_transactions",
                column: "file_id");

            migrationBuilder.AddForeignKey(
                name: "fk_offline_transactions_sessions_session_id",
                table: "offline_transactions",
                column: "session_id",
                principalTable: "sessions",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);

            migrationBuilder.AddForeignKey(
                name: "fk_offline_transactions_uploaded_files_file_id",
                table: "offline_transactions",
                column: "file_id",
                principalTable: "uploaded_files",
                principalColumn: "id",
                onDelete: ReferentialAction.Cascade);
        }
    }
}
