using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Loans are looked up by item only for the open one, which the unique index of open loans serves. The index on
    /// item and checkout time, kept since the first model, was read by nothing, yet every loan the replay opened and every
    /// check-in added an entry to it (docs/adr-018, finding 27). Deleting an item, which the app never does, now reads
    /// the loans to refuse it.
    /// </summary>
    public partial class LoansWithoutUnreadIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_circulations_item_id_checkout_time",
                table: "circulations");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_circulations_item_id_checkout_time",
                table: "circulations",
                columns: new[] { "item_id", "checkout_time" });
        }
    }
}
