using Npgsql;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.Audit;

/// <summary>Adds audit entries to the caller's unit of work, so they commit with the change they describe.</summary>
public class AuditLog(CircDbContext db, IHttpContextAccessor http)
{
    /// <summary>Adds the entry to the context; it is stored by the caller's next SaveChanges.</summary>
    public void Add(string action, string? userName = null, string? target = null, string? detail = null, int? orgUnitId = null, long? sessionId = null) =>
        db.AuditEntries.Add(Entry(action, userName, target, detail, orgUnitId, sessionId));

    /// <summary>An entry for the signed-in user (or "system"), not yet added anywhere.</summary>
    public AuditEntry Entry(string action, string? userName = null, string? target = null, string? detail = null, int? orgUnitId = null, long? sessionId = null)
    {
        var user = http.HttpContext?.User;
        return new AuditEntry
        {
            At = DateTimeOffset.UtcNow,
            UserId = user?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value,
            UserName = userName ?? user?.Identity?.Name ?? "system",
            Action = action,
            Target = target,
            Detail = detail,
            OrgUnitId = orgUnitId,
            SessionId = sessionId,
        };
    }

    /// <summary>Stores an entry on a raw connection, inside whatever transaction that connection has open (intake's).</summary>
    public static async Task WriteAsync(NpgsqlConnection conn, AuditEntry entry, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO audit_log (at, user_id, user_name, action, org_unit_id, session_id, target, detail)
            VALUES (@at, @user_id, @user_name, @action, @org, @session, @target, @detail)
            """, conn);
        cmd.Parameters.AddWithValue("at", entry.At);
        cmd.Parameters.AddWithValue("user_id", (object?)entry.UserId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("user_name", entry.UserName);
        cmd.Parameters.AddWithValue("action", entry.Action);
        cmd.Parameters.AddWithValue("org", (object?)entry.OrgUnitId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("session", (object?)entry.SessionId ?? DBNull.Value);
        cmd.Parameters.AddWithValue("target", (object?)entry.Target ?? DBNull.Value);
        cmd.Parameters.AddWithValue("detail", (object?)entry.Detail ?? DBNull.Value);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
