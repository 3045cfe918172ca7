using System.Diagnostics;
using System.Text.RegularExpressions;
using Npgsql;

namespace OfflineCirc.Bench;

/// <summary>
/// The PostgreSQL write floor of a replay: the rows the replay wrote, written again by set-based SQL into fresh copies
/// of their tables (same columns, defaults, checks, indexes and foreign keys) in the same cluster, and timed. What no
/// replay written in C# can beat on this server, so replay time over floor time says how much the replay's own work
/// costs on top of the writes (docs/adr-015-consortium-scale-benchmark.md says exactly what is included).
/// </summary>
public sealed class WriteFloor(string connectionString)
{
    public const string Schema = "bench_floor";

    /// <summary>
    /// Every table a replay inserts into or updates, besides offline_transactions, in the order the replay writes them.
    /// Which of their rows a replay wrote is found by comparing them with a copy kept before it.
    /// </summary>
    private static readonly string[] Tables =
    [
        "items", "circulations", "holds", "transits", "billings", "patrons", "cards", "patron_blocks",
        "noncat_circulations", "in_house_uses", "payments", "transaction_results",
    ];

    /// <summary>SQL that holds when rows <paramref name="a"/> and <paramref name="b"/> agree on the primary key <paramref name="key"/>.</summary>
    private static string Same(List<string> key, string a, string b) => string.Join(" AND ", key.Select(k => $"{a}.{k} = {b}.{k}"));

    /// <summary>One timed statement: what it wrote and how long it took.</summary>
    public sealed record Step(string Table, string Verb, long Rows, double Seconds);

    public sealed record Result(IReadOnlyList<Step> Steps)
    {
        public double Seconds => Steps.Sum(s => s.Seconds);
    }

    /// <summary>Before the replay: keeps a copy of every table it may change (unlogged, without indexes); the seconds it took.</summary>
    public async Task<double> KeepStateBeforeReplayAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var conn = await OpenAsync();
        await ExecAsync(conn, $"DROP SCHEMA IF EXISTS {Schema} CASCADE; CREATE SCHEMA {Schema}");
        foreach (var table in Tables)
        {
            // Never vacuumed or analyzed behind the bench's back: autovacuum took up to 4 s of a core on each copy
            // during the replay, and each analysis held back the horizon below which the replay's updates are pruned.
            await ExecAsync(conn, $"CREATE UNLOGGED TABLE {Schema}.{table}_before WITH (autovacuum_enabled = false) AS SELECT * FROM public.{table}");
        }
        // The replay should not pay for writing out these copies.
        await ExecAsync(conn, "CHECKPOINT");
        return clock.Elapsed.TotalSeconds;
    }

    private readonly List<(string Table, string Verb, string Sql)> _timed = [];

    /// <summary>After the replay: stages what it wrote and builds the fresh copies as they were before it; the seconds it took.</summary>
    public async Task<double> PrepareAsync()
    {
        var clock = Stopwatch.StartNew();
        await using var conn = await OpenAsync();
        var timed = _timed;
        var inserts = new List<(string Table, string Verb, string Sql)>();
        foreach (var table in Tables)
        {
            var columns = await ColumnsAsync(conn, table);
            var key = await KeyAsync(conn, table);
            await CreateCopyAsync(conn, table, $"SELECT * FROM {Schema}.{table}_before");

            // Rows the replay added: ids the copy before it did not have.
            await ExecAsync(conn, $"""
                CREATE UNLOGGED TABLE {Schema}.{table}_new AS
                SELECT c.* FROM public.{table} c WHERE NOT EXISTS (SELECT 1 FROM {Schema}.{table}_before b WHERE {Same(key, "b", "c")})
                """);
            inserts.Add((table, "insert", $"INSERT INTO {Schema}.{table} OVERRIDING SYSTEM VALUE SELECT * FROM {Schema}.{table}_new"));

            // Rows the replay changed: the columns any of them changed, set by one UPDATE ... FROM as the replay does.
            var changed = await ChangedColumnsAsync(conn, table, columns, key);
            if (changed.Count > 0)
            {
                var differs = string.Join(" OR ", changed.Select(c => $"c.{c}::text IS DISTINCT FROM b.{c}::text"));
                await ExecAsync(conn, $"""
                    CREATE UNLOGGED TABLE {Schema}.{table}_changed AS
                    SELECT {string.Join(", ", key.Concat(changed).Select(c => "c." + c))}
                    FROM public.{table} c JOIN {Schema}.{table}_before b ON {Same(key, "b", "c")} WHERE {differs}
                    """);
                timed.Add((table, "update", $"""
                    UPDATE {Schema}.{table} f SET {string.Join(", ", changed.Select(c => $"{c} = s.{c}"))}
                    FROM {Schema}.{table}_changed s WHERE {Same(key, "f", "s")}
                    """));
            }
            var gone = await ScalarAsync(conn, $"SELECT count(*) FROM {Schema}.{table}_before b WHERE NOT EXISTS (SELECT 1 FROM public.{table} c WHERE {Same(key, "c", "b")})");
            if (gone > 0)
            {
                Console.WriteLine($"  note: the replay removed {gone:N0} rows of {table}; the floor does not remove them");
            }
        }
        // Updates before inserts, as the replay closes loans before it opens new ones on the same items.
        timed.AddRange(inserts);

        // The replay does not write offline_transactions (the results say which run processed a line); the copy is
        // there for the results' check of their lines, and today's table is as it was before the replay.
        await CreateCopyAsync(conn, "offline_transactions", "SELECT * FROM public.offline_transactions");

        // The copies and the staging tables the timed statements read are vacuumed first, as a live table is: the first
        // read of rows just written checks each row's transaction and marks its page, which took 2.1 s for a million
        // lines against 0.3 s after a vacuum (docs/adr-018, finding 79), and the floor is the writes alone.
        var staged = await ListAsync(conn, "SELECT format('%I.%I', schemaname, tablename) FROM pg_tables WHERE schemaname = $1 AND tablename NOT LIKE '%\\_before'", Schema);
        await ExecAsync(conn, $"VACUUM {string.Join(", ", staged)}");
        await ExecAsync(conn, "ANALYZE");
        await ExecAsync(conn, "CHECKPOINT");
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Times the writes <see cref="PrepareAsync"/> staged, one statement per table and kind of write.</summary>
    public async Task<Result> WriteAsync()
    {
        await using var conn = await OpenAsync();
        var steps = new List<Step>();
        foreach (var (table, verb, sql) in _timed)
        {
            var watch = Stopwatch.StartNew();
            await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
            var rows = await cmd.ExecuteNonQueryAsync();
            var seconds = watch.Elapsed.TotalSeconds;
            if (rows > 0)
            {
                steps.Add(new Step(table, verb, rows, seconds));
            }
        }
        return new Result(steps);
    }

    /// <summary>Drops the copies, unless they are kept for inspection.</summary>
    public async Task DropAsync(bool keep)
    {
        if (!keep)
        {
            await using var conn = await OpenAsync();
            await ExecAsync(conn, $"DROP SCHEMA {Schema} CASCADE");
        }
    }

    /// <summary>
    /// A fresh copy of a table (LIKE ... INCLUDING ALL, plus its storage settings, foreign keys and triggers), holding
    /// the rows <paramref name="rows"/> selects.
    /// </summary>
    private static async Task CreateCopyAsync(NpgsqlConnection conn, string table, string rows)
    {
        // LIKE copies neither the table's storage settings (a fill factor leaves room for updates on their page), nor its
        // foreign keys, nor its triggers (the keys checked once per statement): the replay's writes pay for all three.
        var options = await ListAsync(conn, "SELECT unnest(reloptions) FROM pg_class WHERE oid = ('public.' || $1)::regclass", table);
        var with = options.Count == 0 ? "" : $" WITH ({string.Join(", ", options)})";
        await ExecAsync(conn, $"CREATE TABLE {Schema}.{table} (LIKE public.{table} INCLUDING ALL){with}");
        await ExecAsync(conn, $"INSERT INTO {Schema}.{table} OVERRIDING SYSTEM VALUE {rows}");
        var keys = await ListAsync(conn,
            "SELECT format('ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint WHERE conrelid = ('public.' || $1)::regclass AND contype = 'f'", table);
        foreach (var key in keys)
        {
            await ExecAsync(conn, $"ALTER TABLE {Schema}.{table} {key}");
        }
        var triggers = await ListAsync(conn, "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = ('public.' || $1)::regclass AND NOT tgisinternal", table);
        foreach (var trigger in triggers)
        {
            await ExecAsync(conn, Regex.Replace(trigger, $@" ON (public\.)?{table} ", $" ON {Schema}.{table} "));
        }
    }

    private static async Task<List<string>> ListAsync(NpgsqlConnection conn, string sql, string table)
    {
        var values = new List<string>();
        await using var cmd = new NpgsqlCommand(sql, conn);
        cmd.Parameters.Add(new NpgsqlParameter { Value = table });
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetString(0));
        }
        return values;
    }

    /// <summary>The columns of the table's primary key, in key order: how a row is matched with its copy from before.</summary>
    private static Task<List<string>> KeyAsync(NpgsqlConnection conn, string table) => ListAsync(conn, """
        SELECT quote_ident(a.attname) FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
        WHERE i.indrelid = ('public.' || $1)::regclass AND i.indisprimary
        ORDER BY array_position(i.indkey::int2[], a.attnum)
        """, table);

    private static Task<List<string>> ColumnsAsync(NpgsqlConnection conn, string table) => ListAsync(conn, """
        SELECT quote_ident(attname) FROM pg_attribute
        WHERE attrelid = ('public.' || $1)::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = ''
        ORDER BY attnum
        """, table);

    /// <summary>The columns that differ between the table and its copy from before the replay in at least one row.</summary>
    private static async Task<List<string>> ChangedColumnsAsync(NpgsqlConnection conn, string table, List<string> columns, List<string> key)
    {
        var candidates = columns.Except(key).ToList();
        await using var cmd = new NpgsqlCommand($"""
            SELECT {string.Join(", ", candidates.Select(c => $"count(*) FILTER (WHERE c.{c}::text IS DISTINCT FROM b.{c}::text)"))}
            FROM public.{table} c JOIN {Schema}.{table}_before b ON {Same(key, "b", "c")}
            """, conn) { CommandTimeout = 0 };
        await using var reader = await cmd.ExecuteReaderAsync();
        await reader.ReadAsync();
        return candidates.Where((_, i) => reader.GetInt64(i) > 0).ToList();
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, CommandTimeout = 0 }.ConnectionString);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
