using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// A result is keyed by its line and run, which were already unique, instead of an id of its own that nothing read.
    /// Each of the million results a run writes kept one index fewer and drew no number from a sequence
    /// (docs/adr-018, finding 27).
    /// </summary>
    public partial class ResultsKeyedByLineAndRun : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_transaction_results",
                table: "transaction_results");

            migrationBuilder.DropIndex(
                name: "ix_transaction_results_transaction_id_run",
                table: "transaction_results");

            migrationBuilder.DropColumn(
                name: "id",
                table: "transaction_results");

            migrationBuilder.AddPrimaryKey(
                name: "pk_transaction_results",
                table: "transaction_results",
                columns: new[] { "transaction_id", "run" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "pk_transaction_results",
                table: "transaction_results");

            migrationBuilder.AddColumn<long>(
                name: "id",
                table: "transaction_results",
                type: "bigint",
                nullable: false,
                defaultValue: 0L)
                .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn);

            migrationBuilder.AddPrimaryKey(
                name: "pk_transaction_results",
                table: "transaction_results",
                column: "id");

            migrationBuilder.CreateIndex(
                name: "ix_transaction_results_transaction_id_run",
                table: "transaction_results",
                columns: new[] { "transaction_id", "run" },
                unique: true);
        }
    }
}
