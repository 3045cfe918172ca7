using System.Net;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.People;

public class LoginTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Right_password_signs_in_and_opens_the_portal()
    {
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var client = PortalClient.Create(App);

        var login = await client.LoginAsync("staff@br1.example", TestOrgs.Password);

        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.Equal("/", login.Headers.Location?.OriginalString);
        var home = await client.Http.GetStringAsync("/");
        Assert.Contains("staff@br1.example", home);
        Assert.Contains("Branch One (BR1)", home);
    }

    [Fact]
    public async Task Wrong_password_is_refused_with_a_clear_message()
    {
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var client = PortalClient.Create(App);

        var login = await client.LoginAsync("staff@br1.example", "Not-The-Password-1");

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Contains("The email or password is not right.", await login.Content.ReadAsStringAsync());
        var home = await client.Http.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
        Assert.Contains("/Account/Login", home.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Five_failures_lock_the_account_until_an_administrator_unlocks_it()
    {
        var user = await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var client = PortalClient.Create(App);
        for (var i = 0; i < 5; i++)
        {
            await client.LoginAsync("staff@br1.example", "Wrong-Password-" + i);
        }

        var right = await client.LoginAsync("staff@br1.example", TestOrgs.Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("locked after too many failed sign-ins", await right.Content.ReadAsStringAsync());

        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);
        var list = await admin.Http.GetStringAsync("/Admin/Users");
        Assert.Contains("locked until", list);
        var unlock = await admin.SubmitFormAsync($"/Admin/Users/Edit/{user.Id}", "Unlock", []);
        Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);

        var again = await client.LoginAsync("staff@br1.example", TestOrgs.Password);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
    }
}
