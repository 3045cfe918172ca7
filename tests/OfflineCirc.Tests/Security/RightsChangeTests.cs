using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.People;

namespace OfflineCirc.Tests.Security;

/// <summary>Taking rights away reaches browsers and scripts that are already signed in, on their very next request.</summary>
public partial class RightsChangeTests(TestDatabase database) : PeopleTestBase(database)
{
    private static bool SentToLogin(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.Redirect && response.Headers.Location!.ToString().Contains("/Account/Login", StringComparison.Ordinal);

    private async Task<PortalClient> ConsortiumAdminAsync() => await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);

    private static string EditPage(AppUser user) => $"/Admin/Users/Edit?id={user.Id}";

    /// <summary>Posts the page's form that holds the named button, to that form's own action, with its anti-forgery token.</summary>
    private static async Task<HttpResponseMessage> PressAsync(PortalClient client, string page, string button, Dictionary<string, string> fields)
    {
        var html = await client.Http.GetStringAsync(page);
        var form = FormPattern().Matches(html).Single(m => m.Groups["body"].Value.Contains($">{button}</button>", StringComparison.Ordinal));
        var action = form.Groups["action"].Success ? WebUtility.HtmlDecode(form.Groups["action"].Value) : page;
        fields["__RequestVerificationToken"] = PortalClient.AntiforgeryToken(form.Groups["body"].Value);
        foreach (Match hidden in HiddenPattern().Matches(form.Groups["body"].Value))
        {
            fields.TryAdd(hidden.Groups["name"].Value, WebUtility.HtmlDecode(hidden.Groups["value"].Value));
        }
        return await client.Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    [GeneratedRegex("""<form method="post"(?: action="(?<action>[^"]*)")?>(?<body>.*?)</form>""", RegexOptions.Singleline)]
    private static partial Regex FormPattern();

    [GeneratedRegex(@"<input type=""hidden""[^>]*? name=""(?<name>[^""]+)"" value=""(?<value>[^""]*)""")]
    private static partial Regex HiddenPattern();

    [Fact]
    public async Task A_demoted_administrators_cookie_and_token_are_refused_on_the_next_request()
    {
        var user = await CreateUserAsync("admin@br1.example", Roles.Administrator, Orgs.Br1);
        using var browser = await SignInAsync("admin@br1.example");
        using var script = PortalClient.WithToken(App, await App.TokenAsync("admin@br1.example"));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Admin/Users")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/sessions")).StatusCode);

        using var boss = await ConsortiumAdminAsync();
        var demoted = await boss.PostFormAsync(EditPage(user), new()
        {
            ["Input.DisplayName"] = "Demoted",
            ["Input.HomeOrgId"] = Orgs.Br1.Id.ToString(CultureInfo.InvariantCulture),
            ["Input.Roles"] = Roles.Auditor,
        });
        Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);

        Assert.True(SentToLogin(await browser.Http.GetAsync("/Sessions")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await browser.Http.PostAsJsonAsync("/api/sessions", new { org = "BR1", description = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/sessions")).StatusCode);
        // Signing in again gives the new rights only.
        using var again = await SignInAsync("admin@br1.example");
        var admin = await again.Http.GetAsync("/Admin/Users");
        Assert.Contains("/Account/AccessDenied", admin.Headers.Location!.ToString());
        await using var db = App.CreateContext();
        Assert.True(await db.ApiTokens.AllAsync(t => t.UserId != user.Id || t.RevokedAt != null));
    }

    [Fact]
    public async Task An_account_locked_by_failed_sign_ins_loses_its_open_cookie_and_its_token()
    {
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var browser = await SignInAsync("staff@br1.example");
        using var script = PortalClient.WithToken(App, await App.TokenAsync("staff@br1.example"));
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync("/Sessions")).StatusCode);

        using var attacker = PortalClient.Create(App);
        for (var i = 0; i < 5; i++)
        {
            await attacker.LoginAsync("staff@br1.example", "Wrong-Password-" + i);
        }

        Assert.True(SentToLogin(await browser.Http.GetAsync("/Sessions")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await script.GetAsync("/api/offline/bootstrap")).StatusCode);

        // When the lock-out's time has passed, the token works again: the lock held it back, nothing revoked it.
        using (var scope = App.Services.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = (await users.FindByEmailAsync("staff@br1.example"))!;
            Assert.True((await users.SetLockoutEndDateAsync(user, DateTimeOffset.UtcNow.AddMinutes(-1))).Succeeded);
        }
        Assert.Equal(HttpStatusCode.OK, (await script.GetAsync("/api/offline/bootstrap")).StatusCode);
    }

    [Fact]
    public async Task Locking_an_account_or_setting_its_password_ends_its_cookies_and_revokes_its_tokens()
    {
        var locked = await CreateUserAsync("locked@br1.example", Roles.Staff, Orgs.Br1);
        var reset = await CreateUserAsync("reset@br1.example", Roles.Staff, Orgs.Br1);
        using var lockedBrowser = await SignInAsync("locked@br1.example");
        using var resetBrowser = await SignInAsync("reset@br1.example");
        using var lockedScript = PortalClient.WithToken(App, await App.TokenAsync("locked@br1.example"));
        using var resetScript = PortalClient.WithToken(App, await App.TokenAsync("reset@br1.example"));
        Assert.Equal(HttpStatusCode.OK, (await resetScript.GetAsync("/api/offline/bootstrap")).StatusCode);
        using var admin = await SignInNewUserAsync("admin@sys1.example", Roles.Administrator, Orgs.Sys1);

        // The buttons of the account's page, as an administrator presses them.
        var lockPost = await PressAsync(admin, EditPage(locked), "Lock and sign out everywhere", []);
        var passwordPost = await PressAsync(admin, EditPage(reset), "Set password", new() { ["NewPassword"] = "Brand-New-Password-7" });

        Assert.Equal(HttpStatusCode.Redirect, lockPost.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, passwordPost.StatusCode);
        Assert.True(SentToLogin(await lockedBrowser.Http.GetAsync("/Sessions")));
        Assert.True(SentToLogin(await resetBrowser.Http.GetAsync("/Sessions")));
        Assert.Equal(HttpStatusCode.Unauthorized, (await lockedScript.GetAsync("/api/offline/bootstrap")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await resetScript.GetAsync("/api/offline/bootstrap")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await PortalClient.Create(App).LoginAsync("locked@br1.example", TestOrgs.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await PortalClient.Create(App).LoginAsync("reset@br1.example", "Brand-New-Password-7")).StatusCode);
    }

    [Fact]
    public async Task A_cookie_kept_from_before_sign_out_is_refused()
    {
        await CreateUserAsync("staff@br1.example", Roles.Staff, Orgs.Br1);
        using var browser = PortalClient.Create(App);
        var login = await browser.LoginAsync("staff@br1.example", TestOrgs.Password);
        var kept = string.Join("; ", login.Headers.GetValues("Set-Cookie")
            .Select(c => c.Split(';')[0])
            .Where(c => c.StartsWith("offlinecirc", StringComparison.Ordinal) && !c.StartsWith("offlinecirc.af", StringComparison.Ordinal)));
        using var copy = App.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        copy.DefaultRequestHeaders.Add("Cookie", kept);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/Sessions")).StatusCode);

        var signOut = await browser.PostFormAsync("/Account/Logout", []);

        Assert.True(SentToLogin(signOut));
        Assert.True(SentToLogin(await copy.GetAsync("/Sessions")));
        Assert.True(SentToLogin(await browser.Http.GetAsync("/Sessions")));
    }
}
