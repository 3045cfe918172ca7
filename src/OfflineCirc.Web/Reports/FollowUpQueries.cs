using System.Runtime.CompilerServices;
using Npgsql;
using OfflineCirc.Core.Replay;

namespace OfflineCirc.Web.Reports;

/// <summary>One piece of work a result left for staff at a branch (docs/reports.md, follow-up worklist).</summary>
public sealed record FollowUpRow(
    string? Branch, string? BranchName, string Kind, long TransactionId, string Key, string Type,
    string? ItemBarcode, string? Title, string? Location, string? PatronCard, string? PatronName,
    string? Destination, string? DestinationName, string[] Codes, DateTimeOffset? ProcessedAt)
{
    public static readonly string[] CsvHeader =
    [
        "session_id", "branch", "follow_up", "description", "transaction_key", "type", "item_barcode", "title", "location",
        "patron_barcode", "patron_name", "destination", "codes", "processed_at",
    ];

    public string Description => FollowUpKinds.Describe(Kind);

    /// <summary>The row's cells of followups.csv, in the order of <see cref="CsvHeader"/>; the caller ends the row.</summary>
    public void WriteCsv(CsvRowWriter csv, long sessionId)
    {
        csv.Number(sessionId);
        csv.Cell(Branch);
        csv.Cell(Kind);
        csv.Cell(Description);
        csv.Cell(Key);
        csv.Cell(Type);
        csv.Cell(ItemBarcode);
        csv.Cell(Title);
        csv.Cell(Location);
        csv.Cell(PatronCard);
        csv.Cell(PatronName);
        csv.Cell(Destination);
        csv.List(Codes);
        csv.Time(ProcessedAt);
    }
}

/// <summary>
/// The worklist, grouped by the branch where the transaction was recorded (where the item physically is), as the replay
/// placed it (<see cref="ResultRow.PlacedOrgId"/>).
/// </summary>
public sealed class FollowUpQueries([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource)
{
    // The hold's patron is the one to shelve for; everything else concerns the transaction's own patron.
    private const string Sql = """
        SELECT bo.short_name AS branch, bo.name, f.kind, t.id, t.key, t.type,
               i.barcode, rec.title, i.location,
               (SELECT c.barcode FROM cards c WHERE c.patron_id = p.id ORDER BY c."primary" DESC, c.active DESC, c.id LIMIT 1),
               CASE WHEN p.id IS NULL THEN NULL ELSE p.family_name || ', ' || p.first_given_name END,
               dest.short_name, dest.name, r.codes, r.processed_at
        FROM transaction_results r
        JOIN offline_transactions t ON t.id = r.transaction_id
        CROSS JOIN LATERAL unnest(r.follow_ups) AS f(kind)
        LEFT JOIN org_units bo ON bo.id =
        """ + ResultRow.PlacedOrgId + """

        LEFT JOIN items i ON i.id = r.item_id
        LEFT JOIN records rec ON rec.id = i.record_id
        LEFT JOIN holds h ON h.id = r.hold_id
        LEFT JOIN transits tr ON tr.id = r.transit_id
        LEFT JOIN patrons p ON p.id = CASE WHEN f.kind IN ('HOLD_SHELF', 'HOLD_TRANSIT') THEN coalesce(h.patron_id, r.patron_id) ELSE r.patron_id END
        LEFT JOIN org_units dest ON dest.id = CASE f.kind
            WHEN 'HOLD_SHELF' THEN h.pickup_org_id
            WHEN 'HOLD_TRANSIT' THEN coalesce(tr.to_org_id, h.pickup_org_id)
            WHEN 'TRANSIT_HOME' THEN coalesce(tr.to_org_id, i.owning_org_id) END
        WHERE r.session_id = @session AND r.is_current AND cardinality(r.follow_ups) > 0
          AND (@branch::text IS NULL OR bo.short_name = @branch)
          AND (@kind::text IS NULL OR f.kind = @kind)
        ORDER BY bo.short_name NULLS LAST, f.kind, t.id
        """;

    public async IAsyncEnumerable<FollowUpRow> ListAsync(long sessionId, string? branch, string? kind, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("session", sessionId);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("branch", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = Blank(branch) });
        cmd.Parameters.Add(new NpgsqlParameter<string?>("kind", NpgsqlTypes.NpgsqlDbType.Text) { TypedValue = Blank(kind) });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            yield return new FollowUpRow(
                ResultRow.Text(r, 0), ResultRow.Text(r, 1), r.GetString(2), r.GetInt64(3), r.GetString(4), r.GetString(5),
                ResultRow.Text(r, 6), ResultRow.Text(r, 7), ResultRow.Text(r, 8), ResultRow.Text(r, 9), ResultRow.Text(r, 10),
                ResultRow.Text(r, 11), ResultRow.Text(r, 12), r.GetFieldValue<string[]>(13), ResultRow.Value<DateTimeOffset>(r, 14));
        }
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
