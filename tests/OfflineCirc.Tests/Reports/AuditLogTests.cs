using System.Net;
using System.Text.RegularExpressions;
using OfflineCirc.Core.Model;
using OfflineCirc.Core.Replay;
using OfflineCirc.Tests.Infrastructure;

namespace OfflineCirc.Tests.Reports;

/// <summary>Its own database: the audit log counts everything in it.</summary>
public sealed partial class AuditLogTests(ReportsApp app) : IClassFixture<ReportsApp>
{
    /// <summary>One session of SYS1 with four results over BR1 and BR2; the overview's expected counts come from it.</summary>
    internal static async Task<long> SeedUsageAsync(ReportsApp app)
    {
        await using var db = app.Db();
        var seed = await Seed.SessionAsync(db, app.Orgs.Sys1);
        await seed.WithResultAsync("checkout", ResultStatus.Applied);
        await seed.WithResultAsync("checkout", ResultStatus.Warning, [ResultCodes.PatronBarred], workstation: "BR1-CIRC-02");
        await seed.WithResultAsync("checkin", ResultStatus.Failed, [ResultCodes.AssetCopyNotFound]);
        await seed.WithResultAsync("checkin", ResultStatus.Applied, workstation: "BR2-CIRC-01");
        return seed.Id;
    }

    [Fact]
    public async Task Audit_log_is_scoped_filtered_and_keyset_paged()
    {
        var sys1Session = await SeedUsageAsync(app);
        long sys2Session;
        await using (var db = app.Db())
        {
            sys2Session = (await Seed.SessionAsync(db, app.Orgs.Sys2)).Id;
            var at = new DateTimeOffset(2026, 2, 1, 9, 0, 0, TimeSpan.Zero);
            for (var i = 0; i < 12; i++)
            {
                db.AuditEntries.Add(new AuditEntry { At = at.AddDays(i), UserName = "alice@test.example", Action = "file.uploaded", SessionId = sys1Session, Target = $"file {i}" });
            }
            db.AuditEntries.Add(new AuditEntry { At = at, UserName = "bob@test.example", Action = "session.created", OrgUnitId = app.Orgs.Sys2.Id, SessionId = sys2Session, Target = "sys2 secret" });
            db.AuditEntries.Add(new AuditEntry { At = at, UserName = "carol@test.example", Action = "token.revoked", Target = "org-less entry" });
            db.AuditEntries.Add(new AuditEntry { At = at, UserName = "dave@test.example", Action = "workstation.registered", OrgUnitId = app.Orgs.Br2.Id, Target = "BR2 workstation" });
            await db.SaveChangesAsync();
        }

        using var auditor = await app.LoginAsync(ReportsApp.AuditorSys1);
        var all = await auditor.Http.GetStringAsync("/Reports/Audit?size=100");
        Assert.Contains("BR2 workstation", all);
        Assert.DoesNotContain("sys2 secret", all);
        Assert.DoesNotContain("org-less entry", all);

        var pages = new List<List<string>>();
        string? url = "/Reports/Audit?action=file.uploaded&user=ALICE&size=5";
        while (url is not null)
        {
            var html = await auditor.Http.GetStringAsync(url);
            pages.Add(TargetPattern().Matches(html).Select(m => m.Groups[1].Value).ToList());
            var next = NextPattern().Match(html);
            url = next.Success ? WebUtility.HtmlDecode(next.Groups[1].Value) : null;
        }
        Assert.Equal([["file 11", "file 10", "file 9", "file 8", "file 7"], ["file 6", "file 5", "file 4", "file 3", "file 2"], ["file 1", "file 0"]], pages);

        var ranged = await auditor.Http.GetStringAsync($"/Reports/Audit?from=2026-02-03&to=2026-02-04&session={sys1Session}");
        Assert.Equal(["file 3", "file 2"], TargetPattern().Matches(ranged).Select(m => m.Groups[1].Value));

        using var admin = await app.LoginAsync(AppFactory.AdminEmail);
        var everything = await admin.Http.GetStringAsync("/Reports/Audit?size=100");
        Assert.Contains("sys2 secret", everything);
        Assert.Contains("org-less entry", everything);

        using var staff = await app.LoginAsync(ReportsApp.StaffBr1);
        var denied = await staff.Http.GetAsync("/Reports/Audit");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
    }

    [GeneratedRegex("<td>(file \\d+)</td>")]
    private static partial Regex TargetPattern();

    [GeneratedRegex("<a href=\"(/Reports/Audit\\?[^\"]+)\" rel=\"next\">")]
    private static partial Regex NextPattern();
}
