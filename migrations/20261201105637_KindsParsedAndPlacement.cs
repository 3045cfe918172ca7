using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class KindsParsedAndPlacement : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "org_id",
                table: "transaction_results",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "workstation_id",
                table: "transaction_results",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "parsed",
                table: "offline_transactions",
                type: "jsonb",
                nullable: true);

            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "status_changed_at",
                table: "items",
                type: "timestamp with time zone",
                nullable: true,
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone");

            // Results stored before the replay kept its placement get it as the replay decides it: the workstation's
            // org (names compared without case), else the org the transaction names, else the session's.
            migrationBuilder.Sql("""
                UPDATE transaction_results r
                SET org_id = coalesce(w.org_unit_id, tor.id, s.org_unit_id), workstation_id = w.id
                FROM offline_transactions t
                JOIN sessions s ON s.id = t.session_id
                LEFT JOIN workstations w ON lower(w.name) = lower(t.workstation)
                LEFT JOIN org_units tor ON lower(tor.short_name) = lower(trim(t.org))
                WHERE t.id = r.transaction_id
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "org_id",
                table: "transaction_results");

            migrationBuilder.DropColumn(
                name: "workstation_id",
                table: "transaction_results");

            migrationBuilder.DropColumn(
                name: "parsed",
                table: "offline_transactions");

            // An unknown change time goes back to "long ago", which likewise makes no newer activity.
            migrationBuilder.Sql("UPDATE items SET status_changed_at = 'epoch' WHERE status_changed_at IS NULL");
            migrationBuilder.AlterColumn<DateTimeOffset>(
                name: "status_changed_at",
                table: "items",
                type: "timestamp with time zone",
                nullable: false,
                defaultValue: new DateTimeOffset(new DateTime(1, 1, 1, 0, 0, 0, 0, DateTimeKind.Unspecified), new TimeSpan(0, 0, 0, 0, 0)),
                oldClrType: typeof(DateTimeOffset),
                oldType: "timestamp with time zone",
                oldNullable: true);
        }
    }
}
