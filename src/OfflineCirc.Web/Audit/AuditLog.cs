using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Audit;

/// <summary>Adds audit entries to the caller's unit of work, so they commit with the change they describe.</summary>
public class AuditLog(CircDbContext db, IHttpContextAccessor http)
{
    public void Add(string action, string? userName = null, string? target = null, string? detail = null, int? orgUnitId = null, long? sessionId = null)
    {
        var user = http.HttpContext?.User;
        db.AuditEntries.Add(new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            UserId = user?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
            UserName = userName ?? user?.Identity?.Name ?? "system",
            Action = action,
            Target = target,
            Detail = detail,
            OrgUnitId = orgUnitId,
            SessionId = sessionId,
        });
    }
}
