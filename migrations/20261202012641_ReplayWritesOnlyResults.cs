using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// A run no longer writes the lines it processes: which run processed a line is read from its results
    /// (ReplayOrder.Pending). So the lines' table fills its pages again, which a million-line upload copies about a
    /// third faster, and the replay saves an update of every line (docs/adr-018, finding 22).
    /// <list type="bullet">
    /// <item>processed_run is dropped rather than left behind: a node of an older version would read every line as
    /// unprocessed and replay it again; without the column its runs fail instead, and the new nodes resume them.</item>
    /// <item>The update held each line's row until its batch committed, which kept a line from being deleted under its
    /// new results. A batch now holds its session's row from before it writes results, and deleting lines takes their
    /// sessions' rows first, so the deletion waits for the batch and then removes its results too.</item>
    /// </list>
    /// </summary>
    public partial class ReplayWritesOnlyResults : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "processed_run",
                table: "offline_transactions");
            migrationBuilder.Sql("""
                ALTER TABLE offline_transactions RESET (fillfactor);

                CREATE OR REPLACE FUNCTION offline_transactions_delete_results() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM 1 FROM sessions WHERE id IN (SELECT session_id FROM gone) ORDER BY id FOR NO KEY UPDATE;
                    DELETE FROM transaction_results WHERE transaction_id IN (SELECT id FROM gone);
                    RETURN NULL;
                END $$;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "processed_run",
                table: "offline_transactions",
                type: "integer",
                nullable: true);
            migrationBuilder.Sql("""
                UPDATE offline_transactions t SET processed_run = r.run
                FROM transaction_results r WHERE r.transaction_id = t.id AND r.is_current;

                ALTER TABLE offline_transactions SET (fillfactor = 50);

                CREATE OR REPLACE FUNCTION offline_transactions_delete_results() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM transaction_results WHERE transaction_id IN (SELECT id FROM gone);
                    RETURN NULL;
                END $$;
                """);
        }
    }
}
