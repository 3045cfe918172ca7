using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Web.People;

public sealed record OrgOption(int Id, string ShortName, string Name, int Depth)
{
    public string Label => new string('\u00a0', Depth * 2) + $"{ShortName} – {Name}";
}

public sealed record UserRow(
    string Id,
    string Email,
    string DisplayName,
    int HomeOrgId,
    string HomeOrg,
    IReadOnlyList<string> Roles,
    DateTimeOffset? LockedUntil,
    int FailedSignIns);

/// <summary>What an administrator may do to accounts: only in their subtree, and never above their own rights.</summary>
public class UserAdmin(CircDbContext db, UserScope scope, UserManager<AppUser> users, AccountChecks checks)
{
    /// <summary>
    /// Ends the account's open sign-ins (a new security stamp, checked on every request) and revokes its access tokens:
    /// its rights just changed. Returns how many tokens were revoked.
    /// </summary>
    public async Task<int> EndSignInsAsync(AppUser user, CancellationToken ct = default)
    {
        var stamped = await users.UpdateSecurityStampAsync(user);
        if (!stamped.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", stamped.Errors.Select(e => e.Description)));
        }
        var revoked = await db.ApiTokens.Where(t => t.UserId == user.Id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow), ct);
        // A bulk update passes by the change tracker, so it says itself that the tokens' readings are stale.
        checks.Changed();
        return revoked;
    }

    public IReadOnlyList<string> AssignableRoles =>
        scope.IsConsortiumAdministrator ? Roles.All : [Roles.Staff, Roles.Administrator, Roles.Auditor];

    public async Task<List<OrgOption>> OrgOptionsAsync(CancellationToken ct = default)
    {
        var orgs = await (await scope.ReachableOrgsAsync(ct))
            .Select(o => new { o.Id, o.ShortName, o.Name, o.Path })
            .ToListAsync(ct);
        var top = orgs.Count == 0 ? 0 : orgs.Min(o => Depth(o.Path));
        return orgs
            .OrderBy(o => o.Path, StringComparer.Ordinal)
            .Select(o => new OrgOption(o.Id, o.ShortName, o.Name, Depth(o.Path) - top))
            .ToList();
    }

    public async Task<List<UserRow>> ListAsync(CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        if (path is null)
        {
            return [];
        }
        var users = await db.Users.AsNoTracking()
            .Where(u => u.HomeOrg!.Path.StartsWith(path))
            .OrderBy(u => u.Email)
            .Select(u => new { u.Id, u.Email, u.DisplayName, u.HomeOrgId, Org = u.HomeOrg!.ShortName, u.LockoutEnabled, u.LockoutEnd, u.AccessFailedCount })
            .ToListAsync(ct);
        var roles = await RolesOfAsync(users.Select(u => u.Id).ToList(), ct);
        var now = DateTimeOffset.UtcNow;
        return users.Select(u => new UserRow(
            u.Id,
            u.Email ?? "",
            u.DisplayName,
            u.HomeOrgId,
            u.Org,
            roles.GetValueOrDefault(u.Id, []),
            AccountLock.LockedUntil(u.LockoutEnabled, u.LockoutEnd, now),
            u.AccessFailedCount)).ToList();
    }

    /// <summary>The account if this administrator may change it: homed in their subtree, and not a consortium administrator unless they are one.</summary>
    public async Task<AppUser?> FindManageableAsync(string? id, CancellationToken ct = default)
    {
        var path = await scope.SubtreePathAsync(ct);
        if (path is null || string.IsNullOrEmpty(id))
        {
            return null;
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id && u.HomeOrg!.Path.StartsWith(path), ct);
        if (user is null)
        {
            return null;
        }
        if (!scope.IsConsortiumAdministrator)
        {
            var roles = await RolesOfAsync([user.Id], ct);
            if (roles.GetValueOrDefault(user.Id, []).Contains(Roles.ConsortiumAdministrator))
            {
                return null;
            }
        }
        return user;
    }

    private async Task<Dictionary<string, List<string>>> RolesOfAsync(List<string> userIds, CancellationToken ct)
    {
        var pairs = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where userIds.Contains(ur.UserId)
                           select new { ur.UserId, r.Name })
            .ToListAsync(ct);
        return pairs
            .GroupBy(p => p.UserId)
            .ToDictionary(g => g.Key, g => g.Select(p => p.Name ?? "").OrderBy(n => Array.IndexOf(Roles.All, n)).ToList());
    }

    private static int Depth(string path) => path.Count(c => c == '/') - 1;
}
