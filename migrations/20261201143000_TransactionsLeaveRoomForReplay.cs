using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OfflineCirc.Core.Data;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Every stored line is updated once by the replay (processed_run), a column no index covers. With room left on
    /// each page that update stays on its page and touches no index (a heap-only tuple); on full pages it moves the row
    /// and adds an entry to each of the table's indexes (docs/adr-015).
    /// </summary>
    [DbContext(typeof(CircDbContext))]
    [Migration("20261201143000_TransactionsLeaveRoomForReplay")]
    public partial class TransactionsLeaveRoomForReplay : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE offline_transactions SET (fillfactor = 50)");
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("ALTER TABLE offline_transactions RESET (fillfactor)");
        }
    }
}
