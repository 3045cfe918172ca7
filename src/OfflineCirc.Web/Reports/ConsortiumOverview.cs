using Npgsql;

namespace OfflineCirc.Web.Reports;

/// <summary>How much one library used offline circulation, and what went wrong how often.</summary>
public sealed record LibraryUsage(
    int OrgId, string ShortName, string Name, int Depth, bool IsBranch, long Sessions, long Transactions, long Workstations,
    long Exceptions, DateTimeOffset? LastUse, IReadOnlyList<CodeCount> ExceptionCodes)
{
    public double ExceptionRate => Transactions == 0 ? 0 : (double)Exceptions / Transactions;

    public double Rate(CodeCount code) => Transactions == 0 ? 0 : (double)code.Count / Transactions;
}

public sealed record OverviewReport(IReadOnlyList<LibraryUsage> Libraries, IReadOnlyList<LibraryUsage> NeverUsed);

/// <summary>
/// The consortium overview (docs/reports.md): per library, the transactions recorded there, where the replay placed them
/// (<see cref="ResultRow.PlacedOrgId"/>).
/// </summary>
public sealed class ConsortiumOverview([FromKeyedServices(Infrastructure.Database.Reads)] NpgsqlDataSource dataSource)
{
    private const string Placed = $"""
        WITH placed AS (
            SELECT {ResultRow.PlacedOrgId} AS org_id, t.id, t.session_id, t.workstation, t.recorded_at, r.status, r.codes
            FROM offline_transactions t
            JOIN sessions s ON s.id = t.session_id
            JOIN org_units so ON so.id = s.org_unit_id AND starts_with(so.path, @path)
            LEFT JOIN transaction_results r ON r.transaction_id = t.id AND r.is_current
        )
        """;

    private const string UsageSql = Placed + """
        , usage AS (
            SELECT p.org_id, count(DISTINCT p.session_id) AS sessions, count(*) AS transactions,
                   count(DISTINCT p.workstation) AS workstations, max(p.recorded_at) AS last_use,
                   count(*) FILTER (WHERE p.status <> 'applied') AS exceptions
            FROM placed p
            GROUP BY p.org_id
        )
        SELECT o.id, o.short_name, o.name, length(o.path) - length(replace(o.path, '/', '')) - 2 AS depth,
               NOT EXISTS (SELECT 1 FROM org_units c WHERE c.parent_id = o.id) AS branch,
               coalesce(u.sessions, 0), coalesce(u.transactions, 0), coalesce(u.workstations, 0), coalesce(u.exceptions, 0), u.last_use
        FROM org_units o LEFT JOIN usage u ON u.org_id = o.id
        WHERE starts_with(o.path, @path)
        ORDER BY o.path
        """;

    private const string CodesSql = Placed + """
        SELECT p.org_id, c, count(*)
        FROM placed p
        CROSS JOIN LATERAL unnest(p.codes) AS c
        WHERE p.status <> 'applied'
        GROUP BY p.org_id, c
        ORDER BY p.org_id, count(*) DESC, c
        """;

    /// <param name="subtreePath">Path prefix of what the viewer may see ("/" for everything).</param>
    public async Task<OverviewReport> BuildAsync(string subtreePath, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var codes = new Dictionary<int, List<CodeCount>>();
        await using (var cmd = new NpgsqlCommand(CodesSql, conn))
        {
            cmd.Parameters.AddWithValue("path", subtreePath);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var org = r.GetInt32(0);
                if (!codes.TryGetValue(org, out var list))
                {
                    codes[org] = list = [];
                }
                list.Add(new CodeCount(r.GetString(1), r.GetInt64(2)));
            }
        }
        var all = new List<LibraryUsage>();
        await using (var cmd = new NpgsqlCommand(UsageSql, conn))
        {
            cmd.Parameters.AddWithValue("path", subtreePath);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt32(0);
                all.Add(new LibraryUsage(id, r.GetString(1), r.GetString(2), Math.Max(0, r.GetInt32(3)), r.GetBoolean(4),
                    r.GetInt64(5), r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), ResultRow.Value<DateTimeOffset>(r, 9),
                    codes.GetValueOrDefault(id) ?? []));
            }
        }
        // Branches are the libraries; a system or the consortium shows only when something was recorded at it directly.
        var libraries = all.Where(l => l.IsBranch || l.Transactions > 0).ToList();
        var never = all.Where(l => l.IsBranch && l.Transactions == 0).ToList();
        return new OverviewReport(libraries, never);
    }
}
