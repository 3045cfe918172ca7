using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OfflineCirc.Core.Data;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// The session and exceptions pages say how many transactions a retry would take up: the failed ones, kept in
    /// session_counts, and the skipped ones an administrator forced. Forced lines are few; this index finds them without
    /// reading the session's other lines. Intake stores no forced line, and the replay's one update of a line changes
    /// neither column, so neither pays for it.
    /// </summary>
    [DbContext(typeof(CircDbContext))]
    [Migration("20261201173000_ForcedTransactionsIndex")]
    public partial class ForcedTransactionsIndex : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("CREATE INDEX ix_offline_transactions_forced ON offline_transactions (session_id) WHERE forced");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX IF EXISTS ix_offline_transactions_forced");
        }
    }
}
