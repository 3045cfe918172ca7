using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <inheritdoc />
    public partial class SessionCounts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "session_counts",
                columns: table => new
                {
                    session_id = table.Column<long>(type: "bigint", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    count = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_session_counts", x => new { x.session_id, x.name });
                    table.ForeignKey(
                        name: "fk_session_counts_sessions_session_id",
                        column: x => x.session_id,
                        principalTable: "sessions",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            // Sessions that exist already are counted once here; from now on intake and the replay keep the counts
            // (docs/adr-016). A node of the previous version that writes meanwhile is put right by the next run's start.
            migrationBuilder.Sql("""
                INSERT INTO session_counts (session_id, name, count)
                SELECT session_id, 'transactions', count(*) FROM offline_transactions GROUP BY session_id
                UNION ALL SELECT session_id, 'files', count(*) FROM uploaded_files GROUP BY session_id
                UNION ALL SELECT session_id, status, count(*) FROM transaction_results WHERE is_current GROUP BY session_id, status;
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "session_counts");
        }
    }
}
