using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay.Calendar;

namespace OfflineCirc.Core.Replay;

/// <summary>The answer to an administrator's fix, force or resolve: done, or why not.</summary>
public sealed record ReplayCommandResult(bool Ok, string? Error = null)
{
    public static ReplayCommandResult Done { get; } = new(true);

    public static ReplayCommandResult Refused(string error) => new(false, error);
}

public sealed partial class SessionProcessor
{
    /// <summary>
    /// Corrects a failed transaction before a retry (docs/replay-rules.md, fix and retry). A null argument leaves that field as it is; an empty
    /// due date removes it (the policy then decides). The first original value of each field is kept in its
    /// original_* column and every change is written to transaction_edits and the audit log.
    /// </summary>
    public async Task<ReplayCommandResult> EditFailedTransactionAsync(
        long transactionId, string? patronBarcode, string? itemBarcode, string? dueDate, string editedBy, CancellationToken ct = default)
    {
        await using var db = NewContext();
        var t = await db.Transactions.SingleOrDefaultAsync(x => x.Id == transactionId, ct);
        if (t is null)
        {
            return ReplayCommandResult.Refused("No such transaction.");
        }
        if (!await db.Results.AnyAsync(r => r.TransactionId == transactionId && r.IsCurrent && r.Status == ResultStatus.Failed, ct))
        {
            return ReplayCommandResult.Refused("Only a failed transaction can be corrected.");
        }
        if (patronBarcode is not null && string.IsNullOrWhiteSpace(patronBarcode) || itemBarcode is not null && string.IsNullOrWhiteSpace(itemBarcode))
        {
            return ReplayCommandResult.Refused("A barcode cannot be empty.");
        }
        if (!string.IsNullOrWhiteSpace(dueDate) && !CapturedDueDate.IsValid(dueDate))
        {
            return ReplayCommandResult.Refused($"'{dueDate}' is not a date (use YYYY-MM-DD).");
        }
        var now = _time.GetUtcNow();
        var edits = new List<TransactionEdit>();
        void Change(string field, string? oldValue, string? newValue, Action apply)
        {
            if (oldValue == newValue)
            {
                return;
            }
            apply();
            edits.Add(new TransactionEdit { TransactionId = t.Id, Field = field, OldValue = oldValue, NewValue = newValue, EditedBy = editedBy, EditedAt = now });
        }
        if (patronBarcode is not null)
        {
            var value = patronBarcode.Trim();
            Change("patron_barcode", t.PatronBarcode, value, () =>
            {
                t.OriginalPatronBarcode ??= t.PatronBarcode;
                t.PatronBarcode = value;
            });
        }
        if (itemBarcode is not null)
        {
            var value = itemBarcode.Trim();
            Change("item_barcode", t.ItemBarcode, value, () =>
            {
                t.OriginalItemBarcode ??= t.ItemBarcode;
                t.ItemBarcode = value;
            });
        }
        if (dueDate is not null)
        {
            var value = string.IsNullOrWhiteSpace(dueDate) ? null : dueDate.Trim();
            Change("due_date", t.DueDate, value, () =>
            {
                t.OriginalDueDate ??= t.DueDate;
                t.DueDate = value;
            });
        }
        if (edits.Count == 0)
        {
            return ReplayCommandResult.Done;
        }
        t.Edited = true;
        db.TransactionEdits.AddRange(edits);
        db.AuditEntries.Add(Audit(editedBy, "transaction.edited", t, string.Join("; ", edits.Select(e => $"{e.Field}: '{e.OldValue}' -> '{e.NewValue}'")), now));
        await SaveAndTouchSessionAsync(db, t.SessionId, ct);
        return ReplayCommandResult.Done;
    }

    /// <summary>Marks a skipped transaction to be applied anyway by the next retry run.</summary>
    public async Task<ReplayCommandResult> ForceAsync(long transactionId, string forcedBy, CancellationToken ct = default)
    {
        await using var db = NewContext();
        var t = await db.Transactions.SingleOrDefaultAsync(x => x.Id == transactionId, ct);
        if (t is null)
        {
            return ReplayCommandResult.Refused("No such transaction.");
        }
        if (!await db.Results.AnyAsync(r => r.TransactionId == transactionId && r.IsCurrent && r.Status == ResultStatus.Skipped, ct))
        {
            return ReplayCommandResult.Refused("Only a skipped transaction can be forced.");
        }
        if (!t.Forced)
        {
            t.Forced = true;
            db.AuditEntries.Add(Audit(forcedBy, "transaction.forced", t, null, _time.GetUtcNow()));
            await SaveAndTouchSessionAsync(db, t.SessionId, ct);
        }
        return ReplayCommandResult.Done;
    }

    /// <summary>Marks the current result of a transaction as reviewed, with a note (any result that is not Applied).</summary>
    public async Task<ReplayCommandResult> ResolveAsync(long transactionId, string note, string resolvedBy, CancellationToken ct = default)
    {
        await using var db = NewContext();
        var result = await db.Results.SingleOrDefaultAsync(r => r.TransactionId == transactionId && r.IsCurrent, ct);
        if (result is null)
        {
            return ReplayCommandResult.Refused("This transaction has not been processed yet.");
        }
        if (result.Status == ResultStatus.Applied)
        {
            return ReplayCommandResult.Refused("An applied transaction needs no resolution.");
        }
        var now = _time.GetUtcNow();
        result.Resolved = true;
        result.ResolutionNote = note;
        result.ResolvedBy = resolvedBy;
        result.ResolvedAt = now;
        var t = await db.Transactions.SingleAsync(x => x.Id == transactionId, ct);
        db.AuditEntries.Add(Audit(resolvedBy, "result.resolved", t, note, now));
        await SaveAndTouchSessionAsync(db, t.SessionId, ct);
        return ReplayCommandResult.Done;
    }

    /// <summary>
    /// Saves a correction, force or resolution and writes the session row in the same database transaction, as every
    /// replay batch does: a new row version tells cached pages of the session that they are out of date.
    /// </summary>
    private static async Task SaveAndTouchSessionAsync(CircDbContext db, long sessionId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await db.SaveChangesAsync(ct);
        await db.Database.ExecuteSqlAsync($"UPDATE sessions SET state = state WHERE id = {sessionId}", ct);
        await tx.CommitAsync(ct);
    }

    private static AuditEntry Audit(string userName, string action, OfflineTransaction t, string? detail, DateTimeOffset at) => new()
    {
        At = at,
        UserName = userName,
        Action = action,
        SessionId = t.SessionId,
        Target = $"transaction {t.Id} ({t.Key})",
        Detail = detail,
    };
}
