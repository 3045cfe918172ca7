using System.Net;
using OfflineCirc.Core.Model;
using OfflineCirc.Tests.Infrastructure;
using OfflineCirc.Tests.People;

namespace OfflineCirc.Tests.MultiNode;

/// <summary>The job dashboard shows every library's runs, so only Consortium Administrators get in (issue 11, finding 1).</summary>
public class JobDashboardTests(TestDatabase database) : PeopleTestBase(database)
{
    [Fact]
    public async Task Anonymous_visitors_are_sent_to_sign_in()
    {
        using var client = PortalClient.Create(App);
        var response = await client.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/Account/Login", response.Headers.Location!.PathAndQuery());
        Assert.Contains("ReturnUrl=%2Fhangfire", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Branch_accounts_get_the_portals_access_denied_page_and_cannot_touch_any_job()
    {
        foreach (var role in new[] { Roles.Administrator, Roles.Auditor, Roles.Staff })
        {
            using var client = await SignInNewUserAsync($"{role.ToLowerInvariant()}.br1@test.example", role, Orgs.Br1);
            foreach (var url in new[] { "/hangfire", "/hangfire/jobs/processing", "/hangfire/stats" })
            {
                var response = await client.Http.GetAsync(url);
                Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{role} {url}: {response.StatusCode}");
                Assert.StartsWith("/Account/AccessDenied", response.Headers.Location!.PathAndQuery());
                var page = await client.Http.GetAsync(response.Headers.Location);
                Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
                var html = await page.Content.ReadAsStringAsync();
                Assert.Contains("<nav", html);
                Assert.Contains("<h1", html);
            }
            // The dashboard's commands (delete, requeue) are refused before they reach Hangfire.
            var delete = await client.Http.PostAsync("/hangfire/jobs/processing/delete", new FormUrlEncodedContent(new Dictionary<string, string> { ["jobs[]"] = "1" }));
            Assert.True(delete.StatusCode == HttpStatusCode.Redirect, $"{role} delete: {delete.StatusCode}");
            Assert.StartsWith("/Account/AccessDenied", delete.Headers.Location!.PathAndQuery());
        }
    }

    [Fact]
    public async Task A_consortium_administrator_opens_the_dashboard()
    {
        using var client = await SignInAsync(AppFactory.AdminEmail, AppFactory.AdminPassword);
        var response = await client.Http.GetAsync("/hangfire");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Hangfire Dashboard", await response.Content.ReadAsStringAsync());
    }
}

internal static class UriPaths
{
    /// <summary>The path and query of a redirect, whether the server sent it relative or absolute.</summary>
    public static string PathAndQuery(this Uri uri) => uri.IsAbsoluteUri ? uri.PathAndQuery : uri.OriginalString;
}
