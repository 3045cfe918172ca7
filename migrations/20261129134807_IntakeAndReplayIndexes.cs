using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Intake writes every row once; two barcode indexes nothing reads were dropped to keep a million-line upload quick.
    /// </summary>
    public partial class IntakeAndReplayIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
