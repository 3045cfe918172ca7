using System.Text;
using System.Text.Json;
using Npgsql;

namespace OfflineCirc.BrowserTests.Infrastructure;

/// <summary>Items, sessions and capture-page exports for the portal tests, written straight to the database or to a file.</summary>
public sealed class PortalWorld(NpgsqlDataSource dataSource)
{
    private static long _record = 700_000;

    /// <summary>Available items of BR1; <paramref name="changedJustNow"/> marks their status as changed by an import a moment ago.</summary>
    public async Task<List<string>> ItemsAsync(int count, bool changedJustNow = false)
    {
        var record = Interlocked.Increment(ref _record);
        var barcodes = Enumerable.Range(0, count).Select(_ => Barcodes.Item()).ToList();
        await ScalarAsync<int>("INSERT INTO records (id, title, author) VALUES ($1, 'The Long Winter', 'Laura Ingalls Wilder') RETURNING 1", record);
        await ScalarAsync<int>("""
            WITH added AS (
                INSERT INTO items (barcode, record_id, owning_org_id, location, circ_modifier, status, holdable, status_changed_at)
                SELECT b, $1, (SELECT id FROM org_units WHERE short_name = 'BR1'), 'Stacks', 'book', 'available', true, $3
                FROM unnest($2::text[]) b RETURNING 1)
            SELECT count(*)::int FROM added
            """, record, barcodes.ToArray(), changedJustNow ? DateTimeOffset.UtcNow : DateTimeOffset.UtcNow.AddDays(-30));
        return barcodes;
    }

    /// <summary>An open session of a library, as an administrator would have made it.</summary>
    public Task<long> OpenSessionAsync(string org, string description) => ScalarAsync<long>("""
        INSERT INTO sessions (org_unit_id, description, state, created_by, created_at, run_count, progress_done, progress_total)
        SELECT id, $2, 'open', 'seed', now(), 0, 0, 0 FROM org_units WHERE short_name = $1 RETURNING id
        """, org, description);

    public async Task<T> ScalarAsync<T>(string sql, params object[] values)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = value });
        }
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    /// <summary>The four outcomes a reviewer meets, as the capture page exports them (one JSON line each).</summary>
    public async Task<OutageFile> OutageAsync(Seed seed)
    {
        var items = await ItemsAsync(3);
        var changed = (await ItemsAsync(1, changedJustNow: true))[0];
        var at = DateTimeOffset.UtcNow.AddHours(-3).ToUnixTimeSeconds();
        var file = new OutageFile
        {
            Applied = Guid.NewGuid().ToString(),
            Allowed = Guid.NewGuid().ToString(),
            Failed = Guid.NewGuid().ToString(),
            Skipped = Guid.NewGuid().ToString(),
            SpareItem = items[2],
        };
        var lines = new[]
        {
            Line(file.Applied, at, "checkout", new() { ["patron_barcode"] = seed.GoodPatron, ["barcode"] = items[0] }),
            Line(file.Allowed, at + 60, "checkout", new()
            {
                ["patron_barcode"] = seed.BarredPatron,
                ["barcode"] = items[1],
                ["overrides"] = new[] { new Dictionary<string, object> { ["code"] = "PATRON_BARRED", ["by"] = "desk.clerk", ["at"] = at + 60 } },
            }),
            Line(file.Failed, at + 120, "checkout", new() { ["patron_barcode"] = seed.GoodPatron, ["barcode"] = "39999999999999" }),
            Line(file.Skipped, at + 180, "in_house_use", new() { ["barcode"] = changed, ["count"] = 2 }),
        };
        file.Text = string.Join('\n', lines) + "\n";
        return file;
    }

    private static string Line(string id, long timestamp, string type, Dictionary<string, object> fields)
    {
        var line = new Dictionary<string, object>
        {
            ["id"] = id,
            ["timestamp"] = timestamp,
            ["type"] = type,
            ["workstation"] = Seed.Workstation,
            ["org"] = Seed.Org,
        };
        foreach (var (key, value) in fields)
        {
            line[key] = value;
        }
        return JsonSerializer.Serialize(line);
    }
}

/// <summary>A capture-page export whose lines end applied, applied with an allowed warning, failed and skipped.</summary>
public sealed class OutageFile
{
    public required string Applied { get; init; }
    public required string Allowed { get; init; }
    public required string Failed { get; init; }
    public required string Skipped { get; init; }
    /// <summary>An available item a correction can point the failed check-out at.</summary>
    public required string SpareItem { get; init; }
    public string Text { get; set; } = "";

    public Microsoft.Playwright.FilePayload Payload(string name = "offlinecirc-BR1-CIRC-01-export.jsonl") =>
        new() { Name = name, MimeType = "application/x-ndjson", Buffer = Encoding.UTF8.GetBytes(Text) };
}
