using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;

namespace OfflineCirc.Web.Reports;

/// <summary>
/// An administrator's fix, force and resolve on one transaction of a session they can see (docs/replay-rules.md, fix and retry). The session
/// processor checks the result's status and writes the edit history and the audit entry.
/// </summary>
public sealed class ExceptionCommands(SessionProcessor processor, CircDbContext db, UserScope scope)
{
    public Task<ReplayCommandResult> EditAsync(OfflineSession session, long transactionId, string? patronBarcode, string? itemBarcode, string? dueDate, CancellationToken ct) =>
        GuardedAsync(session, transactionId, () => processor.EditFailedTransactionAsync(transactionId, patronBarcode, itemBarcode, dueDate, scope.UserName, ct), ct);

    public Task<ReplayCommandResult> ForceAsync(OfflineSession session, long transactionId, CancellationToken ct) =>
        GuardedAsync(session, transactionId, () => processor.ForceAsync(transactionId, scope.UserName, ct), ct);

    public Task<ReplayCommandResult> ResolveAsync(OfflineSession session, long transactionId, string? note, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(note))
        {
            return Task.FromResult(ReplayCommandResult.Refused(Refusals.ResolutionNoteMissing.Sentence));
        }
        if (note.Length > 2000)
        {
            return Task.FromResult(ReplayCommandResult.Refused(Refusals.ResolutionNoteTooLong.Sentence));
        }
        return GuardedAsync(session, transactionId, () => processor.ResolveAsync(transactionId, note.Trim(), scope.UserName, ct), ct);
    }

    private async Task<ReplayCommandResult> GuardedAsync(OfflineSession session, long transactionId, Func<Task<ReplayCommandResult>> command, CancellationToken ct)
    {
        if (!scope.CanAdminister)
        {
            return ReplayCommandResult.Refused(Refusals.OnlyAdministratorsChangeResults.Sentence);
        }
        if (session.State == SessionState.Closed)
        {
            return ReplayCommandResult.Refused(Refusals.SessionReadOnly.Sentence);
        }
        if (!await db.Transactions.AnyAsync(t => t.Id == transactionId && t.SessionId == session.Id, ct))
        {
            return ReplayCommandResult.Refused(Refusals.TransactionNotInSession.Sentence);
        }
        return await command();
    }
}
