using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;
using OfflineCirc.Web.Audit;

namespace OfflineCirc.Web.People;

/// <summary>A token as its owner sees it: never the secret, only the prefix that tells tokens apart.</summary>
public sealed record TokenSummary(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt)
{
    public bool Revoked => RevokedAt is not null;
}

/// <summary>Personal access tokens: shown once when made, kept only as a SHA-256 hash.</summary>
public class ApiTokens(CircDbContext db, AuditLog audit)
{
    public const string TokenPrefix = "oc_";
    public const int MaxNameLength = 100;

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    public async Task<(ApiToken Token, string Secret)> CreateAsync(AppUser user, string name, CancellationToken ct = default)
    {
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var cleanName = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim();
        var token = new ApiToken
        {
            UserId = user.Id,
            Name = cleanName.Length > MaxNameLength ? cleanName[..MaxNameLength] : cleanName,
            TokenHash = Hash(secret),
            Prefix = secret[..10],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.ApiTokens.Add(token);
        audit.Add("token.created", user.UserName ?? user.Email ?? user.Id, target: $"token {token.Name} ({token.Prefix}...)", orgUnitId: user.HomeOrgId);
        await db.SaveChangesAsync(ct);
        return (token, secret);
    }

    public Task<List<TokenSummary>> ListAsync(string userId, CancellationToken ct = default) =>
        db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedAt)
            .ThenByDescending(t => t.Id)
            .Select(t => new TokenSummary(t.Id, t.Name, t.Prefix, t.CreatedAt, t.LastUsedAt, t.RevokedAt))
            .ToListAsync(ct);

    /// <summary>Revokes one of the user's tokens; false when the user has no such token. Revoking twice is harmless.</summary>
    public async Task<bool> RevokeAsync(string userId, long tokenId, string by, CancellationToken ct = default)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct);
        if (token is null)
        {
            return false;
        }
        if (token.RevokedAt is not null)
        {
            return true;
        }
        token.RevokedAt = DateTimeOffset.UtcNow;
        audit.Add("token.revoked", by, target: $"token {token.Name} ({token.Prefix}...)");
        await db.SaveChangesAsync(ct);
        return true;
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
