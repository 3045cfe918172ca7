using Microsoft.EntityFrameworkCore;
using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Tests.Reports;

/// <summary>
/// Writes sessions, transactions and results straight into the database, so what the reports show is fixed. The
/// session's running counts (docs/adr-016) are kept as intake and the replay keep them, with the same statement, so the
/// pages that read them show what was written.
/// </summary>
public sealed class Seed(CircDbContext db, OfflineSession session, UploadedFile file)
{
    public static readonly DateTimeOffset Base = new(2026, 3, 5, 14, 0, 0, TimeSpan.Zero);

    private int _line;

    public OfflineSession Session { get; } = session;
    public long Id => Session.Id;
    public CircDbContext Db { get; } = db;

    public static async Task<Seed> SessionAsync(CircDbContext db, OrgUnit org, string description = "Outage of 5 March")
    {
        var session = new OfflineSession
        {
            OrgUnitId = org.Id,
            Description = description,
            State = SessionState.Processed,
            CreatedBy = "seed",
            CreatedAt = Base,
            RunCount = 1,
        };
        db.Sessions.Add(session);
        await db.SaveChangesAsync();
        var file = new UploadedFile
        {
            SessionId = session.Id,
            Workstation = "BR1-CIRC-01",
            FileName = "pending.jsonl",
            UploadedBy = "seed",
            UploadedAt = Base,
            Format = "native",
        };
        db.UploadedFiles.Add(file);
        await db.SaveChangesAsync();
        await CountAsync(db, session.Id, SessionCounts.Files);
        return new Seed(db, session, file);
    }

    /// <summary>Adds a transaction; <paramref name="configure"/> fills in what the test cares about.</summary>
    public async Task<OfflineTransaction> TxAsync(string type, Action<OfflineTransaction>? configure = null, string? key = null,
        string workstation = "BR1-CIRC-01", DateTimeOffset? at = null)
    {
        var when = at ?? Base.AddMinutes(_line);
        var t = new OfflineTransaction
        {
            Key = key ?? Guid.NewGuid().ToString(),
            SessionId = Session.Id,
            FileId = file.Id,
            LineNumber = ++_line,
            Type = type,
            Workstation = workstation,
            RecordedAt = when,
            EffectiveAt = when,
            Payload = "{}",
        };
        configure?.Invoke(t);
        Db.Transactions.Add(t);
        await Db.SaveChangesAsync();
        await CountAsync(Db, Session.Id, SessionCounts.Transactions);
        return t;
    }

    public async Task<TransactionResult> ResultAsync(OfflineTransaction t, ResultStatus status, string[]? codes = null,
        Action<TransactionResult>? configure = null, string message = "Done.")
    {
        var r = new TransactionResult
        {
            TransactionId = t.Id,
            SessionId = Session.Id,
            Run = 1,
            IsCurrent = true,
            Status = status,
            Codes = codes ?? [],
            Message = message,
            ProcessedAt = Base.AddDays(1),
            ProcessedBy = "seed",
        };
        configure?.Invoke(r);
        Db.Results.Add(r);
        await Db.SaveChangesAsync();
        if (r.IsCurrent)
        {
            await CountAsync(Db, Session.Id, SessionCounts.Of(r.Status));
        }
        return r;
    }

    /// <summary>Adds one to a running count of the session (SessionCounts.AddSql, as intake and each replay batch do).</summary>
    private static async Task CountAsync(CircDbContext db, long sessionId, string name)
    {
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var cmd = new NpgsqlCommand(SessionCounts.AddSql, (NpgsqlConnection)db.Database.GetDbConnection());
            cmd.Parameters.Add(new NpgsqlParameter { Value = sessionId });
            cmd.Parameters.Add(new NpgsqlParameter { Value = new[] { name } });
            cmd.Parameters.Add(new NpgsqlParameter { Value = new[] { 1L } });
            await cmd.ExecuteNonQueryAsync();
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>A transaction with its current result in one step.</summary>
    public async Task<OfflineTransaction> WithResultAsync(string type, ResultStatus status, string[]? codes = null,
        string workstation = "BR1-CIRC-01", Action<OfflineTransaction>? tx = null, Action<TransactionResult>? result = null)
    {
        var t = await TxAsync(type, tx, workstation: workstation);
        await ResultAsync(t, status, codes, result);
        return t;
    }
}
