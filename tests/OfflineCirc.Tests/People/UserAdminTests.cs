using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public class UserAdminTests(TestDatabase database) : PeopleTestBase(database)
{
    private static Dictionary<string, string> NewUser(string email, string role, OrgUnit home) => new()
    {
        ["Input.Email"] = email,
        ["Input.DisplayName"] = "New Person",
        ["Input.Password"] = "Fresh-Password-9",
        ["Input.Role"] = role,
        ["Input.HomeOrgId"] = home.Id.ToString(CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Administrator_creates_a_user_in_their_subtree_who_can_then_sign_in()
    {
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var created = await admin.PostFormAsync("/Admin/Users/Create", NewUser("new@br2.example", Roles.Staff, Orgs.Br2));

        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var list = await admin.Http.GetStringAsync("/Admin/Users");
        Assert.Contains("new@br2.example", list);
        await using (var db = App.CreateContext())
        {
            var audit = await db.AuditEntries.SingleAsync(a => a.Action == "user.created");
            Assert.Equal("admin@sys1.example", audit.UserName);
            Assert.Contains("new@br2.example", audit.Target);
        }
        using var fresh = PortalClient.Create(App);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.LoginAsync("new@br2.example", "Fresh-Password-9")).StatusCode);
    }

    [Fact]
    public async Task Administrator_cannot_place_users_outside_their_subtree_or_grant_the_consortium_role()
    {
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var outside = await admin.PostFormAsync("/Admin/Users/Create", NewUser("far@br3.example", Roles.Staff, Orgs.Br3));
        var above = await admin.PostFormAsync("/Admin/Users/Create", NewUser("top@sys1.example", Roles.Staff, Orgs.Cons));
        var escalate = await admin.PostFormAsync("/Admin/Users/Create", NewUser("boss@br1.example", Roles.ConsortiumAdministrator, Orgs.Br1));

        Assert.Equal(HttpStatusCode.OK, outside.StatusCode);
        Assert.Contains("Choose one of your libraries.", await outside.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, above.StatusCode);
        Assert.Equal(HttpStatusCode.OK, escalate.StatusCode);
        Assert.Contains("You cannot give that role.", await escalate.Content.ReadAsStringAsync());
        var form = await admin.Http.GetStringAsync("/Admin/Users/Create");
        Assert.DoesNotContain("value=\"ConsortiumAdministrator\"", form);
        Assert.DoesNotContain("BR3", form);
        await using var db = App.CreateContext();
        Assert.False(await db.Users.AnyAsync(u => u.Email == "far@br3.example" || u.Email == "top@sys1.example" || u.Email == "boss@br1.example"));
        Assert.False(await db.AuditEntries.AnyAsync(a => a.Action == "user.created"));
    }

    [Fact]
    public async Task Administrator_lists_and_edits_only_users_of_their_subtree()
    {
        var local = await CreateUserAsync("local@br1.example", Roles.Staff, Orgs.Br1);
        var far = await CreateUserAsync("far@br3.example", Roles.Staff, Orgs.Br3);
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        var list = await admin.Http.GetStringAsync("/Admin/Users");
        Assert.Contains("local@br1.example", list);
        Assert.DoesNotContain("far@br3.example", list);
        Assert.DoesNotContain(AppFactory.AdminEmail, list);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/Admin/Users/Edit?id={far.Id}")).StatusCode);

        var edited = await admin.PostFormAsync($"/Admin/Users/Edit?id={local.Id}", new()
        {
            ["Id"] = local.Id,
            ["Input.DisplayName"] = "Local Auditor",
            ["Input.HomeOrgId"] = Orgs.Br2.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.Roles"] = Roles.Auditor,
        });

        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        await using var scope = App.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var after = await users.FindByIdAsync(local.Id);
        Assert.Equal(Orgs.Br2.Id, after!.HomeOrgId);
        Assert.Equal("Local Auditor", after.DisplayName);
        Assert.Equal([Roles.Auditor], await users.GetRolesAsync(after));
        await using var db = App.CreateContext();
        var audit = await db.AuditEntries.SingleAsync(a => a.Action == "user.updated");
        Assert.Contains("roles added: Auditor", audit.Detail);
        Assert.Contains("home BR1 -> BR2", audit.Detail);
    }

    [Fact]
    public async Task Consortium_administrator_sees_everyone_and_may_grant_the_consortium_role()
    {
        await CreateUserAsync("local@br1.example", Roles.Staff, Orgs.Br1);
        await CreateUserAsync("far@br3.example", Roles.Staff, Orgs.Br3);
        using var admin = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);

        var list = await admin.Http.GetStringAsync("/Admin/Users");
        var created = await admin.PostFormAsync("/Admin/Users/Create", NewUser("deputy@cons.example", Roles.ConsortiumAdministrator, Orgs.Cons));

        Assert.Contains("local@br1.example", list);
        Assert.Contains("far@br3.example", list);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        using var deputy = await SignInAsync("deputy@cons.example", "Fresh-Password-9");
        Assert.Contains("far@br3.example", await deputy.Http.GetStringAsync("/Admin/Users"));
    }

    [Fact]
    public async Task Administrator_cannot_change_a_consortium_administrator_homed_in_their_subtree()
    {
        var boss = await CreateUserAsync("boss@br1.example", Roles.ConsortiumAdministrator, Orgs.Br1);
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        Assert.Equal(HttpStatusCode.NotFound, (await admin.Http.GetAsync($"/Admin/Users/Edit?id={boss.Id}")).StatusCode);
    }
}
