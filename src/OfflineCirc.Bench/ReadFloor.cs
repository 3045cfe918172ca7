using System.Diagnostics;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Transactions;

namespace OfflineCirc.Bench;

/// <summary>
/// The reads no replay can skip, as set-based SQL over the whole session at once: its lines, the items they name
/// (locked, as a batch locks them), those items' open loans, holds and transits, and the cards the lines name with
/// their patrons' figures. Each is one statement in one transaction, rolled back, timed as its rows reach the client;
/// the keys a replay already holds when it reads (the lines' barcodes, the ids of items and patrons) are gathered first,
/// untimed.
/// A replay must read at least this much before it can write the write floor's rows, so the two floors together say
/// how close to the write floor any replay that reads before it writes can come on this server (docs/adr-018).
/// </summary>
public static class ReadFloor
{
    /// <summary>One timed read: what it read and how long it took.</summary>
    public sealed record Step(string What, long Rows, double Seconds);

    /// <summary>The kinds whose payload a batch reads, as an array literal.</summary>
    private static readonly string ParsedKinds = "{" + string.Join(',', TransactionKinds.WithParsedPayload) + "}";

    /// <summary>
    /// What a replay knows from the lines it has read, or from the rows read before: the barcodes the lines name, and
    /// the ids of those items, their records and the cards' patrons. Kept in temporary tables, not timed.
    /// </summary>
    private const string Keys = """
        CREATE TEMP TABLE floor_item_barcodes ON COMMIT DROP AS SELECT DISTINCT item_barcode AS barcode FROM offline_transactions WHERE session_id = $1 AND item_barcode IS NOT NULL;
        CREATE TEMP TABLE floor_patron_barcodes ON COMMIT DROP AS SELECT DISTINCT patron_barcode AS barcode FROM offline_transactions WHERE session_id = $1 AND patron_barcode IS NOT NULL;
        CREATE TEMP TABLE floor_items ON COMMIT DROP AS SELECT id, record_id FROM items WHERE barcode IN (SELECT barcode FROM floor_item_barcodes);
        CREATE TEMP TABLE floor_records ON COMMIT DROP AS SELECT DISTINCT record_id AS id FROM floor_items;
        CREATE TEMP TABLE floor_patrons ON COMMIT DROP AS SELECT DISTINCT patron_id AS id FROM cards WHERE barcode IN (SELECT barcode FROM floor_patron_barcodes);
        ANALYZE floor_item_barcodes, floor_patron_barcodes, floor_items, floor_records, floor_patrons;
        """;

    private const string HoldColumns = """
        id, patron_id, target_item_id, target_record_id, pickup_org_id, request_time, status, frozen,
        capture_time, shelf_expiry_time, captured_item_id, fulfilled_time
        """;

    private static readonly (string What, string Sql)[] Reads =
    [
        ("the session's lines", $"""
            SELECT id, file_id, line_number, type, workstation, org, recorded_at, effective_at, patron_barcode, item_barcode,
                   noncat_type, noncat_count, due_date, count, amount, forced, parsed::text,
                   CASE WHEN parsed IS NULL AND type = ANY('{ParsedKinds}') THEN payload END
            FROM offline_transactions WHERE session_id = $1
            """),
        ("the items they name, locked", """
            SELECT id, barcode, record_id, owning_org_id, circ_modifier, status, alert_message, holdable, status_changed_at, status_change_session_id
            FROM items WHERE barcode IN (SELECT barcode FROM floor_item_barcodes) ORDER BY id FOR NO KEY UPDATE
            """),
        ("their open loans", """
            SELECT id, patron_id, item_id, checkout_time, due_time, checkout_org_id, checkout_workstation_id, renewal_count,
                   stop_fines, policy_id, origin_session_id, origin_transaction_id, processed_by
            FROM circulations WHERE item_id IN (SELECT id FROM floor_items) AND checkin_time IS NULL
            """),
        ("their open holds", $"""
            SELECT {HoldColumns} FROM holds WHERE {CircDbContext.OpenHolds} AND target_item_id IN (SELECT id FROM floor_items)
            UNION SELECT {HoldColumns} FROM holds WHERE {CircDbContext.OpenHolds} AND captured_item_id IN (SELECT id FROM floor_items)
            UNION SELECT {HoldColumns} FROM holds WHERE {CircDbContext.OpenHolds} AND target_record_id IN (SELECT id FROM floor_records)
            """),
        ("their open transits", """
            SELECT id, item_id, from_org_id, to_org_id, sent_time, hold_id, workstation_id, origin_session_id, origin_transaction_id
            FROM transits WHERE item_id IN (SELECT id FROM floor_items) AND received_time IS NULL
            """),
        ("the cards the lines name", """
            SELECT id, barcode, patron_id, active FROM cards WHERE barcode IN (SELECT barcode FROM floor_patron_barcodes)
            """),
        ("their patrons, with figures", """
            SELECT p.id, p.profile_id, p.home_org_id, p.active, p.barred, p.expire_date,
                   COALESCE(k.blocks, 0)::int, COALESCE(f.billed, 0) - COALESCE(y.paid, 0), COALESCE(c.open, 0)::int
            FROM patrons p
            LEFT JOIN (SELECT patron_id, count(*) AS blocks FROM patron_blocks
                       WHERE patron_id IN (SELECT id FROM floor_patrons) GROUP BY patron_id) k ON k.patron_id = p.id
            LEFT JOIN (SELECT patron_id, sum(amount) AS billed FROM billings
                       WHERE patron_id IN (SELECT id FROM floor_patrons) AND NOT voided GROUP BY patron_id) f ON f.patron_id = p.id
            LEFT JOIN (SELECT patron_id, sum(amount) AS paid FROM payments
                       WHERE patron_id IN (SELECT id FROM floor_patrons) GROUP BY patron_id) y ON y.patron_id = p.id
            LEFT JOIN (SELECT patron_id, count(*) AS open FROM circulations
                       WHERE patron_id IN (SELECT id FROM floor_patrons) AND checkin_time IS NULL GROUP BY patron_id) c ON c.patron_id = p.id
            WHERE p.id IN (SELECT id FROM floor_patrons)
            """),
    ];

    /// <summary>Times every read of <paramref name="session"/> in one transaction, then rolls it back.</summary>
    public static async Task<IReadOnlyList<Step>> MeasureAsync(string connectionString, long session)
    {
        await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
        await conn.OpenAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using (var keys = new NpgsqlCommand(Keys.Replace("$1", session.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), conn, tx))
        {
            await keys.ExecuteNonQueryAsync();
        }
        var steps = new List<Step>();
        foreach (var (what, sql) in Reads)
        {
            var clock = Stopwatch.StartNew();
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            if (sql.Contains("$1", StringComparison.Ordinal))
            {
                cmd.Parameters.Add(new NpgsqlParameter { Value = session });
            }
            await using var reader = await cmd.ExecuteReaderAsync();
            var rows = 0L;
            while (await reader.ReadAsync())
            {
                // Every value decoded, as a batch decodes what it reads.
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    _ = reader.GetValue(i);
                }
                rows++;
            }
            steps.Add(new Step(what, rows, clock.Elapsed.TotalSeconds));
        }
        await tx.RollbackAsync();
        return steps;
    }
}
