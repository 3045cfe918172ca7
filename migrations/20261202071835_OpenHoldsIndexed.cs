using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using OfflineCirc.Core.Data;

#nullable disable

namespace OfflineCirc.Migrations.Migrations
{
    /// <summary>
    /// Each replay batch looks up the open holds on its thousands of items and records in one statement. Over the
    /// indexes on (item, status) and (record, status), each key cost two descents, one per open status, and the captured
    /// item's index held every hold: 80 ms a batch of 16,000 items at 20,000 holds. These partial indexes hold open holds
    /// alone, one descent per key: 31 ms (docs/adr-018, finding 31). The replay's statement names the same predicate
    /// (<see cref="CircDbContext.OpenHolds"/>), so PostgreSQL can use them; the predicate is written out here, as it
    /// stood, so that a later change of the constant cannot give new databases other indexes than migrated ones.
    /// </summary>
    [DbContext(typeof(CircDbContext))]
    [Migration("20261202071835_OpenHoldsIndexed")]
    public partial class OpenHoldsIndexed : Migration
    {
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                CREATE INDEX ix_holds_open_target_item ON holds (target_item_id) WHERE status IN ('pending', 'captured');
                CREATE INDEX ix_holds_open_target_record ON holds (target_record_id) WHERE status IN ('pending', 'captured');
                CREATE INDEX ix_holds_open_captured_item ON holds (captured_item_id)
                    WHERE status IN ('pending', 'captured') AND captured_item_id IS NOT NULL;
                """);
        }

        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP INDEX IF EXISTS ix_holds_open_target_item;
                DROP INDEX IF EXISTS ix_holds_open_target_record;
                DROP INDEX IF EXISTS ix_holds_open_captured_item;
                """);
        }
    }
}
