using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Infrastructure;
using OfflineCirc.Web.People;
using OfflineCirc.Web.Sessions;

namespace OfflineCirc.Web.Offline;

public sealed record CaptureRequest(string? Workstation, long? SessionId, List<JsonElement>? Transactions);

public sealed record CaptureAck(string? Id, int Line, string Status, string? Reason);

public sealed record CaptureAnswer(long SessionId, long FileId, IReadOnlyList<CaptureAck> Results);

/// <summary>
/// Uploads from the capture page go through the same intake as files: the batch becomes a native JSON Lines file of one
/// upload, and each line's fate is answered by the capture's id.
/// </summary>
public class CaptureUpload(CircDbContext db, SessionService sessions, UserScope scope)
{
    // Every rejected or duplicate line of a batch must fit in the intake summary's lists.
    public const int MaxBatch = FileIntake.ListLimit;

    public async Task<CaptureAnswer> UploadAsync(CaptureRequest request, CancellationToken ct)
    {
        if (request.Transactions is not { Count: > 0 } transactions)
        {
            throw Refusals.NoTransactions.Exception();
        }
        if (transactions.Count > MaxBatch)
        {
            throw Refusals.TooManyTransactions(MaxBatch).Exception();
        }
        // Another library's desk reads like one that does not exist: neither is registered in the uploader's libraries.
        var workstation = await db.Workstations.AsNoTracking().Include(w => w.OrgUnit)
            .SingleOrDefaultAsync(w => w.Name == (request.Workstation ?? "").Trim(), ct);
        if (workstation is null || !await scope.ReachesAsync(workstation.OrgUnitId, ct))
        {
            throw Refusals.CaptureWorkstationNotRegistered(request.Workstation).Exception();
        }
        var sessionId = request.SessionId ?? await NewestOpenSessionAsync(workstation, ct);
        var jsonl = new StringBuilder();
        foreach (var t in transactions)
        {
            jsonl.Append(t.GetRawText().Replace("\n", " ").Replace("\r", " ")).Append('\n');
        }
        await using var stream = new MemoryStream(Encoding.UTF8.GetBytes(jsonl.ToString()));
        var summary = await sessions.UploadAsync(sessionId, workstation.Name, 0, $"capture-page-{workstation.Name}.jsonl", stream, ct);
        var rejected = summary.RejectedLines.ToDictionary(r => r.Line, r => r.Reason);
        var duplicates = summary.DuplicateLines.Select(d => d.Line).ToHashSet();
        var acks = new List<CaptureAck>(transactions.Count);
        for (var i = 0; i < transactions.Count; i++)
        {
            var line = i + 1;
            var id = transactions[i].ValueKind == JsonValueKind.Object && transactions[i].TryGetProperty("id", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var status = rejected.ContainsKey(line) ? "rejected" : duplicates.Contains(line) ? "duplicate" : "accepted";
            acks.Add(new CaptureAck(id, line, status, rejected.GetValueOrDefault(line)));
        }
        return new CaptureAnswer(sessionId, summary.FileId, acks);
    }

    /// <summary>The newest open session of the workstation's library, or a new one when there is none.</summary>
    private async Task<long> NewestOpenSessionAsync(Workstation workstation, CancellationToken ct)
    {
        var existing = await db.Sessions.AsNoTracking()
            .Where(s => s.OrgUnitId == workstation.OrgUnitId && s.State == SessionState.Open)
            .OrderByDescending(s => s.CreatedAt).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
        if (existing is { } id)
        {
            return id;
        }
        var created = await sessions.CreateAsync(new CreateSession(workstation.OrgUnit!.ShortName, $"Capture page uploads from {workstation.OrgUnit.ShortName}"), ct);
        return created.Id;
    }
}
