using Npgsql;
using NpgsqlTypes;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Formats;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Sessions;

public sealed record DuplicateInfo(int Line, string Key, long OriginalSessionId, long OriginalFileId, int OriginalLine);

public sealed record RejectedInfo(int Line, string Reason);

/// <summary>What became of an uploaded file; the lists are cut to <see cref="FileIntake.ListLimit"/> entries.</summary>
public sealed record IntakeSummary(
    long FileId, long SessionId, string Format, string? Warning, int LinesRead, int Stored, int Duplicates, int Rejected,
    IReadOnlyList<DuplicateInfo> DuplicateLines, IReadOnlyList<RejectedInfo> RejectedLines, IReadOnlyList<string> StoredKeys);

public sealed record IntakeRequest(long SessionId, string Workstation, string FileName, int DeltaSeconds, string UploadedBy);

/// <summary>
/// Stores one offline file in one database transaction: lines stream through the parser into a COPY staging
/// table (memory stays flat), then set-based statements split them into stored, duplicate and rejected.
/// </summary>
public partial class FileIntake(NpgsqlDataSource dataSource, IntakeOptions options, ILogger<FileIntake> logger)
{
    public const int ListLimit = 1000;

    private const string StagingDdl = """
        CREATE TEMP TABLE intake_lines (
            rejected boolean NOT NULL, line_number int NOT NULL, key text, has_client_id boolean, type text,
            workstation text, org text, recorded_at timestamptz, effective_at timestamptz, delta_seconds int,
            patron_barcode text, item_barcode text, noncat_type text, noncat_count int, due_date text,
            checkout_time timestamptz, backdate timestamptz, use_time timestamptz, count int, amount numeric(12,2),
            payload text, raw_text text, reason text
        ) ON COMMIT DROP
        """;

    private const string CopyCommand = """
        COPY intake_lines (rejected, line_number, key, has_client_id, type, workstation, org, recorded_at, effective_at,
            delta_seconds, patron_barcode, item_barcode, noncat_type, noncat_count, due_date, checkout_time, backdate,
            use_time, count, amount, payload, raw_text, reason) FROM STDIN (FORMAT BINARY)
        """;

    // Keys another upload holds, and repeats of a key later in this file, meet ON CONFLICT and are left out: the
    // lowest line of each key is the one stored.
    private const string InsertTransactions = """
        INSERT INTO offline_transactions (key, session_id, file_id, line_number, type, workstation, org, recorded_at,
            effective_at, delta_seconds, patron_barcode, item_barcode, noncat_type, noncat_count, due_date,
            checkout_time, backdate, use_time, count, amount, payload, edited, forced)
        SELECT s.key, @session, @file, s.line_number, s.type, s.workstation, s.org, s.recorded_at,
            s.effective_at, s.delta_seconds, s.patron_barcode, s.item_barcode, s.noncat_type, s.noncat_count, s.due_date,
            s.checkout_time, s.backdate, s.use_time, s.count, s.amount, s.payload::jsonb, false, false
        FROM intake_lines s
        WHERE NOT s.rejected
        ORDER BY s.line_number
        ON CONFLICT (key) DO NOTHING
        """;

    private const string InsertDuplicates = """
        INSERT INTO duplicate_lines (session_id, file_id, line_number, transaction_key, original_transaction_id)
        SELECT @session, @file, s.line_number, s.key, o.id
        FROM intake_lines s JOIN offline_transactions o ON o.key = s.key
        WHERE NOT s.rejected AND NOT (o.file_id = @file AND o.line_number = s.line_number)
        """;

    private const string InsertRejected = """
        INSERT INTO rejected_lines (session_id, file_id, line_number, raw_text, reason)
        SELECT @session, @file, line_number, raw_text, reason FROM intake_lines WHERE rejected
        """;

    public async Task<IntakeSummary> StoreAsync(IntakeRequest request, Stream content, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var session = await LockOpenSessionAsync(conn, request.SessionId, ct);
        var zones = await LoadTimeZonesAsync(conn, ct);
        var fileId = await InsertFileRowAsync(conn, request, ct);
        await Exec(conn, StagingDdl, ct);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var limited = new LimitedStream(content, options);
        var reader = new OfflineFileReader(limited, new UploadContext(request.Workstation, request.DeltaSeconds, zones));
        await using (var copy = await conn.BeginBinaryImportAsync(CopyCommand, ct))
        {
            copy.Timeout = TimeSpan.FromMinutes(30);
            await foreach (var outcome in reader.ReadAsync(ct))
            {
                await WriteAsync(copy, outcome, ct);
            }
            await copy.CompleteAsync(ct);
        }
        if (reader.LinesRead == 0)
        {
            throw new IntakeException("The file has no transactions in it: nothing was stored.");
        }

        var staged = clock.Elapsed;
        var stored = await Exec(conn, InsertTransactions, ct, session, fileId);
        var inserted = clock.Elapsed;
        var duplicates = await Exec(conn, InsertDuplicates, ct, session, fileId);
        var rejected = await Exec(conn, InsertRejected, ct, session, fileId);
        LogIntake(fileId, reader.LinesRead, staged.TotalSeconds, (inserted - staged).TotalSeconds, (clock.Elapsed - inserted).TotalSeconds);
        await using (var update = new NpgsqlCommand("""
            UPDATE uploaded_files SET format = @format, warning = @warning, lines_read = @read, stored = @stored,
                duplicates = @dups, rejected = @rejected, size_bytes = @size WHERE id = @file
            """, conn))
        {
            update.Parameters.AddWithValue("format", reader.Format.ToString());
            update.Parameters.AddWithValue("warning", (object?)reader.Warning ?? DBNull.Value);
            update.Parameters.AddWithValue("read", reader.LinesRead);
            update.Parameters.AddWithValue("stored", stored);
            update.Parameters.AddWithValue("dups", duplicates);
            update.Parameters.AddWithValue("rejected", rejected);
            update.Parameters.AddWithValue("file", fileId);
            update.Parameters.AddWithValue("size", limited.BytesRead);
            await update.ExecuteNonQueryAsync(ct);
        }
        var summary = new IntakeSummary(fileId, session, reader.Format.ToString(), reader.Warning, reader.LinesRead,
            stored, duplicates, rejected,
            await ListDuplicatesAsync(conn, fileId, ct), await ListRejectedAsync(conn, fileId, ct), await ListStoredKeysAsync(conn, fileId, ct));
        await tx.CommitAsync(ct);
        return summary;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "File {FileId}: {Lines} lines read and staged in {Staged:0.0} s, stored in {Stored:0.0} s, duplicates and rejections in {Rest:0.0} s")]
    private partial void LogIntake(long fileId, int lines, double staged, double stored, double rest);

    private static async Task<long> LockOpenSessionAsync(NpgsqlConnection conn, long sessionId, CancellationToken ct)
    {
        // A share lock keeps the session from being closed while the file goes in; uploads run side by side.
        await using var cmd = new NpgsqlCommand("SELECT state FROM sessions WHERE id = @id FOR SHARE", conn);
        cmd.Parameters.AddWithValue("id", sessionId);
        var state = (string?)await cmd.ExecuteScalarAsync(ct) ?? throw new IntakeException("This session does not exist.", 404);
        if (state == "closed")
        {
            throw new IntakeException("This session is closed and takes no more uploads. Create a new session.", 409);
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

    private static async Task WriteAsync(NpgsqlBinaryImporter copy, LineOutcome outcome, CancellationToken ct)
    {
        await copy.StartRowAsync(ct);
        switch (outcome)
        {
            case LineOutcome.Parsed { Transaction: var t }:
                await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(t.LineNumber, NpgsqlDbType.Integer, ct);
                await copy.WriteTextAsync(t.Key, ct);
                await copy.WriteAsync(t.HasClientId, NpgsqlDbType.Boolean, ct);
                await copy.WriteTextAsync(t.Type, ct);
                await copy.WriteTextAsync(t.Workstation, ct);
                await copy.WriteTextAsync(t.Org, ct);
                await copy.WriteAsync(t.RecordedAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(t.EffectiveAt.UtcDateTime, NpgsqlDbType.TimestampTz, ct);
                await copy.WriteAsync(t.DeltaSeconds, NpgsqlDbType.Integer, ct);
                await copy.WriteTextAsync(t.PatronBarcode, ct);
                await copy.WriteTextAsync(t.ItemBarcode, ct);
                await copy.WriteTextAsync(t.NoncatType, ct);
                await copy.WriteIntAsync(t.NoncatCount, ct);
                await copy.WriteTextAsync(t.DueDate, ct);
                await copy.WriteTimeAsync(t.CheckoutTime, ct);
                await copy.WriteTimeAsync(t.Backdate, ct);
                await copy.WriteTimeAsync(t.UseTime, ct);
                await copy.WriteIntAsync(t.Count, ct);
                await copy.WriteMoneyAsync(t.Amount, ct);
                await copy.WriteTextAsync(t.Payload, ct);
                await copy.WriteNullAsync(ct);
                await copy.WriteNullAsync(ct);
                break;
            case LineOutcome.Rejected r:
                await copy.WriteAsync(true, NpgsqlDbType.Boolean, ct);
                await copy.WriteAsync(r.LineNumber, NpgsqlDbType.Integer, ct);
                for (var i = 0; i < 19; i++)
                {
                    await copy.WriteNullAsync(ct);
                }
                await copy.WriteTextAsync(r.RawText, ct);
                await copy.WriteTextAsync(r.Reason, ct);
                break;
        }
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

    private static async Task<IReadOnlyList<string>> ListStoredKeysAsync(NpgsqlConnection conn, long fileId, CancellationToken ct)
    {
        var list = new List<string>();
        await using var cmd = new NpgsqlCommand($"SELECT key FROM offline_transactions WHERE file_id = @file ORDER BY line_number LIMIT {ListLimit}", conn);
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
public class IntakeException(string message, int status = 400) : Exception(message)
{
    public int Status { get; } = status;
}
