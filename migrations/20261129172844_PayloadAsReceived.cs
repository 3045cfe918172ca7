using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// A stored transaction keeps the line as it was received, as text. Intake has already read it as JSON; storing
    /// it as jsonb made PostgreSQL parse every line a second time, about a third of a million-line upload's
    /// database time (docs/adr-005).
    /// </summary>
    public partial class PayloadAsReceived : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "offline_transactions",
                type: "text",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "jsonb");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<string>(
                name: "payload",
                table: "offline_transactions",
                type: "jsonb",
                nullable: false,
                oldClrType: typeof(string),
                oldType: "text");
        }
    }
}
