using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Sessions;

/// <summary>A line already stored; where, only when that session is one of this session's libraries (else null).</summary>
public sealed record DuplicateInfo(int Line, string Key, long? OriginalSessionId, long? OriginalFileId, int? OriginalLine)
{
    public string Where => OriginalSessionId is { } session
        ? $"session #{session}, file {OriginalFileId}, line {OriginalLine}"
        : LineBoundary.AnotherLibrarysSession;
}

public sealed record RejectedInfo(int Line, string Reason);

/// <summary>What became of an uploaded file; the lists are cut to <see cref="FileIntake.ListLimit"/> entries.</summary>
public sealed record IntakeSummary(
    long FileId, long SessionId, string Format, string? Warning, int LinesRead, int Stored, int Duplicates, int Rejected,
    IReadOnlyList<DuplicateInfo> DuplicateLines, IReadOnlyList<RejectedInfo> RejectedLines, IReadOnlyList<string> StoredKeys);

public sealed record IntakeRequest(long SessionId, string Workstation, string FileName, int DeltaSeconds, string UploadedBy);

/// <summary>
/// Stores one offline file in one database transaction, streaming it so memory stays flat (docs/adr-005).
/// <list type="number">
/// <item>The quick path copies parsed lines straight into offline_transactions with COPY, keeping a copy of the upload
/// in a temporary file. Rejected lines are kept aside (up to <see cref="QuickPathRejectionLimit"/>) and stored after.</item>
/// <item>When a key is already stored (a repeated line, or a file uploaded again) the unique index stops the COPY. The
/// quick path is rolled back to its savepoint and the careful path reads the kept copy through a staging table, where
/// set-based statements split the lines into stored, duplicate and rejected.</item>
/// </list>
/// Either way every line ends as exactly one of stored, duplicate or rejected, and the file is there whole or not at all.
/// </summary>
public partial class FileIntake(NpgsqlDataSource dataSource, IntakeOptions options, LineUpkeep upkeep, ILogger<FileIntake> logger)
{
    public const int ListLimit = 1000;

    /// <summary>More rejected lines than this send a file down the careful path, which stores them as it goes.</summary>
    public const int QuickPathRejectionLimit = 10_000;

    private const string RejectedCopyCommand = """
        COPY rejected_lines (session_id, file_id, line_number, raw_text, reason) FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertDuplicates = """
        INSERT INTO duplicate_lines (session_id, file_id, line_number, transaction_key, original_transaction_id)
        SELECT @session, @file, s.line_number, s.key, o.id
        FROM intake_lines s JOIN offline_transactions o ON o.key_digest = s.key_digest
        WHERE NOT s.rejected AND NOT (o.file_id = @file AND o.line_number = s.line_number)
        """;

    private const string InsertRejected = """
        INSERT INTO rejected_lines (session_id, file_id, line_number, raw_text, reason)
        SELECT @session, @file, line_number, raw_text, reason FROM intake_lines WHERE rejected
        """;

    /// <summary>What a path stored; the quick path also hands over its rejected lines, which it still holds.</summary>
    private sealed record Counts(OfflineFileReader Reader, int Stored, int Duplicates, int Rejected, IReadOnlyList<RejectedInfo>? RejectedLines = null);

    /// <param name="beforeCommit">Writes what must commit with the file (its audit entry) on the same connection.</param>
    public async Task<IntakeSummary> StoreAsync(IntakeRequest request, Stream content, CancellationToken ct,
        Func<NpgsqlConnection, IntakeSummary, CancellationToken, Task>? beforeCommit = null)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var session = await LockOpenSessionAsync(conn, request.SessionId, ct);
        var context = new UploadContext(request.Workstation, request.DeltaSeconds, await LoadTimeZonesAsync(conn, ct));
        var fileId = await InsertFileRowAsync(conn, request, ct);
        var boundary = await LineBoundary.LoadAsync(conn, request.SessionId, ct);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limited = new LimitedStream(content, options);
        await using var spooled = new SpooledStream(limited);
        await tx.SaveAsync("quick_intake", ct);
        var counts = await TryQuickPathAsync(conn, session, fileId, new OfflineFileReader(spooled, context), boundary, ct);
        var quick = counts is not null;
        if (counts is null)
        {
            await tx.RollbackAsync("quick_intake", ct);
            var copy = await spooled.RewindAsync(ct);
            counts = await CarefulPathAsync(conn, session, fileId, new OfflineFileReader(copy, context), boundary, ct);
        }
        else
        {
            await tx.ReleaseAsync("quick_intake", ct);
        }
        var stored = clock.Elapsed;

        var reader = counts.Reader;
        await using (var update = new NpgsqlCommand("""
            UPDATE uploaded_files SET format = @format, warning = @warning, lines_read = @read, stored = @stored,
                duplicates = @dups, rejected = @rejected, size_bytes = @size WHERE id = @file
            """, conn))
        {
            update.Parameters.AddWithValue("format", reader.Format.ToString());
            update.Parameters.AddWithValue("warning", (object?)reader.Warning ?? DBNull.Value);
            update.Parameters.AddWithValue("read", reader.LinesRead);
            update.Parameters.AddWithValue("stored", counts.Stored);
            update.Parameters.AddWithValue("dups", counts.Duplicates);
            update.Parameters.AddWithValue("rejected", counts.Rejected);
            update.Parameters.AddWithValue("file", fileId);
            update.Parameters.AddWithValue("size", limited.BytesRead);
            await update.ExecuteNonQueryAsync(ct);
        }
        // The session's running counts gain the file and its stored lines in the file's own commit (docs/adr-016).
        await using (var count = new NpgsqlCommand(SessionCounts.AddSql, conn)
        {
            Parameters =
            {
                new() { Value = session },
                new() { Value = new[] { SessionCounts.Files, SessionCounts.Transactions } },
                new() { Value = new long[] { 1, counts.Stored } },
            },
        })
        {
            await count.ExecuteNonQueryAsync(ct);
        }
        var summary = new IntakeSummary(fileId, session, reader.Format.ToString(), reader.Warning, reader.LinesRead,
            counts.Stored, counts.Duplicates, counts.Rejected,
            counts.Duplicates == 0 ? [] : await boundary.RedactAsync(conn, await ListDuplicatesAsync(conn, fileId, ct), ct),
            counts.RejectedLines ?? await ListRejectedAsync(conn, fileId, ct),
            await ListStoredKeysAsync(conn, session, fileId, ct));
        await (beforeCommit?.Invoke(conn, summary, ct) ?? Task.CompletedTask);
        await tx.CommitAsync(ct);
        await upkeep.UploadedAsync(conn, CancellationToken.None);
        LogIntake(fileId, counts.Reader.LinesRead, quick ? "quick" : "careful", stored.TotalSeconds, (clock.Elapsed - stored).TotalSeconds);
        return summary;
    }

    /// <summary>Copies the file's lines straight in; null when a key is already stored or too many lines are rejected.</summary>
    private static async Task<Counts?> TryQuickPathAsync(NpgsqlConnection conn, long session, long fileId, OfflineFileReader reader, LineBoundary boundary, CancellationToken ct)
    {
        var rejected = new List<LineOutcome.Rejected>();
        try
        {
            var copied = await BinaryCopy.RunAsync(conn, TransactionColumns.Intake.Command, async rows =>
            {
                await foreach (var outcome in boundary.ScreenAsync(reader.ReadAsync(ct), ct))
                {
                    if (outcome is LineOutcome.Parsed { Transaction: var t })
                    {
                        rows.StartRow(TransactionColumns.Intake.Count);
                        rows.Long(session);
                        rows.Long(fileId);
                        rows.Int(t.LineNumber);
                        TransactionColumns.WriteLine(rows, t);
                        rows.Bool(false);
                        rows.Bool(false);
                        await rows.EndRowAsync(ct);
                    }
                    else if (outcome is LineOutcome.Rejected r)
                    {
                        rejected.Add(r);
                        if (rejected.Count > QuickPathRejectionLimit)
                        {
                            return false;
                        }
                    }
                }
                EnsureNotEmpty(reader);
                return true;
            }, ct);
            if (!copied)
            {
                return null;
            }
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }
        await BinaryCopy.RunAsync(conn, RejectedCopyCommand, async rows =>
        {
            foreach (var r in rejected)
            {
                rows.StartRow(5);
                rows.Long(session);
                rows.Long(fileId);
                rows.Int(r.LineNumber);
                rows.Text(r.RawText);
                rows.Text(r.Reason);
                await rows.EndRowAsync(ct);
            }
            return true;
        }, ct);
        return new Counts(reader, reader.LinesRead - rejected.Count, 0, rejected.Count,
            rejected.Take(ListLimit).Select(r => new RejectedInfo(r.LineNumber, r.Reason)).ToList());
    }

    /// <summary>Stages every line, then stores the first of each key not yet held and lists the rest as duplicates.</summary>
    private static async Task<Counts> CarefulPathAsync(NpgsqlConnection conn, long session, long fileId, OfflineFileReader reader, LineBoundary boundary, CancellationToken ct)
    {
        await Exec(conn, TransactionColumns.StagingDdl, ct);
        await BinaryCopy.RunAsync(conn, TransactionColumns.Staging.Command, async rows =>
        {
            await foreach (var outcome in boundary.ScreenAsync(reader.ReadAsync(ct), ct))
            {
                rows.StartRow(TransactionColumns.Staging.Count);
                if (outcome is LineOutcome.Parsed { Transaction: var t })
                {
                    rows.Bool(false);
                    rows.Int(t.LineNumber);
                    TransactionColumns.WriteLine(rows, t);
                    rows.Null();
                    rows.Null();
                }
                else if (outcome is LineOutcome.Rejected r)
                {
                    rows.Bool(true);
                    rows.Int(r.LineNumber);
                    for (var i = 0; i < TransactionColumns.LineCount; i++)
                    {
                        rows.Null();
                    }
                    rows.Text(r.RawText);
                    rows.Text(r.Reason);
                }
                await rows.EndRowAsync(ct);
            }
            EnsureNotEmpty(reader);
            return true;
        }, ct);
        var stored = await Exec(conn, TransactionColumns.InsertFromStaging, ct, session, fileId);
        var duplicates = await Exec(conn, InsertDuplicates, ct, session, fileId);
        var rejected = await Exec(conn, InsertRejected, ct, session, fileId);
        return new Counts(reader, stored, duplicates, rejected);
    }

    private static void EnsureNotEmpty(OfflineFileReader reader)
    {
        if (reader.LinesRead == 0)
        {
            throw new IntakeException("The file has no transactions in it: nothing was stored.");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File {FileId}: {Lines} lines read and stored by the {Path} path in {Seconds:0.0} s; summed up and committed in {Rest:0.0} s")]
    private partial void LogIntake(long fileId, int lines, string path, double seconds, double rest);

    private static async Task<long> LockOpenSessionAsync(NpgsqlConnection conn, long sessionId, CancellationToken ct)
    {
        // A share lock keeps the session from being closed while the file goes in; uploads run side by side.
        await using var cmd = new NpgsqlCommand("SELECT state FROM sessions WHERE id = @id FOR SHARE", conn);
        cmd.Parameters.AddWithValue("id", sessionId);
        var state = (string?)await cmd.ExecuteScalarAsync(ct) ?? throw Infrastructure.Refusals.SessionNotFound.Exception();
        if (state == "closed")
        {
            throw Infrastructure.Refusals.SessionClosed.Exception();
        }
        return sessionId;
    }

    private static async Task<TimeZoneMap> LoadTimeZonesAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var orgs = new List<KeyValuePair<string, string>>();
        var workstations = new List<KeyValuePair<string, string>>();
        await using (var cmd = new NpgsqlCommand("SELECT short_name, time_zone FROM org_units", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                orgs.Add(new(r.GetString(0), r.GetString(1)));
            }
        }
        await using (var cmd = new NpgsqlCommand("SELECT w.name, o.short_name FROM workstations w JOIN org_units o ON o.id = w.org_unit_id", conn))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                workstations.Add(new(r.GetString(0), r.GetString(1)));
            }
        }
        return new TimeZoneMap(orgs, workstations);
    }

    private static async Task<long> InsertFileRowAsync(NpgsqlConnection conn, IntakeRequest request, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO uploaded_files (session_id, workstation, file_name, uploaded_by, uploaded_at, format, delta_seconds,
                size_bytes, lines_read, stored, duplicates, rejected)
            VALUES (@session, @ws, @name, @by, now(), 'Unknown', @delta, 0, 0, 0, 0, 0) RETURNING id
            """, conn);
        cmd.Parameters.AddWithValue("session", request.SessionId);
        cmd.Parameters.AddWithValue("ws", request.Workstation);
        cmd.Parameters.AddWithValue("name", request.FileName);
        cmd.Parameters.AddWithValue("by", request.UploadedBy);
        cmd.Parameters.AddWithValue("delta", request.DeltaSeconds);
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    private static async Task<int> Exec(NpgsqlConnection conn, string sql, CancellationToken ct, long? session = null, long? file = null)
    {
        // Set-based statements over a whole file may run long; the upload's own cancellation still applies.
        await using var cmd = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        if (session is { } s)
        {
            cmd.Parameters.AddWithValue("session", s);
        }
        if (file is { } f)
        {
            cmd.Parameters.AddWithValue("file", f);
        }
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<IReadOnlyList<DuplicateInfo>> ListDuplicatesAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        var list = new List<DuplicateInfo>();
        await using var cmd = new NpgsqlCommand($"""
            SELECT d.line_number, d.transaction_key, o.session_id, o.file_id, o.line_number
            FROM duplicate_lines d JOIN offline_transactions o ON o.id = d.original_transaction_id
            WHERE d.file_id = @file ORDER BY d.line_number LIMIT {ListLimit}
            """, conn);
        cmd.Parameters.AddWithValue("file", fileId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new DuplicateInfo(r.GetInt32(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt32(4)));
        }
        return list;
    }

    private static async Task<IReadOnlyList<RejectedInfo>> ListRejectedAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        var list = new List<RejectedInfo>();
        await using var cmd = new NpgsqlCommand($"SELECT line_number, reason FROM rejected_lines WHERE file_id = @file ORDER BY line_number LIMIT {ListLimit}", conn);
        cmd.Parameters.AddWithValue("file", fileId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new RejectedInfo(r.GetInt32(0), r.GetString(1)));
        }
        return list;
    }

    private static async Task<IReadOnlyList<string>> ListStoredKeysAsync(NpgsqlConnection conn, long session, long fileId, CancellationToken ct)
    {
        var list = new List<string>();
        await using var cmd = new NpgsqlCommand($"SELECT key FROM offline_transactions WHERE session_id = @session AND file_id = @file ORDER BY line_number LIMIT {ListLimit}", conn);
        cmd.Parameters.AddWithValue("session", session);
        cmd.Parameters.AddWithValue("file", fileId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(r.GetString(0));
        }
        return list;
    }
}

/// <summary>An upload refused as a whole, with the words to show and the HTTP status to answer.</summary>
public class IntakeException(string message, int status = 400) : Infrastructure.RefusalException(new(status, message));
