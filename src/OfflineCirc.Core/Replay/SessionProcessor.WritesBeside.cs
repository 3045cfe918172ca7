using Microsoft.Extensions.Logging;
using Npgsql;

namespace OfflineCirc.Core.Replay;

// A run's final writes on two connections at once (docs/adr-026): the items, holds and in-house uses in the run's own
// transaction, and the loans, transits, billings and new patrons in a second one, prepared for a two-phase commit and
// committed just after the run's own. The run's commit is the decision: a second transaction left prepared by a crash
// is committed or rolled back as the run's own transaction ended (ResolvePreparedAsync).
public sealed partial class SessionProcessor
{
    /// <summary>
    /// Whether a run that is one transaction writes its loans, transits, billings and new patrons on a second connection
    /// beside its items (Replay:WritesBeside, docs/adr-026). Needs a server that takes prepared transactions
    /// (<c>max_prepared_transactions</c> above 0); otherwise, or when none is free, the run writes them itself, after its
    /// items.
    /// </summary>
    public bool WritesBeside { get; set; } = true;

    /// <summary>
    /// How a run's second transaction is named when prepared: this, then the id of the run's own transaction, whose end
    /// decides the second's.
    /// </summary>
    internal const string PreparedPrefix = "offlinecirc-replay-";

    /// <summary>
    /// Writes what <paramref name="state"/> changed and made, inside the run's transaction on <paramref name="conn"/>;
    /// returns the name of the second transaction left prepared beside it, which <see cref="FinishPreparedAsync"/>
    /// commits once the run's own has, or null when the run's connection wrote everything.
    /// </summary>
    private async Task<string?> WriteRunEffectsAsync(NpgsqlConnection conn, ReplayState state, CancellationToken ct)
    {
        // The run's transaction id names the second half; none when the server can hold no prepared transaction at all.
        string? xid = null;
        if (WritesBeside)
        {
            await BatchLoader.ReadAsync(conn, "SELECT pg_current_xact_id()::text WHERE current_setting('max_prepared_transactions')::int > 0",
                [], r => xid = r.GetString(0), ct);
        }
        if (xid is null)
        {
            await BatchWriter.WriteEffectsAsync(conn, state, ct);
            return null;
        }
        var gid = PreparedPrefix + xid;
        var beside = WriteBesideAsync(gid, state, ct);
        try
        {
            await BatchWriter.WriteItemSideAsync(conn, state, ct);
        }
        catch
        {
            // The other half may have been prepared meanwhile; the run's transaction ends without committing.
            if (await ObservePreparedAsync(beside))
            {
                await FinishPreparedAsync(gid, commit: false, CancellationToken.None);
            }
            throw;
        }
        if (await beside)
        {
            return gid;
        }
        await BatchWriter.WriteLoanSideAsync(conn, state, ct);
        return null;
    }

    /// <summary>
    /// Writes the loan side of the run's effects in a transaction of its own and prepares it as <paramref name="gid"/>;
    /// false, with nothing written, when the server had no prepared transaction free.
    /// </summary>
    private async Task<bool> WriteBesideAsync(string gid, ReplayState state, CancellationToken ct)
    {
        await using var conn = await BatchLoader.OpenAsync(_dataSource, ct);
        await BatchWriter.ExecAsync(conn, "BEGIN", ct);
        try
        {
            await BatchWriter.WriteLoanSideAsync(conn, state, ct);
        }
        catch
        {
            await RollBackQuietlyAsync(conn);
            throw;
        }
        try
        {
            await BatchWriter.ExecAsync(conn, $"PREPARE TRANSACTION '{gid}'", ct);
            return true;
        }
        catch (PostgresException e)
        {
            // All of the server's prepared transactions are in use: the run's own connection writes these rows instead.
            NotPrepared(_logger, e.MessageText, null);
            await RollBackQuietlyAsync(conn);
            return false;
        }
    }

    /// <summary>Whether the write beside a failed one ended prepared; its own failure is the lesser news.</summary>
    private static async Task<bool> ObservePreparedAsync(Task<bool> beside)
    {
        try
        {
            return await beside;
        }
#pragma warning disable CA1031 // The run is failing already with the error that stopped its own half.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }

    private static async Task RollBackQuietlyAsync(NpgsqlConnection conn)
    {
        try
        {
            await BatchWriter.ExecAsync(conn, "ROLLBACK", CancellationToken.None);
        }
#pragma warning disable CA1031 // A broken connection has ended its transaction already.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    /// <summary>
    /// Commits or rolls back the prepared transaction <paramref name="gid"/>. One already ended (another node's
    /// <see cref="ResolvePreparedAsync"/> may have got there first) is left as it is; one another connection is ending
    /// at this moment (the server says it is busy) is waited for, so it has ended when this returns.
    /// </summary>
    private async Task FinishPreparedAsync(string gid, bool commit, CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await BatchWriter.ExecAsync(conn, $"{(commit ? "COMMIT" : "ROLLBACK")} PREPARED '{gid}'", ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedObject)
            {
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ObjectNotInPrerequisiteState && attempt < BusyAttempts)
            {
                await Task.Delay(BusyWait, ct);
            }
        }
    }

    // Ending a prepared transaction takes milliseconds; one busy for longer than this is an error worth seeing.
    private const int BusyAttempts = 1000;
    private static readonly TimeSpan BusyWait = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Ends the prepared transactions of runs whose own transaction has ended: committed with a run that committed,
    /// rolled back with one that did not (a node stopped between the two commits, or before its run's). Those of runs
    /// still going are left to them. Every run starts with this, on any node, so what a crash left prepared holds its
    /// rows no longer than until the next run, which the job's retry starts, or the next start of a node; and every batch
    /// does it once its items are locked, since a run that held them may be between its two commits.
    /// </summary>
    public async Task<int> ResolvePreparedAsync(CancellationToken ct)
    {
        await using var conn = await _dataSource.OpenConnectionAsync(ct);
        return await ResolvePreparedAsync(conn, ct);
    }

    /// <summary>
    /// <see cref="ResolvePreparedAsync(CancellationToken)"/>, looked up on <paramref name="conn"/> (a batch's own, inside
    /// its transaction), so a batch that finds nothing to end costs one small query and no other connection.
    /// </summary>
    internal async Task<int> ResolvePreparedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var ended = new List<(string Gid, bool Commit)>();
        await BatchLoader.ReadAsync(conn, """
            SELECT gid, pg_xact_status(substr(gid, length($1) + 1)::xid8)::text
            FROM pg_prepared_xacts WHERE database = current_database() AND starts_with(gid, $1)
            """, [PreparedPrefix], r =>
        {
            var status = r.IsDBNull(1) ? null : r.GetString(1);
            if (status is "committed" or "aborted")
            {
                ended.Add((r.GetString(0), status == "committed"));
            }
        }, ct);
        foreach (var (gid, commit) in ended)
        {
            await FinishPreparedAsync(gid, commit, ct);
            PreparedResolved(_logger, gid, commit ? "committed" : "rolled back", null);
        }
        return ended.Count;
    }

    private static readonly Action<ILogger, string, Exception?> NotPrepared = LoggerMessage.Define<string>(
        LogLevel.Warning, new EventId(8, "ReplayNotPrepared"),
        "Replay: the server took no prepared transaction ({Reason}); the run writes its loans after its items on one connection");

    private static readonly Action<ILogger, string, string, Exception?> PreparedResolved = LoggerMessage.Define<string, string>(
        LogLevel.Information, new EventId(9, "ReplayPreparedResolved"),
        "Replay: the prepared transaction {Gid}, whose run's own transaction had ended, was {Outcome} as that one was");
}
