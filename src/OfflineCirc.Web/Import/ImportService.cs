using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Web.Audit;

namespace OfflineCirc.Web.Import;

/// <summary>
/// The bulk import used by the admin page, the API, the command line and the demo seed: a CSV file is validated
/// whole, streamed by binary COPY into a staging table, checked against the database and merged set-based, in one
/// transaction. EF Core would track a million entities; raw Npgsql with COPY keeps memory flat.
/// </summary>
public sealed class ImportService(CircDbContext db, AuditLog audit, ILogger<ImportService> logger)
{
    // One import at a time across all instances: merges of different kinds touch the same tables.
    private const long ImportLockKey = 0x0FF11_1A4B;

    /// <summary>Why <paramref name="actor"/> may not import <paramref name="kind"/> at all; null when they may.</summary>
    public static string? Refusal(ImportKind kind, ImportActor actor) =>
        kind.ConsortiumOnly && !actor.IsConsortiumWide
            ? $"Only a consortium administrator can import {kind.Name}: they are shared by every library."
            : null;

    public async Task<ImportResult> ImportAsync(ImportKind kind, Stream csv, ImportActor actor, CancellationToken ct = default)
    {
        if (Refusal(kind, actor) is { } refusal)
        {
            return new ImportResult(kind.Name, 0, 0, 0, [new RowError(0, refusal)]);
        }
        var started = DateTime.UtcNow;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var commands = new ImportCommands(connection, (NpgsqlTransaction)tx.GetDbTransaction(), actor);
            await commands.ExecuteAsync($"SELECT pg_advisory_xact_lock({ImportLockKey})", ct);
            await commands.ExecuteAsync($"CREATE TEMP TABLE import_stage (row_no int NOT NULL, {kind.StageColumns}) ON COMMIT DROP", ct);

            var errors = new RowErrors();
            var rows = await StageAsync(kind, csv, connection, errors, ct);
            var staged = DateTime.UtcNow;
            if (errors.Count > 0)
            {
                return Rejected(kind, rows, errors);
            }
            await commands.ExecuteAsync("ANALYZE import_stage", ct);
            foreach (var (keySql, label) in kind.Keys)
            {
                await commands.CollectAsync(DuplicateCheck(keySql, label), errors, ct);
            }
            foreach (var check in kind.Boundary.Checks)
            {
                await commands.CollectAsync(check, errors, ct, boundary: true);
            }
            foreach (var check in kind.Checks)
            {
                await commands.CollectAsync(check, errors, ct);
            }
            if (errors.Count > 0)
            {
                return Rejected(kind, rows, errors);
            }
            var checkedAt = DateTime.UtcNow;
            var (inserted, updated) = await kind.MergeAsync(commands, ct);
            foreach (var check in kind.PostChecks)
            {
                await commands.CollectAsync(check, errors, ct);
            }
            if (errors.Count > 0)
            {
                return Rejected(kind, rows, errors);
            }
            audit.Add($"import.{kind.Name}", actor.UserName, target: kind.Name,
                detail: $"{rows} rows: {inserted} inserted, {updated} updated", orgUnitId: actor.HomeOrgId);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            await VacuumFilledAsync(connection, kind, inserted + updated, ct);
            logger.LogInformation("Imported {Kind}: {Rows} rows, {Inserted} inserted, {Updated} updated in {Seconds:0.0} s (read and staged {Staged:0.0} s, checked {Checked:0.0} s, merged {Merged:0.0} s)",
                kind.Name, rows, inserted, updated, (DateTime.UtcNow - started).TotalSeconds,
                (staged - started).TotalSeconds, (checkedAt - staged).TotalSeconds, (DateTime.UtcNow - checkedAt).TotalSeconds);
            return new ImportResult(kind.Name, rows, inserted, updated, []);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("23", StringComparison.Ordinal) || ex.SqlState.StartsWith("22", StringComparison.Ordinal))
        {
            // A rule the checks did not foresee (a constraint or a value out of range): nothing is stored.
            logger.LogWarning(ex, "Import of {Kind} refused by the database", kind.Name);
            return new ImportResult(kind.Name, 0, 0, 0, [new RowError(0, $"The file was not stored: {ex.MessageText}{(ex.Detail is null ? "" : " " + ex.Detail)}")]);
        }
        catch (DecoderFallbackException)
        {
            return new ImportResult(kind.Name, 0, 0, 0, [new RowError(0, "The file is not UTF-8 text; save it as \"CSV UTF-8\" and upload it again.")]);
        }
        catch (CsvHelperException ex)
        {
            return new ImportResult(kind.Name, 0, 0, 0, [new RowError(0, $"The file is not readable CSV: {ex.Message}")]);
        }
        finally
        {
            db.ChangeTracker.Clear();
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// Vacuums and analyzes the tables the import filled once it has changed a tenth of their rows (and at least
    /// 1,000), after its commit: a catalogue imported just before an outage's upload left their statistics for the
    /// replay's start to take (1.0 to 1.7 s at a million items, docs/adr-018, finding 73), and autovacuum's pass over the
    /// rows it wrote for the replay to share the cores with (1.6 to 4.3 s of items alone, finding 78). The import is
    /// stored whatever happens here, and what is not done now is left to autovacuum.
    /// </summary>
    private async Task VacuumFilledAsync(NpgsqlConnection connection, ImportKind kind, long changed, CancellationToken ct)
    {
        if (kind.FilledTables.Count == 0)
        {
            return;
        }
        try
        {
            await using var find = new NpgsqlCommand("""
                SELECT string_agg(c.relname, ', ' ORDER BY c.relname) FROM pg_class c
                WHERE c.relnamespace = current_schema()::regnamespace AND c.relname = ANY($1) AND $2 >= greatest(1000, c.reltuples / 10)
                """, connection)
            {
                Parameters = { new() { Value = kind.FilledTables.ToArray() }, new() { Value = (double)changed } },
            };
            if (await find.ExecuteScalarAsync(ct) is string due)
            {
                // Outside any transaction, as VACUUM must be: the import's own has committed.
                await using var vacuum = new NpgsqlCommand($"VACUUM (ANALYZE) {due}", connection);
                await vacuum.ExecuteNonQueryAsync(ct);
            }
        }
#pragma warning disable CA1031 // The import is committed; what is not done now autovacuum does later.
        catch (Exception ex) when (ex is NpgsqlException or OperationCanceledException)
#pragma warning restore CA1031
        {
            logger.LogWarning(ex, "{Tables} not vacuumed and analyzed after the import of {Kind}", string.Join(", ", kind.FilledTables), kind.Name);
        }
    }

    private static ImportResult Rejected(ImportKind kind, int rows, RowErrors errors) =>
        new(kind.Name, rows, 0, 0, errors.ToList());

    /// <summary>Reads, validates and COPYs every row; after the first bad row it keeps validating but stops staging.</summary>
    private static async Task<int> StageAsync(ImportKind kind, Stream csv, NpgsqlConnection connection, RowErrors errors, CancellationToken ct)
    {
        string? badField = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            TrimOptions = TrimOptions.Trim,
            MissingFieldFound = null,
            BadDataFound = args => badField ??= args.Field,
        };
        using var text = new StreamReader(csv, StrictUtf8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16, leaveOpen: true);
        using var reader = new CsvReader(text, config);
        if (!await reader.ReadAsync())
        {
            CsvHeader.Map(kind, [], errors);
            return 0;
        }
        reader.ReadHeader();
        var header = reader.HeaderRecord ?? [];
        var map = CsvHeader.Map(kind, header, errors);
        if (map is null)
        {
            return 0;
        }
        var rows = 0;
        var cells = new string?[kind.Columns.Count];
        var fields = await StageFieldCountAsync(connection, ct);
        // The COPY completes only when every row was good; otherwise it is cancelled (a half-written row included)
        // and the transaction rolls back.
        await BinaryCopy.RunAsync(connection, "COPY import_stage FROM STDIN (FORMAT BINARY)", async copy =>
        {
            var stage = new StageWriter(copy);
            while (await reader.ReadAsync())
            {
                rows++;
                var breaks = 0;
                for (var i = 0; i < cells.Length; i++)
                {
                    var value = reader.GetField(map[i]) ?? "";
                    cells[i] = value.Length == 0 ? null : value;
                    breaks += value.AsSpan().Count('\n');
                }
                // The line where the record starts: a quoted value may span lines.
                var line = reader.Parser.RawRow - breaks;
                if (badField is not null)
                {
                    errors.Add(line, $"has a quote (\") in the wrong place near {Values.Quote(badField)}; a value with quotes must be enclosed in quotes, with each inner quote doubled");
                    badField = null;
                    continue;
                }
                if (reader.Parser.Count != header.Length)
                {
                    errors.Add(line, $"has {reader.Parser.Count} values but the header has {header.Length} columns");
                    continue;
                }
                var staged = errors.Count == 0;
                if (staged)
                {
                    copy.StartRow(fields);
                    copy.Int(line);
                }
                foreach (var message in kind.ValidateAndStage(cells, staged ? stage : null))
                {
                    errors.Add(line, message);
                }
                if (staged && errors.Count == 0)
                {
                    await copy.EndRowAsync(ct);
                }
            }
            return errors.Count == 0;
        }, ct);
        return rows;
    }

    /// <summary>How many columns the kind's staging table has (the row number and the kind's own).</summary>
    private static async Task<short> StageFieldCountAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        // The table's shape differs per kind, so the question must not be one whose prepared plan depends on it.
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*)::int FROM pg_attribute WHERE attrelid = to_regclass($1) AND attnum > 0 AND NOT attisdropped", connection)
        {
            Parameters = { new() { Value = "pg_temp.import_stage" } },
        };
        return (short)(int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static string DuplicateCheck(string keySql, string label) => $"""
        SELECT row_no, format('{label} %L appears again in this file (first at row %s)', k, first_row) FROM (
            SELECT row_no, k, min(row_no) OVER (PARTITION BY k) AS first_row
            FROM (SELECT s.row_no, {keySql} AS k FROM import_stage s) keyed WHERE k IS NOT NULL
        ) d WHERE row_no <> first_row ORDER BY row_no
        """;
}
