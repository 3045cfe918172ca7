using Microsoft.AspNetCore.Identity;

namespace OfflineCirc.Core.Model;

public static class Roles
{
    public const string Staff = "Staff";
    public const string Administrator = "Administrator";
    public const string Auditor = "Auditor";
    public const string ConsortiumAdministrator = "ConsortiumAdministrator";
    public static readonly string[] All = [Staff, Administrator, Auditor, ConsortiumAdministrator];
}

public class AppUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    public int HomeOrgId { get; set; }
    public OrgUnit? HomeOrg { get; set; }
}

/// <summary>A personal access token; only its SHA-256 is kept.</summary>
public class ApiToken
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public AppUser? User { get; set; }
    public required string Name { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>First characters of the token, shown so people can tell their tokens apart.</summary>
    public required string Prefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

public class AuditEntry
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string? UserId { get; set; }
    public required string UserName { get; set; }
    public required string Action { get; set; }
    public int? OrgUnitId { get; set; }
    public long? SessionId { get; set; }
    public string? Target { get; set; }
    public string? Detail { get; set; }
}
