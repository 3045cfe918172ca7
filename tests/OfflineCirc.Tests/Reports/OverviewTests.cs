using System.Net;
using System.Text.RegularExpressions;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Reports;

/// <summary>Its own database: the overview counts everything in it, so no other test may add to it.</summary>
public sealed class OverviewTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    private static string Row(string html, string org)
    {
        var m = Regex.Match(html, $"<tr data-org=\"{org}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(m.Success, $"no row for {org}");
        return Regex.Replace(m.Groups[1].Value, "\\s+", " ");
    }

    [Fact]
    public async Task Overview_counts_usage_per_library_and_lists_the_libraries_that_never_used_it()
    {
        await AuditLogTests.SeedUsageAsync(app);
        using var admin = await app.LoginAsync(AppFactory.AdminEmail);
        var html = await admin.Http.GetStringAsync("/Reports/Overview");
        var br1 = Row(html, "BR1");
        Assert.Matches("<td class=\"num\">1</td> <td class=\"num\">3</td> <td class=\"num\">2</td> <td class=\"num\">2 <small>\\(66.7%\\)</small>", br1);
        Assert.Contains("<code>ASSET_COPY_NOT_FOUND</code> 1 (33.3%)", br1);
        Assert.Contains("<code>PATRON_BARRED</code> 1 (33.3%)", br1);
        Assert.Contains("<td class=\"num\">1</td> <td class=\"num\">1</td> <td class=\"num\">1</td> <td class=\"num\">0 <small>(0.0%)</small>", Row(html, "BR2"));
        Assert.Contains("never", Row(html, "BR3"));
        var never = Regex.Match(html, "<ul id=\"never-used\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("BR3 - Branch Three", never);
        Assert.DoesNotContain("BR1", never);

        using var auditor = await app.LoginAsync(ReportsApp.AuditorSys1);
        var scoped = await auditor.Http.GetStringAsync("/Reports/Overview");
        Assert.Contains("data-org=\"BR1\"", scoped);
        Assert.DoesNotContain("data-org=\"BR3\"", scoped);
        Assert.DoesNotContain("Branch Three", scoped);

        using var consAuditor = await app.LoginAsync(ReportsApp.AuditorCons);
        Assert.Contains("data-org=\"BR3\"", await consAuditor.Http.GetStringAsync("/Reports/Overview"));

        using var branchAdmin = await app.LoginAsync(ReportsApp.AdminSys1);
        var denied = await branchAdmin.Http.GetAsync("/Reports/Overview");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Contains("/Account/AccessDenied", denied.Headers.Location!.OriginalString);
    }
}
