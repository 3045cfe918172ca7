using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Intake writes every row once; two barcode indexes nothing reads were dropped to keep a million-line upload quick.
    /// The replay takes its next batch in replay order from the unprocessed rows; the partial index hands them over
    /// already ordered, so a batch of a large session does not sort what remains every time.
    /// </summary>
    public partial class IntakeAndReplayIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_offline_transactions_replay_order
                ON offline_transactions (session_id, (type <> 'register'), recorded_at, file_id, line_number, id)
                WHERE processed_run IS NULL
                """);

            migrationBuilder.DropIndex(
                name: "ix_offline_transactions_item_barcode",
                table: "offline_transactions");

            migrationBuilder.DropIndex(
                name: "ix_offline_transactions_patron_barcode",
                table: "offline_transactions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_offline_transactions_replay_order");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_item_barcode",
                table: "offline_transactions",
                column: "item_barcode");

            migrationBuilder.CreateIndex(
                name: "ix_offline_transactions_patron_barcode",
                table: "offline_transactions",
                column: "patron_barcode");
        }
    }
}
