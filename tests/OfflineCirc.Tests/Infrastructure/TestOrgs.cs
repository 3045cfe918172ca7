using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Data;
using OfflineCirc.Core.Model;

namespace OfflineCirc.Tests.Infrastructure;

/// <summary>A small consortium: CONS > SYS1 > BR1, BR2 and CONS > SYS2 > BR3, with people of each role.</summary>
public sealed class TestOrgs
{
    public const string Password = "Test-Password-1";

    public required OrgUnit Cons { get; init; }
    public required OrgUnit Sys1 { get; init; }
    public required OrgUnit Br1 { get; init; }
    public required OrgUnit Br2 { get; init; }
    public required OrgUnit Sys2 { get; init; }
    public required OrgUnit Br3 { get; init; }

    public static async Task<TestOrgs> CreateAsync(CircDbContext db)
    {
        var existing = db.OrgUnits.FirstOrDefault(o => o.ParentId == null);
        var cons = existing ?? Add(db, null, "CONS", "Test Consortium", "America/Toronto");
        var sys1 = Add(db, cons, "SYS1", "System One", "America/Toronto");
        var sys2 = Add(db, cons, "SYS2", "System Two", "America/Vancouver");
        await db.SaveChangesAsync();
        var br1 = Add(db, sys1, "BR1", "Branch One", "America/Toronto", closed: 0b1100000);
        var br2 = Add(db, sys1, "BR2", "Branch Two", "America/Toronto");
        var br3 = Add(db, sys2, "BR3", "Branch Three", "America/Vancouver", closed: 0b1000000);
        await db.SaveChangesAsync();
        await OrgTree.RecomputePathsAsync(db);
        foreach (var org in new[] { cons, sys1, sys2, br1, br2, br3 })
        {
            await db.Entry(org).ReloadAsync();
        }
        return new TestOrgs { Cons = cons, Sys1 = sys1, Sys2 = sys2, Br1 = br1, Br2 = br2, Br3 = br3 };
    }

    public static async Task<AppUser> CreateUserAsync(IServiceProvider sp, string email, string role, OrgUnit home)
    {
        await using var scope = sp.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = email, HomeOrgId = home.Id };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
        await users.AddToRoleAsync(user, role);
        return user;
    }

    private static OrgUnit Add(CircDbContext db, OrgUnit? parent, string shortName, string name, string zone, int closed = 0)
    {
        var org = new OrgUnit { ShortName = shortName, Name = name, TimeZone = zone, ClosedWeekdays = closed, Parent = parent };
        db.OrgUnits.Add(org);
        return org;
    }
}
